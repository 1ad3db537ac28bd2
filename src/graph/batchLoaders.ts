import DataLoader from 'dataloader';
import { mapWithConcurrency } from '../mapWithConcurrency.ts';
import { speculative, type Credentials } from '../upstream/credentials.ts';

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
 * A DataLoader that answers two things with fewer promises:
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
  /** Keys asked for since the last batch was sent, each with its promise (when batching and caching). */
  readonly #unsent: Map<C, Promise<V>> | undefined;
  readonly #cache: DataLoader.CacheMap<C, Promise<V>> | undefined;
  /** The key the cache holds `key` under. */
  protected readonly cacheKeyOf: (key: K) => C;

  constructor(batchLoadFn: DataLoader.BatchLoadFn<K, V>, options: DataLoader.Options<K, V, C> = {}) {
    const cache = options.cache === false ? undefined : (options.cacheMap ?? new Map<C, Promise<V>>());
    const unsent = cache !== undefined && options.batch !== false ? new Map<C, Promise<V>>() : undefined;
    super(
      (keys) => {
        unsent?.clear();
        return batchLoadFn(keys);
      },
      cache === undefined ? options : { ...options, cacheMap: cache },
    );
    this.#unsent = unsent;
    this.#cache = cache;
    this.cacheKeyOf = options.cacheKeyFn ?? ((key: K) => key as unknown as C);
  }

  /** Whether the loader holds `key`: asked for or primed, and not cleared since. */
  protected holds(key: K): boolean {
    return this.#cache?.get(this.cacheKeyOf(key)) !== undefined;
  }

  override load(key: K): Promise<V> {
    if (this.#unsent === undefined || key === null || key === undefined) return super.load(key);
    const cacheKey = this.cacheKeyOf(key);
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
    this.#unsent?.delete(this.cacheKeyOf(key));
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
  return new Loader<string, T | null>(observedBatch(name, options, multiGetBatch(fetch, idOf)), {
    batch: options.batch,
  });
}

/** The batch function of `multiGetLoader`. */
export function multiGetBatch<T>(
  fetch: (ids: readonly string[]) => Promise<Iterable<T> | Record<string, T>>,
  idOf: (item: T, key: string) => string,
): DataLoader.BatchLoadFn<string, T | null> {
  return async (ids) => {
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
  };
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
  return new Loader<K, T | null, string>(observedBatch(name, options, fanOutBatch(fetchOne)), {
    cacheKeyFn: cacheKeyFn ?? ((k: K) => String(k)),
    batch: options.batch,
  });
}

/** The batch function of `fanOutLoader`. */
export function fanOutBatch<K, T>(fetchOne: (key: K) => Promise<T | null>): DataLoader.BatchLoadFn<K, T | null> {
  return (keys) =>
    mapWithConcurrency(keys, FAN_OUT_CONCURRENCY, async (key): Promise<T | null | Error> => {
      try {
        return await fetchOne(key);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
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

/** A loader's batch function, reading with the given credentials. */
export type BatchWith<K, V> = (c: Credentials) => DataLoader.BatchLoadFn<K, V | null>;

/**
 * A loader that may read keys early: ids a flow names for its links, or ids an earlier request
 * predicted, started in the same wave as the reads that will name them for sure. Early reads
 * run apart from the loader's cache, with the caller's credentials marked speculative (their
 * requests never take the operation's budget from its own, `CallScope.speculative`). A batch
 * of the loader takes the keys read early from those reads once they are done and fetches
 * the others in one call, as it would have; a key whose early read failed or found nothing
 * is fetched then, as if it had not been read early. So an early read is never reported and
 * never changes an answer, and one that no batch asks for is dropped with the request.
 */
export class PrefetchingLoader<K, V> extends Loader<K, V | null, string> {
  readonly #early: Map<string, Promise<V | undefined>>;
  readonly #earlyBatch: () => DataLoader.BatchLoadFn<K, V | null>;
  readonly #batch: boolean | undefined;
  #earlyLoader: DataLoader<K, V | null, string> | undefined;

  constructor(
    name: string,
    c: Credentials,
    batchWith: BatchWith<K, V>,
    options: LoaderOptions & { cacheKeyFn?: (key: K) => string } = {},
  ) {
    const early = new Map<string, Promise<V | undefined>>();
    const keyOf = options.cacheKeyFn ?? ((key: K) => String(key));
    super(observedBatch(name, options, takingEarly(early, keyOf, batchWith(c))), {
      cacheKeyFn: keyOf,
      batch: options.batch,
    });
    this.#early = early;
    this.#batch = options.batch;
    this.#earlyBatch = () => observedBatch(`${name}Early`, options, batchWith(speculative(c)));
  }

  /**
   * Starts reading `key` unless the loader holds it (asked for or primed: reading it early
   * would read it twice) or it is being read early already; true when it started.
   */
  prefetch(key: K): boolean {
    const cacheKey = this.cacheKeyOf(key);
    if (this.#early.has(cacheKey) || this.holds(key)) return false;
    this.#earlyLoader ??= new DataLoader<K, V | null, string>(this.#earlyBatch(), {
      cacheKeyFn: this.cacheKeyOf,
      batch: this.#batch,
      cache: false,
    });
    this.#early.set(
      cacheKey,
      this.#earlyLoader.load(key).then(
        (value) => value ?? undefined,
        () => undefined,
      ),
    );
    return true;
  }

  override clear(key: K): this {
    this.#early.delete(this.cacheKeyOf(key));
    return super.clear(key);
  }

  override clearAll(): this {
    this.#early.clear();
    return super.clearAll();
  }
}

/** `fetch`, taking what early reads found for their keys (once done) and fetching the others together. */
function takingEarly<K, V>(
  early: Map<string, Promise<V | undefined>>,
  keyOf: (key: K) => string,
  fetch: DataLoader.BatchLoadFn<K, V | null>,
): DataLoader.BatchLoadFn<K, V | null> {
  return async (keys) => {
    if (early.size === 0) return fetch(keys);
    const started = keys.map((k) => early.get(keyOf(k)));
    if (started.every((p) => p === undefined)) return fetch(keys);
    const found = await Promise.all(started.map((p) => p ?? Promise.resolve(undefined)));
    const missing = keys.filter((_k, i) => found[i] === undefined);
    const fetched = missing.length === 0 ? [] : await fetch(missing);
    let next = 0;
    return keys.map((_k, i) => found[i] ?? (fetched[next++] as V | null | Error));
  };
}
