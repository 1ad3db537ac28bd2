import type { RouteContext, Router } from '../router.ts';
import type { TargetConnectionDto } from '../../upstream/flowService/types.ts';
import { DATA_LAKE_CONNECTION_SPEC_ID } from '../../upstream/flowService/types.ts';
import { flowSpecs } from '../seed/flowSpecs.ts';
import { newAudit, requireIfMatch, touchAudit } from './audit.ts';
import { FLOW_CODES } from './codes.ts';
import { applyPatch, parsePatch } from './patch.ts';
import { checkPatchable } from './patchRules.ts';
import { listIndexed } from './query.ts';
import { badRequest, created, idEtag, notFound, objectBody, single, specRef } from './replies.ts';
import { requireConnectionSpec } from './specs.ts';
import { FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';

const COLLECTION = 'targetConnections';

/** Specs a flow spec lists as a target; sources write to the data lake (§9.1). */
const TARGET_SPEC_IDS = new Set([DATA_LAKE_CONNECTION_SPEC_ID, ...flowSpecs.flatMap((f) => f.targetConnectionSpecIds)]);

export function requireTargetConnection(ctx: RouteContext, id: string): TargetConnectionDto {
  const tc = ctx.part.targetConnections.get(id);
  if (tc === undefined) throw notFound(COLLECTION, id);
  return tc;
}

/**
 * Data lake targets: `params.dataSetId` must be a Catalog dataset of this sandbox and
 * `data.schema.id` must be that dataset's schema (§9.1; mismatch uses 1425 like the mapping rule).
 */
function checkDataLake(ctx: RouteContext, tc: Pick<TargetConnectionDto, 'data' | 'params'>): void {
  const dataSetId = tc.params?.dataSetId;
  if (typeof dataSetId !== 'string' || dataSetId === '')
    throw badRequest('params.dataSetId is required for a data lake target connection.');
  const dataSet = ctx.part.dataSets.get(dataSetId);
  if (dataSet === undefined)
    throw badRequest(`params.dataSetId ${dataSetId} is not an existing dataset in sandbox ${ctx.part.sandbox}.`);
  const schemaId = tc.data?.schema?.id;
  if (typeof schemaId !== 'string' || schemaId === '')
    throw badRequest('data.schema.id is required for a data lake target connection.');
  if (schemaId !== dataSet.schemaRef?.id) {
    throw badRequest(
      `data.schema.id ${schemaId} does not match the schema of dataset ${dataSetId} (${dataSet.schemaRef?.id ?? 'none'}).`,
      FLOW_CODES.SCHEMA_MISMATCH,
    );
  }
}

function create(ctx: RouteContext) {
  const body = objectBody(ctx.body);
  const ref = specRef(body['connectionSpec'], 'connectionSpec');
  const spec = requireConnectionSpec(ref.id);
  if (!TARGET_SPEC_IDS.has(spec.id)) {
    throw badRequest(
      `The spec ID provided is invalid: ${spec.id} (${spec.name}) is not a target connection spec.`,
      FLOW_CODES.SPEC_INVALID,
    );
  }
  const fields = {
    data: body['data'] as TargetConnectionDto['data'],
    params: body['params'] as TargetConnectionDto['params'],
  };
  if (spec.id === DATA_LAKE_CONNECTION_SPEC_ID) checkDataLake(ctx, fields);
  const tc: TargetConnectionDto = {
    ...newAudit(ctx),
    name: typeof body['name'] === 'string' ? body['name'] : '',
    ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}),
    state: 'enabled',
    ...(fields.data === undefined ? {} : { data: fields.data }),
    ...(fields.params === undefined ? {} : { params: fields.params }),
    connectionSpec: ref,
  };
  ctx.part.targetConnections.set(tc.id, tc);
  return created(COLLECTION, tc);
}

function update(ctx: RouteContext) {
  const current = requireTargetConnection(ctx, ctx.params['id']!);
  requireIfMatch(ctx, current, COLLECTION);
  const ops = parsePatch(ctx.body);
  checkPatchable(ops, 'connectionSpec');
  const patched = applyPatch(current, ops);
  if (patched.connectionSpec.id === DATA_LAKE_CONNECTION_SPEC_ID) checkDataLake(ctx, patched);
  const next = touchAudit(ctx, patched);
  ctx.part.targetConnections.set(next.id, next);
  return idEtag(next);
}

export function registerTargetConnections(router: Router): void {
  const base = `${FLOW_SERVICE_BASE_PATH}/${COLLECTION}`;
  router.add('flowService', 'GET', base, (ctx) => listIndexed(ctx, COLLECTION, ctx.part.indexes.targetConnections));
  router.add('flowService', 'POST', base, create);
  router.add('flowService', 'GET', `${base}/:id`, (ctx) => single(requireTargetConnection(ctx, ctx.params['id']!)));
  router.add('flowService', 'PATCH', `${base}/:id`, update);
  router.add('flowService', 'DELETE', `${base}/:id`, (ctx) => {
    const tc = requireTargetConnection(ctx, ctx.params['id']!);
    ctx.part.targetConnections.delete(tc.id);
    return { status: 204 };
  });
}
