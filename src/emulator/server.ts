import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleControl } from './control.ts';
import { EmulatorHttpError, REQUEST_ID_PLACEHOLDER, flowError, problem, xdmError } from './errors.ts';
import { authenticate } from './gateway.ts';
import { requestId as newRequestId } from './ids.ts';
import { registerIms } from './ims.ts';
import { Journal, recoverState } from './journal.ts';
import { Router, type Reply, type RouteContext, type ServiceId } from './router.ts';
import { EmulatorRuntime, type RequestLogEntry } from './runtime.ts';
import { defaultEmulatorLog, type EmulatorLog } from './log.ts';
import { registerCatalog } from './catalog/routes.ts';
import { registerDataPrep } from './dataPrep/routes.ts';
import { registerFlowService } from './flowService/routes.ts';
import { registerSchemaRegistry } from './schemaRegistry/routes.ts';
import { registerStreaming } from './streaming/routes.ts';
import { registerObservability } from './observability/routes.ts';
import { startRunScheduler } from './runs/scheduler.ts';
import { declareDemoSandboxes, seedDemo } from './seed/demo.ts';
import { DATA_PREP_BASE_PATH } from '../upstream/dataPrep/wire.ts';
import { FLOW_SERVICE_BASE_PATH } from '../upstream/flowService/wire.ts';
import { SCHEMA_REGISTRY_BASE_PATH } from '../upstream/schemaRegistry/wire.ts';
import { COLLECTION_PATH } from '../upstream/streaming/wire.ts';
import { OBSERVABILITY_BASE_PATH } from '../upstream/observability/wire.ts';
import { PUBLIC_KEY_PATH } from '../upstream/ioEvents/wire.ts';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Added to every service route. */
  latencyMs?: number;
  /** Emulated seconds per real second for schedules and runs. */
  timeScale?: number;
  /**
   * Persist state to this file and load it at start. Every write is in the journal beside it
   * (`<dataFile>.journal`, synced) before it is answered, so an answered write survives a crash.
   */
  dataFile?: string;
  /** Journal size in bytes past which it is compacted into `dataFile` (default 16 MiB). */
  journalCompactBytes?: number;
  /** Service requests the request log keeps, the most recent ones (default 10,000). */
  requestLogSize?: number;
  /** Seed the demo dataflows when the state is empty. Off unless asked. */
  demo?: boolean;
  /** Lifetime of issued IMS tokens. */
  tokenTtlSeconds?: number;
  /** Produce scheduled runs in the background (default true). */
  runScheduler?: boolean;
  /** The wall clock (epoch ms) the emulated clock follows and IMS tokens expire by; tests pass their own. */
  wallClock?: () => number;
  /**
   * Sees every exchange on a service route once its response is sent (tests check them against
   * the OpenAPI contract). Off unless given; whatever it throws is logged, never sent.
   */
  observe?: (exchange: EmulatorExchange) => void;
  /** Where the emulator reports what goes wrong (default: JSON lines on stderr). */
  log?: EmulatorLog;
}

/** One request on a service route and the response the emulator sent for it. */
export interface EmulatorExchange {
  method: string;
  path: string;
  /** The raw query string, without `?`. */
  search: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: Buffer;
  status: number;
  responseHeaders: Record<string, string>;
  /** The body as sent; empty when there was none. */
  responseText: string;
  /** The response came from an injected fault, not from the emulated service. */
  injected: boolean;
}

export interface Emulator {
  url: string;
  port: number;
  runtime: EmulatorRuntime;
  /** Set with `dataFile`. */
  journal: Journal | undefined;
  reset(demo?: boolean): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const BAD_CONTENT_TYPE = {
  type: '/placeholder/type/uri',
  status: 400,
  title: 'BadRequestError',
  detail: 'A valid content-type must be specified',
};

function buildRouter(tokenTtl: () => number): Router {
  const router = new Router();
  registerIms(router, tokenTtl);
  registerFlowService(router);
  registerCatalog(router);
  registerSchemaRegistry(router);
  registerDataPrep(router);
  registerStreaming(router);
  registerObservability(router);
  return router;
}

/** The method and path template of every route the emulator serves (`:name` for a parameter). */
export function emulatorRoutes(): Array<{ service: ServiceId; method: string; template: string }> {
  return buildRouter(() => 0)
    .list()
    .map((r) => ({ service: r.service, method: r.method, template: `/${r.segments.join('/')}` }));
}

function serviceOfPath(path: string): ServiceId {
  if (path.startsWith(FLOW_SERVICE_BASE_PATH)) return 'flowService';
  if (path.startsWith(SCHEMA_REGISTRY_BASE_PATH)) return 'schemaRegistry';
  if (path.startsWith(DATA_PREP_BASE_PATH)) return 'dataPrep';
  if (path.startsWith(COLLECTION_PATH)) return 'streaming';
  if (path.startsWith(OBSERVABILITY_BASE_PATH)) return 'observability';
  if (path.startsWith('/ims')) return 'ims';
  return 'catalog';
}

function notFound(service: ServiceId, method: string, path: string, allowed: string[]): EmulatorHttpError {
  if (allowed.length > 0) {
    const err =
      service === 'schemaRegistry'
        ? xdmError(405, 1001, `Method ${method} is not allowed on ${path}`)
        : problem('flow', 405, 1405, `Method ${method} is not allowed on ${path}`);
    return new EmulatorHttpError(405, err.body, { allow: allowed.join(', ') });
  }
  if (service === 'schemaRegistry') return xdmError(404, 1012, `Requested resource ${path} is not found`);
  return flowError(404, 1439, `The requested resource ${path} is not found.`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new EmulatorHttpError(413, { title: 'Payload Too Large', status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJsonBody(service: ServiceId, req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0 || service === 'ims') return undefined;
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.includes('json')) {
    if (service === 'streaming') {
      throw new EmulatorHttpError(415, {
        type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/unsupported-media-type',
        status: 415,
        title: 'Unsupported Media Type',
        report: { message: 'Content-Type must be application/json' },
      });
    }
    throw new EmulatorHttpError(400, BAD_CONTENT_TYPE);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    if (service === 'schemaRegistry') throw xdmError(400, 1010, 'The request body is not valid JSON');
    if (service === 'streaming')
      throw new EmulatorHttpError(400, {
        type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet',
        status: 400,
        title: 'Invalid JSON',
        report: { message: 'The payload is not valid JSON' },
      });
    throw problem(
      service === 'flowService' ? 'flow' : service === 'dataPrep' ? 'dataPrep' : 'catalog',
      400,
      1000,
      'The request body is not valid JSON',
    );
  }
}

/** Returns what was sent: the headers and the body, as text or bytes (empty text when there is none). */
function send(
  res: ServerResponse,
  reply: Reply,
  requestId: string,
): { headers: Record<string, string>; body: string | Buffer } {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return { headers, body: '' };
  }
  headers['content-type'] ??= 'application/json';
  const bytes = reply.bytes?.();
  if (bytes !== undefined) {
    headers['content-length'] = String(bytes.length);
    res.writeHead(reply.status, headers).end(bytes);
    return { headers, body: bytes };
  }
  const raw = JSON.stringify(reply.body);
  // only error bodies carry the placeholder; a stored object's text is sent as it is
  const text = reply.problem === true ? raw.replaceAll(REQUEST_ID_PLACEHOLDER, requestId) : raw;
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers).end(text);
  return { headers, body: text };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const runtime = new EmulatorRuntime(
    { latencyMs: options.latencyMs ?? 0, timeScale: options.timeScale ?? 1 },
    { wallClock: options.wallClock, requestLogSize: options.requestLogSize },
  );
  const tokenTtl = options.tokenTtlSeconds ?? 86_400;
  const log = options.log ?? defaultEmulatorLog();
  const router = buildRouter(() => tokenTtl);
  let journal: Journal | undefined;

  const reset = (demo = false) => {
    runtime.store.clear();
    runtime.requests.clear();
    runtime.faults = [];
    runtime.holds.clear();
    runtime.entitlements.clear();
    runtime.sandboxes.clear();
    runtime.webhooks.clear();
    runtime.peakInFlight.clear();
    if (demo) {
      declareDemoSandboxes(runtime);
      seedDemo(runtime);
    }
    journal?.compactSoon();
  };

  const recovery = options.dataFile === undefined ? undefined : recoverState(runtime.store, options.dataFile);
  if (recovery !== undefined && recovery.ignoredBytes > 0)
    log.warn(
      { dataFile: options.dataFile, ignoredBytes: recovery.ignoredBytes },
      `ignored the last ${recovery.ignoredBytes} bytes of the journal of ${options.dataFile}: a record cut short by a crash, never acknowledged`,
    );
  /** Answered writes wait until the journal holds them. */
  const durable = async (method: string, reply: Reply): Promise<Reply> => {
    if (journal === undefined || method === 'GET') return reply;
    try {
      await journal.durable();
      return reply;
    } catch {
      return {
        status: 500,
        body: { type: 'https://ns.adobe.com/aep/errors/EMU-0500-500', title: 'State not saved', status: 500 },
      };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const requestId = newRequestId();

    // the public keys I/O Events signs deliveries with, at the paths its headers name
    if (method === 'GET' && PUBLIC_KEY_PATH.test(path)) {
      runtime.webhooks.keyRequests++;
      // faults apply here as well: a key origin that fails makes the receiver answer 503, and deliveries retry
      const fault = runtime.takeFault(method, path);
      const pem = runtime.webhooks.keys.publicKeyAt(path);
      if (fault !== undefined && fault.reset === undefined)
        send(
          res,
          { status: fault.status, body: fault.body ?? { title: 'Injected fault', status: fault.status } },
          requestId,
        );
      else if (fault !== undefined) res.destroy();
      else if (pem === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      else res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);
      return;
    }
    if (path.startsWith('/__emulator')) {
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        send(res, { status: 400, body: { error: 'body is not valid JSON' } }, requestId);
        return;
      }
      send(res, await durable(method, await handleControl(runtime, { reset }, req, path, body)), requestId);
      return;
    }

    const startedAt = Date.now();
    const service = serviceOfPath(path);
    const entry: RequestLogEntry = {
      method,
      path,
      query: decodeURIComponentSafe(url.search.slice(1)),
      status: 0,
      org: null,
      sandbox: null,
      callerRequestId: req.headersDistinct['x-request-id']?.join(', ') ?? null,
      traceparent: req.headersDistinct.traceparent?.join(', ') ?? null,
      startedAt,
      durationMs: 0,
    };
    // aborted when the caller goes away before its answer: a held request then stops waiting
    const closed = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) closed.abort();
    });
    const orgHeader = req.headersDistinct['x-gw-ims-org-id']?.join(', ');
    if (orgHeader !== undefined) runtime.enter(orgHeader);
    let reply: Reply;
    let raw: Buffer = Buffer.alloc(0);
    try {
      if (runtime.config.latencyMs > 0) await sleep(runtime.config.latencyMs);
      raw = await readBody(req);
      const call = { method, path, query: url.searchParams, raw, requestId, closed: closed.signal };
      reply = await dispatch(router, runtime, service, req, call, entry);
    } catch (err) {
      reply = toReply(err, log);
    } finally {
      if (orgHeader !== undefined) runtime.leave(orgHeader);
    }
    reply = await durable(method, reply);
    entry.status = reply.status;
    entry.durationMs = Date.now() - startedAt;
    runtime.requests.push(entry);
    // a reset fault: the client gets no answer, whatever the handler did
    if (entry.reset !== undefined) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    const sent = send(res, reply, requestId);
    if (options.observe === undefined) return;
    try {
      options.observe({
        method,
        path,
        search: url.search.slice(1),
        requestHeaders: req.headers,
        requestBody: raw,
        status: reply.status,
        responseHeaders: sent.headers,
        responseText: typeof sent.body === 'string' ? sent.body : sent.body.toString('utf8'),
        injected: reply.injected === true,
      });
    } catch (err) {
      log.error({ err }, 'the exchange observer failed');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, toReply(err, log), newRequestId());
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  runtime.baseUrl = url;
  // seeded once the origin is known: demo inlet URLs point at this emulator
  if (recovery?.loaded !== true && options.demo === true) seedDemo(runtime);
  // declarations are not journaled: the demo org has its sandboxes after a recovery as well
  if (options.demo === true) declareDemoSandboxes(runtime);
  // in this same turn, before any request: the journal's first write captures the seed
  if (options.dataFile !== undefined) {
    journal = new Journal(runtime.store, options.dataFile, recovery?.seq ?? 0, {
      compactBytes: options.journalCompactBytes,
      log,
    });
    // a data file that cannot be written fails the start, not every later write
    try {
      await journal.durable();
    } catch (err) {
      server.closeAllConnections();
      server.close();
      throw err;
    }
  }
  const scheduler = options.runScheduler === false ? undefined : startRunScheduler(runtime, log);

  return {
    url,
    port,
    runtime,
    journal,
    reset,
    async stop() {
      scheduler?.stop();
      runtime.webhooks.stop();
      runtime.holds.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // compacts: a clean stop leaves the whole state in the data file and an empty journal
      await journal?.close();
    },
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return s;
  }
}

function toReply(err: unknown, log: EmulatorLog): Reply {
  if (err instanceof EmulatorHttpError)
    return { status: err.status, body: err.body, headers: err.headers, problem: true };
  log.error({ err }, 'unexpected error');
  return {
    status: 500,
    body: { type: 'https://ns.adobe.com/aep/errors/EMU-0500-500', title: 'Internal Server Error', status: 500 },
  };
}

/** One service request as it arrived. */
interface IncomingCall {
  method: string;
  path: string;
  query: URLSearchParams;
  raw: Buffer;
  requestId: string;
  /** Aborted when the caller goes away before its answer. */
  closed: AbortSignal;
}

async function dispatch(
  router: Router,
  runtime: EmulatorRuntime,
  service: ServiceId,
  req: IncomingMessage,
  call: IncomingCall,
  entry: RequestLogEntry,
): Promise<Reply> {
  const { method, path, query, raw, requestId } = call;
  const { match, allowed } = router.match(method, path);
  if (match === undefined) throw notFound(service, method, path, allowed);
  const routeService = match.route.service;
  const ctx: RouteContext = {
    method,
    path,
    params: match.params,
    query,
    headers: req.headers,
    body: undefined,
    rawBody: raw,
    requestId,
    runtime,
    org: '',
    sandbox: '',
    clientId: '',
    part: undefined as never,
  };
  // a held request waits in transit: nothing about it is decided before it is released
  const held = runtime.holds.take(method, path, call.closed);
  if (held !== undefined && (await held) === 'closed')
    return { status: 499, body: { title: 'Client Closed Request', status: 499 } };
  if (routeService !== 'ims' && routeService !== 'streaming') {
    const caller = authenticate(
      runtime.store,
      runtime.entitlements,
      runtime.sandboxes,
      routeService,
      req.headers,
      runtime.wallClock(),
    );
    ctx.org = caller.org;
    ctx.sandbox = caller.sandbox;
    ctx.clientId = caller.clientId;
    ctx.part = runtime.store.partition(caller.org, caller.sandbox);
    entry.org = caller.org;
    entry.sandbox = caller.sandbox;
  }
  // faults act after the gateway, like a failing service behind it: the log still names the caller
  const fault = runtime.takeFault(method, path);
  if (fault !== undefined) {
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.reset !== undefined) entry.reset = fault.reset;
    if (fault.reset === 'unprocessed') return { status: 0 };
    if (fault.reset === undefined)
      return {
        status: fault.status,
        body: fault.body ?? { title: 'Injected fault', status: fault.status },
        headers: fault.headers,
        injected: true,
      };
  }
  ctx.body = parseJsonBody(routeService, req, raw);
  try {
    return await match.route.handler(ctx);
  } finally {
    if (ctx.org !== '') {
      entry.org = ctx.org;
      entry.sandbox = ctx.sandbox;
    }
  }
}
