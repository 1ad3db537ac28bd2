import type { Context } from '../context.ts';
import type { FlowDto, SourceConnectionDto, TargetConnectionDto } from '../upstream/flowService/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import type { MappingInput } from '../generated/graphql.ts';
import type { DatasetModel } from '../graph/models.ts';
import type { DataflowPlan } from './dataflowPlan.ts';
import type { TargetPlan } from './dataflowTarget.ts';
import {
  datasetBody,
  flowBody,
  mappingSetBody,
  schemaBody,
  sourceConnectionBody,
  targetConnectionBody,
} from './dataflowBodies.ts';
import { createdDataset, createdFlow, createdSourceConnection, createdTargetConnection } from './createdResources.ts';
import { Saga, type StepReport } from './saga.ts';
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
    planned('sourceConnection', sourceConnectionBody(plan)),
    t.kind === 'newSchema'
      ? planned('targetSchema', schemaBody(t))
      : skipped('targetSchema', t.schemaId, 'existing schema'),
    t.kind === 'existingDataset'
      ? skipped('dataset', t.datasetId, 'existing dataset')
      : planned('dataset', datasetBody(t.datasetName, t.datasetDescription, schemaId)),
    planned('targetConnection', targetConnectionBody(plan.name, schemaId, datasetId)),
    mappingSet === undefined
      ? skipped('mappingSet', '', 'no mappings given')
      : planned('mappingSet', mappingSetBody(schemaId, plan.mappings)),
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
 * leaves nothing behind.
 */
export async function runDataflowPlan(
  ctx: Context,
  plan: DataflowPlan,
  leftovers: Record<string, string> | undefined,
): Promise<DataflowOutcome> {
  const c = ctx.credentials;
  const fs = ctx.clients.flowService;
  const saga = new Saga(STEP_NAMES.map((name) => ({ name })));
  const now = Date.now();
  saga.read('flowSpec', plan.flowSpec.id);

  const source = saga.step('sourceConnection', async () => {
    const body = sourceConnectionBody(plan);
    const r = await fs.createSourceConnection(c, body);
    return {
      id: r.id,
      value: createdSourceConnection(c, body, r, plan.baseConnection, now),
      compensation: { undo: () => fs.deleteSourceConnection(c, r.id) },
    };
  });
  const { schema, schemaId, dataset, datasetId, target } = startTargetChain(ctx, saga, plan.target, plan.name, now);
  const mapping = mappingStep(ctx, saga, plan.mappings, leftovers, Promise.all([source, datasetId, schemaId]));
  const [src, tgt, map, ds, sch] = await Promise.all([source, target, mapping, dataset, schema]);
  const ready = src !== undefined && tgt !== undefined && (plan.mappings.length === 0 || map !== undefined);
  const flow = !ready
    ? undefined
    : await saga.step('flow', async () => {
        const body = flowBody(plan, {
          sourceConnectionId: src.id,
          targetConnectionId: tgt.id,
          mappingSetId: map?.id,
          mappingSetVersion: map?.version,
        });
        const r = await fs.createFlow(c, body);
        return {
          id: r.id,
          value: createdFlow(c, body, r, [src], [tgt], now),
          compensation: { undo: () => fs.deleteFlow(c, r.id) },
        };
      });

  if (saga.failed || flow === undefined || src === undefined || tgt === undefined) {
    await saga.compensate();
    const failure = saga.failure;
    const field = STEP_FIELD[failure?.step ?? 'flow'] ?? ['input'];
    const error =
      upstreamRejection(failure?.error, field) ??
      userError(
        field,
        'UPSTREAM_FAILED',
        `Step ${failure?.step ?? 'unknown'} failed: ${failure?.error instanceof Error ? failure.error.message : String(failure?.error)}; see steps for what was rolled back`,
      );
    const left = saga.leftBehind();
    const kept: Record<string, string> = {};
    if (left['mappingSet'] !== undefined)
      Object.assign(kept, { mappingSet: left['mappingSet'], mappingSetSchema: (await schemaId) ?? '' });
    return { created: undefined, ids: {} as CreatedIds, steps: saga.reports(), userErrors: [error], leftovers: kept };
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

/** Creates the mapping set once its prerequisites exist, or reuses one a failed attempt left. */
export async function mappingStep(
  ctx: Context,
  saga: Saga,
  mappings: readonly MappingInput[],
  leftovers: Record<string, string> | undefined,
  ready: Promise<[unknown, string | undefined, string | undefined]>,
): Promise<{ id: string; version: number } | undefined> {
  if (mappings.length === 0) {
    saga.skip('mappingSet', null, 'no mappings given');
    return undefined;
  }
  const [src, did, sid] = await ready;
  if (src === undefined || did === undefined || sid === undefined) return undefined;
  if (leftovers?.['mappingSet'] !== undefined && leftovers['mappingSetSchema'] === sid) {
    saga.skip('mappingSet', leftovers['mappingSet'], 'reused: left by an earlier attempt with the same idempotencyKey');
    return { id: leftovers['mappingSet'], version: 0 };
  }
  return saga.step('mappingSet', async () => {
    const created = await ctx.clients.dataPrep.createMappingSet(ctx.credentials, mappingSetBody(sid, mappings));
    return {
      id: created.id,
      value: { id: created.id, version: created.version },
      compensation: { cannotUndo: NO_DELETE },
    };
  });
}

export interface TargetChain {
  schema: Promise<XdmResourceDto | undefined>;
  schemaId: Promise<string | undefined>;
  /** null: an existing dataset (nothing created); undefined: not created because a step failed. */
  dataset: Promise<DatasetModel | undefined | null>;
  datasetId: Promise<string | undefined>;
  target: Promise<TargetConnectionDto | undefined>;
}

/** Target schema → dataset → target connection, each only where the plan creates it. */
export function startTargetChain(ctx: Context, saga: Saga, t: TargetPlan, name: string, now: number): TargetChain {
  const c = ctx.credentials;
  const { flowService: fs, catalog, schemaRegistry: registry } = ctx.clients;
  let schema: Promise<XdmResourceDto | undefined>;
  if (t.kind === 'newSchema') {
    schema = saga.step('targetSchema', async () => {
      const created = await registry.createSchema(c, schemaBody(t));
      return {
        id: created.$id,
        value: { ...created, properties: t.properties },
        compensation: { undo: () => registry.deleteSchema(c, created.$id) },
      };
    });
  } else {
    saga.skip('targetSchema', t.schemaId, 'existing schema');
    schema = Promise.resolve(undefined);
  }
  const schemaId = schema.then((s) => (t.kind === 'newSchema' ? s?.$id : t.schemaId));
  const dataset: Promise<DatasetModel | undefined | null> =
    t.kind === 'existingDataset'
      ? (saga.skip('dataset', t.datasetId, 'existing dataset'), Promise.resolve(null))
      : schemaId.then((id) =>
          id === undefined
            ? undefined
            : saga.step('dataset', async () => {
                const body = datasetBody(t.datasetName, t.datasetDescription, id);
                const dsId = await catalog.createDataSet(c, body);
                return {
                  id: dsId,
                  value: createdDataset(c, dsId, body, now),
                  compensation: { undo: () => catalog.deleteDataSet(c, dsId) },
                };
              }),
        );
  const datasetId = dataset.then((d) =>
    d === null ? (t.kind === 'existingDataset' ? t.datasetId : undefined) : d?.id,
  );
  const target = Promise.all([schemaId, datasetId]).then(([sid, did]) =>
    sid === undefined || did === undefined
      ? undefined
      : saga.step('targetConnection', async () => {
          const body = targetConnectionBody(name, sid, did);
          const r = await fs.createTargetConnection(c, body);
          return {
            id: r.id,
            value: createdTargetConnection(c, body, r, now),
            compensation: { undo: () => fs.deleteTargetConnection(c, r.id) },
          };
        }),
  );
  return { schema, schemaId, dataset, datasetId, target };
}
