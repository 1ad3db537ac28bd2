import type { CatalogRefsDto, DataSetDto } from '../../upstream/catalog/types.ts';
import { catalogError } from '../errors.ts';
import { hex24 } from '../ids.ts';
import type { Reply, RouteContext, Router } from '../router.ts';
import { findXdmResource } from '../schemaRegistry/resolve.ts';
import type { Partition } from '../store.ts';
import { listKeyed, type ListSpec } from './query.ts';
import {
  bumpVersion,
  checkIfMatch,
  deepMerge,
  eTagOf,
  isPlainObject,
  patchedFields,
  requireObject,
  SERVER_OWNED,
  validateTags,
  withoutServerOwned,
} from './update.ts';
import { adobeIdOf } from '../../upstream/ims/wire.ts';
import { RAW_SCHEMA_REF_CONTENT_TYPE, XED_MEDIA_TYPE_PREFIX } from '../../upstream/schemaRegistry/wire.ts';
import { CATALOG_BASE_PATH, catalogRef, catalogRefs } from '../../upstream/catalog/wire.ts';

const DATASET_LIST: ListSpec = {
  simple: [
    'id',
    'name',
    'description',
    'state',
    'version',
    'viewId',
    'createdClient',
    'createdUser',
    'updatedUser',
    'lastBatchId',
    'lastBatchStatus',
    'created',
    'updated',
    'enableErrorDiagnostics',
  ],
};

const refs = (id: string): CatalogRefsDto => catalogRefs('dataSets', id);

/** Deletes a dataset's batches with it, as the Catalog does (CONTRACT §3.1). */
function deleteBatchesOf(part: Partition, dataSetId: string): void {
  for (const [batchId, batch] of part.batches) {
    if (batch.relatedObjects.some((o) => o.type === 'dataSet' && o.id === dataSetId)) part.batches.delete(batchId);
  }
}

/**
 * Checks the client-editable fields of a dataset. `schemaRef.id` must name an XDM schema
 * of this partition (`$id` or `meta:altId`, §9.3 [EMU]); it is stored as the `$id`.
 */
function validFields(part: Partition, fields: Record<string, unknown>): Record<string, unknown> {
  const { name, schemaRef, description } = fields;
  if (typeof name !== 'string' || name.trim() === '')
    throw catalogError(400, 1410, 'name is required and must be a non-empty string');
  if (description !== undefined && typeof description !== 'string')
    throw catalogError(400, 1410, 'description must be a string');
  if (!isPlainObject(schemaRef) || typeof schemaRef['id'] !== 'string')
    throw catalogError(400, 1410, 'schemaRef.id is required');
  const contentType = schemaRef['contentType'] ?? RAW_SCHEMA_REF_CONTENT_TYPE;
  if (typeof contentType !== 'string' || !contentType.startsWith(XED_MEDIA_TYPE_PREFIX)) {
    throw catalogError(
      400,
      1410,
      `schemaRef.contentType must be an XDM media type, got ${JSON.stringify(contentType)}`,
    );
  }
  const schema = findXdmResource(part, schemaRef['id']);
  if (schema === undefined || schema['meta:resourceType'] !== 'schemas') {
    throw catalogError(400, 1411, `schemaRef.id ${schemaRef['id']} is not an XDM schema of this sandbox`);
  }
  validateTags(fields['tags']);
  return { ...fields, schemaRef: { id: schema.$id, contentType } };
}

const BEHAVIORS: Record<string, string> = {
  'https://ns.adobe.com/xdm/data/time-series': 'time-series',
  'https://ns.adobe.com/xdm/data/adhoc': 'adhoc',
};

/**
 * What the Platform adds to every dataset it creates: `classification` (the schema class's
 * behavior, managed by the customer) and the Query Service table name tag
 * `adobe/pqs/table` (the name in lower case, `_` for anything else), which aepp reads.
 */
export function platformDataSetFields(
  part: Partition,
  name: string,
  schemaId: string,
): { classification: { dataBehavior: string; managedBy: 'CUSTOMER' }; tableTag: string[] } {
  const schema = findXdmResource(part, schemaId);
  const cls = schema?.['meta:class'] === undefined ? undefined : findXdmResource(part, String(schema['meta:class']));
  const behavior = (cls?.['meta:extends'] ?? []).map((b) => BEHAVIORS[b]).find((b) => b !== undefined);
  const table =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'dataset';
  return { classification: { dataBehavior: behavior ?? 'record', managedBy: 'CUSTOMER' }, tableTag: [table] };
}

function create(ctx: RouteContext): Reply {
  const fields = validFields(ctx.part, withoutServerOwned(requireObject(ctx.body)));
  const id = hex24();
  const validateOnly = String(ctx.headers['pragma'] ?? '')
    .toLowerCase()
    .includes('validate-only');
  // validate-only answers the would-be reference and persists nothing (§9.3 [EMU])
  if (validateOnly) return { status: 200, body: refs(id) };
  const now = ctx.runtime.clock.now();
  const viewId = hex24();
  const user = adobeIdOf(ctx.clientId);
  const name = fields['name'] as string;
  const platform = platformDataSetFields(ctx.part, name, (fields['schemaRef'] as { id: string }).id);
  const tags = (fields['tags'] as Record<string, string[]> | undefined) ?? {};
  const dataSet: DataSetDto = {
    classification: platform.classification,
    ...fields,
    name,
    imsOrg: ctx.org,
    sandboxId: ctx.part.sandboxId,
    version: '1.0.0',
    created: now,
    updated: now,
    createdClient: ctx.clientId,
    createdUser: user,
    updatedUser: user,
    tags: { ...tags, 'adobe/pqs/table': platform.tableTag },
    viewId,
    files: `${catalogRef('dataSets', id)}/views/${viewId}/files`,
  };
  ctx.part.dataSets.set(id, dataSet);
  return { status: 201, body: refs(id), headers: { location: `${CATALOG_BASE_PATH}/dataSets/${id}` } };
}

function existing(ctx: RouteContext): [string, DataSetDto] {
  const id = ctx.params['id']!;
  const dataSet = ctx.part.dataSets.get(id);
  if (dataSet === undefined) throw catalogError(404, 1404, `Dataset ${id} was not found`);
  return [id, dataSet];
}

/** Writes new client fields over a dataset, keeping what the service owns and bumping the version. */
function update(ctx: RouteContext, build: (current: DataSetDto) => Record<string, unknown>): Reply {
  const [id, current] = existing(ctx);
  checkIfMatch(ctx, current.version, id);
  const fields = validFields(ctx.part, withoutServerOwned(build(current)));
  const owned = Object.fromEntries(Object.entries(current).filter(([key]) => SERVER_OWNED.has(key)));
  const next: DataSetDto = {
    ...fields,
    ...owned,
    name: fields['name'] as string,
    version: bumpVersion(current.version),
    updated: ctx.runtime.clock.now(),
    updatedUser: adobeIdOf(ctx.clientId),
  } as DataSetDto;
  ctx.part.dataSets.set(id, next);
  return { status: 200, body: refs(id), headers: { 'e-tag': eTagOf(next.version) } };
}

/** `GET /dataSets/a,b,c`: the found ones keyed by id; 404 only when none exists (§8 [EMU]). */
function lookup(ctx: RouteContext): Reply {
  const ids = [...new Set(ctx.params['id']!.split(',').filter((s) => s !== ''))];
  const found = ids.flatMap((id) => {
    const ds = ctx.part.dataSets.get(id);
    return ds === undefined ? [] : [[id, ds] as [string, Record<string, unknown>]];
  });
  if (found.length === 0) throw catalogError(404, 1404, `Dataset ${ids.join(',')} was not found`);
  const reply: Reply = listKeyed(found, ctx.query, DATASET_LIST);
  if (ids.length === 1) reply.headers = { 'e-tag': eTagOf(found[0]![1]['version'] as string) };
  return reply;
}

export function registerDataSets(router: Router): void {
  const base = `${CATALOG_BASE_PATH}/dataSets`;
  router.add('catalog', 'GET', base, (ctx) => listKeyed(ctx.part.dataSets.entries(), ctx.query, DATASET_LIST));
  router.add('catalog', 'POST', base, create);
  router.add('catalog', 'GET', `${base}/:id`, lookup);
  router.add('catalog', 'PUT', `${base}/:id`, (ctx) => update(ctx, () => requireObject(ctx.body)));
  router.add('catalog', 'PATCH', `${base}/:id`, (ctx) => update(ctx, (current) => patchedFields(ctx, current)));
  router.add('catalog', 'PATCH', `${CATALOG_BASE_PATH}/v2/dataSets/:id`, (ctx) =>
    update(ctx, (current) => deepMerge(current, requireObject(ctx.body))),
  );
  router.add('catalog', 'DELETE', `${base}/:id`, (ctx) => {
    const [id] = existing(ctx);
    ctx.part.dataSets.delete(id);
    deleteBatchesOf(ctx.part, id);
    return { status: 200, body: refs(id) };
  });
}
