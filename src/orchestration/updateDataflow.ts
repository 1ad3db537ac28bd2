import type { Context } from '../context.ts';
import type { ScheduleUpdateInput, UpdateDataflowInput } from '../generated/graphql.ts';
import { isNotFound, UpstreamError } from '../upstream/http.ts';
import { outcomeUnknown } from '../upstream/upstreamError.ts';
import { validateSchema, type SchemaViolation } from '../upstream/flowService/wire.ts';
import type { FlowDto, FlowSpecDto, JsonPatchOpDto } from '../upstream/flowService/types.ts';
import { rereadFlow } from './freshFlow.ts';
import { given } from './given.ts';
import { setOp } from './jsonPatch.ts';
import { checkInputBounds, checkScheduleBounds } from './inputBounds.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export interface UpdateDataflowResult {
  flow: FlowDto | null;
  userErrors: UserError[];
}

const SCHEDULE = ['input', 'schedule'] as const;

const fail = (userErrors: UserError[]): UpdateDataflowResult => ({ flow: null, userErrors });
const notFound = (id: string) => userError(['input', 'id'], 'NOT_FOUND', `No dataflow with id ${id}`);
const changesSchedule = (s: ScheduleUpdateInput | null | undefined): s is ScheduleUpdateInput =>
  given(s?.frequency) || given(s?.interval);

/** What can be checked without a read: bounds, an etag, a non-empty name, at least one change. */
function checkInput(ctx: Context, input: UpdateDataflowInput): UserError[] {
  const errors = checkInputBounds(input, ['input'], ctx.inputLimits);
  if (input.etag.trim() === '')
    errors.push(userError(['input', 'etag'], 'REQUIRED', 'etag is required: the etag of the flow as you last read it'));
  if (given(input.name) && input.name.trim() === '')
    errors.push(userError(['input', 'name'], 'INVALID', 'name must not be empty'));
  if (!given(input.name) && !given(input.description) && !changesSchedule(input.schedule)) {
    errors.push(
      userError(
        ['input'],
        'REQUIRED',
        'Nothing to change: give at least one of name, description, schedule.frequency or schedule.interval',
      ),
    );
  }
  return errors;
}

function violationField(v: SchemaViolation): string[] {
  const key = v.pointer.split('/')[1] ?? /'(\w+)'/.exec(v.message)?.[1] ?? '';
  return key === 'interval' || key === 'frequency' ? [...SCHEDULE, key] : [...SCHEDULE];
}

/**
 * The schedule after the change, validated with the flow spec's own `scheduleSpec` (the
 * rules the Flow Service applies, CONTRACT §9.2), so a bad schedule is never sent.
 */
function checkSchedule(
  ctx: Context,
  flow: FlowDto,
  spec: FlowSpecDto | null,
  change: ScheduleUpdateInput,
): UserError[] {
  const schema = spec?.scheduleSpec?.spec;
  const current = flow.scheduleParams;
  if (schema === undefined || current === undefined) {
    return [
      userError(
        [...SCHEDULE],
        'NOT_ALLOWED',
        `Dataflow ${flow.id} has no schedule: its flow spec ${spec?.name ?? flow.flowSpec.id} takes none (streaming flows run continuously)`,
      ),
    ];
  }
  const from = String(current.frequency).toLowerCase();
  const to = given(change.frequency) ? change.frequency.toLowerCase() : from;
  if ((from === 'once') !== (to === 'once')) {
    return [
      userError(
        [...SCHEDULE, 'frequency'],
        'NOT_ALLOWED',
        `The frequency cannot change from or to ONCE (dataflow ${flow.id} is ${from.toUpperCase()}): run-once flows run on demand, periodic ones on their schedule; create a new dataflow instead`,
      ),
    ];
  }
  if (to === 'once' && given(change.interval)) {
    return [
      userError(
        [...SCHEDULE, 'interval'],
        'NOT_ALLOWED',
        `Dataflow ${flow.id} runs once: a run-once schedule has no interval`,
      ),
    ];
  }
  const after = { ...current, frequency: to, ...(given(change.interval) ? { interval: change.interval } : {}) };
  const period = { frequency: to, interval: after.interval === undefined ? undefined : Number(after.interval) };
  const outOfRange = checkScheduleBounds(period, ctx.now, ctx.inputLimits, SCHEDULE);
  if (outOfRange.length > 0) return outOfRange;
  return validateSchema(schema, after).map((v) =>
    userError(
      violationField(v),
      'INVALID',
      `scheduleParams${v.pointer.replaceAll('/', '.')} ${v.message} for frequency ${to.toUpperCase()} (rule of the scheduleSpec of flow spec ${spec?.name ?? flow.flowSpec.id})`,
    ),
  );
}

/** One JSON Patch with only the documented flow paths (CONTRACT §2.6). */
function patchOps(flow: FlowDto, input: UpdateDataflowInput): JsonPatchOpDto[] {
  const ops: JsonPatchOpDto[] = [];
  const s = input.schedule;
  if (given(input.name)) ops.push({ op: 'replace', path: '/name', value: input.name });
  if (given(input.description)) ops.push(setOp('/description', flow.description, input.description));
  if (given(s?.frequency))
    ops.push({ op: 'replace', path: '/scheduleParams/frequency', value: s.frequency.toLowerCase() });
  if (given(s?.interval)) ops.push(setOp('/scheduleParams/interval', flow.scheduleParams?.interval, s.interval));
  return ops;
}

/** The member of `flow` at a JSON pointer of `patchOps` (`/scheduleParams/interval`). */
function memberAt(flow: FlowDto, path: string): unknown {
  let at: unknown = flow;
  for (const key of path.split('/').slice(1))
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

/**
 * After a PATCH whose answer was lost: the flow as it is now says whether it was applied.
 * The PATCH was conditional on the caller's etag, so it is applied when the etag moved on
 * and the flow holds every value it set; not applied when the etag is still the caller's.
 */
async function settleLostPatch(
  ctx: Context,
  input: UpdateDataflowInput,
  ops: JsonPatchOpDto[],
  lost: unknown,
): Promise<UserError | undefined> {
  const why = `The answer to the PATCH of dataflow ${input.id} was lost (${lost instanceof Error ? lost.message : String(lost)})`;
  let now: FlowDto | null;
  try {
    now = await ctx.clients.flowService.getFlow(ctx.credentials, input.id);
  } catch (err) {
    return userError(
      ['input'],
      'UPSTREAM_FAILED',
      `${why}, and reading the flow back failed too (${err instanceof Error ? err.message : String(err)}): it may have been written. Read the flow before sending the change again`,
    );
  }
  if (now === null) return notFound(input.id);
  const holdsAll = ops.every((o) => JSON.stringify(memberAt(now, o.path)) === JSON.stringify(o.value));
  if (now.etag !== input.etag && holdsAll) return undefined;
  if (now.etag === input.etag)
    return userError(
      ['input'],
      'UPSTREAM_FAILED',
      `${why}, and the flow still has etag ${input.etag}: nothing was written. Send the change again`,
    );
  return userError(
    ['input', 'etag'],
    'STALE_ETAG',
    `${why}, and the flow has changed otherwise since (etag ${now.etag}): read it again and apply your change to its current etag`,
  );
}

/**
 * The only write, conditional on the caller's etag. A 412 is reported, never retried with
 * a fresher etag: that would overwrite a change the caller has not seen. Nothing to
 * compensate: a rejected PATCH wrote nothing. A lost answer is settled by reading the flow.
 */
async function sendPatch(
  ctx: Context,
  input: UpdateDataflowInput,
  ops: JsonPatchOpDto[],
): Promise<UserError | undefined> {
  try {
    await ctx.clients.flowService.patchFlow(ctx.credentials, input.id, input.etag, ops);
    return undefined;
  } catch (err) {
    if (outcomeUnknown(err)) return settleLostPatch(ctx, input, ops, err);
    if (isNotFound(err)) return notFound(input.id);
    if (err instanceof UpstreamError && err.status === 412) {
      return userError(
        ['input', 'etag'],
        'STALE_ETAG',
        `Dataflow ${input.id} changed since etag ${input.etag} was read; nothing was written. Read the flow again and apply your change to its current etag`,
      );
    }
    const rejection = upstreamRejection(err, ['input']);
    if (rejection === undefined) throw err;
    return rejection;
  }
}

/** Renames, redescribes or reschedules a dataflow: validate, one PATCH with the caller's etag, read it back. */
export async function updateDataflow(ctx: Context, input: UpdateDataflowInput): Promise<UpdateDataflowResult> {
  const inputErrors = checkInput(ctx, input);
  if (inputErrors.length > 0) return fail(inputErrors);
  const flow = await ctx.loaders.flowById.load(input.id);
  if (flow === null) return fail([notFound(input.id)]);
  if (changesSchedule(input.schedule)) {
    const spec = await ctx.loaders.flowSpecById.load(flow.flowSpec.id);
    const scheduleErrors = checkSchedule(ctx, flow, spec, input.schedule);
    if (scheduleErrors.length > 0) return fail(scheduleErrors);
  }
  const rejected = await sendPatch(ctx, input, patchOps(flow, input));
  if (rejected !== undefined) return fail([rejected]);
  return { flow: await rereadFlow(ctx, input.id), userErrors: [] };
}
