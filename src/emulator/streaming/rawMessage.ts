import type { MappingSetDto } from '../../upstream/dataPrep/types.ts';
import { applyMappings, fieldTypes } from '../dataPrep/applyMappings.ts';
import { findMappingSet } from '../dataPrep/mappingSets.ts';
import { dcsError } from '../errors.ts';
import type { RouteContext } from '../router.ts';
import { resolveSchema } from '../schemaRegistry/resolve.ts';
import { inletPrefix, type Inlet } from './inlet.ts';
import { canonicalSchemaId, flowUsesInlet, type Prepared } from './xdmMessage.ts';
import { FLOW_ID_HEADER } from '../../upstream/streaming/wire.ts';

/** Where the raw messages of one request go: the flow's dataset, through its mapping set. */
export interface RawTarget {
  flowId: string;
  datasetId: string;
  schemaId: string;
  mappingSet: MappingSetDto | undefined;
  types: Map<string, string> | undefined;
}

function header(ctx: RouteContext, name: string): string | undefined {
  const value = ctx.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/**
 * Raw-data inlets name their flow in the `x-adobe-flow-id` header or query parameter
 * (§1.2, §6.2); the flow must run on this inlet and write to a dataset. 400 otherwise.
 */
export function rawTarget(ctx: RouteContext, inlet: Inlet): RawTarget {
  const invalid = (message: string) =>
    dcsError(400, '/inlet', 'Invalid Raw Message', `${inletPrefix(ctx, inlet.inletId)} ${message}`);
  const flowId = header(ctx, FLOW_ID_HEADER) ?? ctx.query.get(FLOW_ID_HEADER) ?? undefined;
  if (flowId === undefined || flowId === '')
    throw invalid(`Raw data needs the flow id in the ${FLOW_ID_HEADER} header or query parameter`);
  const part = ctx.part;
  const flow = part.flows.get(flowId);
  if (flow === undefined || !flowUsesInlet(part, flowId, inlet))
    throw invalid(`Flow [${flowId}] does not belong to this inlet`);
  const datasetId = flow.targetConnectionIds
    .map((id) => part.targetConnections.get(id)?.params?.dataSetId)
    .find((id) => typeof id === 'string');
  const dataset = datasetId === undefined ? undefined : part.dataSets.get(datasetId);
  if (datasetId === undefined || dataset?.schemaRef === undefined)
    throw invalid(`Flow [${flowId}] has no target dataset`);
  const mapping = flow.transformations.find((t) => t.name === 'Mapping');
  const params = (mapping?.params ?? {}) as Record<string, unknown>;
  const mappingId = params['mappingId'];
  const mappingVersion = params['mappingVersion'];
  const mappingSet =
    typeof mappingId === 'string'
      ? findMappingSet(
          part,
          mappingId,
          mappingVersion === undefined || mappingVersion === '' ? undefined : Number(mappingVersion),
        )
      : undefined;
  const schemaId = canonicalSchemaId(part, dataset.schemaRef.id);
  const properties = resolveSchema(part, schemaId)?.properties;
  return {
    flowId,
    datasetId,
    schemaId,
    mappingSet,
    types: properties === undefined ? undefined : fieldTypes(properties),
  };
}

/** A raw message is any JSON object; with a mapping set it is mapped first, else taken as the entity. */
export function prepareRawMessage(target: RawTarget, message: unknown, size: number): Prepared {
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return { ok: false, message: 'Raw message must be a JSON object' };
  const base = { datasetId: target.datasetId, schemaId: target.schemaId, size };
  if (target.mappingSet === undefined)
    return { ok: true, record: { ...base, entity: message as Record<string, unknown> } };
  const mapped = applyMappings(target.mappingSet.mappings, message, {
    types: target.types,
    allowNullValues: target.mappingSet.allowNullValues,
  });
  const mappingErrors = mapped.errors?.map((e) => e.message);
  return {
    ok: true,
    record: { ...base, entity: mapped.data, ...(mappingErrors === undefined ? {} : { mappingErrors }) },
  };
}
