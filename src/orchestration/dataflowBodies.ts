import type { MappingInput } from '../generated/graphql.ts';
import type { CreateDataSetDto } from '../upstream/catalog/types.ts';
import type { CreateMappingSetDto } from '../upstream/dataPrep/types.ts';
import {
  DATA_LAKE_CONNECTION_SPEC_ID,
  type CreateFlowDto,
  type CreateSourceConnectionDto,
  type CreateTargetConnectionDto,
  type TransformationDto,
} from '../upstream/flowService/types.ts';
import type { CreateXdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import type { DataflowPlan } from './dataflowPlan.ts';
import { MARKER_TAG, markedDescription, markedSchemaDescription } from './writeMarkers.ts';
import { SCHEMA_REF_CONTENT_TYPE } from '../upstream/schemaRegistry/wire.ts';

/**
 * The request bodies of the documented tutorial sequence, built from a validated plan; each
 * carries the attempt's write marker (see writeMarkers.ts) where its service can find it.
 */

export function sourceConnectionBody(plan: DataflowPlan, marker: string): CreateSourceConnectionDto {
  const s = plan.source;
  const params: Record<string, unknown> =
    plan.kind === 'file'
      ? { path: s.path, ...(s.recursive === undefined ? {} : { recursive: s.recursive }) }
      : { tableName: s.tableName, ...(s.columns === undefined ? {} : { columns: s.columns }) };
  return {
    name: `${plan.name} source`,
    description: markedDescription(marker),
    baseConnectionId: plan.baseConnection.id,
    data: {
      format: s.format,
      ...(s.sourceSchemaId === undefined ? {} : { schema: { id: s.sourceSchemaId, version: SCHEMA_REF_CONTENT_TYPE } }),
    },
    params: { ...params, ...s.params },
    connectionSpec: { id: plan.connectionSpec.id, version: '1.0' },
  };
}

export function schemaBody(
  t: { title: string; description?: string; classId: string; fieldGroupIds: readonly string[] },
  marker: string,
): CreateXdmResourceDto {
  return {
    type: 'object',
    title: t.title,
    description: markedSchemaDescription(t.description ?? `Created by ingestion-graph for ${t.title}`, marker),
    allOf: [{ $ref: t.classId }, ...t.fieldGroupIds.map(($ref) => ({ $ref }))],
  };
}

export function datasetBody(
  name: string,
  description: string | undefined,
  schemaId: string,
  marker: string,
): CreateDataSetDto {
  return {
    name,
    ...(description === undefined ? {} : { description }),
    schemaRef: { id: schemaId, contentType: SCHEMA_REF_CONTENT_TYPE },
    tags: { [MARKER_TAG]: [marker] },
  };
}

export function targetConnectionBody(
  name: string,
  schemaId: string,
  datasetId: string,
  marker: string,
): CreateTargetConnectionDto {
  return {
    name: `${name} target`,
    description: markedDescription(marker),
    data: { schema: { id: schemaId, version: SCHEMA_REF_CONTENT_TYPE } },
    params: { dataSetId: datasetId },
    connectionSpec: { id: DATA_LAKE_CONNECTION_SPEC_ID, version: '1.0' },
  };
}

/** The tutorials' mapping set body (legacy vocabulary, which carries identity and namespace). */
export function mappingSetBody(
  schemaId: string,
  mappings: readonly MappingInput[],
  marker: string,
): CreateMappingSetDto {
  return {
    name: marker,
    version: 0,
    xdmSchema: schemaId,
    xdmVersion: '1.0',
    mappings: mappings.map((m) => ({
      destinationXdmPath: m.destinationXdmPath,
      sourceAttribute: m.sourceAttribute,
      identity: m.identity ?? false,
      identityGroup: null,
      namespaceCode: m.namespaceCode ?? null,
      version: 0,
    })),
  };
}

export function flowBody(
  plan: DataflowPlan,
  ids: { sourceConnectionId: string; targetConnectionId: string; mappingSetId?: string; mappingSetVersion?: number },
): CreateFlowDto {
  const transformations: TransformationDto[] = [];
  if (plan.deltaColumn !== undefined) {
    const dc = plan.deltaColumn;
    transformations.push({
      name: 'Copy',
      params: {
        deltaColumn: {
          name: dc.name,
          ...(dc.dateFormat == null ? {} : { dateFormat: dc.dateFormat }),
          ...(dc.timezone == null ? {} : { timezone: dc.timezone }),
        },
      },
    });
  }
  if (ids.mappingSetId !== undefined)
    transformations.push({
      name: 'Mapping',
      params: { mappingId: ids.mappingSetId, mappingVersion: ids.mappingSetVersion ?? 0 },
    });
  return {
    name: plan.name,
    ...(plan.description === undefined ? {} : { description: plan.description }),
    flowSpec: { id: plan.flowSpec.id, version: plan.flowSpec.version },
    sourceConnectionIds: [ids.sourceConnectionId],
    targetConnectionIds: [ids.targetConnectionId],
    transformations,
    scheduleParams: plan.scheduleParams,
  };
}
