/**
 * Observability Insights wire rules shared by the client and the emulator: the path,
 * the metric names, the granularities and the bucket maths of a time series. Pure.
 */

export const OBSERVABILITY_BASE_PATH = '/data/infrastructure/observability/insights';
export const METRICS_PATH = '/metrics';

/**
 * The ingestion metrics per dataset. Names from the metrics guide's table
 * (help/observability/api/metrics.md), except `recordfailed`: the guide lists no
 * ingestion metric for failed records (only Identity's
 * `timeseries.identity.dataset.recordfailed.count`); this one follows the same naming
 * and is what Platform scripts ask for, but no Adobe source confirms it.
 */
export const INGESTION_METRICS = {
  /** "Number of records ingested for one dataset or for all datasets." */
  recordsIngested: 'timeseries.ingestion.dataset.recordsuccess.count',
  /** Records that failed ingestion (undocumented name, see above). */
  recordsFailed: 'timeseries.ingestion.dataset.recordfailed.count',
  /** "Size of data ingested on a daily usage basis": bytes ingested in each bucket. */
  bytesIngested: 'timeseries.ingestion.dataset.dailysize',
  /** "Cumulative size of all data ingested": bytes ingested up to the end of each bucket. */
  cumulativeBytes: 'timeseries.ingestion.dataset.size',
  /** "Number of batches ingested." */
  batchesSucceeded: 'timeseries.ingestion.dataset.batchsuccess.count',
  /** "Number of batches failed." */
  batchesFailed: 'timeseries.ingestion.dataset.batchfailed.count',
} as const;

/** The only filter the guide shows. */
export const DATASET_FILTER = 'dataSetId';
/** How one filter value names several ids. */
export const FILTER_VALUE_SEPARATOR = '|';

/**
 * The bucket lengths offered. The guide shows `DAY` and `MONTH` and says granularity is
 * an OpenTSDB downsampling interval; `HOUR` and `WEEK` are the other calendar units.
 */
export const GRANULARITIES = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The OpenTSDB functions accepted as `aggregator` and `downsample`. */
export const AGGREGATORS = ['sum', 'avg', 'min', 'max', 'count'] as const;
export type Aggregator = (typeof AGGREGATORS)[number];

/** `HOUR` or `hour` (the guide's request sends `day`, its response `DAY`); undefined otherwise. */
export function parseGranularity(value: unknown): Granularity | undefined {
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined;
  return GRANULARITIES.find((g) => g === upper);
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The start (UTC) of the bucket holding `ms`: hours and days, ISO weeks from Monday, calendar months. */
export function bucketStart(ms: number, granularity: Granularity): number {
  switch (granularity) {
    case 'HOUR':
      return Math.floor(ms / HOUR_MS) * HOUR_MS;
    case 'DAY':
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case 'WEEK': {
      const day = Math.floor(ms / DAY_MS) * DAY_MS;
      const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
      return day - sinceMonday * DAY_MS;
    }
    case 'MONTH': {
      const d = new Date(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, granularity: Granularity): number {
  if (granularity !== 'MONTH')
    return start + (granularity === 'HOUR' ? HOUR_MS : granularity === 'DAY' ? DAY_MS : 7 * DAY_MS);
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * How many buckets the window `[startMs, endMs]` touches. A window counts whole buckets,
 * its last one included: the guide's `2020-07-14` … `2020-07-22` by `DAY` has nine points.
 */
export function bucketCount(startMs: number, endMs: number, granularity: Granularity): number {
  if (endMs < startMs) return 0;
  const last = bucketStart(endMs, granularity);
  if (granularity === 'HOUR' || granularity === 'DAY')
    return (last - bucketStart(startMs, granularity)) / (granularity === 'HOUR' ? HOUR_MS : DAY_MS) + 1;
  if (granularity === 'WEEK') return (last - bucketStart(startMs, granularity)) / (7 * DAY_MS) + 1;
  const a = new Date(startMs);
  const b = new Date(endMs);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
}

/** The start of every bucket of the window, in order (see `bucketCount`). */
export function bucketStarts(startMs: number, endMs: number, granularity: Granularity): number[] {
  const starts: number[] = [];
  const last = bucketStart(endMs, granularity);
  for (let t = bucketStart(startMs, granularity); t <= last; t = nextBucket(t, granularity)) starts.push(t);
  return starts;
}

/** A `dps` key: ISO-8601 in UTC without milliseconds, as the guide writes them (`2020-07-14T00:00:00Z`). */
export const dpsKey = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
