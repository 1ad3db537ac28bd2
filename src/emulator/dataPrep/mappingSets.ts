import type {
  CreatedMappingSetDto,
  MappingDto,
  MappingSetDto,
  MappingSetListDto,
} from '../../upstream/dataPrep/types.ts';
import { EmulatorHttpError, dataPrepError } from '../errors.ts';
import { hex32 } from '../ids.ts';
import type { Reply, RouteContext } from '../router.ts';
import type { Partition } from '../store.ts';
import { isSourceType, parseMappingSetBody, type MappingRequest, type MappingSetRequest } from './mappingSetBody.ts';
import { checkMappings, type MappingVerdict } from './validate.ts';
import { adobeIdOf } from '../../upstream/ims/wire.ts';

/**
 * A mapping set version, or undefined: the latest when `version` is undefined. Flow
 * Service and streaming look mapping sets up through here (§5.3).
 */
export function findMappingSet(part: Partition, id: string, version?: number): MappingSetDto | undefined {
  const versions = part.mappingSets.get(id);
  if (versions === undefined) return undefined;
  return version === undefined ? versions[versions.length - 1] : versions[version];
}

/** 400 listing every bad mapping (index, destination, reason) when any mapping failed its checks. */
function rejectInvalid(verdicts: MappingVerdict[]): void {
  const bad = verdicts.filter((v) => v.errors.length > 0);
  if (bad.length === 0) return;
  const invalidMappings = bad.map((v) => ({
    index: v.index,
    destination: v.destination ?? null,
    reason: v.errors.map((e) => e.message).join('; '),
  }));
  const summary = invalidMappings.map((m) => `mappings[${m.index}]: ${m.reason}`).join('; ');
  const base = dataPrepError(400, 1419, `${bad.length} of ${verdicts.length} mappings are invalid: ${summary}`);
  throw new EmulatorHttpError(400, { ...(base.body as object), invalidMappings });
}

function storedMapping(mapping: MappingRequest, version: number, now: number, by: string): MappingDto {
  const source = mapping.source ?? '';
  const destination = mapping.destination ?? '';
  return {
    id: hex32(),
    version,
    createdDate: now,
    modifiedDate: now,
    createdBy: by,
    modifiedBy: by,
    // the spec's enum; its own example writes `text/x.schema-path` (docs/emulator-behaviour.md)
    sourceType: isSourceType(mapping.sourceType) ? mapping.sourceType : 'ATTRIBUTE',
    source,
    destination,
    sourceAttribute: source,
    destinationXdmPath: destination,
    identity: mapping.identity,
    primaryIdentity: false,
    namespaceCode: mapping.namespaceCode,
    identityGroup: mapping.identityGroup,
    matchScore: 0,
    functionVersion: 1,
    ...(mapping.name === undefined ? {} : { name: mapping.name }),
    ...(mapping.description === undefined ? {} : { description: mapping.description }),
  };
}

/** The stored form carries both vocabularies (§5.2): `outputSchema.schemaRef` and `xdmSchema`/`schemaRef`. */
function buildVersion(
  ctx: RouteContext,
  id: string,
  request: MappingSetRequest,
  schemaId: string,
  previous: MappingSetDto | undefined,
): MappingSetDto {
  const now = ctx.runtime.clock.now();
  const version = previous === undefined ? 0 : previous.version + 1;
  const schemaRef = { id: schemaId, contentType: request.schemaRef.contentType };
  const name = request.name ?? previous?.name;
  return {
    id,
    version,
    createdDate: previous?.createdDate ?? now,
    modifiedDate: now,
    createdBy: previous?.createdBy ?? adobeIdOf(ctx.clientId),
    modifiedBy: adobeIdOf(ctx.clientId),
    ...(name === undefined ? {} : { name }),
    supportVersion: '1.1',
    // no `inputSchema`: none was given, and the spec has no null form of it
    outputSchema: { id: previous?.outputSchema.id ?? hex32(), version, schemaRef },
    status: 'PUBLISHED',
    strictMapping: false,
    allowNullValues: request.allowNullValues,
    xdmVersion: request.xdmVersion,
    schemaRef,
    xdmSchema: schemaId,
    mappings: request.mappings.map((m) => storedMapping(m, version, now, adobeIdOf(ctx.clientId))),
  };
}

function validRequest(ctx: RouteContext): { request: MappingSetRequest; schemaId: string } {
  const request = parseMappingSetBody(ctx.body);
  const { schemaId, verdicts } = checkMappings(ctx.part, request);
  rejectInvalid(verdicts);
  return { request, schemaId };
}

/** `POST /mappingSets` → 200 (not 201) with the short representation (§11 #28). */
export function createMappingSet(ctx: RouteContext): Reply {
  const { request, schemaId } = validRequest(ctx);
  const set = buildVersion(ctx, hex32(), request, schemaId, undefined);
  ctx.part.mappingSets.set(set.id, [set]);
  const body: CreatedMappingSetDto = {
    id: set.id,
    version: set.version,
    createdDate: set.createdDate,
    modifiedDate: set.modifiedDate,
    createdBy: set.createdBy,
    modifiedBy: set.modifiedBy,
  };
  return { status: 200, body };
}

function existing(ctx: RouteContext): MappingSetDto[] {
  const id = ctx.params['id']!;
  const versions = ctx.part.mappingSets.get(id);
  if (versions === undefined) throw dataPrepError(404, 1404, `Mapping set ${id} is not found`);
  return versions;
}

/** `PUT /mappingSets/{id}`: stores the body as version n+1 and answers the new version. */
export function replaceMappingSet(ctx: RouteContext): Reply {
  const versions = existing(ctx);
  const { request, schemaId } = validRequest(ctx);
  const set = buildVersion(ctx, ctx.params['id']!, request, schemaId, versions[versions.length - 1]);
  versions.push(set);
  // edited in place: setting it again is what the journal logs
  ctx.part.mappingSets.set(ctx.params['id']!, versions);
  return { status: 200, body: set };
}

/** The version named by `?version=` (latest when absent); 404 for a version that does not exist. */
function requestedVersion(ctx: RouteContext): MappingSetDto {
  const versions = existing(ctx);
  const raw = ctx.query.get('version');
  if (raw === null || raw === '') return versions[versions.length - 1]!;
  if (!/^\d+$/.test(raw)) throw dataPrepError(400, 1005, `version must be a non-negative integer, got ${raw}`);
  const set = versions[Number(raw)];
  if (set === undefined) throw dataPrepError(404, 1404, `Mapping set ${ctx.params['id']} has no version ${raw}`);
  return set;
}

export function getMappingSet(ctx: RouteContext): Reply {
  return { status: 200, body: requestedVersion(ctx) };
}

export function listMappings(ctx: RouteContext): Reply {
  return { status: 200, body: requestedVersion(ctx).mappings };
}

export function getMapping(ctx: RouteContext): Reply {
  const set = requestedVersion(ctx);
  const mappingId = ctx.params['mappingId']!;
  const mapping = set.mappings.find((m) => m.id === mappingId);
  if (mapping === undefined)
    throw dataPrepError(404, 1404, `Mapping ${mappingId} is not found in mapping set ${set.id} version ${set.version}`);
  return { status: 200, body: mapping };
}

type Order = { key: 'createdDate' | 'modifiedDate'; direction: 1 | -1 };

/** `orderBy` is `±createdDate` / `±updatedDate`; a `+` arrives as a space when the client did not encode it. */
function parseOrder(raw: string | null): Order {
  if (raw === null || raw === '' || raw === 'lastUpdateDate') return { key: 'modifiedDate', direction: -1 };
  const match = /^([+\- ]?)(createdDate|updatedDate)$/.exec(raw);
  if (match === null)
    throw dataPrepError(
      400,
      1006,
      `orderBy must be one of +createdDate, -createdDate, +updatedDate, -updatedDate, got ${raw}`,
    );
  return { key: match[2] === 'createdDate' ? 'createdDate' : 'modifiedDate', direction: match[1] === '-' ? -1 : 1 };
}

/** The spec marks `limit` and `start` required and gives them defaults (10, 0); aepp sends `limit` alone. */
function integerParam(ctx: RouteContext, name: string, min: number, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw dataPrepError(400, 1008, `${name} must be an integer >= ${min}, got ${raw}`);
  return Number(raw);
}

/**
 * `GET /mappingSets?limit=&start=` (defaults 10 and 0): the latest version of each set,
 * filtered by exact `name`. `_page.count` is the real number of matching sets (the docs'
 * example shows 0, §11 #31); `_links.next` is present while sets remain.
 */
export function listMappingSets(ctx: RouteContext): Reply {
  const limit = integerParam(ctx, 'limit', 1, 10);
  const start = integerParam(ctx, 'start', 0, 0);
  const order = parseOrder(ctx.query.get('orderBy'));
  const name = ctx.query.get('name');
  const matching = [...ctx.part.mappingSets.values()]
    .map((versions) => versions[versions.length - 1]!)
    .filter((set) => name === null || set.name === name)
    .sort((a, b) => (a[order.key] - b[order.key]) * order.direction || a.id.localeCompare(b.id));
  const body: MappingSetListDto = {
    data: matching.slice(start, start + limit),
    _page: { count: matching.length, limit },
  };
  if (start + limit < matching.length) {
    const next = new URLSearchParams(ctx.query);
    next.set('start', String(start + limit));
    body._links = { next: { href: `${ctx.path}?${next.toString()}` } };
  }
  return { status: 200, body };
}
