import type { RouteContext, Router } from '../router.ts';
import type { SourceConnectionDto } from '../../upstream/flowService/types.ts';
import { HTTP_API_CONNECTION_SPEC_ID } from '../../upstream/flowService/types.ts';
import { SOURCE_KIND } from '../seed/connectionSpecs.ts';
import { newAudit, requireIfMatch, touchAudit } from './audit.ts';
import { FLOW_CODES } from './codes.ts';
import { applyPatch, parsePatch } from './patch.ts';
import { checkPatchable } from './patchRules.ts';
import { listIndexed } from './query.ts';
import { badRequest, created, idEtag, notFound, objectBody, single, specRef } from './replies.ts';
import { checkSourceData } from './sourceParams.ts';
import { requireConnectionSpec } from './specs.ts';
import { FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';

const COLLECTION = 'sourceConnections';
/** The landing zone has no base connection (§10.4 note g). */
const DATA_LANDING_ZONE_SPEC_ID = '26f526f2-58f4-4712-961d-e41bf1ccc0e8';

function requireSourceConnection(ctx: RouteContext, id: string): SourceConnectionDto {
  const sc = ctx.part.sourceConnections.get(id);
  if (sc === undefined) throw notFound(COLLECTION, id);
  return sc;
}

/** The base connection must exist in this sandbox and share the source connection's spec (§9.1). */
function baseConnectionOf(ctx: RouteContext, specId: string, baseConnectionId: unknown) {
  if (specId === DATA_LANDING_ZONE_SPEC_ID && baseConnectionId === undefined) return undefined;
  if (typeof baseConnectionId !== 'string' || baseConnectionId === '')
    throw badRequest('baseConnectionId is required.');
  const base = ctx.part.connections.get(baseConnectionId);
  if (base === undefined)
    throw badRequest(`baseConnectionId ${baseConnectionId} is not an existing base connection in this sandbox.`);
  if (base.connectionSpec.id !== specId) {
    throw badRequest(
      `The spec ID provided is invalid: base connection ${baseConnectionId} uses connection spec ${base.connectionSpec.id}, not ${specId}.`,
      FLOW_CODES.SPEC_INVALID,
    );
  }
  return base;
}

function create(ctx: RouteContext) {
  const body = objectBody(ctx.body);
  const ref = specRef(body['connectionSpec'], 'connectionSpec');
  const spec = requireConnectionSpec(ref.id);
  const kind = SOURCE_KIND[spec.id];
  if (kind === undefined)
    throw badRequest(
      `The spec ID provided is invalid: ${spec.id} (${spec.name}) is not a source.`,
      FLOW_CODES.SPEC_INVALID,
    );
  if (typeof body['name'] !== 'string' || body['name'] === '') throw badRequest('name is required.');
  const base = baseConnectionOf(ctx, spec.id, body['baseConnectionId']);
  const isHttpApi = spec.id === HTTP_API_CONNECTION_SPEC_ID;
  checkSourceData(kind, isHttpApi, body['data'], body['params']);
  const sc: SourceConnectionDto = {
    ...newAudit(ctx),
    name: body['name'],
    ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}),
    ...(base === undefined ? {} : { baseConnectionId: base.id }),
    state: 'enabled',
    ...(!isHttpApi && body['data'] !== undefined ? { data: body['data'] as SourceConnectionDto['data'] } : {}),
    ...(!isHttpApi && body['params'] !== undefined ? { params: body['params'] as SourceConnectionDto['params'] } : {}),
    connectionSpec: ref,
    providerRefId: spec.providerId,
    ...(base === undefined
      ? {}
      : { inheritedAttributes: { baseConnection: { id: base.id, connectionSpec: base.connectionSpec } } }),
  };
  ctx.part.sourceConnections.set(sc.id, sc);
  return created(COLLECTION, sc);
}

function update(ctx: RouteContext) {
  const current = requireSourceConnection(ctx, ctx.params['id']!);
  requireIfMatch(ctx, current, COLLECTION);
  const ops = parsePatch(ctx.body);
  checkPatchable(ops, 'connectionSpec');
  const patched = applyPatch(current, ops);
  const kind = SOURCE_KIND[patched.connectionSpec.id];
  if (kind !== undefined)
    checkSourceData(kind, patched.connectionSpec.id === HTTP_API_CONNECTION_SPEC_ID, patched.data, patched.params);
  if (patched.baseConnectionId !== current.baseConnectionId) {
    const base = baseConnectionOf(ctx, patched.connectionSpec.id, patched.baseConnectionId);
    if (base !== undefined)
      patched.inheritedAttributes = { baseConnection: { id: base.id, connectionSpec: base.connectionSpec } };
  }
  const next = touchAudit(ctx, patched);
  ctx.part.sourceConnections.set(next.id, next);
  return idEtag(next);
}

export function registerSourceConnections(router: Router): void {
  const base = `${FLOW_SERVICE_BASE_PATH}/${COLLECTION}`;
  router.add('flowService', 'GET', base, (ctx) => listIndexed(ctx, COLLECTION, ctx.part.indexes.sourceConnections));
  router.add('flowService', 'POST', base, create);
  router.add('flowService', 'GET', `${base}/:id`, (ctx) => single(requireSourceConnection(ctx, ctx.params['id']!)));
  router.add('flowService', 'PATCH', `${base}/:id`, update);
  router.add('flowService', 'DELETE', `${base}/:id`, (ctx) => {
    const sc = requireSourceConnection(ctx, ctx.params['id']!);
    ctx.part.sourceConnections.delete(sc.id);
    return { status: 204 };
  });
}
