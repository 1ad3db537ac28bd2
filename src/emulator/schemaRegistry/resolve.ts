import type { XdmFieldDto, XdmResourceDto } from '../../upstream/schemaRegistry/types.ts';
import { mergeXdmFields, xdmFieldPaths } from '../../upstream/schemaRegistry/wire.ts';
import { globalXdmResources } from '../seed/xdmGlobals.ts';
import type { Partition } from '../store.ts';

/**
 * Looking up and resolving XDM resources. The raw form (`xed+json`) keeps `$ref`/`allOf`;
 * the full form (`xed-full+json`) is one `properties` tree merged from the class, its
 * behavior and every field group (CONTRACT §4.2, §4.3).
 */

type Fields = Record<string, XdmFieldDto>;

const matches = (r: XdmResourceDto, idOrAltId: string): boolean => r.$id === idOrAltId || r['meta:altId'] === idOrAltId;

/** The partition's own resources, in insertion order. */
export function tenantResources(part: Partition): XdmResourceDto[] {
  return [...part.schemas.values(), ...part.classes.values(), ...part.fieldGroups.values()];
}

/** A tenant resource of this partition, or a global one, by `$id` or `meta:altId`. */
export function findXdmResource(part: Partition, idOrAltId: string): XdmResourceDto | undefined {
  for (const map of [part.schemas, part.classes, part.fieldGroups]) {
    const direct = map.get(idOrAltId);
    if (direct !== undefined) return direct;
  }
  return (
    tenantResources(part).find((r) => matches(r, idOrAltId)) ?? globalXdmResources.find((r) => matches(r, idOrAltId))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Replaces field-level `$ref`s (data types) with the referenced resource's resolved fields. */
function resolveFieldRefs(part: Partition, fields: Fields, seen: Set<string>): Fields {
  const out: Fields = {};
  for (const [key, field] of Object.entries(fields)) {
    let resolved: XdmFieldDto = { ...field };
    if (typeof field.$ref === 'string' && !seen.has(field.$ref)) {
      const target = findXdmResource(part, field.$ref);
      if (target !== undefined) {
        const { $ref: _ref, ...rest } = field;
        resolved = {
          type: 'object',
          'meta:xdmType': 'object',
          ...rest,
          properties: resolvedProperties(part, target, seen),
        };
      }
    }
    if (resolved.properties !== undefined) resolved.properties = resolveFieldRefs(part, resolved.properties, seen);
    if (isObject(resolved.items) && resolved.items.properties !== undefined) {
      const items = resolved.items;
      resolved.items = { ...items, properties: resolveFieldRefs(part, items.properties!, seen) };
    }
    out[key] = resolved;
  }
  return out;
}

function resolvedProperties(part: Partition, resource: XdmResourceDto, seen: Set<string>): Fields {
  const inner = new Set(seen).add(resource.$id);
  let fields: Fields = {};
  const add = (props: Fields | undefined) => {
    if (props !== undefined) fields = mergeXdmFields(fields, resolveFieldRefs(part, props, inner));
  };
  for (const entry of resource.allOf ?? []) {
    const ref = entry.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
      add(resource.definitions?.[ref.slice('#/definitions/'.length)]?.properties);
    } else if (typeof ref === 'string') {
      const target = inner.has(ref) ? undefined : findXdmResource(part, ref);
      if (target !== undefined) add(resolvedProperties(part, target, inner));
    } else {
      add(entry.properties);
    }
  }
  add(resource.properties);
  return fields;
}

/** The `xed-full` form of a resource: `allOf`/`definitions` replaced by the merged `properties`. */
function resolveResource(part: Partition, resource: XdmResourceDto): XdmResourceDto {
  const { allOf: _allOf, definitions: _definitions, ...rest } = structuredClone(resource);
  // the merged tree shares leaves with the stored parts: the answer must not alias them
  return { ...rest, type: 'object', properties: structuredClone(resolvedProperties(part, resource, new Set())) };
}

/** Sets and deletes of the partition's XDM resources so far: what resolves them is unchanged while this is. */
const xdmChanges = (part: Partition): number => part.schemas.changes + part.classes.changes + part.fieldGroups.changes;

/** The last resolved form of each resource, with the partition and its XDM changes at the time. */
const resolvedOf = new WeakMap<XdmResourceDto, { part: Partition; changes: number; value: XdmResourceDto }>();

/**
 * The `xed-full` form of a resource, made again only after a resource of the partition was
 * set or deleted (global resources never change): a dashboard asks for the same schemas page
 * after page, a raw streaming inlet its dataset's schema request after request. The answer is
 * shared with later calls and must not be modified.
 */
export function resolvedResource(part: Partition, resource: XdmResourceDto): XdmResourceDto {
  const changes = xdmChanges(part);
  const known = resolvedOf.get(resource);
  if (known !== undefined && known.part === part && known.changes === changes) return known.value;
  const value = resolveResource(part, resource);
  resolvedOf.set(resource, { part, changes, value });
  return value;
}

/** The resolved (`xed-full`) form of a schema, class or field group, tenant or global, as `resolvedResource` keeps it. */
export function resolveSchema(part: Partition, idOrAltId: string): XdmResourceDto | undefined {
  const resource = findXdmResource(part, idOrAltId);
  return resource === undefined ? undefined : resolvedResource(part, resource);
}

/** Every field path of the resolved resource (`person.name.firstName`, `_tenant.orders[*].sku`). */
export function schemaFieldPaths(part: Partition, idOrAltId: string): Set<string> | undefined {
  const resolved = resolveSchema(part, idOrAltId);
  return resolved === undefined ? undefined : new Set(xdmFieldPaths(resolved.properties));
}

function stripFieldText(fields: Fields): Fields {
  const out: Fields = {};
  for (const [key, field] of Object.entries(fields)) {
    const { title: _t, description: _d, ...rest } = field;
    if (rest.properties !== undefined) rest.properties = stripFieldText(rest.properties);
    if (isObject(rest.items)) rest.items = stripFieldText({ item: rest.items })['item'];
    out[key] = rest;
  }
  return out;
}

/**
 * The `-notext` variants: fields lose `title` and `description`. The resource keeps its own
 * title so a client can still tell what it fetched.
 */
export function withoutText(resource: XdmResourceDto): XdmResourceDto {
  const out = structuredClone(resource);
  if (out.properties !== undefined) out.properties = stripFieldText(out.properties);
  for (const def of Object.values(out.definitions ?? {}))
    if (def.properties !== undefined) def.properties = stripFieldText(def.properties);
  for (const entry of out.allOf ?? [])
    if (entry.properties !== undefined) entry.properties = stripFieldText(entry.properties);
  return out;
}
