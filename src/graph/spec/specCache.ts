import { callerKey, type CallerVerifier } from '../../upstream/callerVerifier.ts';
import type { Credentials } from '../../upstream/credentials.ts';
import type { FlowServiceClient } from '../../upstream/flowService/client.ts';
import type { ConnectionSpecDto, FlowSpecDto } from '../../upstream/flowService/types.ts';

interface Entry<T> {
  value: T | null;
  expiresAt: number;
}

interface Partition {
  connectionSpecs: Map<string, Entry<ConnectionSpecDto>>;
  flowSpecs: Map<string, Entry<FlowSpecDto>>;
  allConnectionSpecs?: Entry<ConnectionSpecDto[]>;
  allFlowSpecs?: Entry<FlowSpecDto[]>;
  /**
   * Fetches under way, keyed by the caller (`callerKey`) and what is fetched: concurrent
   * requests of one caller share one upstream request; a caller never waits on another's,
   * so one caller's refused credentials cannot fail another's read.
   */
  pending: Map<string, Promise<unknown>>;
}

export interface SpecCacheOptions {
  ttlMs: number;
  /** Org+sandbox partitions kept; the least recently used goes first. */
  maxPartitions?: number;
  now?: () => number;
}

/**
 * The only cross-request cache: connection specs and flow specs change rarely. Entries are
 * partitioned by org and sandbox (a spec list may differ per sandbox) and expire after the TTL.
 * It answers only callers the platform has confirmed for that org and sandbox: a caller's
 * own successful fetch confirms it, otherwise `callers.verify` asks the platform first.
 */
export class SpecCache {
  readonly #partitions = new Map<string, Partition>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(
    private readonly flowService: FlowServiceClient,
    private readonly callers: CallerVerifier,
    options: SpecCacheOptions,
  ) {
    this.#ttlMs = options.ttlMs;
    this.#max = options.maxPartitions ?? 64;
    this.#now = options.now ?? Date.now;
  }

  #partition(c: Credentials): Partition {
    const key = `${c.orgId}\u0000${c.sandbox}`;
    let part = this.#partitions.get(key);
    if (part === undefined) {
      part = { connectionSpecs: new Map(), flowSpecs: new Map(), pending: new Map() };
      if (this.#partitions.size >= this.#max) this.#partitions.delete(this.#partitions.keys().next().value!);
    } else {
      this.#partitions.delete(key);
    }
    this.#partitions.set(key, part);
    return part;
  }

  /** Specs by id in key order, `null` for unknown ids; misses are fetched in one multi-get. */
  connectionSpecsByIds(c: Credentials, ids: readonly string[]): Promise<Array<ConnectionSpecDto | null>> {
    const part = this.#partition(c);
    return this.#byIds(c, part, 'allConnectionSpecs', part.connectionSpecs, ids, (missing) =>
      this.flowService.getConnectionSpecsByIds(c, missing),
    );
  }

  flowSpecsByIds(c: Credentials, ids: readonly string[]): Promise<Array<FlowSpecDto | null>> {
    const part = this.#partition(c);
    return this.#byIds(c, part, 'allFlowSpecs', part.flowSpecs, ids, (missing) =>
      this.flowService.getFlowSpecsByIds(c, missing),
    );
  }

  async allConnectionSpecs(c: Credentials): Promise<ConnectionSpecDto[]> {
    const part = this.#partition(c);
    const cached = part.allConnectionSpecs;
    if (cached !== undefined && cached.expiresAt > this.#now()) {
      await this.callers.verify(c);
      return cached.value ?? [];
    }
    return this.#shared(part, c, 'allConnectionSpecs', async () => {
      const specs = await this.flowService.listConnectionSpecs(c);
      this.callers.confirm(c);
      const expiresAt = this.#now() + this.#ttlMs;
      part.allConnectionSpecs = { value: specs, expiresAt };
      for (const s of specs) part.connectionSpecs.set(s.id, { value: s, expiresAt });
      return specs;
    });
  }

  async allFlowSpecs(c: Credentials): Promise<FlowSpecDto[]> {
    const part = this.#partition(c);
    const cached = part.allFlowSpecs;
    if (cached !== undefined && cached.expiresAt > this.#now()) {
      await this.callers.verify(c);
      return cached.value ?? [];
    }
    return this.#shared(part, c, 'allFlowSpecs', async () => {
      const specs = await this.flowService.listFlowSpecs(c);
      this.callers.confirm(c);
      const expiresAt = this.#now() + this.#ttlMs;
      part.allFlowSpecs = { value: specs, expiresAt };
      for (const s of specs) part.flowSpecs.set(s.id, { value: s, expiresAt });
      return specs;
    });
  }

  /** Runs `fetch` unless the same caller's fetch under the same key is under way, whose result is then shared. */
  #shared<T>(part: Partition, c: Credentials, what: string, fetch: () => Promise<T>): Promise<T> {
    const key = `${callerKey(c)}:${what}`;
    const running = part.pending.get(key) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const promise = fetch();
    part.pending.set(key, promise);
    const done = () => {
      if (part.pending.get(key) === promise) part.pending.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  /**
   * `list` names the fetch of the whole list: while one is under way, its result is awaited
   * first, and ids are fetched one by one only when it did not bring them.
   */
  async #byIds<T extends { id: string }>(
    c: Credentials,
    part: Partition,
    list: 'allConnectionSpecs' | 'allFlowSpecs',
    map: Map<string, Entry<T>>,
    ids: readonly string[],
    fetch: (missing: string[]) => Promise<T[]>,
  ): Promise<Array<T | null>> {
    const caller = callerKey(c);
    await part.pending.get(`${caller}:${list}`)?.catch(() => undefined);
    const kind = `${list}:byId`;
    const now = this.#now();
    // a fresh full list already says which ids do not exist
    const listed = part[list];
    if (listed !== undefined && listed.expiresAt > now) {
      await this.callers.verify(c);
      return ids.map((id) => map.get(id)?.value ?? null);
    }
    const stale = [...new Set(ids)].filter((id) => {
      const e = map.get(id);
      return e === undefined || e.expiresAt <= now;
    });
    const toFetch = stale.filter((id) => !part.pending.has(`${caller}:${kind}:${id}`));
    if (toFetch.length > 0) {
      const batch = (async () => {
        const found = await fetch(toFetch);
        this.callers.confirm(c);
        const expiresAt = this.#now() + this.#ttlMs;
        const byId = new Map(found.map((s) => [s.id, s]));
        for (const id of toFetch) map.set(id, { value: byId.get(id) ?? null, expiresAt });
      })();
      for (const id of toFetch) this.#shared(part, c, `${kind}:${id}`, () => batch).catch(() => undefined);
    }
    await Promise.all(stale.map((id) => part.pending.get(`${caller}:${kind}:${id}`) ?? Promise.resolve()));
    // answered from what others fetched: confirm first (no upstream call when this caller's own fetch just did)
    await this.callers.verify(c);
    return ids.map((id) => map.get(id)?.value ?? null);
  }
}
