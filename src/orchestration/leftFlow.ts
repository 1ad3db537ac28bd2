import type { Context } from '../context.ts';
import type { FlowDto } from '../upstream/flowService/types.ts';
import type { CreatedIds } from './dataflowSteps.ts';
import type { StepReport } from './saga.ts';

export const ADOPTED = 'adopted: created by an earlier attempt with the same idempotencyKey whose outcome was unknown';

export type Settled =
  | { adopted: { ids: CreatedIds; steps: StepReport[] } }
  | { adopted?: undefined; leftovers: Record<string, string> | undefined };

/**
 * Before a retry writes anything: an earlier attempt with the same key that could not tell
 * whether its flow was created left its connections standing (`sourceConnection`,
 * `targetConnection`, `dataset` in the leftovers). A flow on that source connection means the
 * attempt succeeded after all, and the retry adopts it; no flow means the connections and the
 * dataset are orphans, deleted here, and the retry starts over (reusing a kept schema and
 * mapping set as usual). A streaming call also leaves the base connection (its inlet) it
 * created, deleted with them.
 */
export async function settleLeftFlow(ctx: Context, leftovers: Record<string, string> | undefined): Promise<Settled> {
  const sourceConnectionId = leftovers?.['sourceConnection'];
  if (leftovers === undefined || (sourceConnectionId === undefined && leftovers['baseConnection'] === undefined))
    return { leftovers };
  const c = ctx.credentials;
  const fs = ctx.clients.flowService;
  if (sourceConnectionId !== undefined) {
    const [flow] = await fs.listFlowsBySourceConnectionIds(c, [sourceConnectionId]);
    if (flow !== undefined) return { adopted: await adopt(ctx, sourceConnectionId, flow) };
  }
  const rest = { ...leftovers };
  // in dependency order; `baseConnection` is recorded only by calls that created it (a streaming inlet)
  const removals: Array<[string, (id: string) => Promise<boolean>]> = [
    ['targetConnection', (id) => fs.deleteTargetConnection(c, id)],
    ['sourceConnection', (id) => fs.deleteSourceConnection(c, id)],
    ['baseConnection', (id) => fs.deleteConnection(c, id)],
    ['dataset', (id) => ctx.clients.catalog.deleteDataSet(c, id)],
  ];
  for (const [name, remove] of removals) {
    const id = rest[name];
    if (id === undefined) continue;
    await remove(id);
    delete rest[name];
  }
  return { leftovers: rest };
}

/** The ids of a flow an earlier attempt created, read back from the flow and its target connection. */
async function adopt(
  ctx: Context,
  sourceConnectionId: string,
  flow: FlowDto,
): Promise<{ ids: CreatedIds; steps: StepReport[] }> {
  const flowId = flow.id;
  const targetConnectionId = flow.targetConnectionIds[0] ?? '';
  const target = await ctx.loaders.targetConnectionById.load(targetConnectionId);
  const mapping = flow.transformations.find((t) => t.name === 'Mapping')?.params as
    { mappingId?: unknown; mappingVersion?: unknown } | undefined;
  const ids: CreatedIds = {
    flowId,
    sourceConnectionId,
    targetConnectionId,
    datasetId: target?.params?.dataSetId ?? '',
    schemaId: target?.data?.schema?.id ?? '',
    ...(typeof mapping?.mappingId === 'string'
      ? { mappingSetId: mapping.mappingId, mappingSetVersion: Number(mapping.mappingVersion ?? 0) }
      : {}),
  };
  const step = (name: string, resourceId: string | undefined): StepReport => ({
    name,
    status: 'SKIPPED',
    resourceId: resourceId ?? null,
    durationMs: null,
    error: ADOPTED,
    request: null,
  });
  const steps = [
    step('sourceConnection', ids.sourceConnectionId),
    step('targetSchema', ids.schemaId),
    step('dataset', ids.datasetId),
    step('targetConnection', ids.targetConnectionId),
    step('mappingSet', ids.mappingSetId),
    step('flow', ids.flowId),
  ];
  return { ids, steps };
}
