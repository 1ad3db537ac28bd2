import DataLoader from 'dataloader';
import { mapWithConcurrency } from '../mapWithConcurrency.ts';

/** Distinct parallel calls per batch where the upstream has no multi-get. */
const FAN_OUT_CONCURRENCY = 16;

/**
 * Per-request loader switches. `batch: false` gives every key its own upstream call while
 * keeping the per-request cache: the naive server the benchmarks compare batching with.
 */
export interface LoaderOptions {
  batch?: boolean;
  /** Told the size of every batch, by loader name (the metrics' batch-size histogram). */
  onBatch?: (loader: string, keys: number) => void;
}

/**
 * A DataLoader that answers two things with fewer promises, each of which runs the async
 * hooks of the operation's `AsyncLocalStorage`:
 *
 * - a key already asked for in the batch that has not been sent yet gets that key's own
 *   promise. DataLoader answers such a cache hit with a new promise resolved with the
 *   cached one once the batch is sent, which settles in the same turn of the microtask
 *   queue: two promises and two jobs later, before any later batch can be sent, so what the
 *   callers load next batches as before. A hit on a key of a batch already sent, or on a
 *   primed or settled one, is DataLoader's as before;
 * - a `loadMany` of a single key (a flow's one source or target connection) is one `load`,
 *   without the `Promise.all` and the per-key `catch` of the general case: the same answer,
 *   the value or the error in its slot.
 */
export class Loader<K, V, C = K> extends DataLoader<K, V, C> {
  /** Keys asked for since the last batch was sent, each with its promise. */
  readonly #unsent: Map<C, Promise<V>> | undefined;
  readonly #cache: DataLoader.CacheMap<C, Promise<V>> | undefined;
  readonly #keyOf: (key: K) => C;

  constructor(batchLoadFn: DataLoader.BatchLoadFn<K, V>, options: DataLoader.Options<K, V, C> = {}) {
    const cached = options.cache !== false && options.batch !== false;
    const unsent = cached ? new Map<C, Promise<V>>() : undefined;
    const cache = cached ? (options.cacheMap ?? new Map<C, Promise<V>>()) : undefined;
    super(
      (keys) => {
        unsent?.clear();
        return batchLoadFn(keys);
      },
      cache === undefined ? options : { ...options, cacheMap: cache },
    );
    this.#unsent = unsent;
    this.#cache = cache;
    this.#keyOf = options.cacheKeyFn ?? ((key: K) => key as unknown as C);
  }

  override load(key: K): Promise<V> {
    if (this.#unsent === undefined || key === null || key === undefined) return super.load(key);
    const cacheKey = this.#keyOf(key);
    const asked = this.#unsent.get(cacheKey);
    if (asked !== undefined) return asked;
    const miss = this.#cache!.get(cacheKey) === undefined;
    const promise = super.load(key);
    if (miss) this.#unsent.set(cacheKey, promise);
    return promise;
  }

  override loadMany(keys: ArrayLike<K>): Promise<Array<V | Error>> {
    if (keys.length !== 1) return super.loadMany(keys);
    return this.load(keys[0]!).then(
      (value) => [value],
      (error: Error) => [error],
    );
  }

  override clear(key: K): this {
    this.#unsent?.delete(this.#keyOf(key));
    return super.clear(key);
  }

  override clearAll(): this {
    this.#unsent?.clear();
    return super.clearAll();
  }
}

/** `load`, telling `options.onBatch` the size of each batch under `name`. */
export function observedBatch<K, V>(
  name: string,
  options: LoaderOptions,
  load: DataLoader.BatchLoadFn<K, V>,
): DataLoader.BatchLoadFn<K, V> {
  const onBatch = options.onBatch;
  if (onBatch === undefined) return load;
  return (keys) => {
    onBatch(name, keys.length);
    return load(keys);
  };
}

/**
 * A loader over a real multi-get: one call per batch (the client chunks it), results
 * matched to keys by id, `null` for a key the upstream did not return, the error in every
 * slot when the call failed.
 */
export function multiGetLoader<T>(
  name: string,
  fetch: (ids: readonly string[]) => Promise<Iterable<T> | Record<string, T>>,
  idOf: (item: T, key: string) => string,
  options: LoaderOptions = {},
): DataLoader<string, T | null> {
  return new Loader<string, T | null>(
    observedBatch(name, options, async (ids) => {
      try {
        const result = await fetch(ids);
        const byId = new Map<string, T>();
        if (isIterable(result)) {
          for (const item of result) byId.set(idOf(item, ''), item);
        } else {
          for (const [key, item] of Object.entries(result)) byId.set(idOf(item, key), item);
        }
        return ids.map((id) => byId.get(id) ?? null);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        return ids.map(() => error);
      }
    }),
    { batch: options.batch },
  );
}

function isIterable<T>(value: Iterable<T> | Record<string, T>): value is Iterable<T> {
  return typeof (value as Iterable<T>)[Symbol.iterator] === 'function';
}

/**
 * A loader where the upstream has no multi-get: every distinct key once, in parallel up to
 * a cap; a failed key gets its error, the others their values.
 */
export function fanOutLoader<K, T>(
  name: string,
  fetchOne: (key: K) => Promise<T | null>,
  cacheKeyFn?: (key: K) => string,
  options: LoaderOptions = {},
): DataLoader<K, T | null, string> {
  return new Loader<K, T | null, string>(
    observedBatch(name, options, (keys) =>
      mapWithConcurrency(keys, FAN_OUT_CONCURRENCY, async (key): Promise<T | null | Error> => {
        try {
          return await fetchOne(key);
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    ),
    { cacheKeyFn: cacheKeyFn ?? ((k: K) => String(k)), batch: options.batch },
  );
}

/**
 * A loader of one-to-many links over an any-of filter (`baseConnectionId==a,b`): one call per
 * batch, results grouped by the key each item belongs to.
 */
export function groupLoader<T>(
  name: string,
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keysOf: (item: T) => readonly string[],
  options: LoaderOptions = {},
): DataLoader<string, T[]> {
  return new Loader<string, T[]>(
    observedBatch(name, options, async (keys) => {
      try {
        const items = await fetch(keys);
        const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
        for (const item of items) for (const k of keysOf(item)) groups.get(k)?.push(item);
        return keys.map((k) => groups.get(k) ?? []);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        return keys.map(() => error);
      }
    }),
    { batch: options.batch },
  );
}
