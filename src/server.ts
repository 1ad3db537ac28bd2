import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
import { createContext, type AppDeps, type Context } from './context.ts';
import { ErrorCode, formatError, hideSuggestionsPlugin } from './errors.ts';
import { resolvers } from './graph/resolvers.ts';
import { SpecCache } from './graph/spec/specCache.ts';
import { CallerVerifier } from './upstream/callerVerifier.ts';
import { ConfirmedCallers } from './upstream/confirmedCallers.ts';
import { createUpstreamClients } from './upstream/clients.ts';
import { CallScope } from './upstream/callScope.ts';
import { HttpTransport, UpstreamError } from './upstream/http.ts';
import type { Timer } from './upstream/timer.ts';
import { ImsTokenProvider } from './upstream/ims/tokenProvider.ts';
import { MemoryIdempotencyStore, type IdempotencyStore } from './orchestration/idempotency.ts';
import { startEmulator, type Emulator } from './emulator/server.ts';
import { IO_EVENTS_WEBHOOK_PATH, IoEventsReceiver } from './live/ioEventsReceiver.ts';
import { MemoryRunEventBus, MemorySeenKeys, type RunEventBus, type SeenKeys } from './live/runEvents.ts';
import { IoEventsPublicKeys } from './upstream/ioEvents/publicKeys.ts';
import { createCorsHandler } from './cors.ts';
import { createExplorerRoutes, landingPageWithFallback } from './explorer.ts';

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** Set when the API runs over the embedded emulator. */
  emulatorUrl: string | undefined;
  emulator: Emulator | undefined;
  deps: AppDeps;
  /** The admission gate (undefined when MAX_OBJECTS_IN_FLIGHT=0); its counters say what runs and waits. */
  admission: WeightedGate | undefined;
  /** Finished runs, as webhooks (and pollers) report them: the one given, or this process's own. */
  runEvents: RunEventBus;
  /** What was seen (webhook event ids, ...): the one given, or this process's own. */
  seenKeys: SeenKeys;
  /** The I/O Events webhook at /webhooks/io-events; its counters say what it did with deliveries. */
  ioEvents: IoEventsReceiver;
  /** The per-caller rate limit (undefined when RATE_LIMIT_REQUESTS=0); its counters say what waits and is refused. */
  rateLimit: CallerRateLimiter | undefined;
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

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
    .end(text);
}

export interface ServerOptions {
  idempotency?: IdempotencyStore;
  batching?: boolean;
  /** The API's clock (epoch ms): token refresh, spec-cache and caller-confirmation expiry and computed fields read it. Tests inject one. */
  now?: () => number;
  /** The transport's clock and retry waits (tests inject one to see waits without waiting). */
  timer?: Timer;
  /** Where finished runs are published (default: in this process's memory); closed by whoever made it. */
  runEvents?: RunEventBus;
  /** Where webhook event ids are remembered for de-duplication (default: in this process's memory). */
  seenKeys?: SeenKeys;
}

/**
 * Starts the API. Without a platform URL it first starts the embedded emulator and points
 * every upstream (platform, streaming, IMS) at it.
 */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  let emulator: Emulator | undefined;
  if (config.platformUrl === undefined && config.emulator !== undefined) {
    const e = config.emulator;
    emulator = await startEmulator({
      port: e.port,
      demo: e.demo,
      dataFile: e.dataFile,
      latencyMs: e.latencyMs,
      timeScale: e.timeScale,
      requestLogSize: e.requestLogSize,
    });
  }
  const platformUrl = config.platformUrl ?? emulator!.url;
  const confirmed = new ConfirmedCallers({
    ttlMs: config.callerVerificationTtlMs,
    maxEntries: config.callerVerificationMaxEntries,
    now: options.now,
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
  const specs = new SpecCache(clients.flowService, callers, { ttlMs: config.specCacheTtlMs, now: options.now });
  const deps: AppDeps = {
    config,
    clients,
    specs,
    callers,
    tokens,
    idempotency: options.idempotency ?? new MemoryIdempotencyStore(),
    batching: options.batching ?? true,
    now: options.now ?? Date.now,
  };

  const runEvents = options.runEvents ?? new MemoryRunEventBus();
  const seenKeys = options.seenKeys ?? new MemorySeenKeys(options.now);
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
  });

  let draining = false;
  const httpServer = createServer();
  const schema = makeExecutableSchema({ typeDefs, resolvers });
  const admission =
    config.maxObjectsInFlight > 0
      ? new WeightedGate(config.maxObjectsInFlight, config.maxObjectsInFlightPerTenant)
      : undefined;
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
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
      // "Did you mean" suggestions would tell the schema to a caller that may not introspect it
      ...(config.introspection ? [] : [hideSuggestionsPlugin<Context>()]),
      admissionPlugin({
        schema,
        limits: config.limits,
        gate: admission,
        costBounds: { ingestionMaxPoints: config.ingestionMaxPoints },
      }),
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
    const url = new URL(req.url ?? '/', 'http://api');
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/ready')
      return sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ready' });
    if (url.pathname === IO_EVENTS_WEBHOOK_PATH) return ioEvents.handle(req, res, url);
    if (explorer?.(url.pathname, res) === true) return;
    if (url.pathname !== '/graphql' && url.pathname !== '/')
      return sendJson(res, 404, { error: `no route ${url.pathname}; the API is at /graphql` });
    if ((await cors(req, res)) === 'answered') return;
    if (!(await withinRateLimit(req, res))) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const text = await readBody(req, config.maxRequestBodyBytes);
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return sendJson(res, 400, {
          errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
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
    });
    try {
      await respond(req, res, url, headers, body, scope);
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
  ): Promise<void> => {
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      // every value of a repeated header, so that context creation can refuse ambiguous ones
      context: () => createContext(deps, req.headersDistinct, scope),
    });
    // answers are per caller: never stored by a shared cache (what the cache-control plugin used to send)
    const outHeaders: Record<string, string> = { 'cache-control': 'no-store' };
    for (const [k, v] of result.headers) outHeaders[k] = v;
    res.writeHead(result.status ?? 200, outHeaders);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      const status = (err as { status?: number }).status ?? 500;
      if (!res.headersSent)
        sendJson(
          res,
          status,
          {
            errors: [
              {
                message:
                  status === 413
                    ? `Request body over ${sizeText(config.maxRequestBodyBytes)}`
                    : 'Internal server error',
                extensions: { code: status === 413 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' },
              },
            ],
          },
          // the rest of an oversized body is never read: the connection cannot carry another request
          status === 413 ? { connection: 'close' } : {},
        );
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // over the embedded emulator the API is its own I/O Events registration: every run that finishes reaches it
  if (emulator !== undefined)
    await registerWebhook(emulator.url, origin + IO_EVENTS_WEBHOOK_PATH, config.ioEvents.clientId);

  return {
    url: `${origin}/graphql`,
    emulatorUrl: emulator?.url,
    emulator,
    deps,
    admission,
    runEvents,
    seenKeys,
    ioEvents,
    rateLimit,
    async stop() {
      draining = true;
      rateLimit?.close();
      await apollo.stop();
      await transport.close();
      await emulator?.stop();
      if (options.runEvents === undefined) await runEvents.close();
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
