import type { RouteContext } from '../router.ts';
import type { FlowSpecDto, TargetConnectionDto, TransformationDto } from '../../upstream/flowService/types.ts';
import { REQUIRED_TRANSFORMATIONS } from '../seed/flowSpecs.ts';
import { FLOW_CODES } from './codes.ts';
import { describeViolations, validateSchema } from '../../upstream/flowService/wire.ts';
import { badRequest } from './replies.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A mapping set's target schema must be the target dataset's schema (`FLOW-1425`, §5.3).
 * Legacy mapping sets may name the schema by its altId (§5.2), so that form is matched too.
 */
function checkMappingTarget(
  ctx: RouteContext,
  mappingId: string,
  mappingSchemaId: string,
  targets: readonly TargetConnectionDto[],
): void {
  for (const target of targets) {
    const dataSetId = target.params?.dataSetId;
    const dataSet = typeof dataSetId === 'string' ? ctx.part.dataSets.get(dataSetId) : undefined;
    const schemaId = dataSet?.schemaRef?.id;
    if (schemaId === undefined) continue;
    const altId = ctx.part.schemas.get(schemaId)?.['meta:altId'];
    if (mappingSchemaId !== schemaId && mappingSchemaId !== altId) {
      throw badRequest(
        `Mapping set ${mappingId} targets schema ${mappingSchemaId}, but dataset ${String(dataSetId)} of target connection ${target.id} uses ${schemaId}.`,
        FLOW_CODES.SCHEMA_MISMATCH,
      );
    }
  }
}

/** `Mapping` must name an existing mapping set (`FLOW-1419`) and version (`FLOW-1412`). */
function checkMapping(
  ctx: RouteContext,
  params: Record<string, unknown>,
  targets: readonly TargetConnectionDto[],
): void {
  const mappingId = String(params['mappingId']);
  const versions = ctx.part.mappingSets.get(mappingId);
  if (versions === undefined)
    throw badRequest(`Mapping validation error: mapping set ${mappingId} does not exist.`, FLOW_CODES.MAPPING_INVALID);
  const version = Number(params['mappingVersion']);
  const mappingSet = Number.isInteger(version) ? versions[version] : undefined;
  if (mappingSet === undefined) {
    throw badRequest(
      `Invalid mapping version ${String(params['mappingVersion'])} for mapping set ${mappingId}.`,
      FLOW_CODES.MAPPING_VERSION_INVALID,
    );
  }
  checkMappingTarget(ctx, mappingId, mappingSet.outputSchema.schemaRef.id, targets);
}

/**
 * Transformations against the flow spec: names from its `transformationSpecs`, params
 * against each one's JSON schema (Copy needs `deltaColumn.name`), the spec's mandatory
 * ones present ("Steam data with transformation": Mapping).
 */
export function validateTransformations(
  ctx: RouteContext,
  flowSpec: FlowSpecDto,
  transformations: unknown,
  targets: readonly TargetConnectionDto[],
): TransformationDto[] {
  if (transformations !== undefined && !Array.isArray(transformations))
    throw badRequest('transformations must be an array.');
  const list = (transformations ?? []) as unknown[];
  const known = flowSpec.transformationSpecs.map((t) => t.name);
  list.forEach((t, i) => {
    if (!isRecord(t) || typeof t['name'] !== 'string')
      throw badRequest(`transformations[${i}] must be an object with a name.`);
    const spec = flowSpec.transformationSpecs.find((s) => s.name === t['name']);
    if (spec === undefined) {
      throw badRequest(
        `transformations[${i}].name "${t['name']}" is not supported by flow spec ${flowSpec.name}; expected one of ${known.length === 0 ? '(none)' : known.join(', ')}.`,
        FLOW_CODES.MAPPING_INVALID,
      );
    }
    const params = isRecord(t['params']) ? t['params'] : {};
    const violations = validateSchema(spec.spec, params);
    if (violations.length > 0)
      throw badRequest(
        `Invalid ${spec.name} transformation: ${describeViolations(`transformations[${i}].params`, violations)}.`,
      );
    if (spec.name === 'Mapping') checkMapping(ctx, params, targets);
  });
  for (const required of REQUIRED_TRANSFORMATIONS[flowSpec.id] ?? []) {
    if (!list.some((t) => isRecord(t) && t['name'] === required)) {
      throw badRequest(`Flow spec ${flowSpec.name} requires a ${required} transformation.`);
    }
  }
  return list as TransformationDto[];
}
