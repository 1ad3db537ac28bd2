import type { MetricQueryDto, MetricsRequestDto } from '../../upstream/observability/types.ts';
import { METRICS_PATH, OBSERVABILITY_BASE_PATH, parseGranularity } from '../../upstream/observability/wire.ts';
import { insightsError } from '../errors.ts';
import type { Reply, RouteContext, Router } from '../router.ts';
import { METRIC_NAMES, isAggregator, metricResponses, type Window } from './metrics.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `INSGHT-1000-400` "Bad request payload", the guide's code for every payload problem. */
function badPayload(ctx: RouteContext, reason: string): never {
  throw insightsError(
    400,
    1000,
    `Bad Request - ${reason}`,
    { sandboxName: ctx.part.sandbox, sandboxId: ctx.part.sandboxId, imsOrgId: ctx.org },
    ctx.runtime.clock.now(),
  );
}

function time(ctx: RouteContext, body: Record<string, unknown>, field: 'start' | 'end'): number {
  const value = body[field];
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) badPayload(ctx, `${field} must be an ISO 8601 timestamp, got ${JSON.stringify(value)}.`);
  return ms;
}

function metricQuery(ctx: RouteContext, value: unknown, index: number): MetricQueryDto {
  const at = `metrics[${index}]`;
  if (!isObject(value)) badPayload(ctx, `${at} must be an object.`);
  const { name, filters, aggregator, downsample } = value;
  if (typeof name !== 'string' || !METRIC_NAMES.includes(name))
    badPayload(ctx, `${at}.name ${JSON.stringify(name)} is not a metric; known: ${METRIC_NAMES.join(', ')}.`);
  if (!isAggregator(aggregator))
    badPayload(ctx, `${at}.aggregator is missing or invalid: ${JSON.stringify(aggregator)}.`);
  if (downsample !== undefined && !isAggregator(downsample))
    badPayload(ctx, `${at}.downsample is invalid: ${JSON.stringify(downsample)}.`);
  if (filters !== undefined) {
    const ok =
      Array.isArray(filters) &&
      filters.every((f) => isObject(f) && typeof f['name'] === 'string' && typeof f['value'] === 'string');
    if (!ok) badPayload(ctx, `${at}.filters must be an array of {name, value, groupBy?}.`);
  }
  const query: MetricQueryDto = { name, aggregator };
  if (downsample !== undefined) query.downsample = downsample;
  if (filters !== undefined)
    query.filters = (filters as Array<Record<string, unknown>>).map((f) => ({
      name: f['name'] as string,
      value: f['value'] as string,
      ...(f['groupBy'] === undefined ? {} : { groupBy: f['groupBy'] === true }),
    }));
  return query;
}

/**
 * `POST /metrics` (V2). The guide's request sends no `x-sandbox-id` (the spec marks it
 * required); the emulator, like the guide, needs only the usual platform headers.
 */
function metrics(ctx: RouteContext): Reply {
  const body = ctx.body;
  if (!isObject(body)) badPayload(ctx, 'the body must be a JSON object.');
  const startMs = time(ctx, body, 'start');
  const endMs = time(ctx, body, 'end');
  if (startMs > endMs) badPayload(ctx, 'Start date cannot be after end date.');
  const granularity = parseGranularity(body['granularity'] ?? 'DAY');
  if (granularity === undefined)
    badPayload(ctx, `granularity ${JSON.stringify(body['granularity'])} is not supported.`);
  const list = body['metrics'];
  if (!Array.isArray(list) || list.length === 0) badPayload(ctx, 'metrics must be a non-empty array.');
  const request: MetricsRequestDto = {
    start: String(body['start']),
    end: String(body['end']),
    granularity,
    metrics: list.map((m, i) => metricQuery(ctx, m, i)),
  };
  const window: Window = { startMs, endMs, granularity };
  return { status: 200, body: { metricResponses: metricResponses(ctx.part, request, window) } };
}

export function registerObservability(router: Router): void {
  router.add('observability', 'POST', `${OBSERVABILITY_BASE_PATH}${METRICS_PATH}`, metrics);
}
