/**
 * Configuration, parsed once from the environment. `loadConfig` is pure: it reads only the
 * record it is given and reports every bad variable in one error.
 */

import { IMS_ORG_ID } from './upstream/credentials.ts';
import { DEFAULT_KEY_ORIGIN } from './upstream/ioEvents/wire.ts';

export interface EmulatorConfig {
  port: number;
  demo: boolean;
  dataFile: string | undefined;
  latencyMs: number;
  timeScale: number;
  /** Service requests the emulator's request log keeps (the most recent). */
  requestLogSize: number;
}

export interface OperationLimits {
  /** Nesting of fields (fragments flattened; introspection not counted). */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens of the document; the parser stops past them. */
  maxTokens: number;
  /** Objects the answer can hold at most (src/graph/cost.ts). */
  maxCost: number;
  /** Selections the cost estimate visits, fragments expanded; past them the operation is too complex. */
  maxNodes: number;
}

/** Logs (src/observability/log.ts). */
export interface LogConfig {
  level: LogLevel;
  /** `auto`: human-readable on a terminal, JSON lines otherwise. */
  format: 'json' | 'pretty' | 'auto';
  /** Longest `x-request-id` taken from a caller; a longer or odd one is replaced by a new id. */
  requestIdMaxLength: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The OTEL_TRACES_SAMPLER values understood (the OpenTelemetry specification's names). */
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/** OpenTelemetry tracing (src/observability/tracing.ts); set only when OTEL_EXPORTER_OTLP_ENDPOINT is. */
export interface TracingConfig {
  /** Where spans go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. */
  tracesUrl: string;
  /** OTEL_EXPORTER_OTLP_HEADERS (`key=value,...`): may hold a collector's API key, so never logged. */
  headers: Record<string, string>;
  serviceName: string;
  sampler: TraceSampler;
  /** The ratio of the `traceidratio` samplers, 0 to 1. */
  samplerRatio: number;
}

export interface RateLimitConfig {
  /** Requests one caller may start per window; 0 = no limit. */
  requests: number;
  windowMs: number;
  /** Requests of one caller that wait for its next window once it is over; one more is refused. */
  queue: number;
  /** Longest a refusal is held before it is answered (never past the caller's Retry-After). */
  rejectDelayMs: number;
}

export interface Config {
  port: number;
  host: string;
  /** Platform origin (`https://platform.adobe.io`); undefined = the embedded emulator. */
  platformUrl: string | undefined;
  /** Streaming collection origin; defaults to the platform's (the emulator serves both). */
  streamingUrl: string | undefined;
  imsUrl: string | undefined;
  clientId: string;
  clientSecret: string;
  orgId: string;
  scopes: string;
  defaultSandbox: string;
  /** Serve callers that send no credentials with the server's own. */
  allowAnonymous: boolean;
  specCacheTtlMs: number;
  /** How long the platform's confirmation of a pass-through caller's org and sandbox is trusted. */
  callerVerificationTtlMs: number;
  /** Confirmed callers remembered at once. */
  callerVerificationMaxEntries: number;
  /** Target connections whose dataset and schema ids are remembered to be read early (0 = none). */
  linkPredictionMaxEntries: number;
  upstreamConnections: number;
  /** Upstream calls of one tenant (org + sandbox) in flight at once, over the shared pools. */
  upstreamConnectionsPerTenant: number;
  /** Upstream calls in flight at once of all pass-through callers the platform has not confirmed yet, together. */
  upstreamConnectionsUnverified: number;
  upstreamTimeoutMs: number;
  /**
   * Bytes of confirmed tenants' upstream GET answers whose parsed form is kept, to be reused
   * while the upstream sends the same bytes again (0 = none kept), and one tenant's share.
   */
  upstreamParsedAnswersBytes: number;
  upstreamParsedAnswersBytesPerTenant: number;
  /** Upstream requests (retries included) one operation may send. */
  maxUpstreamRequestsPerOperation: number;
  /** Time one operation may take, waiting for connections and retries included. */
  operationTimeoutMs: number;
  /** Cost (objects, estimated before execution) of the operations executing at once; 0 = no limit. */
  maxObjectsInFlight: number;
  /** Bounds on mutation inputs, checked before any upstream write (src/orchestration/inputBounds.ts). */
  inputLimits: InputLimits;
  /** The same for the operations of one tenant (org and sandbox); at most maxObjectsInFlight. */
  maxObjectsInFlightPerTenant: number;
  /** Limits every operation is checked against before it executes (see src/operationLimits.ts). */
  limits: OperationLimits;
  /** Executions of one operation (per parsed document) by graphql-js before it is compiled with graphql-jit. */
  compileOperationsAfter: number;
  /** V8's old-space growth between mark-compacts, in percent (0 = V8's own); applied by src/main.ts (src/heap.ts). */
  heapGrowingPercent: number;
  /** Answer introspection queries (`__schema`, `__type`); also shows "Did you mean" suggestions. */
  introspection: boolean;
  /** Serve the Apollo Sandbox landing page to browsers at the API's URL. */
  landingPage: boolean;
  /** Buckets one `Dataset.ingestion` time series may have. */
  ingestionMaxPoints: number;
  /** Browser origins that may call the API from their pages (CORS). */
  cors: CorsConfig;
  /** How long the landing page waits for Apollo Sandbox's script before it opens the self-hosted GraphiQL. */
  explorerSandboxTimeoutMs: number;
  /** Largest GraphQL request body read; a larger one is refused with 413. */
  maxRequestBodyBytes: number;
  /** Requests per caller, before a request's body is read (src/callerRateLimit.ts). */
  rateLimit: RateLimitConfig;
  /** Set when the API runs over the embedded emulator. */
  emulator: EmulatorConfig | undefined;
  /** The I/O Events webhook (`POST /webhooks/io-events`). */
  ioEvents: IoEventsConfig;
  /** Prometheus metrics at `/metrics` (src/observability/metrics.ts). */
  metrics: MetricsConfig;
  /** `/ready`'s upstream probe and the drain on SIGTERM (src/readiness.ts). */
  readiness: ReadinessConfig;
  /** Compression of answers (src/compression.ts). */
  compression: CompressionConfig;
  /** Subscriptions, the run poller and the shared state of replicas. */
  live: LiveConfig;
  log: LogConfig;
  /** Undefined unless OTEL_EXPORTER_OTLP_ENDPOINT is set (and OTEL_SDK_DISABLED is not true): nothing is traced. */
  tracing: TracingConfig | undefined;
}

export interface IoEventsConfig {
  /** Origin of the public keys deliveries are signed with; undefined = the embedded emulator's. */
  keyOrigin: string | undefined;
  /** The `recipient_client_id` a delivery must name. */
  clientId: string;
  keyCacheTtlMs: number;
  keyCacheMaxEntries: number;
  keyFetchTimeoutMs: number;
  /** How long an event id is remembered, so that a repeated delivery is absorbed. */
  dedupTtlMs: number;
  maxBodyBytes: number;
}

export interface CorsConfig {
  /** Every origin (`*`). */
  anyOrigin: boolean;
  /** Any port of http(s)://localhost, 127.0.0.1 and [::1]. */
  localhost: boolean;
  /** Exact origins, `scheme://host[:port]`. */
  origins: string[];
  /** How long a browser may cache a preflight's answer. */
  maxAgeSeconds: number;
}

export interface MetricsConfig {
  enabled: boolean;
  /** Serve `/metrics` on this port instead of the API's (0 = any free port). */
  port: number | undefined;
  /** Distinct operation names labelled; later names count as `other`. */
  maxOperationNames: number;
}

export interface ReadinessConfig {
  /** How often the upstream and IMS are probed; `/ready` answers from the last probe. */
  probeIntervalMs: number;
  /** Time a probe may take before its target counts as unreachable. */
  probeTimeoutMs: number;
  /** On SIGTERM: how long `/ready` answers 503 while the API still serves, before it drains and exits. */
  shutdownGraceMs: number;
}

export interface CompressionConfig {
  enabled: boolean;
  /** Answers from this size on are compressed (gzip or br, as the client accepts). */
  minBytes: number;
}

export interface LiveConfig {
  /** Redis holding what replicas share (idempotency, events, seen keys, caller confirmations); undefined: in memory. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel, so that several deployments can share one Redis. */
  redisKeyPrefix: string;
  /** How often a tenant with subscribers is polled for finished runs; 0: never (webhooks only). */
  pollIntervalMs: number;
  /** How far before the last finished run seen each poll reads again, for runs the Platform reports late. */
  pollLookbackMs: number;
  /** Runs one poll reads at most (pages of 100). */
  pollMaxRuns: number;
  /** How long a finished run's key is remembered, so that a webhook and a poll report it once. */
  seenKeyTtlMs: number;
  /** Subscriptions one WebSocket connection may hold at once. */
  maxSubscriptionsPerConnection: number;
  /** WebSocket connections one tenant (org + sandbox) may hold at once on one replica. */
  maxConnectionsPerTenant: number;
  /** Events waiting for the subscriptions of one document, variables and credentials; past it the newest are dropped. */
  subscriptionBufferSize: number;
  /** Bytes a subscriber's socket may hold unsent; past it that subscriber's events are dropped until it drains. */
  subscriptionSocketBufferBytes: number;
  /** Flows one flowHealthChanged subscription remembers the health of; past it the least recently reported is forgotten. */
  healthMaxFlows: number;
}

export interface InputLimits {
  /** Names, titles, table and column names, mapping attributes and paths, codes. */
  maxNameLength: number;
  /** Descriptions. */
  maxDescriptionLength: number;
  /** Source paths and ids (XDM `$id`s are URLs). */
  maxPathLength: number;
  /** Items of one input list: mappings, columns, field groups, keys of `params`. */
  maxListItems: number;
  /** Records of one `sendStreamingRecords` call. */
  maxStreamingRecords: number;
  /** Nesting of a JSON input (a streaming record, `source.params`): objects and arrays within each other. */
  maxJsonDepth: number;
  /** Longest schedule period (interval × frequency), in days. */
  maxScheduleIntervalDays: number;
  /** Earliest schedule start, in days before now. */
  maxScheduleStartAgeDays: number;
  /** Latest schedule start, in days after now. */
  maxScheduleStartLeadDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The embedded emulator's demo org and client (it issues a token for any client). */
export const DEMO_CLIENT_ID = 'ingestion-graph-demo';
export const DEMO_CLIENT_SECRET = 'demo-secret-not-for-production';
export const DEMO_ORG_ID = 'ACME0000000000000000DEMO@AdobeOrg';

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  number(name: string, fallback: number, min: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: must be a number >= ${min}`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)}: must be true or false`);
    return fallback;
  }

  url(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name}=${JSON.stringify(raw)}: must be an http(s) URL`);
      return undefined;
    }
  }

  /** A redis:// or rediss:// URL; never echoed, it may hold a password. */
  redisUrl(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('protocol');
      return raw;
    } catch {
      this.problems.push(`${name}: must be a redis:// or rediss:// URL`);
      return undefined;
    }
  }

  /** Never echoes the value: it may be a secret. */
  required(name: string, why: string): string {
    const v = this.string(name);
    if (v === undefined) this.problems.push(`${name} is required ${why}`);
    return v ?? '';
  }
}

/**
 * CORS_ORIGINS: comma-separated origins (`https://app.example.com`), `localhost` (any port of the
 * loopback hosts), `*` (every origin) or `none`. Default: `localhost` over the embedded emulator,
 * none against a real Platform.
 */
function corsOrigins(r: Reader, embedded: boolean): CorsConfig {
  const cors: CorsConfig = {
    anyOrigin: false,
    localhost: false,
    origins: [],
    maxAgeSeconds: r.int('CORS_MAX_AGE_SECONDS', 600, 0, 86_400),
  };
  const raw = r.string('CORS_ORIGINS') ?? (embedded ? 'localhost' : 'none');
  for (const entry of raw.split(',').map((e) => e.trim())) {
    if (entry === 'none') continue;
    if (entry === '*') cors.anyOrigin = true;
    else if (entry === 'localhost') cors.localhost = true;
    else if (isOrigin(entry)) cors.origins.push(entry.replace(/\/$/, ''));
    else
      r.problems.push(
        `CORS_ORIGINS: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], no path), "localhost", "*" or "none"`,
      );
  }
  return cors;
}

function isOrigin(entry: string): boolean {
  try {
    const u = new URL(entry);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === entry.replace(/\/$/, '');
  } catch {
    return false;
  }
}

function readLogConfig(r: Reader): LogConfig {
  const level = (r.string('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    r.problems.push(`LOG_LEVEL=${JSON.stringify(level)}: must be one of ${LOG_LEVELS.join(', ')}`);
  const format = (r.string('LOG_FORMAT') ?? 'auto').toLowerCase();
  if (format !== 'json' && format !== 'pretty' && format !== 'auto')
    r.problems.push(`LOG_FORMAT=${JSON.stringify(format)}: must be json, pretty or auto`);
  return {
    level: (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'info',
    format: format === 'json' || format === 'pretty' ? format : 'auto',
    requestIdMaxLength: r.int('REQUEST_ID_MAX_LENGTH', 128, 8, 1024),
  };
}

/** `key=value,key2=value2`, values URL-decoded (the OpenTelemetry specification's form). Never echoes a value. */
function otlpHeaders(r: Reader, name: string): Record<string, string> {
  const raw = r.string(name);
  const headers: Record<string, string> = {};
  if (raw === undefined) return headers;
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at < 1 || key === '') {
      r.problems.push(`${name}: must be key=value pairs separated by commas`);
      return {};
    }
    try {
      headers[key.toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      r.problems.push(`${name}: the value of ${key} is not URL-encoded`);
    }
  }
  return headers;
}

function readTracingConfig(r: Reader): TracingConfig | undefined {
  const endpoint = r.url('OTEL_EXPORTER_OTLP_ENDPOINT');
  const tracesEndpoint = r.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const headers = otlpHeaders(r, 'OTEL_EXPORTER_OTLP_HEADERS');
  const protocol = r.string('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (protocol !== 'http/protobuf')
    r.problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL=${JSON.stringify(protocol)}: only http/protobuf is supported`);
  const sampler = (r.string('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on').toLowerCase();
  if (!(TRACE_SAMPLERS as readonly string[]).includes(sampler))
    r.problems.push(`OTEL_TRACES_SAMPLER=${JSON.stringify(sampler)}: must be one of ${TRACE_SAMPLERS.join(', ')}`);
  const ratio = r.number('OTEL_TRACES_SAMPLER_ARG', 1, 0);
  if (ratio > 1) r.problems.push(`OTEL_TRACES_SAMPLER_ARG=${ratio}: must be a ratio from 0 to 1`);
  const serviceName = r.string('OTEL_SERVICE_NAME') ?? 'ingestion-graph';
  const disabled = r.bool('OTEL_SDK_DISABLED', false);
  const tracesUrl = tracesEndpoint ?? (endpoint === undefined ? undefined : `${endpoint}/v1/traces`);
  if (tracesUrl === undefined || disabled) return undefined;
  return {
    tracesUrl,
    headers,
    serviceName,
    sampler: (TRACE_SAMPLERS as readonly string[]).includes(sampler)
      ? (sampler as TraceSampler)
      : 'parentbased_always_on',
    samplerRatio: Math.min(ratio, 1),
  };
}

const MB = 1024 * 1024;

export function loadConfig(env: Env): Config {
  const r = new Reader(env);
  const platformUrl = r.url('PLATFORM_URL');
  const embedded = platformUrl === undefined;
  const why = 'when PLATFORM_URL points at a real Platform';
  const config: Config = {
    port: r.int('PORT', 4000, 0, 65535),
    host: r.string('HOST') ?? '127.0.0.1',
    platformUrl,
    streamingUrl: r.url('STREAMING_URL'),
    imsUrl: r.url('IMS_URL'),
    clientId: embedded ? (r.string('IMS_CLIENT_ID') ?? DEMO_CLIENT_ID) : r.required('IMS_CLIENT_ID', why),
    clientSecret: embedded
      ? (r.string('IMS_CLIENT_SECRET') ?? DEMO_CLIENT_SECRET)
      : r.required('IMS_CLIENT_SECRET', why),
    orgId: embedded ? (r.string('IMS_ORG_ID') ?? DEMO_ORG_ID) : r.required('IMS_ORG_ID', why),
    scopes:
      r.string('IMS_SCOPES') ?? 'openid,AdobeID,read_organizations,additional_info.projectedProductContext,session',
    defaultSandbox: (r.string('DEFAULT_SANDBOX') ?? 'prod').toLowerCase(),
    allowAnonymous: r.bool('ALLOW_ANONYMOUS', embedded),
    specCacheTtlMs: r.int('SPEC_CACHE_TTL_SECONDS', 300, 0, 86_400) * 1000,
    callerVerificationTtlMs: r.int('CALLER_VERIFICATION_TTL_SECONDS', 60, 0, 3_600) * 1000,
    callerVerificationMaxEntries: r.int('CALLER_VERIFICATION_MAX_ENTRIES', 10_000, 1, 1_000_000),
    linkPredictionMaxEntries: r.int('LINK_PREDICTION_MAX_ENTRIES', 20_000, 0, 10_000_000),
    upstreamConnections: r.int('UPSTREAM_CONNECTIONS', 32, 1, 1024),
    upstreamConnectionsPerTenant: 0,
    upstreamConnectionsUnverified: 0,
    upstreamTimeoutMs: r.int('UPSTREAM_TIMEOUT_MS', 15_000, 100, 300_000),
    upstreamParsedAnswersBytes: r.int('UPSTREAM_PARSED_ANSWERS_MB', 32, 0, 65_536) * MB,
    upstreamParsedAnswersBytesPerTenant: 0,
    maxUpstreamRequestsPerOperation: r.int('MAX_UPSTREAM_REQUESTS_PER_OPERATION', 500, 1, 1_000_000),
    operationTimeoutMs: r.int('OPERATION_TIMEOUT_MS', 30_000, 100, 600_000),
    maxObjectsInFlight: r.int('MAX_OBJECTS_IN_FLIGHT', 8_000, 0, 10_000_000),
    inputLimits: {
      maxNameLength: r.int('INPUT_MAX_NAME_LENGTH', 256, 1, 100_000),
      maxDescriptionLength: r.int('INPUT_MAX_DESCRIPTION_LENGTH', 4_000, 1, 1_000_000),
      maxPathLength: r.int('INPUT_MAX_PATH_LENGTH', 1_024, 1, 100_000),
      maxListItems: r.int('INPUT_MAX_LIST_ITEMS', 1_000, 1, 1_000_000),
      maxStreamingRecords: r.int('STREAMING_MAX_RECORDS', 5_000, 1, 1_000_000),
      maxJsonDepth: r.int('INPUT_MAX_JSON_DEPTH', 64, 1, 1_000),
      maxScheduleIntervalDays: r.int('SCHEDULE_MAX_INTERVAL_DAYS', 366, 1, 36_600),
      maxScheduleStartAgeDays: r.int('SCHEDULE_MAX_START_AGE_DAYS', 3_650, 0, 36_600),
      maxScheduleStartLeadDays: r.int('SCHEDULE_MAX_START_LEAD_DAYS', 1_830, 0, 36_600),
    },
    maxObjectsInFlightPerTenant: 0,
    limits: {
      maxDepth: r.int('MAX_QUERY_DEPTH', 12, 1, 1_000),
      maxAliases: r.int('MAX_QUERY_ALIASES', 20, 0, 10_000),
      maxDirectives: r.int('MAX_QUERY_DIRECTIVES', 20, 0, 10_000),
      maxTokens: r.int('MAX_QUERY_TOKENS', 2_000, 1, 1_000_000),
      maxCost: r.int('MAX_QUERY_COST', 20_000, 1, 100_000_000),
      maxNodes: r.int('MAX_QUERY_NODES', 5_000, 1, 10_000_000),
    },
    compileOperationsAfter: r.int('COMPILE_OPERATIONS_AFTER', 2, 0, 1_000_000),
    heapGrowingPercent: r.int('HEAP_GROWING_PERCENT', 75, 0, 1_000),
    introspection: r.bool('INTROSPECTION', embedded),
    landingPage: r.bool('LANDING_PAGE', embedded),
    ingestionMaxPoints: r.int('INGESTION_MAX_POINTS', 1_000, 1, 100_000),
    cors: corsOrigins(r, embedded),
    explorerSandboxTimeoutMs: r.int('EXPLORER_SANDBOX_TIMEOUT_MS', 4_000, 0, 60_000),
    maxRequestBodyBytes: r.int('MAX_REQUEST_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    rateLimit: {
      requests: r.int('RATE_LIMIT_REQUESTS', 100, 0, 1_000_000),
      windowMs: r.int('RATE_LIMIT_WINDOW_MS', 1_000, 10, 3_600_000),
      queue: r.int('RATE_LIMIT_QUEUE', 500, 0, 1_000_000),
      rejectDelayMs: r.int('RATE_LIMIT_REJECT_DELAY_MS', 1_000, 0, 60_000),
    },
    emulator: undefined,
    ioEvents: {
      keyOrigin: undefined,
      clientId: '',
      keyCacheTtlMs: r.int('IO_EVENTS_KEY_CACHE_TTL_SECONDS', 3_600, 1, 86_400) * 1000,
      keyCacheMaxEntries: r.int('IO_EVENTS_KEY_CACHE_MAX_ENTRIES', 16, 1, 10_000),
      keyFetchTimeoutMs: r.int('IO_EVENTS_KEY_FETCH_TIMEOUT_MS', 5_000, 100, 60_000),
      // I/O Events retries for 24 hours: a retry after that is not expected
      dedupTtlMs: r.int('IO_EVENTS_DEDUP_TTL_SECONDS', 90_000, 60, 30 * 86_400) * 1000,
      maxBodyBytes: r.int('IO_EVENTS_MAX_BODY_BYTES', 262_144, 1_024, 16 * 1024 * 1024),
    },
    metrics: {
      enabled: r.bool('METRICS_ENABLED', true),
      port: r.string('METRICS_PORT') === undefined ? undefined : r.int('METRICS_PORT', 0, 0, 65535),
      maxOperationNames: r.int('METRICS_MAX_OPERATION_NAMES', 100, 1, 10_000),
    },
    readiness: {
      probeIntervalMs: r.int('READY_PROBE_INTERVAL_MS', 10_000, 100, 3_600_000),
      probeTimeoutMs: r.int('READY_PROBE_TIMEOUT_MS', 2_000, 100, 60_000),
      shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 5_000, 0, 3_600_000),
    },
    compression: {
      enabled: r.bool('COMPRESSION_ENABLED', true),
      minBytes: r.int('COMPRESSION_MIN_BYTES', 1_024, 0, 100_000_000),
    },
    live: {
      redisUrl: r.redisUrl('REDIS_URL'),
      redisKeyPrefix: r.string('REDIS_KEY_PREFIX') ?? 'ingestion-graph:',
      pollIntervalMs: r.int('POLL_INTERVAL_MS', 15_000, 0, 86_400_000),
      pollLookbackMs: r.int('POLL_LOOKBACK_MS', 60_000, 0, 86_400_000),
      pollMaxRuns: r.int('POLL_MAX_RUNS', 1_000, 1, 100_000),
      seenKeyTtlMs: r.int('RUN_EVENT_SEEN_TTL_SECONDS', 86_400, 1, 2_592_000) * 1000,
      maxSubscriptionsPerConnection: r.int('MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 10_000),
      maxConnectionsPerTenant: r.int('MAX_WS_CONNECTIONS_PER_TENANT', 200, 1, 1_000_000),
      subscriptionBufferSize: r.int('SUBSCRIPTION_BUFFER_SIZE', 100, 1, 1_000_000),
      subscriptionSocketBufferBytes: r.int('SUBSCRIPTION_SOCKET_BUFFER_BYTES', 1_048_576, 1_024, 1_073_741_824),
      healthMaxFlows: r.int('SUBSCRIPTION_HEALTH_MAX_FLOWS', 1_000, 1, 1_000_000),
    },
    log: readLogConfig(r),
    tracing: readTracingConfig(r),
  };
  // over the embedded emulator its own origin serves the keys (startServer fills it in)
  config.ioEvents.keyOrigin = r.url('IO_EVENTS_KEY_ORIGIN') ?? (embedded ? undefined : DEFAULT_KEY_ORIGIN);
  config.ioEvents.clientId = r.string('IO_EVENTS_CLIENT_ID') ?? config.clientId;
  const perTenant = r.int('MAX_OBJECTS_IN_FLIGHT_PER_TENANT', Math.ceil(config.maxObjectsInFlight / 2), 0, 10_000_000);
  if (config.maxObjectsInFlight > 0 && (perTenant < 1 || perTenant > config.maxObjectsInFlight))
    r.problems.push(
      `MAX_OBJECTS_IN_FLIGHT_PER_TENANT=${perTenant}: must be from 1 to MAX_OBJECTS_IN_FLIGHT (${config.maxObjectsInFlight})`,
    );
  config.maxObjectsInFlightPerTenant = perTenant;
  if (!embedded && config.imsUrl === undefined)
    r.problems.push(`IMS_URL is required ${why} (e.g. https://ims-na1.adobelogin.com)`);
  if (!embedded && config.streamingUrl === undefined)
    r.problems.push(`STREAMING_URL is required ${why} (e.g. https://dcs.adobedc.net)`);
  if (config.orgId !== '' && !IMS_ORG_ID.test(config.orgId))
    r.problems.push('IMS_ORG_ID: must be an IMS org id, <up to 64 ASCII letters and digits>@AdobeOrg');
  // half the pool by default: two tenants at their cap still leave a connection to a third within a round trip
  config.upstreamConnectionsPerTenant = r.int(
    'UPSTREAM_CONNECTIONS_PER_TENANT',
    Math.max(1, Math.floor(config.upstreamConnections / 2)),
    1,
    1024,
  );
  if (config.upstreamConnectionsPerTenant > config.upstreamConnections)
    r.problems.push(
      `UPSTREAM_CONNECTIONS_PER_TENANT=${config.upstreamConnectionsPerTenant}: must not exceed UPSTREAM_CONNECTIONS (${config.upstreamConnections}), or one tenant can take every connection`,
    );
  // unconfirmed callers share a quarter of one tenant's share: a made-up token never uses a real tenant's
  config.upstreamConnectionsUnverified = r.int(
    'UPSTREAM_CONNECTIONS_UNVERIFIED',
    Math.max(1, Math.floor(config.upstreamConnectionsPerTenant / 4)),
    1,
    1024,
  );
  if (config.upstreamConnectionsUnverified > config.upstreamConnectionsPerTenant)
    r.problems.push(
      `UPSTREAM_CONNECTIONS_UNVERIFIED=${config.upstreamConnectionsUnverified}: must not exceed UPSTREAM_CONNECTIONS_PER_TENANT (${config.upstreamConnectionsPerTenant})`,
    );
  // a quarter of the whole by default: one tenant's fleet never pushes out every other tenant's answers
  const answersMb = config.upstreamParsedAnswersBytes / MB;
  const answersPerTenantMb = r.int('UPSTREAM_PARSED_ANSWERS_PER_TENANT_MB', Math.ceil(answersMb / 4), 0, 65_536);
  if (answersPerTenantMb > answersMb)
    r.problems.push(
      `UPSTREAM_PARSED_ANSWERS_PER_TENANT_MB=${answersPerTenantMb}: must not exceed UPSTREAM_PARSED_ANSWERS_MB (${answersMb})`,
    );
  config.upstreamParsedAnswersBytesPerTenant = answersPerTenantMb * MB;
  if (embedded) {
    config.emulator = {
      port: r.int('EMULATOR_PORT', 4010, 0, 65535),
      demo: r.bool('EMULATOR_DEMO', true),
      dataFile: r.string('EMULATOR_DATA'),
      latencyMs: r.int('EMULATOR_LATENCY_MS', 0, 0, 60_000),
      timeScale: r.number('EMULATOR_TIME_SCALE', 1, 0.001),
      requestLogSize: r.int('EMULATOR_REQUEST_LOG_SIZE', 10_000, 1, 10_000_000),
    };
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
