import type { RouteContext, Router } from '../router.ts';
import type { FlowDto, TargetConnectionDto } from '../../upstream/flowService/types.ts';
import { newAudit, optionalIfMatch, requireIfMatch, touchAudit } from './audit.ts';
import { FLOW_CODES } from './codes.ts';
import { inheritedAttributes, resolveConnections } from './flowBody.ts';
import { completedOperation } from './lastOperation.ts';
import { applyPatch, parsePatch, type PatchOp } from './patch.ts';
import { listIndexed } from './query.ts';
import { badRequest, created, idEtag, notFound, objectBody, single, specRef } from './replies.ts';
import { validateSchedule } from './schedule.ts';
import { requireFlowSpec } from './specs.ts';
import { validateTransformations } from './transformations.ts';
import { FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';

const COLLECTION = 'flows';

export function requireFlow(ctx: RouteContext, id: string): FlowDto {
  const flow = ctx.part.flows.get(id);
  if (flow === undefined) throw notFound(COLLECTION, id);
  return flow;
}

function create(ctx: RouteContext) {
  const body = objectBody(ctx.body);
  if (body['state'] !== undefined)
    throw badRequest('The flow state is set by the server and cannot be sent on create.', FLOW_CODES.STATE_ON_CREATE);
  const ref = specRef(body['flowSpec'], 'flowSpec');
  const flowSpec = requireFlowSpec(ref.id);
  const { sources, targets } = resolveConnections(ctx, flowSpec, body);
  const transformations = validateTransformations(ctx, flowSpec, body['transformations'], targets);
  validateSchedule(flowSpec, body['scheduleParams']);
  const audit = newAudit(ctx);
  const flow: FlowDto = {
    ...audit,
    name: typeof body['name'] === 'string' ? body['name'] : '',
    ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}),
    flowSpec: ref,
    state: 'enabled',
    sourceConnectionIds: sources.map((s) => s.id),
    targetConnectionIds: targets.map((t) => t.id),
    inheritedAttributes: inheritedAttributes(ctx, sources, targets, flowSpec.attributes.isSourceFlow === true),
    ...(body['scheduleParams'] === undefined
      ? {}
      : { scheduleParams: body['scheduleParams'] as FlowDto['scheduleParams'] }),
    transformations,
    ...(body['options'] === undefined ? {} : { options: body['options'] as FlowDto['options'] }),
    runs: `/runs?property=flowId==${audit.id}`,
    lastOperation: completedOperation('create', audit.createdAt),
  };
  ctx.part.flows.set(flow.id, flow);
  return created(COLLECTION, flow);
}

/** The documented flow patch paths (§2.6), plus `options`; anything else is `FLOW-1455`. */
const PATCHABLE = [
  /^\/name$/,
  /^\/description$/,
  /^\/scheduleParams(\/(startTime|frequency|interval|backfill))?$/,
  /^\/transformations\/(\d+|-)$/,
  /^\/options(\/[^/]+)?$/,
];

function update(ctx: RouteContext) {
  const current = requireFlow(ctx, ctx.params['id']!);
  requireIfMatch(ctx, current, COLLECTION);
  const ops: PatchOp[] = parsePatch(ctx.body);
  for (const { path } of ops) {
    if (!PATCHABLE.some((re) => re.test(path)))
      throw badRequest(`The patch path ${path} is not supported on flows.`, FLOW_CODES.PATCH_PATH);
  }
  const patched = applyPatch(current, ops);
  const flowSpec = requireFlowSpec(patched.flowSpec.id);
  const targets = patched.targetConnectionIds
    .map((id) => ctx.part.targetConnections.get(id))
    .filter((t): t is TargetConnectionDto => t !== undefined);
  validateTransformations(ctx, flowSpec, patched.transformations, targets);
  validateSchedule(flowSpec, patched.scheduleParams);
  const next = touchAudit(ctx, patched);
  next.lastOperation = completedOperation('update', next.updatedAt, ops);
  ctx.part.flows.set(next.id, next);
  return idEtag(next);
}

const SUB_OPS = new Set(['apply', 'rollback', 'progress']);

/** `POST /flows/{id}/action?op=enable|disable` (§2.1 notes): op case-insensitive, subOp optional. */
function action(ctx: RouteContext) {
  const flow = requireFlow(ctx, ctx.params['id']!);
  optionalIfMatch(ctx, flow, COLLECTION);
  const op = (ctx.query.get('op') ?? '').toLowerCase();
  if (op !== 'enable' && op !== 'disable')
    throw badRequest(`Action op '${ctx.query.get('op') ?? ''}' is not supported on flows; use enable or disable.`);
  const subOp = ctx.query.get('subOp');
  if (subOp !== null && !SUB_OPS.has(subOp.toLowerCase()))
    throw badRequest(`subOp '${subOp}' is not supported for op ${op}.`, FLOW_CODES.SUB_OP);
  const target: FlowDto['state'] = op === 'enable' ? 'enabled' : 'disabled';
  // Disabling twice is refused (1422); enabling an enabled flow is accepted as a no-op update.
  if (op === 'disable' && flow.state === 'disabled') {
    throw badRequest(
      `action disable cannot be applied on current state ${flow.state}`,
      FLOW_CODES.ACTION_NOT_APPLICABLE,
    );
  }
  const next = touchAudit(ctx, { ...flow, state: target });
  next.lastOperation = completedOperation('update', next.updatedAt);
  ctx.part.flows.set(next.id, next);
  return idEtag(next);
}

export function registerFlows(router: Router): void {
  const base = `${FLOW_SERVICE_BASE_PATH}/${COLLECTION}`;
  router.add('flowService', 'GET', base, (ctx) => listIndexed(ctx, COLLECTION, ctx.part.indexes.flows));
  router.add('flowService', 'POST', base, create);
  router.add('flowService', 'GET', `${base}/:id`, (ctx) => single(requireFlow(ctx, ctx.params['id']!)));
  router.add('flowService', 'PATCH', `${base}/:id`, update);
  router.add('flowService', 'DELETE', `${base}/:id`, (ctx) => {
    const flow = requireFlow(ctx, ctx.params['id']!);
    ctx.part.flows.delete(flow.id);
    return { status: 204 };
  });
  router.add('flowService', 'POST', `${base}/:id/action`, action);
}
