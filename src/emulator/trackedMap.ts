import { forgetStoredJson } from './storedJson.ts';

/** Told of every stored value: `value` undefined when deleted, `previous` undefined when new. */
export type MapObserver<V> = (id: string, value: V | undefined, previous: V | undefined) => void;

/**
 * A Map that reports every `set` and every `delete` of a present key, so the journal can
 * log a change the moment it happens. A value edited in place is reported only when it is
 * `set` again: code that mutates a stored object re-sets it.
 */
export class TrackedMap<V> extends Map<string, V> {
  private onChange: (id: string, value: V | undefined) => void = () => {};
  private observers: Array<MapObserver<V>> = [];
  #changes = 0;

  /** Sets and deletes so far: what was made from the map's values is current while this is unchanged. */
  get changes(): number {
    return this.#changes;
  }

  /** `value` is undefined when the key was deleted. */
  track(onChange: (id: string, value: V | undefined) => void): this {
    this.onChange = onChange;
    return this;
  }

  /** Adds an observer beside the journal's (an index); it sees every later change. */
  observe(observer: MapObserver<V>): this {
    this.observers.push(observer);
    return this;
  }

  override set(id: string, value: V): this {
    const previous = super.get(id);
    forgetStoredJson(previous);
    forgetStoredJson(value);
    super.set(id, value);
    this.#changes++;
    this.onChange(id, value);
    for (const o of this.observers) o(id, value, previous);
    return this;
  }

  override delete(id: string): boolean {
    const previous = super.get(id);
    forgetStoredJson(previous);
    const had = super.delete(id);
    if (had) {
      this.#changes++;
      this.onChange(id, undefined);
      for (const o of this.observers) o(id, undefined, previous);
    }
    return had;
  }

  override clear(): void {
    for (const id of [...this.keys()]) this.delete(id);
  }
}
