import { callerKey, type CallerVerifier } from '../../upstream/callerVerifier.ts';
import type { Credentials } from '../../upstream/credentials.ts';
import type { FlowServiceClient } from '../../upstream/flowService/client.ts';
import type { ConnectionSpecDto, FlowSpecDto } from '../../upstream/flowService/types.ts';

interface Entry<T> {
  value: T | null;
  expiresAt: number;
}

/** The cached specs of one kind: by id, and the whole list once it was fetched. */
interface Specs<T> {
  byId: Map<string, Entry<T>>;
  all?: Entry<T[]>;
}

interface Partition {
  connectionSpecs: Specs<ConnectionSpecDto>;
  flowSpecs: Specs<FlowSpecDto>;
}

type Kind = keyof Partition;

export interface SpecCacheOptions {
  ttlMs: number;
  /** Org+sandbox partitions kept; the least recently used goes first. */
  maxPartitions?: number;
  now?: () => number;
  /** Told, per lookup, how many specs the cache answered and how many it had to fetch (metrics). */
  onLookup?: (kind: Kind, hits: number, misses: number) => void;
}

/**
 * The only cross-request cache: connection specs and flow specs change rarely. Entries are
 * partitioned by org and sandbox (a spec list may differ per sandbox) and expire after the TTL.
 * It answers only callers the platform has confirmed for that org and sandbox: a caller's
 * own successful fetch confirms it, otherwise `callers.verify` asks the platform first. A
 * partition is made only from a successful fetch, so refused callers cannot push others out.
 */
export class SpecCache {
  readonly #partitions = new Map<string, Partition>();
  /**
   * Fetches under way, keyed by the caller (`callerKey`, which covers org and sandbox) and
   * what is fetched: concurrent requests of one caller share one upstream request; a caller
   * never waits on another's, so one caller's refused credentials cannot fail another's read.
   */
  readonly #pending = new Map<string, Promise<unknown>>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #onLookup: (kind: Kind, hits: number, misses: number) => void;

  constructor(
    private readonly flowService: FlowServiceClient,
    private readonly callers: CallerVerifier,
    options: SpecCacheOptions,
  ) {
    this.#ttlMs = options.ttlMs;
    this.#max = options.maxPartitions ?? 64;
    this.#now = options.now ?? Date.now;
    this.#onLookup = options.onLookup ?? (() => undefined);
  }

  /** The partition of the caller's org and sandbox, made when `create` (after a successful fetch) and missing. */
  #partition(c: Credentials, create: true): Partition;
  #partition(c: Credentials, create: false): Partition | undefined;
  #partition(c: Credentials, create: boolean): Partition | undefined {
    const key = `${c.orgId}\u0000${c.sandbox}`;
    let part = this.#partitions.get(key);
    if (part === undefined) {
      if (!create) return undefined;
      part = { connectionSpecs: { byId: new Map() }, flowSpecs: { byId: new Map() } };
      if (this.#partitions.size >= this.#max) this.#partitions.delete(this.#partitions.keys().next().value!);
    } else {
      this.#partitions.delete(key);
    }
    this.#partitions.set(key, part);
    return part;
  }

  /** Specs by id in key order, `null` for unknown ids; misses are fetched in one multi-get. */
  connectionSpecsByIds(c: Credentials, ids: readonly string[]): Promise<Array<ConnectionSpecDto | null>> {
    return this.#byIds(
      c,
      'connectionSpecs',
      (p) => p.connectionSpecs,
      ids,
      (missing) => this.flowService.getConnectionSpecsByIds(c, missing),
    );
  }

  flowSpecsByIds(c: Credentials, ids: readonly string[]): Promise<Array<FlowSpecDto | null>> {
    return this.#byIds(
      c,
      'flowSpecs',
      (p) => p.flowSpecs,
      ids,
      (missing) => this.flowService.getFlowSpecsByIds(c, missing),
    );
  }

  allConnectionSpecs(c: Credentials): Promise<ConnectionSpecDto[]> {
    return this.#all(
      c,
      'connectionSpecs',
      (p) => p.connectionSpecs,
      () => this.flowService.listConnectionSpecs(c),
    );
  }

  allFlowSpecs(c: Credentials): Promise<FlowSpecDto[]> {
    return this.#all(
      c,
      'flowSpecs',
      (p) => p.flowSpecs,
      () => this.flowService.listFlowSpecs(c),
    );
  }

  async #all<T extends { id: string }>(
    c: Credentials,
    kind: Kind,
    specs: (p: Partition) => Specs<T>,
    fetch: () => Promise<T[]>,
  ): Promise<T[]> {
    const known = this.#partition(c, false);
    const cached = known === undefined ? undefined : specs(known).all;
    if (cached !== undefined && cached.expiresAt > this.#now()) {
      this.#onLookup(kind, 1, 0);
      await this.callers.verify(c);
      return cached.value ?? [];
    }
    this.#onLookup(kind, 0, 1);
    return this.#shared(c, `${kind}:all`, async () => {
      const found = await fetch();
      this.callers.confirm(c);
      const into = specs(this.#partition(c, true));
      const expiresAt = this.#now() + this.#ttlMs;
      into.all = { value: found, expiresAt };
      for (const s of found) into.byId.set(s.id, { value: s, expiresAt });
      return found;
    });
  }

  /** Runs `fetch` unless the same caller's fetch under the same name is under way, whose result is then shared. */
  #shared<T>(c: Credentials, what: string, fetch: () => Promise<T>): Promise<T> {
    const key = `${callerKey(c)}:${what}`;
    const running = this.#pending.get(key) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const promise = fetch();
    this.#pending.set(key, promise);
    const done = () => {
      if (this.#pending.get(key) === promise) this.#pending.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  /**
   * While this caller's fetch of the whole list is under way, its result is awaited first,
   * and ids are fetched one by one only when it did not bring them.
   */
  async #byIds<T extends { id: string }>(
    c: Credentials,
    kind: Kind,
    specs: (p: Partition) => Specs<T>,
    ids: readonly string[],
    fetch: (missing: string[]) => Promise<T[]>,
  ): Promise<Array<T | null>> {
    const caller = callerKey(c);
    await this.#pending.get(`${caller}:${kind}:all`)?.catch(() => undefined);
    const now = this.#now();
    const known = this.#partition(c, false);
    const cached = known === undefined ? undefined : specs(known);
    // a fresh full list already says which ids do not exist
    if (cached?.all !== undefined && cached.all.expiresAt > now) {
      this.#onLookup(kind, ids.length, 0);
      await this.callers.verify(c);
      return ids.map((id) => cached.byId.get(id)?.value ?? null);
    }
    const answers = new Map<string, T | null>();
    const stale: string[] = [];
    for (const id of new Set(ids)) {
      const e = cached?.byId.get(id);
      if (e === undefined || e.expiresAt <= now) stale.push(id);
      else answers.set(id, e.value);
    }
    this.#onLookup(kind, answers.size, stale.length);
    // one batch per call; ids this caller is already fetching wait for that fetch
    const pendingKey = (id: string) => `${caller}:${kind}:id:${id}`;
    const toFetch = stale.filter((id) => !this.#pending.has(pendingKey(id)));
    if (toFetch.length > 0) {
      const batch = (async () => {
        const found = new Map((await fetch(toFetch)).map((s): [string, T] => [s.id, s]));
        this.callers.confirm(c);
        const into = specs(this.#partition(c, true)).byId;
        const expiresAt = this.#now() + this.#ttlMs;
        for (const id of toFetch) into.set(id, { value: found.get(id) ?? null, expiresAt });
        return found;
      })();
      for (const id of toFetch) this.#shared(c, `${kind}:id:${id}`, () => batch).catch(() => undefined);
    }
    const batches = await Promise.all(stale.map((id) => this.#pending.get(pendingKey(id)) as Promise<Map<string, T>>));
    stale.forEach((id, i) => answers.set(id, batches[i]!.get(id) ?? null));
    // answered from what others fetched: confirm first (no upstream call when this caller's own fetch just did)
    await this.callers.verify(c);
    return ids.map((id) => answers.get(id) ?? null);
  }
}
