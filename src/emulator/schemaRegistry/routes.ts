import type { XdmResourceDto, XdmResourceType, XdmStatsDto } from '../../upstream/schemaRegistry/types.ts';
import { xdmError } from '../errors.ts';
import type { Reply, RouteContext, Router } from '../router.ts';
import { globalXdmResources } from '../seed/xdmGlobals.ts';
import { JsonPatchError, applyJsonPatch } from '../catalog/jsonPatch.ts';
import { listForm, lookupForm } from './accept.ts';
import { listResources } from './list.ts';
import { resolvedResource, withoutText } from './resolve.ts';
import { storedJson } from '../storedJson.ts';
import { BUILDERS, deleteBlocker, type TenantKind, type Writer } from './resources.ts';
import { SCHEMA_REGISTRY_BASE_PATH } from '../../upstream/schemaRegistry/wire.ts';

/**
 * Schema Registry `/data/foundation/schemaregistry` (CONTRACT §4). `global` serves the
 * seeded Adobe resources to every org, read-only; `tenant` serves the partition's own.
 */

const BASE = SCHEMA_REGISTRY_BASE_PATH;

interface KindSpec {
  resourceType: XdmResourceType;
  /** The partition map holding tenant resources; kinds without one list nothing and take no writes. */
  tenant?: TenantKind;
}

/** `mixins` is the deprecated alias of `fieldgroups`. */
const KINDS: Record<string, KindSpec> = {
  schemas: { resourceType: 'schemas', tenant: 'schemas' },
  classes: { resourceType: 'classes', tenant: 'classes' },
  fieldgroups: { resourceType: 'mixins', tenant: 'fieldGroups' },
  mixins: { resourceType: 'mixins', tenant: 'fieldGroups' },
  behaviors: { resourceType: 'behaviors' },
  datatypes: { resourceType: 'datatypes' },
};

function container(ctx: RouteContext): 'global' | 'tenant' {
  const name = ctx.params['container'];
  if (name !== 'global' && name !== 'tenant')
    throw xdmError(404, 1012, `Container ${name} is not found; use global or tenant`);
  return name;
}

function resourcesOf(ctx: RouteContext, kind: KindSpec): XdmResourceDto[] {
  if (container(ctx) === 'global')
    return globalXdmResources.filter((r) => r['meta:resourceType'] === kind.resourceType);
  return kind.tenant === undefined ? [] : [...ctx.part[kind.tenant].values()];
}

function find(ctx: RouteContext, kind: KindSpec, version = '1'): XdmResourceDto {
  const id = ctx.params['id']!;
  const found =
    version === '1' ? resourcesOf(ctx, kind).find((r) => r.$id === id || r['meta:altId'] === id) : undefined;
  if (found === undefined) throw xdmError(404, 1012, `Requested resource ${id} with version ${version} is not found`);
  return found;
}

/** Only `tenant` is writable, and only for the kinds the emulator stores. */
function writableKind(ctx: RouteContext, kind: KindSpec, segment: string): TenantKind {
  if (container(ctx) === 'global')
    throw xdmError(405, 1001, `The global container is read-only: ${ctx.method} is not allowed on ${ctx.path}`);
  if (kind.tenant === undefined) throw xdmError(405, 1001, `${ctx.method} on tenant ${segment} is not supported`);
  return kind.tenant;
}

const writer = (ctx: RouteContext): Writer => ({
  part: ctx.part,
  clientId: ctx.clientId,
  now: ctx.runtime.clock.now(),
});

function lookup(ctx: RouteContext, kind: KindSpec): Reply {
  const form = lookupForm(ctx.headers);
  const raw = find(ctx, kind, form.version);
  const headers = { 'content-type': `${form.mediaType}; version=${form.version}` };
  // the stored resource, or its resolved form kept until the partition's XDM changes: neither is modified later
  const body = form.resolved ? resolvedResource(ctx.part, raw) : raw;
  if (form.notext) return { status: 200, body: withoutText(body), headers };
  return { status: 200, body, bytes: () => storedJson(body), headers };
}

function list(ctx: RouteContext, kind: KindSpec): Reply {
  const form = listForm(ctx.headers);
  const tenantSchemas = container(ctx) === 'tenant' && kind.resourceType === 'schemas';
  const body = listResources(resourcesOf(ctx, kind), {
    query: ctx.query,
    form,
    href: `${ctx.runtime.baseUrl}${ctx.path}`,
    ...(tenantSchemas ? { globalSchemasHref: `${ctx.runtime.baseUrl}${BASE}/global/schemas` } : {}),
  });
  return { status: 200, body };
}

function update(ctx: RouteContext, kind: KindSpec, segment: string, patch: boolean): Reply {
  const tenant = writableKind(ctx, kind, segment);
  const existing = find(ctx, kind);
  let body = ctx.body;
  if (patch) {
    try {
      body = applyJsonPatch(existing, Array.isArray(ctx.body) ? ctx.body : [ctx.body]);
    } catch (err) {
      if (err instanceof JsonPatchError) throw xdmError(400, 1102, `Invalid JSON Patch: ${err.message}`);
      throw err;
    }
  }
  const next = BUILDERS[tenant](writer(ctx), body, existing);
  ctx.part[tenant].set(next.$id, next);
  return { status: 200, body: next };
}

function stats(ctx: RouteContext): Reply {
  const { part } = ctx;
  const tenant = [...part.schemas.values(), ...part.classes.values(), ...part.fieldGroups.values()];
  const brief = (r: XdmResourceDto) => ({
    $id: r.$id,
    'meta:altId': r['meta:altId'],
    version: r.version,
    title: r.title,
    'meta:resourceType': r['meta:resourceType'],
  });
  const byDate = (key: 'repo:createdDate' | 'repo:lastModifiedDate') =>
    [...tenant]
      .sort((a, b) => (b['meta:registryMetadata']?.[key] ?? 0) - (a['meta:registryMetadata']?.[key] ?? 0))
      .slice(0, 5)
      .map(brief);
  const classes = [...globalXdmResources.filter((r) => r['meta:resourceType'] === 'classes'), ...part.classes.values()];
  const body: XdmStatsDto & Record<string, unknown> = {
    imsOrg: ctx.org,
    tenantId: part.tenantId,
    counts: {
      schemas: part.schemas.size,
      mixins: part.fieldGroups.size,
      datatypes: 0,
      classes: part.classes.size,
      unions: 0,
    },
    recentlyCreatedResources: byDate('repo:createdDate'),
    recentlyUpdatedResources: byDate('repo:lastModifiedDate'),
    classUsage: classes
      .map((c) => {
        const schemas = [...part.schemas.values()].filter((s) => s['meta:class'] === c.$id);
        return {
          $id: c.$id,
          title: c.title,
          numberOfSchemas: schemas.length,
          schemas: schemas.map((s) => ({ $id: s.$id, title: s.title, description: s.description })),
        };
      })
      .filter((u) => u.numberOfSchemas > 0),
  };
  return { status: 200, body };
}

export function registerSchemaRegistry(router: Router): void {
  router.add('schemaRegistry', 'GET', `${BASE}/stats`, stats);
  for (const [segment, kind] of Object.entries(KINDS)) {
    const collection = `${BASE}/:container/${segment}`;
    const item = `${collection}/:id`;
    router.add('schemaRegistry', 'GET', collection, (ctx) => list(ctx, kind));
    router.add('schemaRegistry', 'GET', item, (ctx) => lookup(ctx, kind));
    router.add('schemaRegistry', 'POST', collection, (ctx) => {
      const tenant = writableKind(ctx, kind, segment);
      const created = BUILDERS[tenant](writer(ctx), ctx.body);
      ctx.part[tenant].set(created.$id, created);
      return { status: 201, body: created };
    });
    router.add('schemaRegistry', 'PUT', item, (ctx) => update(ctx, kind, segment, false));
    router.add('schemaRegistry', 'PATCH', item, (ctx) => update(ctx, kind, segment, true));
    router.add('schemaRegistry', 'DELETE', item, (ctx) => {
      writableKind(ctx, kind, segment);
      const resource = find(ctx, kind);
      const blocker = deleteBlocker(ctx.part, resource);
      if (blocker !== undefined) throw xdmError(409, 1024, `The resource cannot be deleted: ${blocker}`);
      ctx.part[kind.tenant!].delete(resource.$id);
      return { status: 204 };
    });
  }
}
