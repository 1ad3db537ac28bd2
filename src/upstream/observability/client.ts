import { chunkIds } from '../chunkIds.ts';
import type { Credentials } from '../credentials.ts';
import type { HttpTransport } from '../http.ts';
import { ServiceHttp } from '../serviceHttp.ts';
import type { MetricsRequestDto, MetricsResponseDto } from './types.ts';
import {
  DATASET_FILTER,
  FILTER_VALUE_SEPARATOR,
  INGESTION_METRICS,
  METRICS_PATH,
  OBSERVABILITY_BASE_PATH,
  dpsKey,
  type Granularity,
} from './wire.ts';

/**
 * Dataset ids per metrics request. The service documents no cap on a filter value; 100
 * ids keep the body near 2.5 kB and a dashboard page (at most 100 datasets) in one request.
 */
export const MAX_DATASETS_PER_REQUEST = 100;

export interface IngestionWindow {
  /** Epoch ms. */
  startMs: number;
  /** Epoch ms, not before `startMs`. */
  endMs: number;
  granularity: Granularity;
}

export type IngestionMetric = 'recordsIngested' | 'recordsFailed' | 'bytesIngested';
const METRICS: readonly IngestionMetric[] = ['recordsIngested', 'recordsFailed', 'bytesIngested'];

/** Per dataset id: per metric, bucket key (`dpsKey`) → value. Datasets the service reported nothing for are absent. */
export type IngestionSeries = Map<string, Record<IngestionMetric, Record<string, number>>>;

/**
 * Observability Insights (`/data/infrastructure/observability/insights`). `POST /metrics`
 * answers every metric of the request for the whole window in one response (no paging).
 */
export class ObservabilityClient {
  readonly #http: ServiceHttp;

  constructor(options: { transport: HttpTransport; baseUrl: string }) {
    this.#http = new ServiceHttp(
      options.transport,
      'observability',
      options.baseUrl.replace(/\/+$/, '') + OBSERVABILITY_BASE_PATH,
    );
  }

  /** `POST /metrics` (V2). */
  getMetrics(c: Credentials, body: MetricsRequestDto): Promise<MetricsResponseDto> {
    return this.#http.send<MetricsResponseDto>(c, 'POST', METRICS_PATH, body);
  }

  /**
   * Records ingested, records failed and bytes ingested of many datasets over one window:
   * one request per `MAX_DATASETS_PER_REQUEST` datasets, each metric filtered by the ids
   * joined with `|` and grouped by dataset.
   */
  async getDatasetIngestion(
    c: Credentials,
    datasetIds: readonly string[],
    window: IngestionWindow,
  ): Promise<IngestionSeries> {
    const series: IngestionSeries = new Map();
    await Promise.all(
      chunkIds(datasetIds, MAX_DATASETS_PER_REQUEST).map(async (chunk) => {
        const value = chunk.join(FILTER_VALUE_SEPARATOR);
        const body = await this.getMetrics(c, {
          start: dpsKey(window.startMs),
          end: dpsKey(window.endMs),
          granularity: window.granularity,
          metrics: METRICS.map((metric) => ({
            name: INGESTION_METRICS[metric],
            filters: [{ name: DATASET_FILTER, value, groupBy: true }],
            aggregator: 'sum',
            downsample: 'sum',
          })),
        });
        for (const response of body.metricResponses) {
          const metric = METRICS.find((m) => INGESTION_METRICS[m] === response.metric);
          if (metric === undefined) continue;
          for (const points of response.datapoints) {
            // the spec's schema spells the key `datasetID`, its example and the guide `dataSetId`
            const id = points.groupBy.dataSetId ?? points.groupBy.datasetID;
            if (id === undefined) continue;
            let entry = series.get(id);
            if (entry === undefined) {
              entry = { recordsIngested: {}, recordsFailed: {}, bytesIngested: {} };
              series.set(id, entry);
            }
            entry[metric] = points.dps;
          }
        }
      }),
    );
    return series;
  }
}
