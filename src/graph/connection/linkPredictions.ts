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
  readonly #entries = new Map<string, TargetLinks>();
  readonly #max: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get enabled(): boolean {
    return this.#max > 0;
  }

  /** Target connections remembered, over every tenant. */
  get size(): number {
    return this.#entries.size;
  }

  /** What `targetId` named when last read in `tenant`, if it was read and remembered. */
  predict(tenant: string, targetId: string): TargetLinks | undefined {
    return this.#entries.get(key(tenant, targetId));
  }

  /** A read of `ids` in `tenant` that succeeded found `found`: the others no longer exist. */
  learn(tenant: string, ids: readonly string[], found: readonly TargetConnectionDto[]): void {
    if (this.#max === 0) return;
    const named = new Set<string>();
    for (const t of found) {
      named.add(t.id);
      const k = key(tenant, t.id);
      this.#entries.delete(k);
      const datasetId = t.params?.dataSetId;
      this.#entries.set(k, {
        datasetId: typeof datasetId === 'string' ? datasetId : undefined,
        schemaId: t.data?.schema?.id,
      });
    }
    for (const id of ids) if (!named.has(id)) this.#entries.delete(key(tenant, id));
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

function key(tenant: string, targetId: string): string {
  return `${tenant}\u0000${targetId}`;
}
