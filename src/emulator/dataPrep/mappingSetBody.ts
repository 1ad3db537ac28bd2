import type { MappingInputDto } from '../../upstream/dataPrep/types.ts';
import { dataPrepError } from '../errors.ts';
import { SCHEMA_REF_CONTENT_TYPE } from '../../upstream/schemaRegistry/wire.ts';

/** The documented `sourceType` values of a mapping request (§5.2, §9.3). */
export const SOURCE_TYPES = ['ATTRIBUTE', 'EXPRESSION', 'STATIC'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const isSourceType = (value: string): value is SourceType => (SOURCE_TYPES as readonly string[]).includes(value);

/**
 * The stored form writes attribute mappings as `text/x.schema-path` and expressions as
 * `text/x.aep-xl`; a client that PUTs back what it read sends those, so they map home.
 */
const STORED_SOURCE_TYPES: Record<string, SourceType> = {
  'text/x.schema-path': 'ATTRIBUTE',
  'text/x.aep-xl': 'EXPRESSION',
};

/** One mapping of a request in the current vocabulary, whichever generation sent it. */
export interface MappingRequest {
  /** As sent (after mapping the stored vocabulary home); checked by `checkMappings` so that validate can report it. */
  sourceType: string;
  source: string | undefined;
  destination: string | undefined;
  name?: string;
  description?: string;
  identity: boolean;
  identityGroup: string | null;
  namespaceCode: string | null;
}

/** A create / PUT / validate / preview body of either generation (§5.2), normalised. */
export interface MappingSetRequest {
  /** The target schema as sent: a `$id` or, in the streaming tutorial, a `meta:altId`. */
  schemaRef: { id: string; contentType: string };
  xdmVersion: string;
  name?: string;
  allowNullValues: boolean;
  mappings: MappingRequest[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function targetSchema(body: Record<string, unknown>): { id: string; contentType: string } {
  const output = body['outputSchema'];
  const ref = isRecord(output) ? output['schemaRef'] : undefined;
  if (isRecord(ref) && typeof ref['id'] === 'string' && ref['id'] !== '') {
    return { id: ref['id'], contentType: optionalString(ref['contentType']) ?? SCHEMA_REF_CONTENT_TYPE };
  }
  const legacy = body['xdmSchema'];
  if (typeof legacy === 'string' && legacy !== '') return { id: legacy, contentType: SCHEMA_REF_CONTENT_TYPE };
  throw dataPrepError(
    400,
    1001,
    'The target schema is missing: send outputSchema.schemaRef.id (or the legacy xdmSchema)',
  );
}

function parseMapping(input: unknown): MappingRequest {
  const item: MappingInputDto & Record<string, unknown> = isRecord(input) ? input : {};
  const sent = optionalString(item.sourceType) ?? 'ATTRIBUTE';
  return {
    sourceType: STORED_SOURCE_TYPES[sent] ?? sent,
    source: optionalString(item.source) ?? optionalString(item.sourceAttribute),
    destination: optionalString(item.destination) ?? optionalString(item.destinationXdmPath),
    ...(typeof item.name === 'string' ? { name: item.name } : {}),
    ...(typeof item.description === 'string' ? { description: item.description } : {}),
    identity: item.identity === true,
    identityGroup: optionalString(item.identityGroup) ?? null,
    namespaceCode: optionalString(item.namespaceCode) ?? null,
  };
}

/**
 * Reads a mapping set body of either generation: current (`outputSchema.schemaRef` +
 * `sourceType/source/destination`) or legacy (`xdmSchema` + `sourceAttribute/destinationXdmPath`).
 * Throws 400 when the body has no target schema or no `mappings` array; bad mappings are
 * kept so the caller can report each one.
 */
export function parseMappingSetBody(body: unknown): MappingSetRequest {
  if (!isRecord(body)) throw dataPrepError(400, 1000, 'The request body must be a mapping set JSON object');
  const schemaRef = targetSchema(body);
  const mappings = body['mappings'];
  if (!Array.isArray(mappings)) throw dataPrepError(400, 1002, 'mappings must be an array of mappings');
  const name = optionalString(body['name']);
  return {
    schemaRef,
    xdmVersion: optionalString(body['xdmVersion']) ?? '1.0',
    ...(name === undefined ? {} : { name }),
    allowNullValues: body['allowNullValues'] === true,
    mappings: mappings.map(parseMapping),
  };
}
