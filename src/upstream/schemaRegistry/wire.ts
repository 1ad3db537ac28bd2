import type { XdmFieldDto } from './types.ts';

/**
 * Schema Registry wire rules, shared by the client and the emulator: paths, media types,
 * id formats, how a schema's fields are addressed and how its parts merge. Pure: no I/O.
 */

export const SCHEMA_REGISTRY_BASE_PATH = '/data/foundation/schemaregistry';

/** `Accept` of a list answering `{$id, meta:altId, version, title}` summaries (§4.2). */
export const XED_ID = 'application/vnd.adobe.xed-id+json';
/** `Accept` of a list answering whole resources in raw form. */
export const XED = 'application/vnd.adobe.xed+json';
/** `Accept` of a lookup in raw form (`$ref`/`allOf` kept), major version 1, as the spec writes it. */
export const XED_V1 = 'application/vnd.adobe.xed+json; version=1';
/** `Accept` of a lookup in resolved form (one `properties` tree), major version 1, as the spec writes it. */
export const XED_FULL_V1 = 'application/vnd.adobe.xed-full+json; version=1';
/**
 * The `contentType` of a `schemaRef` inside request bodies (Catalog datasets, Data Prep
 * mapping sets, Flow Service connections' `data.schema.version`): the docs write it
 * without the space, and the services store and echo it as sent.
 */
export const SCHEMA_REF_CONTENT_TYPE = 'application/vnd.adobe.xed-full+json;version=1';
/** The raw-form `contentType` Catalog stores for a `schemaRef` that names none. */
export const RAW_SCHEMA_REF_CONTENT_TYPE = 'application/vnd.adobe.xed+json;version=1';
/** Every XDM media type starts with this, whatever its form. */
export const XED_MEDIA_TYPE_PREFIX = 'application/vnd.adobe.xed';

export type XdmListForm = 'summary' | 'full';

export interface XdmLookupForm {
  /** `$ref`/`allOf` resolved into one `properties` tree. */
  resolved: boolean;
  /** Field titles and descriptions dropped. */
  notext: boolean;
}

/** The media types a list accepts (§4.2). */
export const XDM_LIST_FORMS: Readonly<Record<string, XdmListForm>> = {
  [XED_ID]: 'summary',
  [XED]: 'full',
};

/** The media types a lookup accepts; `-desc` and `-deprecatefield` come back resolved. */
export const XDM_LOOKUP_FORMS: Readonly<Record<string, XdmLookupForm>> = {
  [XED]: { resolved: false, notext: false },
  'application/vnd.adobe.xed-notext+json': { resolved: false, notext: true },
  'application/vnd.adobe.xed-full+json': { resolved: true, notext: false },
  'application/vnd.adobe.xed-full-notext+json': { resolved: true, notext: true },
  'application/vnd.adobe.xed-full-desc+json': { resolved: true, notext: false },
  'application/vnd.adobe.xed-deprecatefield+json': { resolved: true, notext: false },
};

export interface MediaType {
  /** Lower-cased, without parameters. */
  type: string;
  /** The `version` parameter, with or without a space before it (both spellings occur). */
  version: string | undefined;
}

/** The first media type of an `Accept` or `Content-Type` value; `undefined` when empty. */
export function parseMediaType(value: string | undefined): MediaType | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  const parts = (trimmed.split(',')[0] ?? '').split(';').map((s) => s.trim());
  const version = parts
    .slice(1)
    .map((p) => /^version\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1])
    .find((v) => v !== undefined);
  return { type: (parts[0] ?? '').toLowerCase(), version };
}

/** `https://ns.adobe.com/{tenant}/schemas/{hex}` and its `meta:altId` `_{tenant}.schemas.{hex}` (§1.4). */
export function tenantResourceIds(
  tenantId: string,
  kind: 'schemas' | 'classes' | 'mixins' | 'datatypes',
  hex: string,
): { $id: string; altId: string } {
  return { $id: `https://ns.adobe.com/${tenantId}/${kind}/${hex}`, altId: `_${tenantId}.${kind}.${hex}` };
}

/** `https://ns.adobe.com/xdm/context/profile` → `_xdm.context.profile` (§10.3). */
export function altIdOf($id: string): string {
  return `_${$id.replace('https://ns.adobe.com/', '').replaceAll('/', '.')}`;
}

/** Adobe-defined resources live in `global`; everything of the org's tenant in `tenant`. */
export function containerOf(idOrAltId: string): 'global' | 'tenant' {
  return idOrAltId.startsWith('https://ns.adobe.com/xdm/') || idOrAltId.startsWith('_xdm.') ? 'global' : 'tenant';
}

type Fields = Record<string, XdmFieldDto>;

/** The marker of "every item" of an array in a field path (Data Prep's wildcard index). */
export const ARRAY_ITEMS = '[*]';

/** The fields one level below `field`: an object's properties, or those of an array's object items. */
export function childFields(field: XdmFieldDto): { fields: Fields; separator: string } | undefined {
  if (field.properties !== undefined) return { fields: field.properties, separator: '.' };
  if (field.items?.properties !== undefined) return { fields: field.items.properties, separator: `${ARRAY_ITEMS}.` };
  return undefined;
}

/** The path of `name` under `parent` (`''` at the root) reached through `separator`. */
export const childPath = (parent: string, separator: string, name: string): string =>
  parent === '' ? name : `${parent}${separator}${name}`;

/**
 * The field-path rule. Every field of a resolved (`xed-full`) `properties` tree, parents
 * before children: objects are recursed with `.`; the object items of an array are
 * addressed through the wildcard index, `orders[*].sku`, the notation Data Prep mappings
 * use for fields inside arrays (`pi[*].names` in the mapping-set guide); maps and arrays
 * of scalars are one path each (their entries are not fields of the schema).
 */
export function xdmFieldPaths(properties: Fields | undefined, prefix = '', separator = '.'): string[] {
  const paths: string[] = [];
  for (const [name, field] of Object.entries(properties ?? {})) {
    const path = childPath(prefix, separator, name);
    paths.push(path);
    const children = childFields(field);
    if (children !== undefined) paths.push(...xdmFieldPaths(children.fields, path, children.separator));
  }
  return paths;
}

/** Every field of the tree keyed by its path (as `xdmFieldPaths` writes it). */
export function xdmFieldsByPath(
  properties: Fields | undefined,
  prefix = '',
  separator = '.',
): Map<string, XdmFieldDto> {
  const out = new Map<string, XdmFieldDto>();
  for (const [name, field] of Object.entries(properties ?? {})) {
    const path = childPath(prefix, separator, name);
    out.set(path, field);
    const children = childFields(field);
    if (children !== undefined)
      for (const [p, f] of xdmFieldsByPath(children.fields, path, children.separator)) out.set(p, f);
  }
  return out;
}

/**
 * The schema field a mapping destination writes to, in `xdmFieldPaths` notation: any
 * index (`orders[0].sku`, `orders[*].sku`) is the wildcard, and a destination that is one
 * item of an array (`piList[0]`) writes to the array field itself. `orders.sku` stays as
 * it is, so it names no field of an array of objects.
 */
export function destinationFieldPath(destination: string): string {
  return destination.replace(/\[[^\]]*\]/g, ARRAY_ITEMS).replace(/(\[\*\])+$/, '');
}

/**
 * Merges resolved field trees the way the registry composes a schema from its class and
 * field groups: two parts adding to the same object (`person`, `_tenant`) both survive;
 * otherwise the later part's field wins. Returns a new tree; neither input is changed.
 */
export function mergeXdmFields(a: Fields, b: Fields): Fields {
  const out: Fields = { ...a };
  for (const [name, field] of Object.entries(b)) {
    const existing = out[name];
    out[name] =
      existing?.properties !== undefined && field.properties !== undefined
        ? { ...existing, ...field, properties: mergeXdmFields(existing.properties, field.properties) }
        : field;
  }
  return out;
}
