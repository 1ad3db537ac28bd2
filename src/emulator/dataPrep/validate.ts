import type { TransformErrorDto, ValidationResponseDto } from '../../upstream/dataPrep/types.ts';
import { destinationFieldPath } from '../../upstream/schemaRegistry/wire.ts';
import { dataPrepError } from '../errors.ts';
import { findXdmResource, schemaFieldPaths } from '../schemaRegistry/resolve.ts';
import type { Partition } from '../store.ts';
import { SOURCE_TYPES, type MappingSetRequest } from './mappingSetBody.ts';

/** `code` values of the `errors` entries of `POST /mappingSets/validate` (emulator-chosen, §9.3). */
export const MAPPING_ERROR_CODES = {
  DESTINATION_NOT_IN_SCHEMA: 'DESTINATION_NOT_IN_SCHEMA',
  MISSING_DESTINATION: 'MISSING_DESTINATION',
  MISSING_SOURCE: 'MISSING_SOURCE',
  INVALID_SOURCE_TYPE: 'INVALID_SOURCE_TYPE',
} as const;

export interface MappingVerdict {
  index: number;
  destination: string | undefined;
  errors: TransformErrorDto[];
}

/**
 * The target schema's `$id`, whether the request named it by `$id` or by `meta:altId`
 * (the streaming tutorial sends the altId). 400 when the partition has no such schema.
 */
export function targetSchemaId(part: Partition, idOrAltId: string): string {
  const schema = findXdmResource(part, idOrAltId);
  if (schema === undefined || schema['meta:resourceType'] !== 'schemas') {
    throw dataPrepError(400, 1003, `The target schema ${idOrAltId} does not exist in sandbox ${part.sandbox}`);
  }
  return schema.$id;
}

/**
 * Checks every mapping of a request against the target schema: `sourceType` must be one
 * of ATTRIBUTE/EXPRESSION/STATIC, `source` must be present and the destination path must
 * exist in the schema. Throws 400 only when the schema itself is unknown.
 */
export function checkMappings(
  part: Partition,
  request: MappingSetRequest,
): { schemaId: string; verdicts: MappingVerdict[] } {
  const schemaId = targetSchemaId(part, request.schemaRef.id);
  const paths = schemaFieldPaths(part, schemaId) ?? new Set<string>();
  const verdicts = request.mappings.map((mapping, index): MappingVerdict => {
    const errors: TransformErrorDto[] = [];
    const at = `mappings[${index}]`;
    if (!(SOURCE_TYPES as readonly string[]).includes(mapping.sourceType)) {
      errors.push({
        code: MAPPING_ERROR_CODES.INVALID_SOURCE_TYPE,
        message: `sourceType ${mapping.sourceType} is not one of ${SOURCE_TYPES.join(', ')}`,
        field: `${at}.sourceType`,
      });
    }
    if (mapping.source === undefined || mapping.source === '') {
      errors.push({
        code: MAPPING_ERROR_CODES.MISSING_SOURCE,
        message: 'The mapping has no source',
        field: `${at}.source`,
      });
    }
    if (mapping.destination === undefined || mapping.destination === '') {
      errors.push({
        code: MAPPING_ERROR_CODES.MISSING_DESTINATION,
        message: 'The mapping has no destination',
        field: `${at}.destination`,
      });
    } else if (!paths.has(destinationFieldPath(mapping.destination))) {
      errors.push({
        code: MAPPING_ERROR_CODES.DESTINATION_NOT_IN_SCHEMA,
        message: `Destination path ${mapping.destination} does not exist in the target schema ${schemaId}`,
        field: `${at}.destination`,
      });
    }
    return { index, destination: mapping.destination, errors };
  });
  return { schemaId, verdicts };
}

/** The `POST /mappingSets/validate` answer: one entry per mapping, in order. */
export function validationResponse(verdicts: MappingVerdict[]): ValidationResponseDto {
  return {
    validationResponse: verdicts.map((v) =>
      v.errors.length === 0 ? { status: 'SUCCESS', errors: [] } : { status: 'FAILED', errors: v.errors },
    ),
  };
}
