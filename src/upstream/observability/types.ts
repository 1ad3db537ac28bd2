/**
 * Observability Insights wire types (`/data/infrastructure/observability/insights`):
 * `POST /metrics` (V2), JSON exactly as the metrics guide shows it (§7).
 */

export interface MetricFilterDto {
  /** `dataSetId`: the only filter the guide shows. */
  name: string;
  /** One or more ids joined by `|`. */
  value: string;
  /** `true`: one datapoints entry per id; otherwise one entry for all of them. */
  groupBy?: boolean;
}

export interface MetricQueryDto {
  name: string;
  filters?: MetricFilterDto[];
  /** Combines several series into one (OpenTSDB aggregator): `sum`, `avg`, `min`, `max`, `count`. */
  aggregator: string;
  /** Combines the values inside one `granularity` bucket; same functions as `aggregator`. */
  downsample?: string;
}

export interface MetricsRequestDto {
  /** ISO-8601. */
  start: string;
  /** ISO-8601, not before `start`. */
  end: string;
  /** `HOUR`, `DAY`, `WEEK`, `MONTH`. */
  granularity: string;
  metrics: MetricQueryDto[];
}

export interface MetricDatapointsDto {
  /** `{dataSetId}` for a `groupBy` filter; `{}` when the series covers every id of the filter. */
  groupBy: { dataSetId?: string; datasetID?: string };
  /** Bucket start (`2020-07-14T00:00:00Z`) → value; buckets without data may be absent. */
  dps: Record<string, number>;
}

export interface MetricResponseDto {
  metric: string;
  filters?: MetricFilterDto[];
  datapoints: MetricDatapointsDto[];
  granularity: string;
}

export interface MetricsResponseDto {
  metricResponses: MetricResponseDto[];
}

/** Error body of the metrics guide (`INSGHT-{code}-{status}`). */
export interface InsightsProblemDto {
  type: string;
  title: string;
  status: number;
  report: {
    tenantInfo: { sandboxName: string; sandboxId: string; imsOrgId: string };
    additionalContext: unknown;
  };
  'error-chain': Array<{ serviceId: string; errorCode: string; invokingServiceId: string; unixTimeStampMs: number }>;
}
