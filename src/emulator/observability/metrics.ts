import type { BatchDto } from '../../upstream/catalog/types.ts';
import type {
  MetricDatapointsDto,
  MetricFilterDto,
  MetricQueryDto,
  MetricResponseDto,
  MetricsRequestDto,
} from '../../upstream/observability/types.ts';
import {
  AGGREGATORS,
  DATASET_FILTER,
  FILTER_VALUE_SEPARATOR,
  INGESTION_METRICS,
  bucketStart,
  dpsKey,
  nextBucket,
  type Aggregator,
  type Granularity,
} from '../../upstream/observability/wire.ts';
import type { Partition } from '../store.ts';

/**
 * The ingestion metrics computed from what the partition really ingested: every Catalog
 * batch that reached a final status (runs and streaming both write one), counted at its
 * `completed` time in the bucket that holds it.
 */

type MetricName = (typeof INGESTION_METRICS)[keyof typeof INGESTION_METRICS];
export const METRIC_NAMES: readonly string[] = Object.values(INGESTION_METRICS);

const FINAL_STATUSES = new Set(['success', 'failed', 'failure', 'aborted', 'abandoned']);
const SUCCEEDED = new Set(['success']);

/** A batch count as stored: clients may have written it as a numeric string. */
function count(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** What one batch contributes to a metric; `size` is cumulative and handled apart. */
const CONTRIBUTION: Record<Exclude<MetricName, typeof INGESTION_METRICS.cumulativeBytes>, (b: BatchDto) => number> = {
  [INGESTION_METRICS.recordsIngested]: (b) => count(b.recordCount),
  [INGESTION_METRICS.recordsFailed]: (b) => count(b.failedRecordCount),
  [INGESTION_METRICS.bytesIngested]: (b) => count(b.size),
  [INGESTION_METRICS.batchesSucceeded]: (b) => (SUCCEEDED.has(b.status) ? 1 : 0),
  [INGESTION_METRICS.batchesFailed]: (b) => (SUCCEEDED.has(b.status) ? 0 : 1),
};

export interface Window {
  startMs: number;
  endMs: number;
  granularity: Granularity;
}

interface Landed {
  dataSetId: string;
  at: number;
  batch: BatchDto;
}

/** Final batches of the partition with their dataset and time. */
function landedBatches(part: Partition): Landed[] {
  const out: Landed[] = [];
  for (const batch of part.batches.values()) {
    if (!FINAL_STATUSES.has(batch.status)) continue;
    const at = Number(batch.completed ?? batch.updated);
    for (const o of batch.relatedObjects) if (o.type === 'dataSet') out.push({ dataSetId: o.id, at, batch });
  }
  return out;
}

function combine(values: number[], fn: Aggregator): number {
  switch (fn) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'count':
      return values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

/** Bucket key → the values that fall in it, for the batches of `ids` (undefined: every dataset). */
function bucketed(landed: Landed[], ids: Set<string> | undefined, metric: string, w: Window): Map<string, number[]> {
  const firstMs = bucketStart(w.startMs, w.granularity);
  const afterMs = nextBucket(bucketStart(w.endMs, w.granularity), w.granularity);
  const buckets = new Map<string, number[]>();
  const add = (at: number, value: number) => {
    const key = dpsKey(bucketStart(at, w.granularity));
    const list = buckets.get(key) ?? [];
    list.push(value);
    buckets.set(key, list);
  };
  const relevant = landed.filter((l) => ids === undefined || ids.has(l.dataSetId));
  if (metric === INGESTION_METRICS.cumulativeBytes) {
    // each bucket with data carries the running total up to its end (buckets without data are absent)
    const sorted = [...relevant].sort((a, b) => a.at - b.at);
    let total = 0;
    for (const l of sorted) {
      total += count(l.batch.size);
      if (l.at >= firstMs && l.at < afterMs) buckets.set(dpsKey(bucketStart(l.at, w.granularity)), [total]);
    }
    return buckets;
  }
  const contribution = CONTRIBUTION[metric as keyof typeof CONTRIBUTION];
  for (const l of relevant) if (l.at >= firstMs && l.at < afterMs) add(l.at, contribution(l.batch));
  return buckets;
}

function dps(buckets: Map<string, number[]>, downsample: Aggregator): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...buckets.keys()].sort()) out[key] = combine(buckets.get(key)!, downsample);
  return out;
}

/** One series per dataset for a `groupBy` filter, else one for all of its ids (or every dataset without a filter). */
function datapoints(landed: Landed[], query: MetricQueryDto, w: Window): MetricDatapointsDto[] {
  const filter: MetricFilterDto | undefined = query.filters?.find((f) => f.name === DATASET_FILTER);
  const downsample = (query.downsample ?? 'sum') as Aggregator;
  const aggregator = query.aggregator as Aggregator;
  const ids = filter?.value.split(FILTER_VALUE_SEPARATOR).filter((id) => id !== '');
  if (filter?.groupBy === true && ids !== undefined) {
    return [...new Set(ids)].map((id) => ({
      groupBy: { dataSetId: id },
      dps: dps(bucketed(landed, new Set([id]), query.name, w), downsample),
    }));
  }
  // several series in one: downsample each dataset's bucket, then aggregate across datasets
  const series = [...new Set(ids ?? landed.map((l) => l.dataSetId))].map((id) =>
    dps(bucketed(landed, new Set([id]), query.name, w), downsample),
  );
  const merged = new Map<string, number[]>();
  for (const s of series)
    for (const [key, value] of Object.entries(s)) merged.set(key, [...(merged.get(key) ?? []), value]);
  return [{ groupBy: {}, dps: dps(merged, aggregator) }];
}

/** The `metricResponses` of a checked request, in the order of its metrics. */
export function metricResponses(part: Partition, request: MetricsRequestDto, w: Window): MetricResponseDto[] {
  const landed = landedBatches(part);
  return request.metrics.map((query) => ({
    metric: query.name,
    ...(query.filters === undefined ? {} : { filters: query.filters }),
    datapoints: datapoints(landed, query, w),
    granularity: w.granularity,
  }));
}

export const isAggregator = (value: unknown): value is Aggregator =>
  typeof value === 'string' && (AGGREGATORS as readonly string[]).includes(value);
