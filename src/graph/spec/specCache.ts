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
 */
export class SpecCache {
  readonly #partitions = new Map<string, Partition>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(
    private readonly flowService: FlowServiceClient,
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
      part = { connectionSpecs: new Map(), flowSpecs: new Map() };
      if (this.#partitions.size >= this.#max) this.#partitions.delete(this.#partitions.keys().next().value!);
    } else {
      this.#partitions.delete(key);
    }
    this.#partitions.set(key, part);
    return part;
  }

  /** Specs by id in key order, `null` for unknown ids; misses are fetched in one multi-get. */
  connectionSpecsByIds(c: Credentials, ids: readonly string[]): Promise<Array<ConnectionSpecDto | null>> {
    return this.#byIds(this.#partition(c).connectionSpecs, ids, (missing) => this.flowService.getConnectionSpecsByIds(c, missing));
  }

  flowSpecsByIds(c: Credentials, ids: readonly string[]): Promise<Array<FlowSpecDto | null>> {
    return this.#byIds(this.#partition(c).flowSpecs, ids, (missing) => this.flowService.getFlowSpecsByIds(c, missing));
  }

  async allConnectionSpecs(c: Credentials): Promise<ConnectionSpecDto[]> {
    const part = this.#partition(c);
    if (part.allConnectionSpecs !== undefined && part.allConnectionSpecs.expiresAt > this.#now()) return part.allConnectionSpecs.value ?? [];
    const specs = await this.flowService.listConnectionSpecs(c);
    const expiresAt = this.#now() + this.#ttlMs;
    part.allConnectionSpecs = { value: specs, expiresAt };
    for (const s of specs) part.connectionSpecs.set(s.id, { value: s, expiresAt });
    return specs;
  }

  async allFlowSpecs(c: Credentials): Promise<FlowSpecDto[]> {
    const part = this.#partition(c);
    if (part.allFlowSpecs !== undefined && part.allFlowSpecs.expiresAt > this.#now()) return part.allFlowSpecs.value ?? [];
    const specs = await this.flowService.listFlowSpecs(c);
    const expiresAt = this.#now() + this.#ttlMs;
    part.allFlowSpecs = { value: specs, expiresAt };
    for (const s of specs) part.flowSpecs.set(s.id, { value: s, expiresAt });
    return specs;
  }

  async #byIds<T extends { id: string }>(map: Map<string, Entry<T>>, ids: readonly string[], fetch: (missing: string[]) => Promise<T[]>): Promise<Array<T | null>> {
    const now = this.#now();
    const missing = ids.filter((id) => {
      const e = map.get(id);
      return e === undefined || e.expiresAt <= now;
    });
    if (missing.length > 0) {
      const found = await fetch([...new Set(missing)]);
      const expiresAt = this.#now() + this.#ttlMs;
      const byId = new Map(found.map((s) => [s.id, s]));
      for (const id of missing) map.set(id, { value: byId.get(id) ?? null, expiresAt });
    }
    return ids.map((id) => map.get(id)?.value ?? null);
  }
}
