import type { DatasetIngestionArgs, IngestionPoint } from '../../generated/graphql.ts';
import type { IngestionSeries, IngestionWindow } from '../../upstream/observability/client.ts';
import { bucketCount, bucketStarts, dpsKey } from '../../upstream/observability/wire.ts';
import { badInput } from '../../errors.ts';

/** A dataset's ingestion over one window: the loader key. */
export interface IngestionKey extends IngestionWindow {
  datasetId: string;
}

/** One metrics request per distinct window. */
export const windowKey = (w: IngestionWindow): string => `${w.startMs}|${w.endMs}|${w.granularity}`;

/**
 * The window of `Dataset.ingestion`'s arguments, checked before any request: `end` not
 * before `start`, and at most `maxPoints` buckets.
 */
export function ingestionWindow(args: DatasetIngestionArgs, maxPoints: number): IngestionWindow {
  const startMs = Date.parse(args.start);
  const endMs = Date.parse(args.end);
  if (endMs < startMs) throw badInput('end', `must not be before start (${args.start}), got ${args.end}`);
  const points = bucketCount(startMs, endMs, args.granularity);
  if (points > maxPoints) {
    throw badInput(
      'granularity',
      `the window ${args.start} to ${args.end} has ${points} ${args.granularity} buckets, more than the ${maxPoints} allowed (INGESTION_MAX_POINTS); choose a coarser granularity or a shorter window`,
    );
  }
  return { startMs, endMs, granularity: args.granularity };
}

/** Every bucket of the window, zeros where the service reported nothing. */
export function ingestionPoints(series: IngestionSeries, key: IngestionKey): IngestionPoint[] {
  const found = series.get(key.datasetId);
  return bucketStarts(key.startMs, key.endMs, key.granularity).map((start) => {
    const k = dpsKey(start);
    return {
      at: new Date(start).toISOString(),
      recordsIngested: found?.recordsIngested[k] ?? 0,
      recordsFailed: found?.recordsFailed[k] ?? 0,
      bytesIngested: found?.bytesIngested[k] ?? 0,
    };
  });
}
