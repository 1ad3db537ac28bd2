import type { XdmFieldDto, XdmResourceDto } from '../../upstream/schemaRegistry/types.ts';
import { tenantResourceIds } from '../../upstream/schemaRegistry/wire.ts';
import { xdmError } from '../errors.ts';
import { hex32, hex64 } from '../ids.ts';
import { XDM_ADHOC_BEHAVIOR } from '../seed/xdmGlobals.ts';
import type { Partition } from '../store.ts';
import { findXdmResource } from './resolve.ts';
import { adobeIdOf } from '../../upstream/ims/wire.ts';

/**
 * Building tenant resources from create/update bodies (CONTRACT §4.3, §4.4, §9.3). One
 * function per kind checks the body and returns the stored raw form; PUT and PATCH run the
 * same checks on the new body and keep the identity of the existing resource.
 */

export type TenantKind = 'schemas' | 'classes' | 'fieldGroups';

type AllOf = NonNullable<XdmResourceDto['allOf']>;
type Definitions = NonNullable<XdmResourceDto['definitions']>;
type Fields = Record<string, XdmFieldDto>;

export interface Writer {
  part: Partition;
  clientId: string;
  now: number;
}

const ID_SEGMENT: Record<TenantKind, 'schemas' | 'classes' | 'mixins'> = {
  schemas: 'schemas',
  classes: 'classes',
  fieldGroups: 'mixins',
};
const RESOURCE_TYPE = { schemas: 'schemas', classes: 'classes', fieldGroups: 'mixins' } as const;

const invalid = (message: string, subErrors: unknown[] = []) => xdmError(400, 1101, message, subErrors);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface CommonFields {
  title: string;
  description: string;
  allOf: AllOf;
  definitions: Definitions | undefined;
}

/**
 * `title`, `description` and a non-empty `allOf` are required of every kind; `type` may be
 * left out (aepp's createProfileSchema sends none) but is `"object"` when sent.
 */
function common(body: unknown): CommonFields {
  if (!isObject(body)) throw invalid('The request body must be a JSON object');
  if (body['type'] !== undefined && body['type'] !== 'object') throw invalid('type must be "object"');
  if (typeof body['title'] !== 'string' || body['title'].trim() === '') throw invalid('title is required');
  if (typeof body['description'] !== 'string') throw invalid('description is required');
  const allOf = body['allOf'];
  if (!Array.isArray(allOf) || allOf.length === 0 || !allOf.every(isObject))
    throw invalid('allOf must be a non-empty array of objects');
  const definitions = body['definitions'];
  if (definitions !== undefined && !isObject(definitions)) throw invalid('definitions must be an object');
  return {
    title: body['title'],
    description: body['description'],
    allOf: structuredClone(allOf),
    definitions: structuredClone(definitions) as Definitions | undefined,
  };
}

function localDefinition(ref: string, definitions: Definitions | undefined): void {
  const name = ref.slice('#/definitions/'.length);
  if (definitions?.[name] === undefined) throw invalid(`allOf references ${ref}, which is not in definitions`);
}

/** Every top-level field the body adds (inline `properties` and `definitions`). */
function ownFields(allOf: AllOf, definitions: Definitions | undefined): Fields[] {
  return [...allOf.map((e) => e.properties), ...Object.values(definitions ?? {}).map((d) => d.properties)].filter(
    (p): p is Fields => p !== undefined,
  );
}

function identity(w: Writer, kind: TenantKind, existing: XdmResourceDto | undefined) {
  if (existing !== undefined) return { $id: existing.$id, altId: existing['meta:altId'] };
  return tenantResourceIds(w.part.tenantId, ID_SEGMENT[kind], hex32());
}

/** The fields every stored tenant resource carries; versions go `1.0` → `1.1` on update. */
function envelope(w: Writer, kind: TenantKind, c: CommonFields, existing: XdmResourceDto | undefined): XdmResourceDto {
  const { $id, altId } = identity(w, kind, existing);
  const created = existing?.['meta:registryMetadata'];
  const [major = '1', minor = '0'] = (existing?.version ?? '1.-1').split('.');
  return {
    $id,
    'meta:altId': altId,
    'meta:resourceType': RESOURCE_TYPE[kind],
    version: existing === undefined ? '1.0' : `${major}.${Number(minor) + 1}`,
    title: c.title,
    description: c.description,
    type: 'object',
    allOf: c.allOf,
    ...(c.definitions === undefined ? {} : { definitions: c.definitions }),
    'meta:abstract': kind !== 'schemas',
    'meta:extensible': kind !== 'schemas',
    'meta:containerId': 'tenant',
    'meta:sandboxId': w.part.sandboxId,
    'meta:sandboxType': w.part.sandbox === 'prod' ? 'production' : 'development',
    'meta:tenantNamespace': `_${w.part.tenantId}`,
    'meta:xdmType': 'object',
    imsOrg: w.part.org,
    'meta:registryMetadata': {
      'repo:createdDate': created?.['repo:createdDate'] ?? w.now,
      'repo:lastModifiedDate': w.now,
      'xdm:createdClientId': created?.['xdm:createdClientId'] ?? w.clientId,
      'xdm:lastModifiedClientId': w.clientId,
      'xdm:createdUserId': created?.['xdm:createdUserId'] ?? adobeIdOf(w.clientId),
      'xdm:lastModifiedUserId': adobeIdOf(w.clientId),
      eTag: hex64(),
      'meta:globalLibVersion': '1.49.1',
    },
  };
}

/** A field group fits a class when it names the class or the class's behavior. */
const XDM_AUDITABLE = 'https://ns.adobe.com/xdm/common/auditable';

function fits(fieldGroup: XdmResourceDto, cls: XdmResourceDto): boolean {
  const targets = fieldGroup['meta:intendedToExtend'] ?? [];
  return targets.includes(cls.$id) || (cls['meta:extends'] ?? []).some((b) => targets.includes(b));
}

/** Schema: exactly one class; every other `$ref` a field group intended for that class. */
export function buildSchema(w: Writer, body: unknown, existing?: XdmResourceDto): XdmResourceDto {
  const c = common(body);
  const refs = c.allOf.map((entry) => {
    if (typeof entry.$ref !== 'string')
      throw invalid('every allOf entry of a schema must be a {"$ref": ...} to a class or field group');
    const target = findXdmResource(w.part, entry.$ref);
    if (target === undefined) throw invalid(`allOf references ${entry.$ref}, which does not exist`);
    return target;
  });
  const classes = refs.filter((r) => r['meta:resourceType'] === 'classes');
  if (classes.length !== 1)
    throw invalid(`A schema must reference exactly one class in allOf, found ${classes.length}`);
  const cls = classes[0]!;
  const fieldGroups = refs.filter((r) => r !== cls);
  for (const fg of fieldGroups) {
    if (fg['meta:resourceType'] !== 'mixins')
      throw invalid(
        `allOf references ${fg.$id}, a ${fg['meta:resourceType']} resource; a schema takes one class and field groups`,
      );
    if (!fits(fg, cls)) {
      throw invalid(`Field group ${fg.$id} (${fg.title}) is not intended to extend class ${cls.$id}`, [
        { fieldGroup: fg.$id, 'meta:intendedToExtend': fg['meta:intendedToExtend'] ?? [] },
      ]);
    }
  }
  // every `$ref` entry is an object (docs' schema create response: `$ref`, `type`, `meta:xdmType`)
  const allOf = c.allOf.map((entry) => ({ type: 'object', 'meta:xdmType': 'object', ...entry }));
  const schema = envelope(w, 'schemas', { ...c, allOf, definitions: undefined }, existing);
  schema['meta:class'] = cls.$id;
  // the standard classes are auditable (`_repo` fields); the Platform lists it among what a schema extends
  schema['meta:extends'] = [
    ...new Set([cls.$id, ...(cls['meta:extends'] ?? []), XDM_AUDITABLE, ...fieldGroups.map((f) => f.$id)]),
  ];
  schema['refs'] = [...new Set(refs.map((r) => r.$id))];
  if (cls['meta:datasetNamespace'] !== undefined) schema['meta:datasetNamespace'] = cls['meta:datasetNamespace'];
  return schema;
}

/** Ad-hoc classes (§4.4): fields live under `_adhoc`, stored as `_<classGuid>`. */
function renameAdhoc(c: CommonFields, namespace: string): void {
  for (const fields of ownFields(c.allOf, c.definitions)) {
    for (const key of Object.keys(fields)) {
      if (key !== '_adhoc' && key !== namespace)
        throw invalid(`Ad-hoc class fields must be under _adhoc, found ${key}`);
    }
    if (fields['_adhoc'] !== undefined) {
      fields[namespace] = fields['_adhoc'];
      delete fields['_adhoc'];
    }
  }
}

/** Class: exactly one behavior `$ref`, local `#/definitions/…` refs and inline properties. */
export function buildClass(w: Writer, body: unknown, existing?: XdmResourceDto): XdmResourceDto {
  const c = common(body);
  const behaviors: string[] = [];
  for (const entry of c.allOf) {
    if (typeof entry.$ref !== 'string') continue;
    if (entry.$ref.startsWith('#/definitions/')) {
      localDefinition(entry.$ref, c.definitions);
      continue;
    }
    const target = findXdmResource(w.part, entry.$ref);
    if (target?.['meta:resourceType'] !== 'behaviors')
      throw invalid(`allOf references ${entry.$ref}, which is not a behavior; a class extends exactly one behavior`);
    behaviors.push(target.$id);
  }
  if (behaviors.length !== 1)
    throw invalid(`A class must reference exactly one behavior in allOf, found ${behaviors.length}`);
  const built = envelope(w, 'classes', c, existing);
  if (behaviors[0] === XDM_ADHOC_BEHAVIOR) {
    const namespace = `_${built.$id.slice(built.$id.lastIndexOf('/') + 1)}`;
    renameAdhoc(c, namespace);
    built['meta:datasetNamespace'] = namespace;
  }
  built['meta:extends'] = behaviors;
  return built;
}

/** Field group: `meta:intendedToExtend` naming existing classes or behaviors, fields under `_{tenantId}`. */
export function buildFieldGroup(w: Writer, body: unknown, existing?: XdmResourceDto): XdmResourceDto {
  const c = common(body);
  const intended = (body as Record<string, unknown>)['meta:intendedToExtend'];
  if (!Array.isArray(intended) || intended.length === 0 || !intended.every((s) => typeof s === 'string')) {
    throw invalid('meta:intendedToExtend must be a non-empty array of class $ids');
  }
  for (const target of intended) {
    const kind = findXdmResource(w.part, target)?.['meta:resourceType'];
    if (kind !== 'classes' && kind !== 'behaviors')
      throw invalid(`meta:intendedToExtend names ${target}, which is not a class or behavior`);
  }
  const refs: string[] = [];
  for (const entry of c.allOf) {
    if (typeof entry.$ref !== 'string') continue;
    if (entry.$ref.startsWith('#/definitions/')) localDefinition(entry.$ref, c.definitions);
    else if (findXdmResource(w.part, entry.$ref) === undefined)
      throw invalid(`allOf references ${entry.$ref}, which does not exist`);
    else refs.push(entry.$ref);
  }
  const namespace = `_${w.part.tenantId}`;
  for (const fields of ownFields(c.allOf, c.definitions)) {
    for (const key of Object.keys(fields)) {
      if (key !== namespace)
        throw invalid(`Custom fields of a tenant field group must be under ${namespace}, found ${key}`);
    }
  }
  const built = envelope(w, 'fieldGroups', c, existing);
  built['meta:intendedToExtend'] = intended;
  if (refs.length > 0) built['meta:extends'] = refs;
  return built;
}

export const BUILDERS: Record<TenantKind, (w: Writer, body: unknown, existing?: XdmResourceDto) => XdmResourceDto> = {
  schemas: buildSchema,
  classes: buildClass,
  fieldGroups: buildFieldGroup,
};

/** Why a tenant resource cannot be deleted (used by a dataset or a schema), or undefined. */
export function deleteBlocker(part: Partition, resource: XdmResourceDto): string | undefined {
  const ids = [resource.$id, resource['meta:altId']];
  if (resource['meta:resourceType'] === 'schemas') {
    for (const [id, ds] of part.dataSets)
      if (ds.schemaRef !== undefined && ids.includes(ds.schemaRef.id))
        return `schema ${resource.$id} is used by dataset ${id}`;
    return undefined;
  }
  for (const schema of part.schemas.values()) {
    if (
      schema['meta:class'] === resource.$id ||
      (schema.allOf ?? []).some((e) => e.$ref !== undefined && ids.includes(e.$ref))
    ) {
      return `${resource['meta:resourceType']} ${resource.$id} is used by schema ${schema.$id}`;
    }
  }
  return undefined;
}
