import { jsonText } from '../jsonText.ts';
import { findXdmResource } from '../schemaRegistry/resolve.ts';
import type { Partition } from '../store.ts';
import type { Inlet } from './inlet.ts';

/** A message that passed the envelope checks, ready to be validated and landed. */
export interface PreparedRecord {
  datasetId: string;
  /** `$id` of the dataset's schema. */
  schemaId: string;
  entity: Record<string, unknown>;
  /** Bytes of the message as received, for the Catalog batch `size`. */
  size: number;
  /** Problems found before schema validation (a raw record that could not be mapped). */
  mappingErrors?: string[];
}

/** `ok: false` carries the message DCS puts after the `inletId: [..] imsOrgId: [..]` prefix. */
export type Prepared = { ok: true; record: PreparedRecord } | { ok: false; message: string };

export const UNKNOWN_FORMAT = 'Message has unknown xdm format';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function schemaRefId(holder: unknown): string | undefined {
  const ref = isRecord(holder) ? holder['schemaRef'] : undefined;
  return isRecord(ref) && typeof ref['id'] === 'string' ? ref['id'] : undefined;
}

/** Schemas may be named by `$id` or altId; comparisons go through the `$id`. */
export const canonicalSchemaId = (part: Partition, idOrAltId: string): string =>
  findXdmResource(part, idOrAltId)?.$id ?? idOrAltId;

/** True when the flow exists and one of its source connections sits on the inlet's base connection. */
export function flowUsesInlet(part: Partition, flowId: string, inlet: Inlet): boolean {
  const flow = part.flows.get(flowId);
  if (flow === undefined) return false;
  return flow.sourceConnectionIds.some((id) => {
    const viaSource = part.sourceConnections.get(id)?.baseConnectionId;
    const inherited = flow.inheritedAttributes.sourceConnections.find((s) => s.id === id)?.baseConnection?.id;
    return (viaSource ?? inherited) === inlet.connection.id;
  });
}

/**
 * Envelope checks of an XDM message (§6.2, §9.3): `header.schemaRef`, `body.xdmMeta.schemaRef`
 * and `body.xdmEntity` present; `datasetId` exists and its schema is the header's; the
 * body's schemaRef is the header's; `imsOrgId`, when sent, is the inlet's org; `flowId`,
 * when sent, belongs to a flow on this inlet.
 */
export function prepareXdmMessage(part: Partition, inlet: Inlet, message: unknown, size: number): Prepared {
  if (!isRecord(message) || !isRecord(message['header']) || !isRecord(message['body']))
    return { ok: false, message: UNKNOWN_FORMAT };
  const header = message['header'];
  const body = message['body'];
  const headerSchema = schemaRefId(header);
  const bodySchema = schemaRefId(body['xdmMeta']);
  const entity = body['xdmEntity'];
  if (headerSchema === undefined || bodySchema === undefined || !isRecord(entity))
    return { ok: false, message: UNKNOWN_FORMAT };
  const org = header['imsOrgId'];
  if (org !== undefined && org !== part.org)
    return { ok: false, message: 'Message has an absent or wrong ims org in the header' };
  const datasetId = header['datasetId'];
  if (typeof datasetId !== 'string' || datasetId === '')
    return { ok: false, message: 'Message has no datasetId in the header' };
  const dataset = part.dataSets.get(datasetId);
  if (dataset === undefined) return { ok: false, message: `Dataset [${datasetId}] does not exist` };
  const schemaId = canonicalSchemaId(part, headerSchema);
  const datasetSchema = dataset.schemaRef === undefined ? undefined : canonicalSchemaId(part, dataset.schemaRef.id);
  if (datasetSchema !== schemaId) {
    return {
      ok: false,
      message: `Message schema [${headerSchema}] does not match the schema [${dataset.schemaRef?.id ?? ''}] of dataset [${datasetId}]`,
    };
  }
  if (canonicalSchemaId(part, bodySchema) !== schemaId) {
    return {
      ok: false,
      message: `Message xdmMeta schemaRef [${bodySchema}] does not match the header schemaRef [${headerSchema}]`,
    };
  }
  const flowId = header['flowId'];
  if (flowId !== undefined && (typeof flowId !== 'string' || !flowUsesInlet(part, flowId, inlet))) {
    return { ok: false, message: `Flow [${jsonText(flowId)}] does not belong to this inlet` };
  }
  return { ok: true, record: { datasetId, schemaId, entity, size } };
}
