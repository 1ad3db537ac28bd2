import type { Context } from '../context.ts';
import type { RunDataflowInput } from '../generated/graphql.ts';
import { isNotFound } from '../upstream/http.ts';
import { outcomeUnknown } from '../upstream/upstreamError.ts';
import { validateSchema } from '../upstream/flowService/wire.ts';
import type { FlowDto, FlowSpecDto, JsonSchemaDto, RunDto } from '../upstream/flowService/types.ts';
import { checkInputBounds } from './inputBounds.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';
import { given } from './given.ts';

export interface RunDataflowResult {
  run: RunDto | null;
  userErrors: UserError[];
}

type RunParams = NonNullable<RunDto['params']>;

const fail = (...userErrors: UserError[]): RunDataflowResult => ({ run: null, userErrors });
const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const isoOf = (seconds: number): string =>
  Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : String(seconds);

/** Run params the input names, for pointing a violation at the input field behind it. */
const PARAM_FIELDS: Record<string, string> = {
  windowStartTime: 'windowStart',
  windowEndTime: 'windowEnd',
  deltaColumn: 'deltaColumn',
};

/** The runSpec to build params from; on-demand runs need a flow spec that supports runs and a flow scheduled `once` (CONTRACT §2.7, §9.1). */
function runSpecOf(flow: FlowDto, spec: FlowSpecDto | null): { runSpec: JsonSchemaDto } | { error: UserError } {
  const specName = spec?.name ?? flow.flowSpec.id;
  if (spec?.runSpec === undefined || spec.attributes.uiAttributes?.apiFeatures?.flowRunsSupported === false) {
    const error = userError(
      ['input', 'id'],
      'NOT_ALLOWED',
      `Dataflow ${flow.id} cannot be run on demand: its flow spec ${specName} does not support flow runs (streaming flows ingest continuously)`,
    );
    return { error };
  }
  const s = flow.scheduleParams;
  const frequency = String(s?.frequency ?? 'none').toLowerCase();
  if (frequency !== 'once') {
    const every = s?.interval === undefined ? frequency : `every ${String(s.interval)} ${frequency}(s)`;
    return {
      error: userError(
        ['input', 'id'],
        'NOT_ALLOWED',
        `On-demand runs are for run-once dataflows (schedule frequency ONCE); dataflow ${flow.id} runs on its schedule, ${every}`,
      ),
    };
  }
  return { runSpec: spec.runSpec.spec };
}

function requiresDeltaColumn(schema: JsonSchemaDto): boolean {
  const required = schema['required'];
  return Array.isArray(required) && required.includes('deltaColumn');
}

/** The incremental column: the input's, else the flow's Copy transformation's. */
function deltaColumnOf(flow: FlowDto, input: RunDataflowInput): string | undefined {
  if (given(input.deltaColumn)) return input.deltaColumn;
  const params = flow.transformations.find((t) => t.name === 'Copy')?.params as
    { deltaColumn?: { name?: unknown } } | undefined;
  const name = params?.deltaColumn?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * `params` per the flow spec's runSpec, all times in epoch seconds (CONTRACT §11 #3):
 * start now, window from the input or from the schedule start until now.
 */
function runParams(
  ctx: Context,
  flow: FlowDto,
  schema: JsonSchemaDto,
  input: RunDataflowInput,
): { params: RunParams } | { errors: UserError[] } {
  const startTime = Math.floor(ctx.now / 1000);
  const windowStartTime = given(input.windowStart)
    ? epochSeconds(input.windowStart)
    : Number(flow.scheduleParams?.startTime);
  const windowEndTime = given(input.windowEnd) ? epochSeconds(input.windowEnd) : startTime;
  if (windowStartTime > windowEndTime) {
    const field = given(input.windowStart) ? 'windowStart' : 'windowEnd';
    return {
      errors: [
        userError(
          ['input', field],
          'INVALID',
          `The window starts (${isoOf(windowStartTime)}) after it ends (${isoOf(windowEndTime)})`,
        ),
      ],
    };
  }
  const needsDelta = requiresDeltaColumn(schema);
  if (!needsDelta && given(input.deltaColumn)) {
    return {
      errors: [
        userError(
          ['input', 'deltaColumn'],
          'INVALID',
          `Only table-source dataflows take a deltaColumn; the runSpec of flow spec ${flow.flowSpec.id} has none`,
        ),
      ],
    };
  }
  const delta = needsDelta ? deltaColumnOf(flow, input) : undefined;
  const params: RunParams = {
    startTime,
    windowStartTime,
    windowEndTime,
    ...(delta === undefined ? {} : { deltaColumn: { name: delta } }),
  };
  const violations = validateSchema(schema, params);
  if (violations.length === 0) return { params };
  return {
    errors: violations.map((v) => {
      const key = v.pointer.split('/')[1] ?? '';
      return userError(
        PARAM_FIELDS[key] === undefined ? ['input'] : ['input', PARAM_FIELDS[key]],
        'INVALID',
        `run params${v.pointer.replaceAll('/', '.')} ${v.message} (runSpec of flow spec ${flow.flowSpec.id})`,
      );
    }),
  };
}

const paramsKey = (p: RunDto['params']): string =>
  JSON.stringify(
    [p?.startTime, p?.windowStartTime, p?.windowEndTime, p?.deltaColumn?.name].map((v) => v ?? null).map(String),
  );

/**
 * After a run request whose answer was lost: the run it started, if any — a run of the flow
 * newer than `newestBefore` (the newest one before the request) with the same params.
 * Undefined when there is none: the request was never handled.
 */
async function findRequestedRun(
  ctx: Context,
  flowId: string,
  newestBefore: string | undefined,
  params: RunDto['params'],
): Promise<string | undefined> {
  const page = await ctx.clients.flowService.listRuns(ctx.credentials, {
    property: [`flowId==${flowId}`],
    orderby: '-createdAt',
    limit: 20,
  });
  const newer = page.items.findIndex((r) => r.id === newestBefore);
  const fresh = newer < 0 ? page.items : page.items.slice(0, newer);
  return fresh.find((r) => paramsKey(r.params) === paramsKey(params))?.id;
}

/** The one write; a lost answer is settled by looking the run up, never by sending it again. */
async function requestRun(
  ctx: Context,
  flow: FlowDto,
  params: RunDto['params'],
): Promise<{ runId: string } | { error: UserError }> {
  const fs = ctx.clients.flowService;
  const c = ctx.credentials;
  const notFound = { error: userError(['input', 'id'], 'NOT_FOUND', `No dataflow with id ${flow.id}`) };
  // the newest run before the request: a lookup after a lost answer knows what is new
  const newestBefore = (await fs.listRuns(c, { property: [`flowId==${flow.id}`], orderby: '-createdAt', limit: 1 }))
    .items[0]?.id;
  try {
    return { runId: (await fs.createRun(c, { flowId: flow.id, params })).id };
  } catch (err) {
    if (isNotFound(err)) return notFound;
    if (!outcomeUnknown(err)) {
      const rejection = upstreamRejection(err, ['input']);
      if (rejection === undefined) throw err;
      return { error: rejection };
    }
    let found: string | undefined;
    try {
      found = await findRequestedRun(ctx, flow.id, newestBefore, params);
    } catch (lookupErr) {
      return {
        error: userError(
          ['input'],
          'UPSTREAM_FAILED',
          `The answer to the run request was lost, and looking the run up failed too (${lookupErr instanceof Error ? lookupErr.message : String(lookupErr)}): a run may have started. List the runs of dataflow ${flow.id} before requesting another`,
        ),
      };
    }
    if (found !== undefined) return { runId: found };
    return {
      error: userError(
        ['input'],
        'UPSTREAM_FAILED',
        `The answer to the run request was lost, and dataflow ${flow.id} has no new run: none was started. Request it again`,
      ),
    };
  }
}

/**
 * Requests an on-demand run of a run-once dataflow and returns it. Everything is checked
 * before the one write, because a requested run cannot be withdrawn (the API has no
 * delete for runs): there is no compensation to run. When the request's answer is lost,
 * the flow's runs say whether it started one.
 */
export async function runDataflow(ctx: Context, input: RunDataflowInput): Promise<RunDataflowResult> {
  const outOfBounds = checkInputBounds(input, ['input'], ctx.inputLimits);
  if (outOfBounds.length > 0) return fail(...outOfBounds);
  const flow = await ctx.loaders.flowById.load(input.id);
  if (flow === null) return fail(userError(['input', 'id'], 'NOT_FOUND', `No dataflow with id ${input.id}`));
  const spec = await ctx.loaders.flowSpecById.load(flow.flowSpec.id);
  const runnable = runSpecOf(flow, spec);
  if ('error' in runnable) return fail(runnable.error);
  const built = runParams(ctx, flow, runnable.runSpec, input);
  if ('errors' in built) return fail(...built.errors);
  const requested = await requestRun(ctx, flow, built.params);
  if ('error' in requested) return fail(requested.error);
  const run = await ctx.clients.flowService.getRun(ctx.credentials, requested.runId);
  if (run !== null) ctx.loaders.runById.prime(run.id, run);
  return { run, userErrors: [] };
}
