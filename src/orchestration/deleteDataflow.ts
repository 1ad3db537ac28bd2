import type { Context } from '../context.ts';
import type { DataflowStep, DataflowStepStatus } from '../generated/graphql.ts';
import type { FlowDto, TargetConnectionDto } from '../upstream/flowService/types.ts';
import { outcomeUnknown } from '../upstream/upstreamError.ts';
import { checkInputBounds } from './inputBounds.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export interface DeleteDataflowResult {
  deletedFlowId: string | null;
  /** One per resource of the flow: deleted, kept (with why) or left behind. */
  steps: DataflowStep[];
  userErrors: UserError[];
}

/** What the reads before the first delete found. */
interface Survey {
  /** Connection id → the other dataflows that use it. */
  usedBy: Map<string, string[]>;
  targets: TargetConnectionDto[];
}

const KEPT_BY_CHOICE = 'kept: deleteCreatedResources is false';

const step = (
  name: string,
  status: DataflowStepStatus,
  resourceId: string | null,
  error: string | null = null,
  durationMs: number | null = null,
): DataflowStep => ({
  name,
  status,
  resourceId,
  error,
  durationMs,
});

const fail = (userErrors: UserError[]): DeleteDataflowResult => ({ deletedFlowId: null, steps: [], userErrors });

/** Runs one delete; a failure becomes a FAILED step, since the flow is already gone and every outcome must be reported. */
async function timedDelete(name: string, id: string, remove: () => Promise<boolean>): Promise<DataflowStep> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    return (await remove()) ? step(name, 'DONE', id, null, ms()) : step(name, 'SKIPPED', id, 'already deleted', ms());
  } catch (err) {
    return step(name, 'FAILED', id, err instanceof Error ? err.message : String(err), ms());
  }
}

function otherUsers(flow: FlowDto, flows: FlowDto[], idsOf: (f: FlowDto) => string[]): Map<string, string[]> {
  const usedBy = new Map<string, string[]>();
  for (const other of flows) {
    if (other.id === flow.id) continue;
    for (const id of idsOf(other)) usedBy.set(id, [...(usedBy.get(id) ?? []), other.id]);
  }
  return usedBy;
}

/** Every read happens before the first delete, in parallel: who else uses the connections, and the target datasets. */
async function survey(ctx: Context, flow: FlowDto, deleteCreated: boolean): Promise<Survey> {
  const fs = ctx.clients.flowService;
  const c = ctx.credentials;
  const none = Promise.resolve<FlowDto[]>([]);
  const [bySource, byTarget, targets] = await Promise.all([
    deleteCreated && flow.sourceConnectionIds.length > 0
      ? fs.listFlowsBySourceConnectionIds(c, flow.sourceConnectionIds)
      : none,
    deleteCreated && flow.targetConnectionIds.length > 0
      ? fs.listFlowsByTargetConnectionIds(c, flow.targetConnectionIds)
      : none,
    ctx.loaders.targetConnectionById.loadMany(flow.targetConnectionIds),
  ]);
  // A failed read stops the call here, before anything is deleted.
  const failed = targets.find((t) => t instanceof Error);
  if (failed !== undefined) throw failed;
  const usedBy = new Map([
    ...otherUsers(flow, bySource, (f) => f.sourceConnectionIds),
    ...otherUsers(flow, byTarget, (f) => f.targetConnectionIds),
  ]);
  return { usedBy, targets: targets.filter((t): t is TargetConnectionDto => t !== null && !(t instanceof Error)) };
}

/** Source and target connections: deleted in parallel where no other dataflow uses them. */
function connectionSteps(ctx: Context, flow: FlowDto, found: Survey, deleteCreated: boolean): Promise<DataflowStep[]> {
  const fs = ctx.clients.flowService;
  const plan = (name: string, id: string, remove: () => Promise<boolean>): Promise<DataflowStep> => {
    if (!deleteCreated) return Promise.resolve(step(name, 'SKIPPED', id, KEPT_BY_CHOICE));
    const users = found.usedBy.get(id);
    if (users !== undefined)
      return Promise.resolve(step(name, 'SKIPPED', id, `kept: used by dataflow ${users.join(', ')}`));
    return timedDelete(name, id, remove);
  };
  return Promise.all([
    ...flow.sourceConnectionIds.map((id) =>
      plan('sourceConnection', id, () => fs.deleteSourceConnection(ctx.credentials, id)),
    ),
    ...flow.targetConnectionIds.map((id) =>
      plan('targetConnection', id, () => fs.deleteTargetConnection(ctx.credentials, id)),
    ),
  ]);
}

/** What is never deleted here, and why: mapping sets (no delete endpoint), datasets, schemas, base connections. */
function keptSteps(flow: FlowDto, found: Survey, deleteCreated: boolean): DataflowStep[] {
  const steps: DataflowStep[] = [];
  for (const t of flow.transformations.filter((x) => x.name === 'Mapping')) {
    const mappingId = (t.params as { mappingId?: unknown }).mappingId;
    const id = typeof mappingId === 'string' ? mappingId : '';
    steps.push(
      deleteCreated
        ? step(
            'mappingSet',
            'LEFT_BEHIND',
            id,
            `Data Prep has no delete endpoint for mapping sets: mapping set ${id} stays`,
          )
        : step('mappingSet', 'SKIPPED', id, KEPT_BY_CHOICE),
    );
  }
  for (const t of found.targets) {
    if (t.params?.dataSetId !== undefined)
      steps.push(step('dataset', 'SKIPPED', t.params.dataSetId, 'kept: datasets and schemas are never deleted'));
    if (t.data?.schema?.id !== undefined)
      steps.push(step('targetSchema', 'SKIPPED', t.data.schema.id, 'kept: datasets and schemas are never deleted'));
  }
  const bases = new Set(
    flow.inheritedAttributes.sourceConnections.flatMap((s) =>
      s.baseConnection === undefined ? [] : [s.baseConnection.id],
    ),
  );
  for (const id of bases)
    steps.push(
      step(
        'baseConnection',
        'SKIPPED',
        id,
        'kept: base connections are never deleted (one may serve other dataflows and holds the credentials)',
      ),
    );
  return steps;
}

/** Said of a flow found gone although it was read just before its DELETE. */
const GONE =
  'gone: the DELETE was answered 404 although the flow was read just before (the answer of an earlier attempt of this DELETE was lost, or another caller deleted it meanwhile)';

/**
 * The flow itself: a refusal the input caused is a user error; anything else is a GraphQL
 * error, and nothing was deleted. The flow was read just before, so a 404 (a retried DELETE
 * whose first answer was lost) means it is gone, and so does a lost answer after which it
 * cannot be read; either way its connections are handled as if this call deleted it.
 */
async function deleteFlowStep(ctx: Context, id: string): Promise<DataflowStep | UserError> {
  const started = performance.now();
  const fs = ctx.clients.flowService;
  const ms = () => Math.round(performance.now() - started);
  try {
    const deleted = await fs.deleteFlow(ctx.credentials, id);
    return step('flow', deleted ? 'DONE' : 'SKIPPED', id, deleted ? null : GONE, ms());
  } catch (err) {
    if (outcomeUnknown(err)) {
      // throws, like any failed read before the connections, when the flow cannot be read back
      const now = await fs.getFlow(ctx.credentials, id);
      if (now === null)
        return step('flow', 'DONE', id, 'the answer was lost, but the flow is gone (read back: 404)', ms());
      throw err;
    }
    const rejection = upstreamRejection(err, ['input', 'id']);
    if (rejection === undefined) throw err;
    return rejection;
  } finally {
    ctx.loaders.flowById.clear(id);
  }
}

/**
 * Deletes a dataflow and, with `deleteCreatedResources`, its source and target connections
 * that no other dataflow uses. Deletes cannot be compensated, so every read comes first;
 * the flow goes before its connections (the service refuses deleting what a flow uses).
 */
export async function deleteDataflow(
  ctx: Context,
  id: string,
  deleteCreatedResources: boolean,
): Promise<DeleteDataflowResult> {
  const outOfBounds = checkInputBounds(id, ['input', 'id'], ctx.inputLimits);
  if (outOfBounds.length > 0) return fail(outOfBounds);
  const flow = await ctx.loaders.flowById.load(id);
  if (flow === null) return fail([userError(['input', 'id'], 'NOT_FOUND', `No dataflow with id ${id}`)]);
  const found = await survey(ctx, flow, deleteCreatedResources);
  const flowStep = await deleteFlowStep(ctx, id);
  if (!('status' in flowStep)) return fail([flowStep]);
  const connections = await connectionSteps(ctx, flow, found, deleteCreatedResources);
  return {
    deletedFlowId: id,
    steps: [flowStep, ...connections, ...keptSteps(flow, found, deleteCreatedResources)],
    userErrors: [],
  };
}
