import type { Context } from '../context.ts';
import type { CreateDataflowInput } from '../generated/graphql.ts';
import type { FlowDto, SourceConnectionDto, TargetConnectionDto } from '../upstream/flowService/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import type { DatasetModel } from '../graph/models.ts';
import { planDataflow, type DataflowPlan } from './dataflowPlan.ts';
import { newAttempt, type Attempt } from './attempt.ts';
import { dryRunSteps, runDataflowPlan, type CreatedIds } from './dataflowSteps.ts';
import { withIdempotency } from './idempotentCall.ts';
import { replayDeletedSince } from './deletedSince.ts';
import { settleLeftFlow } from './leftFlow.ts';
import { checkInputBounds, checkScheduleBounds } from './inputBounds.ts';
import type { StepReport } from './saga.ts';
import type { UserError } from './userErrors.ts';

export interface CreateDataflowResult {
  flow: FlowDto | null;
  sourceConnection: SourceConnectionDto | null;
  targetConnection: TargetConnectionDto | null;
  /** Without `dto`: an existing dataset, read only if the payload asks for more than its id. */
  dataset: DatasetModel | { id: string; dto?: undefined } | null;
  /** Without `title`: an existing schema, read only if the payload asks for more than its id. */
  targetSchema: XdmResourceDto | { $id: string; title?: undefined } | null;
  mappingSet: { id: string; version?: number } | null;
  steps: StepReport[];
  userErrors: UserError[];
  replayed: boolean;
}

const empty = {
  flow: null,
  sourceConnection: null,
  targetConnection: null,
  dataset: null,
  targetSchema: null,
  mappingSet: null,
};

/** What an idempotency record keeps of a finished call: ids and step reports, no objects. */
interface Recorded {
  ids: CreatedIds;
  steps: StepReport[];
}

/**
 * The whole documented sequence (source connection; target schema; dataset; target
 * connection; mapping set; flow spec; flow) as one call: validated before any write, run
 * as a dependency graph, compensated on failure, idempotent by key.
 */
export async function createDataflow(ctx: Context, input: CreateDataflowInput): Promise<CreateDataflowResult> {
  const { idempotencyKey, dryRun, ...request } = input;
  const outOfBounds = boundsOf(ctx, input);
  if (outOfBounds.length > 0) return { ...empty, steps: [], userErrors: outOfBounds, replayed: false };
  if (dryRun === true) {
    const { plan, userErrors } = await planDataflow(ctx, input);
    return { ...empty, steps: plan === undefined ? [] : dryRunSteps(plan), userErrors, replayed: false };
  }
  return withIdempotency<Recorded, CreateDataflowResult>(ctx, {
    operation: 'createDataflow',
    key: idempotencyKey ?? undefined,
    request,
    run: async (leftovers) => {
      const { plan, userErrors } = await planDataflow(ctx, input);
      if (plan === undefined) return { result: { ...empty, steps: [], userErrors, replayed: false } };
      const settled = await settleLeftFlow(ctx, leftovers);
      if (settled.adopted !== undefined)
        return { result: { ...(await replay(ctx, settled.adopted)), replayed: false }, recorded: settled.adopted };
      return execute(ctx, plan, newAttempt(idempotencyKey != null, settled.leftovers));
    },
    replay: (recorded) => replay(ctx, recorded),
    rejected: (userErrors) => ({ ...empty, steps: [], userErrors, replayed: false }),
  });
}

/** Lengths, characters, list sizes and schedule ranges: checked before any upstream request. */
function boundsOf(ctx: Context, input: CreateDataflowInput): UserError[] {
  const errors = checkInputBounds(input, ['input'], ctx.inputLimits);
  const s = input.schedule;
  const schedule = { frequency: s.frequency.toLowerCase(), interval: s.interval, startTime: Date.parse(s.startTime) };
  return [...errors, ...checkScheduleBounds(schedule, ctx.now, ctx.inputLimits, ['input', 'schedule'])];
}

async function execute(ctx: Context, plan: DataflowPlan, attempt: Attempt) {
  const outcome = await runDataflowPlan(ctx, plan, attempt);
  const result: CreateDataflowResult = {
    ...empty,
    ...outcome.created,
    steps: outcome.steps,
    userErrors: outcome.userErrors,
    replayed: false,
  };
  return {
    result,
    recorded: outcome.userErrors.length === 0 ? { ids: outcome.ids, steps: outcome.steps } : undefined,
    leftovers: outcome.leftovers,
  };
}

/** A finished call's result again, read back by id (reads only, no writes). */
async function replay(ctx: Context, recorded: Recorded): Promise<CreateDataflowResult> {
  const { ids } = recorded;
  const l = ctx.loaders;
  const [flow, sourceConnection, targetConnection] = await Promise.all([
    l.flowById.load(ids.flowId),
    l.sourceConnectionById.load(ids.sourceConnectionId),
    l.targetConnectionById.load(ids.targetConnectionId),
  ]);
  const targetSchema = { $id: ids.schemaId };
  const mappingSet = ids.mappingSetId === undefined ? null : { id: ids.mappingSetId, version: ids.mappingSetVersion };
  return {
    flow,
    sourceConnection,
    targetConnection,
    dataset: { id: ids.datasetId },
    targetSchema,
    mappingSet,
    ...replayDeletedSince(recorded.steps, { flow, sourceConnection, targetConnection }),
    replayed: true,
  };
}
