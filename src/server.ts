import type { GraphQLFormattedError } from 'graphql';
import { readFileSync } from 'node:fs';
import DataLoader from 'dataloader';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Config } from './config.ts';
import { admissionPlugin, WeightedGate } from './admission.ts';
import { CallerRateLimiter, rateLimitKey } from './callerRateLimit.ts';
import { operationLimitRules } from './operationLimits.ts';
import { createContext, eventContexts, type AppDeps, type Context } from './context.ts';
import { compiledExecutionGateway, type ExecutionCounters } from './compiledExecution.ts';
import { ErrorCode, formatError, hideSuggestionsPlugin, orderedErrorsPlugin } from './errors.ts';
import { resolvers } from './graph/resolvers.ts';
import { SpecCache } from './graph/spec/specCache.ts';
import { LinkPredictions } from './graph/connection/linkPredictions.ts';
import { CallerVerifier } from './upstream/callerVerifier.ts';
import { ConfirmedCallers } from './upstream/confirmedCallers.ts';
import { createUpstreamClients } from './upstream/clients.ts';
import { CallScope } from './upstream/callScope.ts';
import { HttpTransport, UpstreamError } from './upstream/http.ts';
import { ParsedAnswers } from './upstream/parsedAnswers.ts';
import { collectSecrets } from './upstream/upstreamError.ts';
import type { Timer } from './upstream/timer.ts';
import { ImsTokenProvider } from './upstream/ims/tokenProvider.ts';
import { MemoryIdempotencyStore, type IdempotencyStore } from './orchestration/idempotency.ts';
import type { Emulator } from './emulator/server.ts';
import { IO_EVENTS_WEBHOOK_PATH, IoEventsReceiver } from './live/ioEventsReceiver.ts';
import { MemoryRunEventBus, MemorySeenKeys, type RunEventBus, type SeenKeys } from './live/runEvents.ts';
import { IoEventsPublicKeys } from './upstream/ioEvents/publicKeys.ts';
import { createCorsHandler } from './cors.ts';
import { sendJson } from './jsonResponse.ts';
import { createExplorerRoutes, landingPageWithFallback } from './explorer.ts';
import { Metrics, metricsPlugin, type LiveCounters } from './observability/metrics.ts';
import { Readiness, type Schedule } from './readiness.ts';
import { withCompression } from './compression.ts';
import { FLOW_SERVICE_BASE_PATH } from './upstream/flowService/wire.ts';
import { IMS_TOKEN_PATH } from './upstream/ims/wire.ts';
import { LiveHub } from './live/liveHub.ts';
import { systemPollScheduler, type PollScheduler } from './live/runPoller.ts';
import type { SharedState } from './redis/sharedState.ts';
import { serveSubscriptions, type SubscriptionServer } from './subscriptions.ts';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { createLogger, type DestinationStream, type Logger } from './observability/log.ts';
import { Operation, operationOfError } from './observability/operation.ts';
import { operationObservationPlugin } from './observability/operationPlugin.ts';
import { acceptRequestId } from './observability/requestId.ts';
import { startTracing } from './observability/tracing.ts';
import { upstreamObserver } from './observability/upstreamObserver.ts';

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** Set when the API runs over the embedded emulator. */
  emulatorUrl: string | undefined;
  emulator: Emulator | undefined;
  deps: AppDeps;
  /** The admission gate (undefined when MAX_OBJECTS_IN_FLIGHT=0); its counters say what runs and waits. */
  admission: WeightedGate | undefined;
  /** Operations executed compiled and by graphql-js (all by graphql-js with `execution: 'graphql-js'`). */
  execution: ExecutionCounters;
  /** Finished runs, as webhooks (and pollers) report them: the one given, or this process's own. */
  runEvents: RunEventBus;
  /** What was seen (webhook event ids, ...): the one given, or this process's own. */
  seenKeys: SeenKeys;
  /** The I/O Events webhook at /webhooks/io-events; its counters say what it did with deliveries. */
  ioEvents: IoEventsReceiver;
  /** Undefined when METRICS_ENABLED=false. */
  metrics: Metrics | undefined;
  /** Where `/metrics` is served: the API's origin, or METRICS_PORT's; undefined when off. */
  metricsUrl: string | undefined;
  /** What `/ready` answers; `refresh()` probes the upstream now. */
  readiness: Readiness;
  /** `/ready` answers 503 from now on while everything else is still served (SIGTERM's grace period). */
  drain(): void;
  /** Subscriptions: the hub of this replica's subscribers (and pollers), the WebSocket server. */
  live: { hub: LiveHub; subscriptions: SubscriptionServer };
  /** The server's logger (LOG_LEVEL, LOG_FORMAT), for the entry point's own lines. */
  log: Logger;
  /** The per-caller rate limit (undefined when RATE_LIMIT_REQUESTS=0); its counters say what waits and is refused. */
  rateLimit: CallerRateLimiter | undefined;
  /** Stops listening, lets the operations in flight finish, then closes the upstream connections. */
  stop(): Promise<void>;
}

const MB = 1024 * 1024;
/** `1 MB` for whole megabytes, else the bytes. */
const sizeText = (bytes: number): string => (bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`);
const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

/** Forgets the server's token when the platform rejected it, so the next request fetches a new one. */
function tokenInvalidationPlugin(tokens: ImsTokenProvider): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          if (!contextValue.serverCredentials) return;
          if (errors.some((e) => e.originalError instanceof UpstreamError && e.originalError.status === 401)) {
            tokens.invalidate(contextValue.credentials.accessToken);
          }
        },
      };
    },
  };
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw Object.assign(new Error(`request body over ${sizeText(maxBytes)}`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendReadiness(res: ServerResponse, readiness: Readiness): void {
  const state = readiness.state();
  sendJson(res, state.status === 'ready' ? 200 : 503, state);
}

function sendMetrics(res: ServerResponse, metrics: Metrics): void {
  metrics.exposition().then(
    ({ contentType, text }) =>
      res
        .writeHead(200, {
          'content-type': contentType,
          'content-length': Buffer.byteLength(text),
          'cache-control': 'no-store',
        })
        .end(text),
    () => sendJson(res, 500, { error: 'metrics could not be collected' }),
  );
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err === undefined ? resolve() : reject(err)));
    server.closeAllConnections();
  });
}

export interface ServerOptions {
  idempotency?: IdempotencyStore;
  batching?: boolean;
  /** The API's clock (epoch ms): token refresh, spec-cache and caller-confirmation expiry and computed fields read it. Tests inject one. */
  now?: () => number;
  /** The transport's clock and retry waits (tests inject one to see waits without waiting). */
  timer?: Timer;
  /** Where finished runs are published and subscriptions read them (default: Redis with REDIS_URL, else in memory); closed by whoever made it. */
  runEvents?: RunEventBus;
  /** What was seen: webhook event ids, finished runs (default: Redis with REDIS_URL, else in memory). */
  seenKeys?: SeenKeys;
  /** How the readiness probe repeats; tests pass one that never fires and call `readiness.refresh()`. */
  readinessSchedule?: Schedule;
  /** When the run pollers poll (tests fire them by hand). */
  pollScheduler?: PollScheduler;
  /** Where log lines go, as JSON lines (tests keep them); default stdout as LOG_FORMAT says. */
  logDestination?: DestinationStream;
  /** Spans go to this exporter, whatever OTEL_* says (tests pass an InMemorySpanExporter). */
  traceExporter?: SpanExporter;
  /** 'graphql-js' executes every operation with graphql-js, never compiled (tests compare the two). */
  execution?: 'compiled' | 'graphql-js';
}

/**
 * Starts the API. Without a platform URL it first starts the embedded emulator and points
 * every upstream (platform, streaming, IMS) at it.
 */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const log = createLogger({
    config: config.log,
    destination: options.logDestination,
    secrets: [config.clientSecret, ...Object.values(config.tracing?.headers ?? {})],
  });
  const tracing = await startTracing(config.tracing, options.traceExporter);
  let emulator: Emulator | undefined;
  if (config.platformUrl === undefined && config.emulator !== undefined) {
    const e = config.emulator;
    // loaded only here: over a real Platform the emulator's code is never in the process
    const { startEmulator } = await import('./emulator/server.ts');
    emulator = await startEmulator({
      port: e.port,
      demo: e.demo,
      dataFile: e.dataFile,
      latencyMs: e.latencyMs,
      timeScale: e.timeScale,
      requestLogSize: e.requestLogSize,
      log: log.child({ component: 'emulator' }),
    });
  }
  const platformUrl = config.platformUrl ?? emulator!.url;
  const admission =
    config.maxObjectsInFlight > 0
      ? new WeightedGate(config.maxObjectsInFlight, config.maxObjectsInFlightPerTenant)
      : undefined;
  // set once the hub and the WebSocket server exist: a scrape before then reports no live gauges
  const liveGauges: { read?: () => LiveCounters } = {};
  const parsedAnswers =
    config.upstreamParsedAnswersBytesPerTenant > 0
      ? new ParsedAnswers({
          maxBytes: config.upstreamParsedAnswersBytes,
          maxBytesPerTenant: config.upstreamParsedAnswersBytesPerTenant,
        })
      : undefined;
  const metrics = config.metrics.enabled
    ? new Metrics({
        maxOperationNames: config.metrics.maxOperationNames,
        admission: () => admission?.counters(),
        live: () => liveGauges.read?.(),
        parsedAnswers: () => parsedAnswers?.stats(),
      })
    : undefined;
  const { redisUrl } = config.live;
  let shared: SharedState | undefined;
  if (redisUrl !== undefined) {
    // loaded only with REDIS_URL: a replica without it never loads the Redis client
    const { connectSharedState } = await import('./redis/sharedState.ts');
    shared = await connectSharedState({ ...config.live, redisUrl }, (line) => log.warn({ event: 'redis' }, line));
  }
  const confirmed = new ConfirmedCallers({
    ttlMs: config.callerVerificationTtlMs,
    maxEntries: config.callerVerificationMaxEntries,
    now: options.now,
    shared: shared?.confirmations,
    onSharedError: (err: unknown) => log.warn({ err }, 'caller confirmations: not shared with other replicas'),
  });
  const transport = new HttpTransport({
    connections: config.upstreamConnections,
    connectionsPerTenant: config.upstreamConnectionsPerTenant,
    connectionsUnverified: config.upstreamConnectionsUnverified,
    callers: confirmed,
    headersTimeout: config.upstreamTimeoutMs,
    bodyTimeout: config.upstreamTimeoutMs,
    maxRetryAfterMs: config.operationTimeoutMs,
    timer: options.timer,
    onRequest: metrics === undefined ? undefined : (info) => metrics.observeUpstream(info),
    observer: upstreamObserver({ log, tracing }),
    parsedAnswers,
  });
  const clients = createUpstreamClients({ platformUrl, streamingUrl: config.streamingUrl ?? platformUrl, transport });
  const tokens = new ImsTokenProvider({
    transport,
    imsUrl: config.imsUrl ?? platformUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scopes: config.scopes,
    now: options.now,
  });
  const callers = new CallerVerifier(clients.flowService, confirmed);
  const specs = new SpecCache(clients.flowService, callers, {
    ttlMs: config.specCacheTtlMs,
    now: options.now,
    onLookup: metrics === undefined ? undefined : (kind, hits, misses) => metrics.observeSpecCache(kind, hits, misses),
  });
  const deps: AppDeps = {
    config,
    clients,
    specs,
    callers,
    tokens,
    idempotency: options.idempotency ?? shared?.idempotency ?? new MemoryIdempotencyStore(),
    linkPredictions: new LinkPredictions(config.linkPredictionMaxEntries),
    batching: options.batching ?? true,
    now: options.now ?? Date.now,
    onLoaderBatch: metrics === undefined ? undefined : (loader, keys) => metrics.observeBatch(loader, keys),
  };
  const readiness = new Readiness({
    targets: [
      { service: 'flowService', method: 'GET', url: `${platformUrl}${FLOW_SERVICE_BASE_PATH}/connectionSpecs` },
      {
        service: 'ims',
        method: 'POST',
        url: `${config.imsUrl ?? platformUrl}${IMS_TOKEN_PATH}`,
        form: { grant_type: 'client_credentials' },
      },
    ],
    intervalMs: config.readiness.probeIntervalMs,
    timeoutMs: config.readiness.probeTimeoutMs,
    schedule: options.readinessSchedule,
  });

  const runEvents = options.runEvents ?? shared?.runEvents ?? new MemoryRunEventBus();
  const seenKeys = options.seenKeys ?? shared?.seenKeys ?? new MemorySeenKeys(options.now);
  const ioEvents = new IoEventsReceiver({
    clientId: config.ioEvents.clientId,
    keys: new IoEventsPublicKeys({
      origin: config.ioEvents.keyOrigin ?? platformUrl,
      ttlMs: config.ioEvents.keyCacheTtlMs,
      maxEntries: config.ioEvents.keyCacheMaxEntries,
      timeoutMs: config.ioEvents.keyFetchTimeoutMs,
      now: options.now,
    }),
    seenKeys,
    bus: runEvents,
    dedupTtlMs: config.ioEvents.dedupTtlMs,
    maxBodyBytes: config.ioEvents.maxBodyBytes,
    log: (line) => log.warn({ event: 'webhook_refused' }, line),
    now: deps.now,
  });
  const liveWarn = (line: string) => log.warn({ event: 'live' }, line);
  const hub = new LiveHub({
    bus: runEvents,
    seen: seenKeys,
    config: config.live,
    flowService: clients.flowService,
    scheduler: options.pollScheduler ?? systemPollScheduler,
    now: deps.now,
    fresh: async (c) => (c.serverOwned === true ? { ...c, accessToken: await tokens.getToken() } : c),
    warn: liveWarn,
  });
  deps.live = {
    hub,
    eventContext: eventContexts(deps),
    bufferSize: config.live.subscriptionBufferSize,
    socketBufferBytes: config.live.subscriptionSocketBufferBytes,
    healthMaxFlows: config.live.healthMaxFlows,
    warn: liveWarn,
  };

  const httpServer = createServer();
  // the schema's AST without source locations (a token and a location object per token): nothing reads them at run time
  const schema = makeExecutableSchema({ typeDefs, resolvers, noLocation: true });
  const subscriptions = serveSubscriptions({ httpServer, schema, deps, maxPayloadBytes: config.maxRequestBodyBytes });
  liveGauges.read = () => ({
    connections: subscriptions.connections(),
    subscribers: hub.totalSubscribers,
    pollers: hub.pollers,
  });
  const execution: ExecutionCounters = { compiledExecutions: 0, graphqlJsExecutions: 0, compilations: 0 };
  const apollo = new ApolloServer<Context>({
    // Apollo's executor hook: parsing, validation, the document cache and every plugin hook stay Apollo's
    ...(options.execution === 'graphql-js'
      ? { schema }
      : { gateway: compiledExecutionGateway(schema, { compileAfter: config.compileOperationsAfter }, execution) }),
    // every error names the request id, and the operation's log line its code: the errors of a
    // request Apollo runs are noted as its operation's (operationObservationPlugin, and the
    // context's creation in respond); those of a request it refuses before, respond adds
    formatError: (formatted, error) => {
      const operation = operationOfError(error);
      const answer = formatError(formatted, error, (internal) =>
        (operation?.log ?? log).error({ err: internal }, 'internal error'),
      );
      return operation === undefined ? answer : operation.formatted(answer);
    },
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    parseOptions: { maxTokens: config.limits.maxTokens },
    // counts each fragment once, however often it is spread: a document whose fragments spread
    // each other exponentially is refused in time linear in its size, before its cost is estimated
    maxRecursiveSelections: config.limits.maxNodes,
    validationRules: operationLimitRules(config.limits),
    // main.ts owns the signals: it drains the server, then the transport and the emulator
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo Sandbox from its CDN, or the self-hosted GraphiQL when the CDN cannot be reached
      config.landingPage
        ? landingPageWithFallback(config.explorerSandboxTimeoutMs)
        : ApolloServerPluginLandingPageDisabled(),
      // no cache hints are used; the default plugin's hook on every resolved field cost ~13% of the CPU of a 100-flow page
      ApolloServerPluginCacheControlDisabled(),
      tokenInvalidationPlugin(tokens),
      operationObservationPlugin<Context>(),
      // "Did you mean" suggestions would tell the schema to a caller that may not introspect it
      ...(config.introspection ? [] : [hideSuggestionsPlugin<Context>()]),
      orderedErrorsPlugin<Context>(),
      admissionPlugin({
        schema,
        limits: config.limits,
        gate: admission,
        costBounds: { ingestionMaxPoints: config.ingestionMaxPoints },
        onAdmitted: metrics === undefined ? undefined : (waitedMs) => metrics.observeAdmissionWait(waitedMs / 1000),
      }),
      ...(metrics === undefined ? [] : [metricsPlugin<Context>(metrics)]),
    ],
  });
  await apollo.start();
  const cors = createCorsHandler(config.cors);
  const explorer = config.landingPage ? createExplorerRoutes() : undefined;

  const rateLimit = config.rateLimit.requests > 0 ? new CallerRateLimiter(config.rateLimit) : undefined;

  /**
   * Whether the request may go on under its caller's rate limit; answers 429 itself when
   * not. Runs before the body is read: a request over the limit costs no parsing. A refusal
   * is held up to RATE_LIMIT_REJECT_DELAY_MS (never past its Retry-After), so a client that
   * sends again as soon as it is answered is answered no faster than it may send.
   */
  const withinRateLimit = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (rateLimit === undefined) return true;
    const gone = new AbortController();
    const onClose = () => gone.abort();
    const clientGone = () => gone.signal.aborted;
    res.once('close', onClose);
    try {
      const admission = await rateLimit.admit(rateLimitKey(config, confirmed, req), gone.signal);
      if (admission.admitted) return true;
      if (clientGone()) return false;
      const heldMs = Math.min(admission.retryAfterMs, config.rateLimit.rejectDelayMs);
      if (heldMs > 0) await sleep(heldMs, undefined, { signal: gone.signal }).catch(() => undefined);
      if (clientGone()) return false;
      const retryAfterSeconds = Math.max(0, Math.ceil((admission.retryAfterMs - heldMs) / 1000));
      const { requests, windowMs } = config.rateLimit;
      sendJson(
        res,
        429,
        {
          errors: [
            {
              message: `Rate limit of ${requests} requests per ${windowMs} ms exceeded for this caller, with ${config.rateLimit.queue} more waiting; retry after ${retryAfterSeconds} s`,
              extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds },
            },
          ],
        },
        { 'retry-after': String(retryAfterSeconds) },
      );
      return false;
    } finally {
      res.off('close', onClose);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = acceptRequestId(req.headers['x-request-id'], config.log.requestIdMaxLength);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://api');
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') return sendReadiness(res, readiness);
    if (url.pathname === '/metrics' && metrics !== undefined && config.metrics.port === undefined)
      return sendMetrics(res, metrics);
    if (url.pathname === IO_EVENTS_WEBHOOK_PATH) return ioEvents.handle(req, res, url);
    if (explorer?.(url.pathname, res) === true) return;
    if (url.pathname !== '/graphql' && url.pathname !== '/')
      return sendJson(res, 404, { error: `no route ${url.pathname}; the API is at /graphql` });
    if ((await cors(req, res)) === 'answered') return;
    if (!(await withinRateLimit(req, res))) return;
    const operation = new Operation({ requestId, log, tracing, headers: req.headers });
    try {
      await graphql(req, res, url, operation);
    } catch (err) {
      refuse(res, err, operation);
    } finally {
      operation.finish(res.statusCode);
    }
  };

  /**
   * Apollo's refusal of a request before its pipeline ran (a body that is no GraphQL request,
   * a failed context): its errors with the request id, noted on the operation. Other answers
   * (a landing page) are kept as they are.
   */
  const refusalOf = (text: string, operation: Operation): string => {
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      return text;
    }
    const errors = (answer as { errors?: unknown } | null)?.errors;
    if (!Array.isArray(errors)) return text;
    // as Apollo writes an answer (its default stringifyResult)
    return `${JSON.stringify({ ...(answer as object), errors: errors.map((e: GraphQLFormattedError) => operation.formatted(e)) })}\n`;
  };

  /** A request that failed outside GraphQL execution: a body over MAX_REQUEST_BODY_BYTES, or a fault of ours. */
  const refuse = (res: ServerResponse, err: unknown, operation: Operation): void => {
    const status = (err as { status?: number }).status ?? 500;
    if (status === 500) operation.log.error({ err }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    const error = operation.formatted({
      message: status === 413 ? `Request body over ${sizeText(config.maxRequestBodyBytes)}` : 'Internal server error',
      extensions: { code: status === 413 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' },
    });
    // the rest of an oversized body is never read: the connection cannot carry another request
    sendJson(res, status, { errors: [error] }, status === 413 ? { connection: 'close' } : {});
  };

  const graphql = async (req: IncomingMessage, res: ServerResponse, url: URL, operation: Operation): Promise<void> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const text = await readBody(req, config.maxRequestBodyBytes);
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
        // connection credentials in the variables: no log line of the operation may show them
        operation.addSecrets(collectSecrets({}, (body as { variables?: unknown } | null)?.variables));
      } catch {
        return sendJson(res, 400, {
          errors: [
            operation.formatted({ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }),
          ],
        });
      }
    }
    // the operation's budget and deadline; a client that goes away before the answer cancels it
    const clientGone = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) clientGone.abort();
    };
    res.once('close', onClose);
    const scope = new CallScope({
      maxRequests: config.maxUpstreamRequestsPerOperation,
      timeoutMs: config.operationTimeoutMs,
      signal: clientGone.signal,
      timer: options.timer,
      operation,
    });
    try {
      await respond(req, res, url, headers, body, scope, operation);
    } finally {
      scope.dispose();
      res.off('close', onClose);
    }
  };

  const respond = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    headers: HeaderMap,
    body: unknown,
    scope: CallScope,
    operation: Operation,
  ): Promise<void> => {
    let context: Context | undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      // every value of a repeated header, so that context creation can refuse ambiguous ones
      context: async () => {
        try {
          return (context = await createContext(deps, req.headersDistinct, scope, operation));
        } catch (err) {
          // formatted by Apollo as it is thrown, or wrapped
          if (typeof err === 'object' && err !== null) operation.owns([err]);
          throw err;
        }
      },
    });
    if (!operation.answeredByPipeline && result.body.kind === 'complete')
      result.body.string = refusalOf(result.body.string, operation);
    // answers are per caller: never stored by a shared cache (what the cache-control plugin used to send)
    const outHeaders: Record<string, string | number> = { 'cache-control': 'no-store' };
    for (const [k, v] of result.headers) outHeaders[k] = v;
    // the length lets compression leave small answers as they are
    if (result.body.kind === 'complete') outHeaders['content-length'] = Buffer.byteLength(result.body.string);
    res.writeHead(result.status ?? 200, outHeaders);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      if (context !== undefined) forgetLoaded(context);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
      else res.end();
    });
  };
  httpServer.on('request', withCompression(config.compression, onRequest));
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const origin = (port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const port = await listen(httpServer, config.port, config.host);
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (metrics !== undefined) {
    if (config.metrics.port === undefined) metricsUrl = `${origin(port)}/metrics`;
    else {
      metricsServer = createServer(
        withCompression(config.compression, (req, res) => {
          const path = new URL(req.url ?? '/', 'http://metrics').pathname;
          if (path === '/metrics') sendMetrics(res, metrics);
          else sendJson(res, 404, { error: `no route ${path}; metrics are at /metrics` });
        }),
      );
      metricsUrl = `${origin(await listen(metricsServer, config.metrics.port, config.host))}/metrics`;
    }
  }
  // over the embedded emulator the API is its own I/O Events registration: every run that finishes reaches it
  if (emulator !== undefined)
    await registerWebhook(emulator.url, origin(port) + IO_EVENTS_WEBHOOK_PATH, config.ioEvents.clientId);
  // /ready says what the upstream is like from the first answer on
  await readiness.refresh();

  const url = `${origin(port)}/graphql`;
  log.info(
    {
      event: 'start',
      url,
      // an origin only: a URL's userinfo or query would be no business of a log line
      platform: emulator === undefined ? new URL(platformUrl).origin : null,
      emulator: emulator === undefined ? null : { url: emulator.url, demo: config.emulator?.demo === true },
      tracing: tracing !== undefined,
    },
    emulator === undefined
      ? `GraphQL API on ${url} over ${new URL(platformUrl).origin}`
      : `GraphQL API on ${url} over the Platform emulator on ${emulator.url} (demo data: ${config.emulator?.demo === true ? 'on' : 'off'})`,
  );
  return {
    url,
    emulatorUrl: emulator?.url,
    emulator,
    deps,
    admission,
    execution,
    runEvents,
    seenKeys,
    ioEvents,
    metrics,
    metricsUrl,
    readiness,
    drain: () => readiness.drain(),
    live: { hub, subscriptions },
    log,
    rateLimit,
    async stop() {
      readiness.drain();
      rateLimit?.close();
      // open WebSockets would hold the HTTP server's close
      await subscriptions.close();
      hub.close();
      await apollo.stop();
      await readiness.stop();
      if (metricsServer !== undefined) await closeServer(metricsServer);
      await transport.close();
      await emulator?.stop();
      // a bus of the shared state is closed with it
      if (options.runEvents === undefined && shared === undefined) await runEvents.close();
      await shared?.close();
      await tracing?.shutdown();
      log.info({ event: 'stop' }, 'stopped');
    },
  };
}

/** Registers `url` as a webhook of the embedded emulator (which first checks it answers the challenge). */
async function registerWebhook(emulatorUrl: string, url: string, clientId: string): Promise<void> {
  const res = await fetch(`${emulatorUrl}/__emulator/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, clientId }),
  });
  if (res.status !== 201)
    throw new Error(`the embedded emulator refused the API's webhook: ${res.status} ${await res.text()}`);
  await res.body?.cancel();
}

/**
 * Empties the request's loader caches once its answer is complete. Nothing reads them any
 * more, but a cache promoted to the old generation while the request ran keeps everything it
 * holds alive through every young-generation collection until the next full one: emptied,
 * those objects die young (about a tenth fewer survivors per scavenge on the dashboard page).
 */
function forgetLoaded(context: Context): void {
  for (const loader of Object.values(context.loaders)) if (loader instanceof DataLoader) loader.clearAll();
}
