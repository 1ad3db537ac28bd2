import type { BatchDto, BatchStatus, CatalogRefsDto, LastBatchDto } from '../../upstream/catalog/types.ts';
import { catalogError } from '../errors.ts';
import { batchId } from '../ids.ts';
import type { Reply, RouteContext, Router } from '../router.ts';
import type { EmulatorRuntime } from '../runtime.ts';
import type { Partition } from '../store.ts';
import { MAX_LIMIT, listKeyed, type ListSpec } from './query.ts';
import {
  bumpVersion,
  checkIfMatch,
  eTagOf,
  isPlainObject,
  patchedFields,
  requireObject,
  validateTags,
  withoutServerOwned,
} from './update.ts';
import { adobeIdOf } from '../../upstream/ims/wire.ts';
import { CATALOG_BASE_PATH, catalogRefs } from '../../upstream/catalog/wire.ts';

/** The batch `status` enum of the spec (CONTRACT §3.3). */
export const BATCH_STATUSES: readonly BatchStatus[] = [
  'processing',
  'success',
  'failure',
  'queued',
  'retrying',
  'stalled',
  'aborted',
  'abandoned',
  'inactive',
  'failed',
  'loading',
  'loaded',
  'staged',
  'active',
  'staging',
  'deleted',
];
const FAILED: readonly BatchStatus[] = ['failed', 'failure'];

const refs = (id: string): CatalogRefsDto => catalogRefs('batches', id);

const relatedIds = (batch: Record<string, unknown>, type: string): string[] =>
  ((batch['relatedObjects'] ?? []) as BatchDto['relatedObjects']).filter((o) => o.type === type).map((o) => o.id);

const relatedFilter = (type: string) => (value: string) => {
  const wanted = new Set(value.split(','));
  return (_id: string, batch: Record<string, unknown>) => relatedIds(batch, type).some((id) => wanted.has(id));
};

/** `createdAfter=…` etc.: epoch ms, exclusive (CONTRACT §3.3). */
const timeFilter = (prop: string, after: boolean) => (value: string) => {
  if (!/^\d+$/.test(value))
    throw catalogError(400, 1400, `The time filter on ${prop} must be epoch milliseconds, got '${value}'`);
  const bound = Number(value);
  return (_id: string, batch: Record<string, unknown>) => {
    const t = batch[prop];
    return typeof t === 'number' && (after ? t > bound : t < bound);
  };
};

const BATCH_LIST: ListSpec = {
  simple: [
    'id',
    'status',
    'externalId',
    'createdClient',
    'createdUser',
    'updatedUser',
    'created',
    'updated',
    'version',
    'recordCount',
    'failedRecordCount',
    'size',
    'started',
    'completed',
  ],
  custom: {
    dataSet: relatedFilter('dataSet'),
    batch: relatedFilter('batch'),
    createdAfter: timeFilter('created', true),
    createdBefore: timeFilter('created', false),
    startAfter: timeFilter('started', true),
    startBefore: timeFilter('started', false),
    endAfter: timeFilter('completed', true),
    endBefore: timeFilter('completed', false),
  },
};

/** Rows `first` to `last` (1-based) as the contract writes them: `"3"`, or a range `"3-5"`. */
export function rowRange(first: number, last: number): string {
  return first === last ? String(first) : `${first}-${last}`;
}

/** Row numbers (1-based) as the contract writes them: `"3"` or a range `"3-5"`, ascending. */
export function rowRanges(rows: number[]): string[] {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(rowRange(sorted[i]!, sorted[j]!));
    i = j + 1;
  }
  return ranges;
}

function batchesOf(part: Partition, dataSetId: string): Array<[string, BatchDto]> {
  return [...part.batches].filter(([, b]) => relatedIds(b, 'dataSet').includes(dataSetId));
}

/** The most recently created of `batches` (insertion order breaks ties). */
function latest(batches: Array<[string, BatchDto]>): [string, BatchDto] | undefined {
  let best: [string, BatchDto] | undefined;
  for (const entry of batches) if (best === undefined || entry[1].created >= best[1].created) best = entry;
  return best;
}

/** Keeps a dataset's `lastBatchId`/`lastBatchStatus` in step with its batches. */
function refreshDataSet(part: Partition, dataSetId: string): void {
  const dataSet = part.dataSets.get(dataSetId);
  if (dataSet === undefined) return;
  const last = latest(batchesOf(part, dataSetId));
  if (last === undefined) {
    delete dataSet.lastBatchId;
    delete dataSet.lastBatchStatus;
  } else {
    dataSet.lastBatchId = last[0];
    dataSet.lastBatchStatus = last[1].status;
  }
  // edited in place: setting it again is what the journal logs
  part.dataSets.set(dataSetId, dataSet);
}

/**
 * `refreshDataSet` after one batch was added, without reading the others: the dataset's last
 * batch is the newest of its batches, so the new one replaces it when it is not older (ties
 * go to the later insertion, as in `latest`). A last batch that is gone means the fields are
 * not known to be right, so they are worked out from every batch again.
 */
function noteNewBatch(part: Partition, dataSetId: string, id: string, batch: BatchDto): void {
  const dataSet = part.dataSets.get(dataSetId);
  if (dataSet === undefined) return;
  const current = dataSet.lastBatchId === undefined ? undefined : part.batches.get(dataSet.lastBatchId);
  if (dataSet.lastBatchId !== undefined && current === undefined) return refreshDataSet(part, dataSetId);
  if (current !== undefined && batch.created < current.created) return;
  dataSet.lastBatchId = id;
  dataSet.lastBatchStatus = batch.status;
  // edited in place: setting it again is what the journal logs
  part.dataSets.set(dataSetId, dataSet);
}

function validStatus(status: unknown): BatchStatus {
  if (typeof status !== 'string' || !(BATCH_STATUSES as readonly string[]).includes(status)) {
    throw catalogError(400, 1410, `status must be one of ${BATCH_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
  }
  return status as BatchStatus;
}

export interface RecordBatchInput {
  dataSetId: string;
  status: BatchStatus;
  recordCount: number;
  failedRecordCount: number;
  size: number;
  errors?: BatchDto['errors'];
  flowId?: string;
  runId?: string;
  inputFormat?: string;
  startedAt?: number;
  completedAt?: number;
}

/**
 * Records a batch that other emulator parts wrote into a dataset (run producer, streaming)
 * and updates the dataset's last-batch fields. Returns the batch id. The dataset must
 * exist in `part`; callers validate that first.
 */
export function recordBatch(runtime: EmulatorRuntime, part: Partition, input: RecordBatchInput): string {
  if (!part.dataSets.has(input.dataSetId))
    throw new Error(`recordBatch: dataset ${input.dataSetId} does not exist in ${part.org}/${part.sandbox}`);
  const now = runtime.clock.now();
  const id = batchId(now);
  const client = input.flowId === undefined ? 'acp_streaming_ingestion' : 'acp_flow_service';
  const tags: Record<string, string[]> = {};
  if (input.flowId !== undefined) tags['flowId'] = [input.flowId];
  if (input.runId !== undefined) tags['runId'] = [input.runId];
  const batch: BatchDto = {
    imsOrg: part.org,
    sandboxId: part.sandboxId,
    created: input.startedAt ?? now,
    updated: now,
    createdClient: client,
    createdUser: adobeIdOf(client),
    updatedUser: adobeIdOf(client),
    status: input.status,
    started: input.startedAt ?? now,
    completed: input.completedAt ?? now,
    recordCount: input.recordCount,
    failedRecordCount: input.failedRecordCount,
    size: input.size,
    relatedObjects: [{ type: 'dataSet', id: input.dataSetId }],
    tags,
    version: '1.0.0',
  };
  if (input.errors !== undefined && input.errors.length > 0) batch.errors = input.errors;
  if (input.inputFormat !== undefined) batch.inputFormat = { format: input.inputFormat };
  part.batches.set(id, batch);
  noteNewBatch(part, input.dataSetId, id, batch);
  return id;
}

function create(ctx: RouteContext): Reply {
  const body = requireObject(ctx.body);
  const related = Array.isArray(body['relatedObjects'])
    ? (body['relatedObjects'] as unknown[]).filter(isPlainObject)
    : [];
  const dataSetId = body['datasetId'] ?? related.find((o) => o['type'] === 'dataSet')?.['id'];
  if (typeof dataSetId !== 'string')
    throw catalogError(400, 1410, 'datasetId (or a relatedObjects entry of type dataSet) is required');
  if (!ctx.part.dataSets.has(dataSetId)) throw catalogError(400, 1413, `Dataset ${dataSetId} was not found`);
  const inputFormat = body['inputFormat'];
  if (inputFormat !== undefined && (!isPlainObject(inputFormat) || typeof inputFormat['format'] !== 'string')) {
    throw catalogError(400, 1410, 'inputFormat.format must be a string');
  }
  validateTags(body['tags']);
  // the dataset link, other links and the status are the server's to set
  const rest = withoutServerOwned(body);
  for (const key of ['datasetId', 'relatedObjects', 'status']) delete rest[key];
  const now = ctx.runtime.clock.now();
  const user = adobeIdOf(ctx.clientId);
  const others = related.filter((o) => o['type'] !== 'dataSet') as BatchDto['relatedObjects'];
  const batch: BatchDto = {
    ...rest,
    imsOrg: ctx.org,
    sandboxId: ctx.part.sandboxId,
    created: now,
    updated: now,
    createdClient: ctx.clientId,
    createdUser: user,
    updatedUser: user,
    status: 'loading',
    relatedObjects: [{ type: 'dataSet', id: dataSetId }, ...others],
    version: '1.0.0',
  };
  const id = batchId(now);
  ctx.part.batches.set(id, batch);
  refreshDataSet(ctx.part, dataSetId);
  return { status: 201, body: refs(id), headers: { location: `${CATALOG_BASE_PATH}/batches/${id}` } };
}

function update(ctx: RouteContext, build: (current: BatchDto) => Record<string, unknown>): Reply {
  const id = ctx.params['id']!;
  const current = ctx.part.batches.get(id);
  if (current === undefined) throw catalogError(404, 1404, `Batch ${id} was not found`);
  checkIfMatch(ctx, current.version, id);
  const fields = build(current);
  const status = validStatus(fields['status'] ?? current.status);
  validateTags(fields['tags']);
  const now = ctx.runtime.clock.now();
  const next: BatchDto = {
    ...withoutServerOwned(fields),
    imsOrg: current.imsOrg,
    sandboxId: current.sandboxId,
    created: current.created,
    createdClient: current.createdClient,
    createdUser: current.createdUser,
    updated: now,
    updatedUser: adobeIdOf(ctx.clientId),
    status,
    relatedObjects: current.relatedObjects,
    version: bumpVersion(current.version),
  };
  ctx.part.batches.set(id, next);
  for (const dataSetId of relatedIds(current, 'dataSet')) refreshDataSet(ctx.part, dataSetId);
  return { status: 200, body: refs(id), headers: { 'e-tag': eTagOf(next.version) } };
}

function lookup(ctx: RouteContext): Reply {
  const ids = [...new Set(ctx.params['id']!.split(',').filter((s) => s !== ''))];
  const found = ids.flatMap((id) => {
    const batch = ctx.part.batches.get(id);
    return batch === undefined ? [] : [[id, batch] as [string, Record<string, unknown>]];
  });
  if (found.length === 0) throw catalogError(404, 1404, `Batch ${ids.join(',')} was not found`);
  const reply: Reply = listKeyed(found, ctx.query, BATCH_LIST);
  if (ids.length === 1) reply.headers = { 'e-tag': eTagOf(found[0]![1]['version'] as string) };
  return reply;
}

/** `GET /lastBatches?dataSetId=a,b`: keyed by dataset id; datasets without batches are omitted. */
/** The filters of `GET /lastBatches` besides `dataSetId`; `limit`, `start`, `orderBy` and `properties` page it. */
const LAST_BATCH_LIST: ListSpec = {
  simple: ['lastBatchId', 'lastBatchStatus', 'lastSuccessfulBatchId', 'lastFailedBatchId', 'created', 'updated'],
};

function lastBatches(ctx: RouteContext): Reply {
  const raw = ctx.query.get('dataSetId');
  if (raw === null || raw.trim() === '') throw catalogError(400, 1400, 'The query parameter dataSetId is required');
  const body: Record<string, LastBatchDto> = {};
  for (const dataSetId of new Set(raw.split(',').filter((s) => s !== ''))) {
    const batches = batchesOf(ctx.part, dataSetId);
    const last = latest(batches);
    if (last === undefined) continue;
    const entry: LastBatchDto = {
      lastBatchId: last[0],
      lastBatchStatus: last[1].status,
      imsOrg: ctx.org,
      sandboxId: ctx.part.sandboxId,
      created: last[1].created,
      updated: last[1].updated,
    };
    const success = latest(batches.filter(([, b]) => b.status === 'success'));
    const failed = latest(batches.filter(([, b]) => FAILED.includes(b.status)));
    if (success !== undefined) entry.lastSuccessfulBatchId = success[0];
    if (failed !== undefined) entry.lastFailedBatchId = failed[0];
    body[dataSetId] = entry;
  }
  const query = new URLSearchParams(ctx.query);
  query.delete('dataSetId');
  // the spec gives no default page for this map: without `limit`, every dataset asked for
  if (!query.has('limit')) query.set('limit', String(Math.min(MAX_LIMIT, Math.max(1, Object.keys(body).length))));
  const rows = Object.entries(body).map(([id, e]): [string, Record<string, unknown>] => [id, { ...e }]);
  return listKeyed(rows, query, LAST_BATCH_LIST);
}

export function registerBatches(router: Router): void {
  const base = `${CATALOG_BASE_PATH}/batches`;
  router.add('catalog', 'GET', base, (ctx) => listKeyed(ctx.part.batches.entries(), ctx.query, BATCH_LIST));
  router.add('catalog', 'POST', base, create);
  router.add('catalog', 'GET', `${base}/:id`, lookup);
  router.add('catalog', 'PUT', `${base}/:id`, (ctx) => update(ctx, () => requireObject(ctx.body)));
  router.add('catalog', 'PATCH', `${base}/:id`, (ctx) => update(ctx, (current) => patchedFields(ctx, current)));
  router.add('catalog', 'GET', `${CATALOG_BASE_PATH}/lastBatches`, lastBatches);
}
