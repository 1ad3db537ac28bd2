import { hex64 } from '../ids.ts';
import type { RouteContext, Router } from '../router.ts';
import type { ConnectionDto, ConnectionSpecDto } from '../../upstream/flowService/types.ts';
import { HTTP_API_CONNECTION_SPEC_ID } from '../../upstream/flowService/types.ts';
import { newAudit, requireIfMatch, touchAudit } from './audit.ts';
import { FLOW_CODES } from './codes.ts';
import { maskConnection, validateAuth } from './connectionAuth.ts';
import { applyPatch, parsePatch } from './patch.ts';
import { checkPatchable } from './patchRules.ts';
import { listInstances } from './query.ts';
import { badRequest, created, idEtag, notFound, objectBody, single, specRef } from './replies.ts';
import { findConnectionSpec, requireConnectionSpec } from './specs.ts';
import { FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';
import { inletUrlOf } from '../../upstream/streaming/wire.ts';

const COLLECTION = 'connections';

export function requireConnection(ctx: RouteContext, id: string): ConnectionDto {
  const conn = ctx.part.connections.get(id);
  if (conn === undefined) throw notFound(COLLECTION, id);
  return conn;
}

const readable = (conn: ConnectionDto): ConnectionDto =>
  maskConnection(conn, findConnectionSpec(conn.connectionSpec.id));

/**
 * HTTP API streaming connections (§6.1): `dataType` xdm|raw, then the server adds the inlet
 * (`inletId` 64 hex, `inletUrl` on this emulator's origin) and the defaults of `sourceId`,
 * `name`, `authenticationRequired`.
 */
function withInlet(ctx: RouteContext, name: string, params: Record<string, unknown>): Record<string, unknown> {
  const dataType = params['dataType'];
  if (dataType !== 'xdm' && dataType !== 'raw')
    throw badRequest(`auth.params.dataType must be "xdm" or "raw", got ${JSON.stringify(dataType)}.`);
  const inletId = hex64();
  const streamName = typeof params['name'] === 'string' ? params['name'] : name;
  return {
    ...params,
    name: streamName,
    sourceId: params['sourceId'] ?? streamName,
    authenticationRequired: params['authenticationRequired'] ?? false,
    inletId,
    inletUrl: inletUrlOf(ctx.runtime.baseUrl, inletId),
  };
}

function create(ctx: RouteContext) {
  const body = objectBody(ctx.body);
  const ref = specRef(body['connectionSpec'], 'connectionSpec');
  const spec: ConnectionSpecDto = requireConnectionSpec(ref.id);
  validateAuth(spec, body['auth']);
  const name = typeof body['name'] === 'string' ? body['name'] : '';
  const auth = body['auth'] as { specName: string; params?: Record<string, unknown> } | undefined;
  let params = { ...(auth?.params ?? {}) };
  if (spec.id === HTTP_API_CONNECTION_SPEC_ID) params = withInlet(ctx, name, params);
  const conn: ConnectionDto = {
    ...newAudit(ctx),
    name,
    ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}),
    connectionSpec: ref,
    state: 'enabled',
    ...(auth === undefined ? {} : { auth: { specName: auth.specName, params } }),
    providerId: spec.providerId,
  };
  ctx.part.connections.set(conn.id, conn);
  ctx.runtime.store.indexInlet(ctx.part, conn);
  return created(COLLECTION, conn);
}

function update(ctx: RouteContext) {
  const current = requireConnection(ctx, ctx.params['id']!);
  requireIfMatch(ctx, current, COLLECTION);
  const ops = parsePatch(ctx.body, true);
  checkPatchable(ops, 'connectionSpec');
  const patched = applyPatch(current, ops);
  const spec = findConnectionSpec(current.connectionSpec.id);
  if (spec !== undefined) validateAuth(spec, patched.auth);
  const next = touchAudit(ctx, patched);
  ctx.part.connections.set(next.id, next);
  return idEtag(next);
}

/** A base connection feeding a flow (through a source connection) cannot go (`FLOW-1418`). */
function remove(ctx: RouteContext) {
  const conn = requireConnection(ctx, ctx.params['id']!);
  const sourceIds = new Set(
    [...ctx.part.sourceConnections.values()].filter((s) => s.baseConnectionId === conn.id).map((s) => s.id),
  );
  const flow = [...ctx.part.flows.values()].find((f) => f.sourceConnectionIds.some((id) => sourceIds.has(id)));
  if (flow !== undefined) {
    throw badRequest(
      `Connection ${conn.id} is used by flow ${flow.id} and cannot be deleted.`,
      FLOW_CODES.BASE_CONNECTION_IN_USE,
    );
  }
  ctx.part.connections.delete(conn.id);
  const inletId = conn.auth?.params['inletId'];
  if (typeof inletId === 'string') ctx.runtime.store.inlets.delete(inletId);
  return { status: 204 };
}

export function registerConnections(router: Router): void {
  const base = `${FLOW_SERVICE_BASE_PATH}/${COLLECTION}`;
  router.add('flowService', 'GET', base, (ctx) =>
    listInstances(ctx, COLLECTION, [...ctx.part.connections.values()].map(readable)),
  );
  router.add('flowService', 'POST', base, create);
  router.add('flowService', 'GET', `${base}/:id`, (ctx) => single(readable(requireConnection(ctx, ctx.params['id']!))));
  router.add('flowService', 'PATCH', `${base}/:id`, update);
  router.add('flowService', 'DELETE', `${base}/:id`, remove);
}
