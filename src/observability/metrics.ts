import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GateCounters } from '../admission.ts';
import type { RequestInfo } from '../upstream/http.ts';
import type { ParsedAnswersStats } from '../upstream/parsedAnswers.ts';
import { routeTemplate } from '../upstream/routeTemplate.ts';

/** The label of an operation without a name, and of names past the cap. */
const ANONYMOUS_OPERATION = 'anonymous';
const OTHER_OPERATION = 'other';
/** An operation that never reached execution with a document we could read (unparsable, invalid). */
const UNRESOLVED_OPERATION = 'unresolved';

export type OperationOutcome = 'success' | 'partial' | 'error';

export interface MetricsOptions {
  /** Distinct operation names given their own label; later ones count as `other`. */
  maxOperationNames: number;
  /** What runs and waits in the admission gate, read at each scrape. */
  admission?: () => GateCounters | undefined;
  /** What the live machinery holds now (WebSocket connections, subscribers, pollers), read at each scrape. */
  live?: () => LiveCounters | undefined;
  /** What the kept parsed upstream answers hold and how often they were reused, read at each scrape. */
  parsedAnswers?: () => ParsedAnswersStats | undefined;
}

export interface LiveCounters {
  connections: number;
  subscribers: number;
  pollers: number;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_SIZES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's global
 * one), so servers in one process never share or clash. Every label takes values from a
 * bounded set: operation names up to a cap, route templates (src/upstream/routeTemplate.ts),
 * service and loader names from the code, HTTP statuses.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #names = new Set<string>();
  readonly #maxNames: number;
  readonly #operationDuration: Histogram<'operation' | 'outcome'>;
  readonly #upstreamDuration: Histogram<'service' | 'method' | 'route' | 'status'>;
  readonly #upstreamRequests: Counter<'service' | 'method' | 'route' | 'status'>;
  readonly #upstreamRetries: Counter<'service' | 'method' | 'route'>;
  readonly #loaderBatch: Histogram<'loader'>;
  readonly #admissionWait: Histogram;
  readonly #specCache: Counter<'kind' | 'result'>;

  constructor(options: MetricsOptions) {
    this.#maxNames = options.maxOperationNames;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#operationDuration = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operations by operation name and outcome (success, partial: data with errors, error: no data)',
      labelNames: ['operation', 'outcome'],
      buckets: SECONDS,
      registers,
    });
    const upstreamLabels = ['service', 'method', 'route', 'status'] as const;
    this.#upstreamDuration = new Histogram({
      name: 'upstream_request_duration_seconds',
      help: 'Upstream HTTP attempts (retries included) by service, method, route template and status (`error`: no response)',
      labelNames: upstreamLabels,
      buckets: SECONDS,
      registers,
    });
    this.#upstreamRequests = new Counter({
      name: 'upstream_requests_total',
      help: 'Upstream HTTP attempts (retries included) by service, method, route template and status',
      labelNames: upstreamLabels,
      registers,
    });
    this.#upstreamRetries = new Counter({
      name: 'upstream_retries_total',
      help: 'Upstream HTTP attempts after the first of a call',
      labelNames: ['service', 'method', 'route'],
      registers,
    });
    this.#loaderBatch = new Histogram({
      name: 'dataloader_batch_size',
      help: 'Keys per DataLoader batch, by loader',
      labelNames: ['loader'],
      buckets: BATCH_SIZES,
      registers,
    });
    this.#admissionWait = new Histogram({
      name: 'admission_wait_seconds',
      help: 'Time operations waited for admission (0 for those admitted at once)',
      buckets: [0, ...SECONDS],
      registers,
    });
    this.#specCache = new Counter({
      name: 'spec_cache_lookups_total',
      help: 'Spec cache lookups by kind (connectionSpecs, flowSpecs) and result (hit, miss)',
      labelNames: ['kind', 'result'],
      registers,
    });
    // a gauge that reads its value from a component's counters at each scrape
    const gaugeOf =
      <C>(source: () => C | undefined) =>
      (name: string, help: string, read: (c: C) => number) =>
        new Gauge({
          name,
          help,
          registers,
          collect() {
            const counters = source();
            if (counters !== undefined) this.set(read(counters));
          },
        });
    const admission = options.admission ?? (() => undefined);
    const gauge = gaugeOf(admission);
    gauge('admission_queue_length', 'Operations waiting for admission now', (c) => c.waiting);
    gauge('admission_operations_in_flight', 'Operations admitted and executing now', (c) => c.inFlight);
    gauge('admission_weight_in_flight', 'Cost weight held by the operations executing now', (c) => c.weightInFlight);
    const total = (name: string, help: string, read: (c: GateCounters) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          const counters = admission();
          if (counters === undefined) return;
          // the gate keeps the count; the counter only reports it
          this.reset();
          this.inc(read(counters));
        },
      });
    const parsedAnswers = options.parsedAnswers ?? (() => undefined);
    new Counter({
      name: 'upstream_parsed_answers_total',
      help: 'Expected GET answers of confirmed tenants by whether the upstream sent the bytes of the kept answer again and its parsed form was reused (hit) or the answer was parsed (miss)',
      labelNames: ['result'],
      registers,
      collect() {
        const stats = parsedAnswers();
        if (stats === undefined) return;
        this.reset();
        this.inc({ result: 'hit' }, stats.hits);
        this.inc({ result: 'miss' }, stats.misses);
      },
    });
    const keptGauge = gaugeOf(parsedAnswers);
    keptGauge(
      'upstream_parsed_answers_kept_bytes',
      'Bytes of the upstream answers whose parsed form is kept now',
      (c) => c.bytes,
    );
    total('admission_admitted_total', 'Operations admitted since start', (c) => c.admitted);
    total('admission_waited_total', 'Operations admitted after waiting', (c) => c.waited);
    const liveGauge = gaugeOf(options.live ?? (() => undefined));
    liveGauge('live_connections', 'graphql-ws connections acknowledged now', (c) => c.connections);
    liveGauge('live_subscribers', 'Subscribers of run events on this replica now', (c) => c.subscribers);
    liveGauge(
      'live_pollers',
      'Run pollers running on this replica now (one per tenant with subscribers)',
      (c) => c.pollers,
    );
  }

  /** The operation label of `name`: itself while under the cap, else `other`; `anonymous` without one. */
  operationLabel(name: string | null | undefined): string {
    if (name === undefined || name === null || name === '') return ANONYMOUS_OPERATION;
    if (this.#names.has(name)) return name;
    if (this.#names.size >= this.#maxNames) return OTHER_OPERATION;
    this.#names.add(name);
    return name;
  }

  observeOperation(operation: string, outcome: OperationOutcome, seconds: number): void {
    this.#operationDuration.observe({ operation, outcome }, seconds);
  }

  /** The transport's `onRequest` hook: one call per attempt. */
  observeUpstream(info: RequestInfo): void {
    const route = routeTemplate(info.path);
    const labels = { service: info.service, method: info.method, route };
    const status = info.status === undefined ? 'error' : String(info.status);
    this.#upstreamRequests.inc({ ...labels, status });
    this.#upstreamDuration.observe({ ...labels, status }, info.durationMs / 1000);
    if (info.attempt > 0) this.#upstreamRetries.inc(labels);
  }

  observeBatch(loader: string, size: number): void {
    this.#loaderBatch.observe({ loader }, size);
  }

  observeAdmissionWait(seconds: number): void {
    this.#admissionWait.observe(seconds);
  }

  observeSpecCache(kind: string, hits: number, misses: number): void {
    if (hits > 0) this.#specCache.inc({ kind, result: 'hit' }, hits);
    if (misses > 0) this.#specCache.inc({ kind, result: 'miss' }, misses);
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** Times each operation from its start to its answer, labelled by name and outcome. */
export function metricsPlugin<TContext extends object>(metrics: Metrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation = UNRESOLVED_OPERATION;
      return {
        async didResolveOperation({ operationName }) {
          operation = metrics.operationLabel(operationName);
        },
        async willSendResponse({ response }) {
          let outcome: OperationOutcome = 'success';
          if (response.body.kind === 'single') {
            const { data, errors } = response.body.singleResult;
            if (errors !== undefined && errors.length > 0)
              outcome = data === undefined || data === null ? 'error' : 'partial';
          }
          metrics.observeOperation(operation, outcome, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
