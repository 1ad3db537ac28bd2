import type { Context } from '../context.ts';
import type {
  CreateFlowDto,
  FlowDto,
  SourceConnectionDto,
  TargetConnectionDto,
} from '../upstream/flowService/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import type { MappingInput } from '../generated/graphql.ts';
import type { DatasetModel } from '../graph/models.ts';
import type { DataflowPlan } from './dataflowPlan.ts';
import type { TargetPlan } from './dataflowTarget.ts';
import { REUSED, type Attempt } from './attempt.ts';
import {
  datasetBody,
  flowBody,
  mappingSetBody,
  schemaBody,
  sourceConnectionBody,
  targetConnectionBody,
} from './dataflowBodies.ts';
import { createdFlow, createdSourceConnection } from './createdResources.ts';
import { Saga, type Created, type StepReport } from './saga.ts';
import { startTargetChain } from './targetChain.ts';
import { findFlowOn, findMappingSet, findSourceConnection } from './writeMarkers.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export interface CreatedIds {
  flowId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  datasetId: string;
  schemaId: string;
  mappingSetId?: string;
  mappingSetVersion?: number;
}

export const STEP_NAMES = [
  'flowSpec',
  'sourceConnection',
  'targetSchema',
  'dataset',
  'targetConnection',
  'mappingSet',
  'flow',
] as const;

/** The input a failing step's request came from, for the user error. */
const STEP_FIELD: Record<string, string[]> = {
  sourceConnection: ['input', 'source'],
  targetSchema: ['input', 'target', 'newSchema'],
  dataset: ['input', 'target'],
  targetConnection: ['input', 'target'],
  mappingSet: ['input', 'mappings'],
  flow: ['input'],
};

const NO_DELETE = 'Data Prep has no delete for mapping sets; a retry with the same idempotencyKey reuses it';
const KEPT_FOR_MAPPING_SET =
  'kept: the mapping set left behind targets this schema; a retry with the same idempotencyKey reuses both';

/** What a dry run shows in place of the marker a real attempt draws. */
const DRY_RUN_MARKER = '<write marker>';

/** What a successful call created; the mapping set and an existing dataset are referenced, and read only if the payload asks. */
export interface CreatedResources {
  flow: FlowDto;
  sourceConnection: SourceConnectionDto;
  targetConnection: TargetConnectionDto;
  dataset: DatasetModel | { id: string; dto?: undefined };
  /** Without `title`: an existing schema, read only if the payload asks for more than its id. */
  targetSchema: XdmResourceDto | { $id: string; title?: undefined };
  mappingSet: { id: string; version: number } | null;
}

export interface DataflowOutcome {
  created: CreatedResources | undefined;
  ids: CreatedIds;
  steps: StepReport[];
  userErrors: UserError[];
  leftovers: Record<string, string>;
}

/** What a dry run shows: every step with the request it would send; ids not yet known are named. */
export function dryRunSteps(plan: DataflowPlan): StepReport[] {
  const t = plan.target;
  const schemaId = t.kind === 'newSchema' ? '<targetSchema.$id>' : t.schemaId;
  const datasetId = t.kind === 'existingDataset' ? t.datasetId : '<dataset.id>';
  const planned = (name: string, request: unknown): StepReport => ({
    name,
    status: 'PLANNED',
    resourceId: null,
    durationMs: null,
    error: null,
    request,
  });
  const skipped = (name: string, resourceId: string, why: string): StepReport => ({
    name,
    status: 'SKIPPED',
    resourceId,
    durationMs: null,
    error: why,
    request: null,
  });
  const mappingSet = plan.mappings.length === 0 ? undefined : '<mappingSet.id>';
  return [
    { ...skipped('flowSpec', plan.flowSpec.id, `uses flow spec ${plan.flowSpec.name}`), status: 'PLANNED' },
    planned('sourceConnection', sourceConnectionBody(plan, DRY_RUN_MARKER)),
    t.kind === 'newSchema'
      ? planned('targetSchema', schemaBody(t, DRY_RUN_MARKER))
      : skipped('targetSchema', t.schemaId, 'existing schema'),
    t.kind === 'existingDataset'
      ? skipped('dataset', t.datasetId, 'existing dataset')
      : planned('dataset', datasetBody(t.datasetName, t.datasetDescription, schemaId, DRY_RUN_MARKER)),
    planned('targetConnection', targetConnectionBody(plan.name, schemaId, datasetId, DRY_RUN_MARKER)),
    mappingSet === undefined
      ? skipped('mappingSet', '', 'no mappings given')
      : planned('mappingSet', mappingSetBody(schemaId, plan.mappings, DRY_RUN_MARKER)),
    planned(
      'flow',
      flowBody(plan, {
        sourceConnectionId: '<sourceConnection.id>',
        targetConnectionId: '<targetConnection.id>',
        mappingSetId: mappingSet,
      }),
    ),
  ];
}

/**
 * The writes as a dependency graph. Critical path with a new schema: schema → dataset →
 * target connection → flow; the source connection starts at once, and the mapping set (which
 * cannot be deleted) only once the source connection and dataset exist, so an early failure
 * leaves nothing behind. A write whose answer is lost is looked up by the attempt's marker.
 */
export async function runDataflowPlan(ctx: Context, plan: DataflowPlan, attempt: Attempt): Promise<DataflowOutcome> {
  const c = ctx.credentials;
  const fs = ctx.clients.flowService;
  const saga = new Saga(
    STEP_NAMES.map((name) => ({ name })),
    c,
  );
  const now = Date.now();
  saga.read('flowSpec', plan.flowSpec.id);

  const sourceBody = sourceConnectionBody(plan, attempt.marker);
  const sourceMade = (r: { id: string; etag: string }): Created<SourceConnectionDto> => ({
    id: r.id,
    value: createdSourceConnection(c, sourceBody, r, plan.baseConnection, now),
    compensation: { undo: (c) => fs.deleteSourceConnection(c, r.id) },
  });
  const source = saga.write('sourceConnection', {
    create: () => fs.createSourceConnection(c, sourceBody),
    find: (c) => findSourceConnection(ctx, c, attempt.marker),
    made: sourceMade,
  });
  const { schema, schemaId, dataset, datasetId, target } = startTargetChain(
    ctx,
    saga,
    plan.target,
    plan.name,
    now,
    attempt,
  );
  const mapping = mappingStep(ctx, saga, plan.mappings, attempt, Promise.all([source, datasetId, schemaId]));
  const [src, tgt, map, ds, sch] = await Promise.all([source, target, mapping, dataset, schema]);
  const ready = src !== undefined && tgt !== undefined && (plan.mappings.length === 0 || map !== undefined);
  const flow = !ready
    ? undefined
    : await flowStep(ctx, saga, src, tgt, now, () =>
        flowBody(plan, {
          sourceConnectionId: src.id,
          targetConnectionId: tgt.id,
          mappingSetId: map?.id,
          mappingSetVersion: map?.version,
        }),
      );

  if (saga.failed || flow === undefined || src === undefined || tgt === undefined) {
    const failure = saga.failure;
    const field = STEP_FIELD[failure?.step ?? 'flow'] ?? ['input'];
    const error =
      upstreamRejection(failure?.error, field) ??
      userError(
        field,
        'UPSTREAM_FAILED',
        `Step ${failure?.step ?? 'unknown'} failed: ${failure?.error instanceof Error ? failure.error.message : String(failure?.error)}; see steps for what was rolled back`,
      );
    const leftovers = await compensateKeepingReusable(saga, plan.target, attempt, map, schemaId);
    return { created: undefined, ids: {} as CreatedIds, steps: saga.reports(), userErrors: [error], leftovers };
  }

  // the payload's links cost no reads: the loaders hold what was just created
  const l = ctx.loaders;
  l.flowById.clear(flow.id).prime(flow.id, flow);
  l.sourceConnectionById.clear(src.id).prime(src.id, src);
  l.targetConnectionById.clear(tgt.id).prime(tgt.id, tgt);
  if (ds) l.primeCreatedDataset(ds);
  if (sch) l.schemaById.clear(sch.$id).prime(sch.$id, sch).clear(sch['meta:altId']).prime(sch['meta:altId'], sch);
  const ids: CreatedIds = {
    flowId: flow.id,
    sourceConnectionId: src.id,
    targetConnectionId: tgt.id,
    datasetId: (await datasetId)!,
    schemaId: (await schemaId)!,
    ...(map === undefined ? {} : { mappingSetId: map.id, mappingSetVersion: map.version }),
  };
  const created = {
    flow,
    sourceConnection: src,
    targetConnection: tgt,
    dataset: ds ?? { id: ids.datasetId },
    targetSchema: sch ?? { $id: ids.schemaId },
    mappingSet: map ?? null,
  };
  return { created, ids, steps: saga.reports(), userErrors: [], leftovers: {} };
}

/**
 * The flow on connections this call created; a lost answer is settled by listing the flows
 * of the source connection, so a flow never stays on connections that are rolled back.
 */
export async function flowStep(
  ctx: Context,
  saga: Saga,
  src: SourceConnectionDto,
  tgt: TargetConnectionDto,
  now: number,
  body: () => CreateFlowDto,
): Promise<FlowDto | undefined> {
  const c = ctx.credentials;
  const fs = ctx.clients.flowService;
  const flowBodySent = body();
  const made = (r: { id: string; etag: string }): Created<FlowDto> => ({
    id: r.id,
    value: createdFlow(c, flowBodySent, r, [src], [tgt], now),
    compensation: { undo: (c) => fs.deleteFlow(c, r.id) },
  });
  return saga.write('flow', {
    create: () => fs.createFlow(c, flowBodySent),
    find: (c) => findFlowOn(ctx, c, src.id),
    made,
  });
}

/**
 * Compensates a failed attempt. With an idempotency key, a new schema that a mapping set of
 * this attempt targets is kept with it (mapping sets cannot be deleted), so a retry reuses
 * both instead of leaving one more mapping set; returns what a retry can reuse or must
 * settle (leftFlow.ts).
 */
export async function compensateKeepingReusable(
  saga: Saga,
  target: TargetPlan,
  attempt: Attempt,
  mappingSet: { id: string } | undefined,
  schemaId: Promise<string | undefined>,
): Promise<Record<string, string>> {
  if (attempt.keyed && target.kind === 'newSchema' && mappingSet !== undefined)
    saga.keep('targetSchema', KEPT_FOR_MAPPING_SET);
  await saga.compensate();
  const left = saga.leftBehind();
  const kept: Record<string, string> = {};
  if (left['mappingSet'] !== undefined)
    Object.assign(kept, { mappingSet: left['mappingSet'], mappingSetSchema: (await schemaId) ?? '' });
  // what stays because it could not be deleted, or because a flow may stand on it: a retry looks again
  for (const name of ['targetSchema', 'baseConnection', 'sourceConnection', 'targetConnection', 'dataset'])
    if (left[name] !== undefined) kept[name] = left[name];
  return kept;
}

/** Creates the mapping set once its prerequisites exist, or reuses one a failed attempt left. */
export async function mappingStep(
  ctx: Context,
  saga: Saga,
  mappings: readonly MappingInput[],
  attempt: Attempt,
  ready: Promise<[unknown, string | undefined, string | undefined]>,
): Promise<{ id: string; version: number } | undefined> {
  if (mappings.length === 0) {
    saga.skip('mappingSet', null, 'no mappings given');
    return undefined;
  }
  const [src, did, sid] = await ready;
  if (src === undefined || did === undefined || sid === undefined) return undefined;
  const left = attempt.leftovers;
  if (left?.['mappingSet'] !== undefined && left['mappingSetSchema'] === sid) {
    saga.skip('mappingSet', left['mappingSet'], REUSED);
    return { id: left['mappingSet'], version: 0 };
  }
  const made = (r: { id: string; version: number }): Created<{ id: string; version: number }> => ({
    id: r.id,
    value: { id: r.id, version: r.version },
    compensation: { cannotUndo: NO_DELETE },
  });
  return saga.write('mappingSet', {
    create: () => ctx.clients.dataPrep.createMappingSet(ctx.credentials, mappingSetBody(sid, mappings, attempt.marker)),
    find: (c) => findMappingSet(ctx, c, attempt.marker),
    made,
  });
}
