import type { BatchDto } from '../../upstream/catalog/types.ts';
import { recordBatch, rowRanges } from '../catalog/batches.ts';
import type { EmulatorRuntime } from '../runtime.ts';
import type { Partition } from '../store.ts';
import type { Inlet } from './inlet.ts';
import { flowUsesInlet, type PreparedRecord } from './xdmMessage.ts';

/** A record accepted by DCS, with what async validation found wrong with it (empty when valid). */
export interface AcceptedRecord {
  record: PreparedRecord;
  problems: string[];
  /** The flow the message named (`header.flowId` or `x-adobe-flow-id`), if any. */
  flowId?: string;
}

/** Catalog batch error code for records that failed XDM validation after they were accepted (emulator-chosen). */
export const INVALID_RECORD_CODE = 'XDM_VALIDATION_FAILED';
const MAX_ERROR_ENTRIES = 10;

/** The flow on this inlet that writes to `datasetId`, so the batch can be tagged with it. */
function flowOf(part: Partition, inlet: Inlet, datasetId: string): string | undefined {
  for (const flow of part.flows.values()) {
    if (!flowUsesInlet(part, flow.id, inlet)) continue;
    if (flow.targetConnectionIds.some((id) => part.targetConnections.get(id)?.params?.dataSetId === datasetId))
      return flow.id;
  }
  return undefined;
}

/** One error per distinct problem, with the rows (positions among the batch's records) that had it. */
function batchErrors(items: AcceptedRecord[]): BatchDto['errors'] {
  const rows = new Map<string, number[]>();
  items.forEach(({ problems }, index) => {
    for (const problem of new Set(problems)) rows.set(problem, [...(rows.get(problem) ?? []), index + 1]);
  });
  return [...rows]
    .slice(0, MAX_ERROR_ENTRIES)
    .map(([description, positions]) => ({ code: INVALID_RECORD_CODE, rows: rowRanges(positions), description }));
}

/**
 * Lands accepted records in Catalog: one batch per target dataset per request. Valid
 * records count in `recordCount`, invalid ones in `failedRecordCount` with their problems
 * as batch `errors`; a batch whose records all failed has status `failed` (§6.2 async mode).
 */
export function landRecords(
  runtime: EmulatorRuntime,
  part: Partition,
  inlet: Inlet,
  accepted: AcceptedRecord[],
): string[] {
  const byDataset = new Map<string, AcceptedRecord[]>();
  for (const item of accepted) {
    const list = byDataset.get(item.record.datasetId) ?? [];
    list.push(item);
    byDataset.set(item.record.datasetId, list);
  }
  const ids: string[] = [];
  for (const [dataSetId, items] of byDataset) {
    if (!part.dataSets.has(dataSetId)) continue;
    const failed = items.filter((i) => i.problems.length > 0);
    const flowId = items.find((i) => i.flowId !== undefined)?.flowId ?? flowOf(part, inlet, dataSetId);
    ids.push(
      recordBatch(runtime, part, {
        dataSetId,
        status: failed.length === items.length ? 'failed' : 'success',
        recordCount: items.length - failed.length,
        failedRecordCount: failed.length,
        size: items.reduce((sum, i) => sum + i.record.size, 0),
        errors: failed.length === 0 ? undefined : batchErrors(items),
        inputFormat: 'json',
        ...(flowId === undefined ? {} : { flowId }),
      }),
    );
  }
  return ids;
}
