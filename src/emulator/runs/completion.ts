import type { FlowDto, RunActivityDto, RunDto, RunStatus } from '../../upstream/flowService/types.ts';
import { recordBatch, rowRange } from '../catalog/batches.ts';
import { newEtag } from '../ids.ts';
import type { EmulatorRuntime } from '../runtime.ts';
import type { Partition } from '../store.ts';
import type { RunPlan } from './runPlan.ts';

/** The failed records follow the `written` ones: each error names its own consecutive rows. */
function failedRows(
  written: number,
  errors: RunPlan['errors'],
): Array<{ code: string; rows: string[]; description: string }> {
  let next = written + 1;
  return errors.map((e) => {
    const count = Math.max(1, e.recordCount ?? 1);
    // consecutive rows are one range, written without a list of every row
    const rows = [rowRange(next, next + count - 1)];
    next += count;
    return { code: e.code, rows, description: e.message };
  });
}

/**
 * Finishes a run at `completedAt` (CONTRACT §2.7): final metrics and activities, one Catalog
 * batch per target dataset unless the source could not be read, the batch ids in the
 * Promotion Activity, a new etag, and the flow's `lastRunDetails` when this run is its newest.
 */
export function completeRun(
  runtime: EmulatorRuntime,
  part: Partition,
  run: RunDto,
  flow: FlowDto | undefined,
  plan: RunPlan,
  completedAt: number,
): void {
  const startedAt = run.metrics.durationSummary.startedAtUTC;
  const copied = plan.failure === 'connector' ? 0 : plan.inputRecordCount;
  // A run that could not read its source read nothing.
  const inputBytes = plan.failure === 'connector' ? 0 : plan.inputBytes;
  const written =
    plan.failure === 'connector' || plan.failure === 'mapper' ? 0 : plan.inputRecordCount - plan.failedRecordCount;
  const outputBytes = Math.round(((plan.inputBytes * written) / Math.max(1, plan.inputRecordCount)) * 0.42);
  const status: RunStatus = plan.failure === undefined ? 'success' : 'failed';
  const outputFileCount = written === 0 ? 0 : Math.max(1, Math.ceil(outputBytes / 268_435_456));

  const batchIds =
    plan.failure === 'connector'
      ? []
      : writeBatches(runtime, part, run, flow, plan, { written, outputBytes, status, startedAt, completedAt });
  const copyEnd = startedAt + Math.round(plan.durationMs * 0.6);
  const [copy, promotion] = run.activities as [RunActivityDto | undefined, RunActivityDto | undefined];
  if (copy !== undefined) {
    copy.durationSummary = { startedAtUTC: startedAt, completedAtUTC: copyEnd };
    copy.sizeSummary = { inputBytes, outputBytes: inputBytes };
    copy.recordSummary = { inputRecordCount: copied, outputRecordCount: copied, failedRecordCount: 0 };
    copy.fileSummary = {
      inputFileCount: plan.inputFileCount,
      outputFileCount: plan.failure === 'connector' ? 0 : plan.inputFileCount,
    };
    copy.statusSummary =
      plan.failure === 'connector' ? { status: 'failed', errors: plan.errors } : { status: 'success' };
    copy.updatedAtUTC = copyEnd;
  }
  if (promotion !== undefined) {
    promotion.durationSummary = { startedAtUTC: copyEnd, completedAtUTC: completedAt };
    promotion.sizeSummary = { inputBytes, outputBytes };
    promotion.recordSummary = {
      inputRecordCount: copied,
      outputRecordCount: written,
      failedRecordCount: plan.failure === 'connector' ? 0 : plan.failedRecordCount,
    };
    promotion.fileSummary = { inputFileCount: copied === 0 ? 0 : plan.inputFileCount, outputFileCount };
    promotion.statusSummary =
      plan.failure === 'connector' || plan.failure === undefined ? { status } : { status, errors: plan.errors };
    for (const target of promotion.targetInfo ?? []) target.reference.ids = batchIds;
    promotion.updatedAtUTC = completedAt;
  }

  run.metrics = {
    durationSummary: { startedAtUTC: startedAt, completedAtUTC: completedAt },
    sizeSummary: { inputBytes, outputBytes },
    recordSummary: {
      inputRecordCount: copied,
      outputRecordCount: written,
      failedRecordCount: plan.failure === 'connector' ? 0 : plan.failedRecordCount,
    },
    fileSummary: {
      inputFileCount: plan.inputFileCount,
      outputFileCount,
      failedFileCount: plan.failure === 'connector' ? plan.inputFileCount : 0,
    },
    statusSummary: statusSummary(status, plan, batchIds[0]),
  };
  run.updatedAt = completedAt;
  run.etag = newEtag();
  run.version = run.etag;

  if (flow !== undefined && (flow.lastRunDetails === undefined || flow.lastRunDetails.startedAtUTC <= startedAt)) {
    flow.lastRunDetails = {
      id: run.id,
      state: status === 'failed' ? 'failed' : 'success',
      startedAtUTC: startedAt,
      completedAtUTC: completedAt,
    };
    // edited in place: setting it again is what the journal logs
    part.flows.set(flow.id, flow);
  }
  runtime.webhooks.runFinished(run);
}

function statusSummary(
  status: RunStatus,
  plan: RunPlan,
  batchId: string | undefined,
): RunDto['metrics']['statusSummary'] {
  if (plan.errors.length === 0) return { status };
  const manifest =
    batchId === undefined || plan.failedRecordCount === 0
      ? undefined
      : {
          failedRecords: `https://platform.adobe.io/data/foundation/export/batches/${batchId}/failed`,
          sampleErrors: `https://platform.adobe.io/data/foundation/export/batches/${batchId}/failed?path=meta:row_errors`,
        };
  const extensions = { errors: plan.errors, ...(manifest === undefined ? {} : { manifest }) };
  // A success with partial record failures reports them only under `extensions`.
  return status === 'failed'
    ? { status, errors: plan.errors.map(({ code, message }) => ({ code, message })), extensions }
    : { status, extensions };
}

interface Written {
  written: number;
  outputBytes: number;
  status: RunStatus;
  startedAt: number;
  completedAt: number;
}

/** One Catalog batch per target dataset; a dataset deleted meanwhile gets none. */
function writeBatches(
  runtime: EmulatorRuntime,
  part: Partition,
  run: RunDto,
  flow: FlowDto | undefined,
  plan: RunPlan,
  w: Written,
): string[] {
  const targetIds = run.activities[1]?.targetInfo?.map((t) => t.id) ?? flow?.targetConnectionIds ?? [];
  const ids: string[] = [];
  for (const targetId of targetIds) {
    const dataSetId = part.targetConnections.get(targetId)?.params?.dataSetId;
    if (dataSetId === undefined || !part.dataSets.has(dataSetId)) continue;
    ids.push(
      recordBatch(runtime, part, {
        dataSetId,
        status: w.status === 'failed' ? 'failed' : 'success',
        recordCount: w.written,
        failedRecordCount: plan.failedRecordCount,
        size: w.outputBytes,
        ...(plan.errors.length === 0 ? {} : { errors: failedRows(w.written, plan.errors) }),
        flowId: run.flowId,
        runId: run.id,
        inputFormat: inputFormatOf(part, flow),
        startedAt: w.startedAt,
        completedAt: w.completedAt,
      }),
    );
  }
  return ids;
}

function inputFormatOf(part: Partition, flow: FlowDto | undefined): string {
  const source = flow === undefined ? undefined : part.sourceConnections.get(flow.sourceConnectionIds[0] ?? '');
  const format = source?.data?.format?.toLowerCase();
  if (format === 'delimited') return 'csv';
  if (format === 'json' || format === 'parquet') return format;
  return 'parquet';
}
