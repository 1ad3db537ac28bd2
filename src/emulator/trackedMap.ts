/**
 * A Map that reports every `set` and every `delete` of a present key, so the journal can
 * log a change the moment it happens. A value edited in place is reported only when it is
 * `set` again: code that mutates a stored object re-sets it.
 */
export class TrackedMap<V> extends Map<string, V> {
  private onChange: (id: string, value: V | undefined) => void = () => {};

  /** `value` is undefined when the key was deleted. */
  track(onChange: (id: string, value: V | undefined) => void): this {
    this.onChange = onChange;
    return this;
  }

  override set(id: string, value: V): this {
    super.set(id, value);
    this.onChange(id, value);
    return this;
  }

  override delete(id: string): boolean {
    const had = super.delete(id);
    if (had) this.onChange(id, undefined);
    return had;
  }

  override clear(): void {
    for (const id of [...this.keys()]) this.delete(id);
  }
}
