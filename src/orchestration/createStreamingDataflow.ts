import type { Context } from '../context.ts';
import type { CreateStreamingDataflowInput } from '../generated/graphql.ts';
import {
  FLOW_SPEC_IDS,
  HTTP_API_CONNECTION_SPEC_ID,
  type ConnectionDto,
  type CreateConnectionDto,
  type IdEtagDto,
  type CreateSourceConnectionDto,
  type FlowDto,
  type SourceConnectionDto,
  type TargetConnectionDto,
} from '../upstream/flowService/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import type { DatasetModel } from '../graph/models.ts';
import { checkMappings, planTarget, type TargetPlan } from './dataflowTarget.ts';
import { newAttempt, type Attempt } from './attempt.ts';
import { compensateKeepingReusable, flowStep, mappingStep } from './dataflowSteps.ts';
import { startTargetChain } from './targetChain.ts';
import { createdSourceConnection } from './createdResources.ts';
import { findConnection, findSourceConnection, markedDescription } from './writeMarkers.ts';
import { withIdempotency } from './idempotentCall.ts';
import { replayDeletedSince } from './deletedSince.ts';
import { ADOPTED, settleLeftFlow, type Settled } from './leftFlow.ts';
import { checkInputBounds } from './inputBounds.ts';
import { Saga, type Created, type StepReport } from './saga.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export interface CreateStreamingDataflowResult {
  flow: FlowDto | null;
  baseConnection: ConnectionDto | null;
  sourceConnection: SourceConnectionDto | null;
  targetConnection: TargetConnectionDto | null;
  dataset: DatasetModel | { id: string; dto?: undefined } | null;
  /** Without `title`: an existing schema, read only if the payload asks for more than its id. */
  targetSchema: XdmResourceDto | { $id: string; title?: undefined } | null;
  mappingSet: { id: string; version?: number } | null;
  inletId: string | null;
  inletUrl: string | null;
  steps: StepReport[];
  userErrors: UserError[];
  replayed: boolean;
}

interface Recorded {
  flowId: string;
  baseConnectionId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  datasetId: string;
  schemaId: string;
  mappingSet: { id: string; version: number } | null;
  steps: StepReport[];
}

const STEPS = [
  'baseConnection',
  'inlet',
  'sourceConnection',
  'targetSchema',
  'dataset',
  'targetConnection',
  'mappingSet',
  'flow',
];
const empty = {
  flow: null,
  baseConnection: null,
  sourceConnection: null,
  targetConnection: null,
  dataset: null,
  targetSchema: null,
  mappingSet: null,
  inletId: null,
  inletUrl: null,
};

function fail(userErrors: UserError[], steps: StepReport[] = []): CreateStreamingDataflowResult {
  return { ...empty, steps, userErrors, replayed: false };
}

/**
 * The HTTP API streaming tutorial (§6.1) as one call: streaming base connection (its inlet),
 * source connection, target schema/dataset/connection, optional mapping set, and a flow on
 * the streaming flow spec (with a Mapping transformation when mappings are given).
 */
export async function createStreamingDataflow(
  ctx: Context,
  input: CreateStreamingDataflowInput,
): Promise<CreateStreamingDataflowResult> {
  const { idempotencyKey, ...request } = input;
  const outOfBounds = checkInputBounds(input, ['input'], ctx.inputLimits);
  if (outOfBounds.length > 0) return fail(outOfBounds);
  return withIdempotency<Recorded, CreateStreamingDataflowResult>(ctx, {
    operation: 'createStreamingDataflow',
    key: idempotencyKey ?? undefined,
    request,
    run: async (leftovers) => {
      const errors: UserError[] = [];
      if (input.name.trim() === '') errors.push(userError(['input', 'name'], 'REQUIRED', 'name must not be empty'));
      const mappings = input.mappings ?? [];
      if (input.dataType === 'RAW' && mappings.length === 0)
        errors.push(
          userError(['input', 'mappings'], 'REQUIRED', 'RAW data is mapped onto the target schema: give mappings'),
        );
      const target = await planTarget(ctx, input.target, errors);
      if (target !== undefined) checkMappings(mappings, target.fieldPaths, undefined, errors);
      if (errors.length > 0 || target === undefined) return { result: fail(errors) };
      const settled = await settleLeftFlow(ctx, leftovers);
      if (settled.adopted !== undefined) {
        const recorded = await adoptedStreaming(ctx, settled.adopted, leftovers?.['baseConnection']);
        return { result: { ...(await replay(ctx, recorded)), replayed: false }, recorded };
      }
      return execute(ctx, input, target, newAttempt(idempotencyKey != null, settled.leftovers));
    },
    replay: (r) => replay(ctx, r),
    rejected: (userErrors) => fail(userErrors),
  });
}

async function execute(ctx: Context, input: CreateStreamingDataflowInput, t: TargetPlan, attempt: Attempt) {
  const c = ctx.credentials;
  const fs = ctx.clients.flowService;
  const saga = new Saga(
    STEPS.map((name) => ({ name })),
    c,
  );
  const now = Date.now();
  const mappings = input.mappings ?? [];
  const dataType = input.dataType === 'RAW' ? 'raw' : 'xdm';

  const baseBody: CreateConnectionDto = {
    name: `${input.name} connection`,
    description: markedDescription(attempt.marker),
    auth: {
      specName: 'Streaming Connection',
      params: { dataType, name: input.name, authenticationRequired: input.authenticationRequired ?? false },
    },
    connectionSpec: { id: HTTP_API_CONNECTION_SPEC_ID, version: '1.0' },
  };
  const baseMade = (r: IdEtagDto): Created<IdEtagDto> => ({
    id: r.id,
    value: r,
    compensation: { undo: (c) => fs.deleteConnection(c, r.id) },
  });
  const base = saga.write('baseConnection', {
    create: () => fs.createConnection(c, baseBody),
    find: (c) => findConnection(ctx, c, attempt.marker),
    made: baseMade,
  });
  // the inlet id and URL exist only on the stored connection (§6.1 step 2)
  const connection = base.then(async (r) => {
    if (r === undefined) return undefined;
    const started = performance.now();
    const conn = await fs.getConnection(c, r.id);
    const inletId = conn?.auth?.params['inletId'];
    saga.read('inlet', typeof inletId === 'string' ? inletId : '', Math.round(performance.now() - started));
    return conn ?? undefined;
  });
  const source = base.then((b) => {
    if (b === undefined) return undefined;
    const body: CreateSourceConnectionDto = {
      name: `${input.name} source`,
      description: markedDescription(attempt.marker),
      baseConnectionId: b.id,
      // the spec requires `data`; aepp's createSourceConnectionStreaming sends the format
      data: { format: 'json' },
      connectionSpec: { id: HTTP_API_CONNECTION_SPEC_ID, version: '1.0' },
    };
    const made = (r: IdEtagDto): Created<SourceConnectionDto> => ({
      id: r.id,
      value: createdSourceConnection(c, body, r, undefined, now),
      compensation: { undo: (c) => fs.deleteSourceConnection(c, r.id) },
    });
    return saga.write('sourceConnection', {
      create: () => fs.createSourceConnection(c, body),
      find: (c) => findSourceConnection(ctx, c, attempt.marker),
      made,
    });
  });
  const chain = startTargetChain(ctx, saga, t, input.name, now, attempt);
  const mapping = mappingStep(ctx, saga, mappings, attempt, Promise.all([source, chain.datasetId, chain.schemaId]));
  const [conn, src, tgt, map, ds, sch] = await Promise.all([
    connection.catch(() => undefined),
    source,
    chain.target,
    mapping,
    chain.dataset,
    chain.schema,
  ]);
  const ready =
    conn !== undefined && src !== undefined && tgt !== undefined && (mappings.length === 0 || map !== undefined);
  const flow = !ready
    ? undefined
    : await flowStep(ctx, saga, src, tgt, now, () => ({
        name: input.name,
        ...(input.description == null ? {} : { description: input.description }),
        flowSpec: {
          id: map === undefined ? FLOW_SPEC_IDS.streamWithoutTransformation : FLOW_SPEC_IDS.streamWithTransformation,
          version: '1.0',
        },
        sourceConnectionIds: [src.id],
        targetConnectionIds: [tgt.id],
        transformations:
          map === undefined ? [] : [{ name: 'Mapping', params: { mappingId: map.id, mappingVersion: map.version } }],
      }));
  if (flow === undefined || conn === undefined || src === undefined || tgt === undefined) {
    const failure = saga.failure;
    const error =
      upstreamRejection(failure?.error, ['input']) ??
      userError(
        ['input'],
        'UPSTREAM_FAILED',
        `Step ${failure?.step ?? 'inlet'} failed; see steps for what was rolled back`,
      );
    const kept = await compensateKeepingReusable(saga, t, attempt, map, chain.schemaId);
    return { result: fail([error], saga.reports()), leftovers: kept };
  }
  const l = ctx.loaders;
  l.flowById.clear(flow.id).prime(flow.id, flow);
  l.baseConnectionById.clear(conn.id).prime(conn.id, conn);
  l.sourceConnectionById.clear(src.id).prime(src.id, src);
  l.targetConnectionById.clear(tgt.id).prime(tgt.id, tgt);
  if (ds) l.primeCreatedDataset(ds);
  const datasetId = (await chain.datasetId)!;
  const schemaId = (await chain.schemaId)!;
  const steps = saga.reports();
  const recorded: Recorded = {
    flowId: flow.id,
    baseConnectionId: conn.id,
    sourceConnectionId: src.id,
    targetConnectionId: tgt.id,
    datasetId,
    schemaId,
    mappingSet: map ?? null,
    steps,
  };
  const result: CreateStreamingDataflowResult = {
    flow,
    baseConnection: conn,
    sourceConnection: src,
    targetConnection: tgt,
    dataset: ds ?? { id: datasetId },
    targetSchema: sch ?? { $id: schemaId },
    mappingSet: map ?? null,
    ...inletOf(conn),
    steps,
    userErrors: [],
    replayed: false,
  };
  return { result, recorded };
}

/**
 * The flow an earlier attempt with the same key created after all (its outcome was unknown
 * then), with its streaming base connection and inlet: what the retry answers, writing nothing.
 */
async function adoptedStreaming(
  ctx: Context,
  adopted: NonNullable<Settled['adopted']>,
  leftBase: string | undefined,
): Promise<Recorded> {
  const { ids, steps } = adopted;
  const baseConnectionId =
    leftBase ?? (await ctx.loaders.sourceConnectionById.load(ids.sourceConnectionId))?.baseConnectionId ?? '';
  const base = await ctx.loaders.baseConnectionById.load(baseConnectionId);
  const step = (name: string, resourceId: string | null): StepReport => ({
    name,
    status: 'SKIPPED',
    resourceId,
    durationMs: null,
    error: ADOPTED,
    request: null,
  });
  return {
    flowId: ids.flowId,
    baseConnectionId,
    sourceConnectionId: ids.sourceConnectionId,
    targetConnectionId: ids.targetConnectionId,
    datasetId: ids.datasetId,
    schemaId: ids.schemaId,
    mappingSet: ids.mappingSetId === undefined ? null : { id: ids.mappingSetId, version: ids.mappingSetVersion ?? 0 },
    steps: [step('baseConnection', baseConnectionId), step('inlet', inletOf(base).inletId), ...steps],
  };
}

function inletOf(conn: ConnectionDto | null): { inletId: string | null; inletUrl: string | null } {
  const p = conn?.auth?.params ?? {};
  return {
    inletId: typeof p['inletId'] === 'string' ? p['inletId'] : null,
    inletUrl: typeof p['inletUrl'] === 'string' ? p['inletUrl'] : null,
  };
}

async function replay(ctx: Context, r: Recorded): Promise<CreateStreamingDataflowResult> {
  const l = ctx.loaders;
  const [flow, baseConnection, sourceConnection, targetConnection] = await Promise.all([
    l.flowById.load(r.flowId),
    l.baseConnectionById.load(r.baseConnectionId),
    l.sourceConnectionById.load(r.sourceConnectionId),
    l.targetConnectionById.load(r.targetConnectionId),
  ]);
  const targetSchema = { $id: r.schemaId };
  const found = { flow, baseConnection, inlet: baseConnection, sourceConnection, targetConnection };
  return {
    flow,
    baseConnection,
    sourceConnection,
    targetConnection,
    dataset: { id: r.datasetId },
    targetSchema,
    mappingSet: r.mappingSet,
    ...inletOf(baseConnection),
    ...replayDeletedSince(r.steps, found),
    replayed: true,
  };
}
