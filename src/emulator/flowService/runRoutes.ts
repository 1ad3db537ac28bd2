import type { RouteContext, Router } from '../router.ts';
import type { RunDto } from '../../upstream/flowService/types.ts';
import { advanceRuns, createRun } from '../runs/lifecycle.ts';
import { FLOW_CODES } from './codes.ts';
import { describeViolations, validateSchema, FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';
import { listIndexed } from './query.ts';
import { badRequest, created, notFound, objectBody, single } from './replies.ts';
import { frequencyOf } from './schedule.ts';
import { requireFlowSpec } from './specs.ts';

const COLLECTION = 'runs';

/**
 * On-demand run (§2.7, §9.1): `flowId` required (1446) and existing (1430); the flow must be
 * scheduled `once`, its spec must allow runs, and `params` must satisfy the spec's runSpec.
 * The run itself comes from the run lifecycle, which also progresses it.
 */
function createOnDemand(ctx: RouteContext) {
  const body = objectBody(ctx.body);
  const flowId = body['flowId'];
  if (typeof flowId !== 'string' || flowId === '') throw badRequest('flowId is required.', FLOW_CODES.FLOW_ID_REQUIRED);
  const flow = ctx.part.flows.get(flowId);
  if (flow === undefined) throw badRequest(`Flow ${flowId} does not exist.`, FLOW_CODES.FLOW_NOT_FOUND_FOR_RUN);
  const flowSpec = requireFlowSpec(flow.flowSpec.id);
  if (flowSpec.attributes.uiAttributes?.apiFeatures?.flowRunsSupported === false) {
    throw badRequest(`Flow spec ${flowSpec.name} does not support on-demand runs.`);
  }
  const frequency = frequencyOf(flow.scheduleParams);
  if (frequency !== 'once')
    throw badRequest(
      `On-demand runs need a flow scheduled with frequency "once"; flow ${flowId} has "${frequency ?? 'none'}".`,
    );
  const params = body['params'];
  if (flowSpec.runSpec !== undefined) {
    const violations = validateSchema(flowSpec.runSpec.spec, params ?? {});
    if (violations.length > 0) throw badRequest(`Invalid run params: ${describeViolations('params', violations)}.`);
  }
  const run = createRun(ctx.runtime, ctx.part, flow, {
    scheduledAt: ctx.runtime.clock.now(),
    ...(params === undefined ? {} : { params: params as RunDto['params'] }),
    clientId: ctx.clientId,
    onDemand: true,
  });
  return created(COLLECTION, run);
}

export function registerRuns(router: Router): void {
  const base = `${FLOW_SERVICE_BASE_PATH}/${COLLECTION}`;
  // reads bring runs up to the emulated time, also when no scheduler runs (tests)
  router.add('flowService', 'GET', base, (ctx) => {
    advanceRuns(ctx.runtime, ctx.part);
    return listIndexed(ctx, COLLECTION, ctx.part.indexes.runs);
  });
  router.add('flowService', 'POST', base, createOnDemand);
  router.add('flowService', 'GET', `${base}/:id`, (ctx) => {
    advanceRuns(ctx.runtime, ctx.part);
    const run = ctx.part.runs.get(ctx.params['id']!);
    if (run === undefined) throw notFound(COLLECTION, ctx.params['id']!);
    return single(run);
  });
}
