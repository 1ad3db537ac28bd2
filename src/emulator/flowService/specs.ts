import type { Router } from '../router.ts';
import type { ConnectionSpecDto, FlowSpecDto } from '../../upstream/flowService/types.ts';
import { connectionSpecs } from '../seed/connectionSpecs.ts';
import { flowSpecs } from '../seed/flowSpecs.ts';
import { FLOW_CODES } from './codes.ts';
import { listSpecs } from './query.ts';
import { badRequest, notFound, single } from './replies.ts';
import { FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';

/** Specs are global: the same seed answers in every org and sandbox. */
const connectionSpecById = new Map(connectionSpecs.map((s) => [s.id, s]));
const flowSpecById = new Map(flowSpecs.map((s) => [s.id, s]));

export const findConnectionSpec = (id: string): ConnectionSpecDto | undefined => connectionSpecById.get(id);
export const findFlowSpec = (id: string): FlowSpecDto | undefined => flowSpecById.get(id);

/** Create bodies naming an unknown spec fail `FLOW-1413-400` (§9.1). */
export function requireConnectionSpec(id: string): ConnectionSpecDto {
  const spec = connectionSpecById.get(id);
  if (spec === undefined)
    throw badRequest(`The spec ID provided is invalid: connection spec ${id} does not exist.`, FLOW_CODES.SPEC_INVALID);
  return spec;
}

export function requireFlowSpec(id: string): FlowSpecDto {
  const spec = flowSpecById.get(id);
  if (spec === undefined)
    throw badRequest(`The spec ID provided is invalid: flow spec ${id} does not exist.`, FLOW_CODES.SPEC_INVALID);
  return spec;
}

export function registerSpecs(router: Router): void {
  router.add('flowService', 'GET', `${FLOW_SERVICE_BASE_PATH}/connectionSpecs`, (ctx) =>
    listSpecs(ctx, connectionSpecs),
  );
  router.add('flowService', 'GET', `${FLOW_SERVICE_BASE_PATH}/connectionSpecs/:id`, (ctx) => {
    const spec = findConnectionSpec(ctx.params['id']!);
    if (spec === undefined) throw notFound('connectionSpecs', ctx.params['id']!);
    return single(spec);
  });
  router.add('flowService', 'GET', `${FLOW_SERVICE_BASE_PATH}/flowSpecs`, (ctx) => listSpecs(ctx, flowSpecs));
  router.add('flowService', 'GET', `${FLOW_SERVICE_BASE_PATH}/flowSpecs/:id`, (ctx) => {
    const spec = findFlowSpec(ctx.params['id']!);
    if (spec === undefined) throw notFound('flowSpecs', ctx.params['id']!);
    return single(spec);
  });
}
