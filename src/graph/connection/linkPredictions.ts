import { LRUCache } from 'lru-cache';
import type { TargetConnectionDto } from '../../upstream/flowService/types.ts';

/** What a target connection named the last time it was read: ids only, never data. */
export interface TargetLinks {
  datasetId: string | undefined;
  schemaId: string | undefined;
}

/**
 * The dataset and schema ids each target connection named when a caller of its tenant (org
 * and sandbox) last read it with confirmed credentials, so that a later request can start
 * reading them in the same wave as the target connections (src/graph/flow/earlyLinks.ts).
 * Only ids are kept, under the tenant they were read in: a prediction only decides what a
 * request reads early, with its own credentials, and what it answers is what it read.
 * Bounded: at most `maxEntries` target connections over every tenant, the one read least
 * recently goes first; 0 keeps none.
 */
export class LinkPredictions {
  /** Undefined when 0 are to be kept. */
  readonly #entries: LRUCache<string, TargetLinks> | undefined;

  constructor(maxEntries: number) {
    this.#entries = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
  }

  get enabled(): boolean {
    return this.#entries !== undefined;
  }

  /** Target connections remembered, over every tenant. */
  get size(): number {
    return this.#entries?.size ?? 0;
  }

  /** What `targetId` named when last read in `tenant`, if it was read and remembered (a prediction is not a read). */
  predict(tenant: string, targetId: string): TargetLinks | undefined {
    return this.#entries?.peek(key(tenant, targetId));
  }

  /** A read of `ids` in `tenant` that succeeded found `found`: the others no longer exist. */
  learn(tenant: string, ids: readonly string[], found: readonly TargetConnectionDto[]): void {
    const entries = this.#entries;
    if (entries === undefined) return;
    const named = new Set<string>();
    for (const t of found) {
      named.add(t.id);
      const datasetId = t.params?.dataSetId;
      entries.set(key(tenant, t.id), {
        datasetId: typeof datasetId === 'string' ? datasetId : undefined,
        schemaId: t.data?.schema?.id,
      });
    }
    for (const id of ids) if (!named.has(id)) entries.delete(key(tenant, id));
  }
}

function key(tenant: string, targetId: string): string {
  return `${tenant}\u0000${targetId}`;
}
