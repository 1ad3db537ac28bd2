import type { IncomingHttpHeaders } from 'node:http';
import { Pool, util as undiciUtil } from 'undici';
import type { Dispatcher } from 'undici';
import { OperationLimitError } from './callScope.ts';
import type { CallScope, LimitedCall } from './callScope.ts';
import type { ConfirmedCallers } from './confirmedCallers.ts';
import type { ParsedAnswers } from './parsedAnswers.ts';
import { TenantLimiter, UNVERIFIED_TENANT } from './tenantLimiter.ts';
import { systemTimer, type Timer } from './timer.ts';
import { collectSecrets, networkCode, parseErrorBody, redact, UpstreamError } from './upstreamError.ts';
import type { ServiceName } from './upstreamError.ts';

export { UpstreamError, isNotFound, isUnknownSandbox } from './upstreamError.ts';
export type { ServiceName } from './upstreamError.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | readonly string[] | undefined>;

/** A form-encoded body (`application/x-www-form-urlencoded`); any other body is sent as JSON. */
export interface FormBody {
  form: Record<string, string>;
}

export interface UpstreamRequest {
  service: ServiceName;
  method: HttpMethod;
  /** Absolute: origin + base path + resource path. May already carry a query (next-page links). */
  url: string;
  /** Appended to the URL's query; arrays become repeated parameters, undefined values are skipped. */
  query?: Query;
  headers?: Record<string, string>;
  body?: unknown;
  /** Statuses that resolve; everything else throws. Default: any 2xx. */
  expect?: readonly number[];
  /**
   * The limits of the operation the call belongs to (budget, deadline, client). Without one
   * (the server's own IMS token) only the transport's timeouts apply.
   */
  scope?: CallScope | undefined;
  /**
   * What the call is made for, for the observer alone (default the scope's): a call made for
   * an operation outside its limits (the server's IMS token it waits for) names it here.
   */
  operation?: object | undefined;
  /** Org + sandbox of the caller: the calls of one tenant share `connectionsPerTenant` slots. */
  tenant?: string | undefined;
}

export interface UpstreamResponse<T> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the text of a non-JSON body, or undefined when the body is empty. */
  body: T;
}

/** One call per attempt, retries included. `status` is undefined when no response came. */
export interface RequestInfo {
  service: ServiceName;
  method: HttpMethod;
  path: string;
  status: number | undefined;
  durationMs: number;
  attempt: number;
}

/** What an observer learns of one call once it is over (every attempt included). */
export interface CallOutcome {
  /** The status of the last answer; undefined when none came. */
  status: number | undefined;
  /** Attempts sent: 1 plus the retries. */
  attempts: number;
  /** Set when the call failed (what `request` throws). */
  error?: unknown;
}

/** One observed call: headers sent with every attempt, a tick per attempt, the outcome once. */
export interface ObservedCall {
  headers: Record<string, string>;
  attempted(): void;
  end(outcome: CallOutcome): void;
}

/** Logs and traces the transport's calls (src/observability/upstreamObserver.ts); whatever it throws is ignored. */
export interface CallObserver {
  /** `operation`: what the call is made for (`UpstreamRequest.operation`, else its scope's), if anything. */
  start(call: LimitedCall, operation: object | undefined): ObservedCall;
}

export interface TransportOptions {
  /** Max connections per origin (default 32). */
  connections?: number;
  /** Calls of one tenant in flight at once, over all origins (default half of `connections`; 0 = no cap). */
  connectionsPerTenant?: number;
  /**
   * Calls in flight at once of all pass-through callers not confirmed by the platform yet,
   * together (default a quarter of `connectionsPerTenant`, at least 1): headers alone never
   * reach a tenant's share.
   */
  connectionsUnverified?: number;
  /** The callers the platform confirmed; without it every caller counts as confirmed. */
  callers?: ConfirmedCallers;
  connectTimeout?: number;
  headersTimeout?: number;
  bodyTimeout?: number;
  keepAliveTimeout?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** First backoff step; doubles per attempt, plus up to one step of jitter (default 50 ms). */
  retryBaseDelayMs?: number;
  /** Cap on the backoff between attempts (default 2000 ms); a `Retry-After` is waited in full. */
  maxRetryDelayMs?: number;
  /**
   * The longest `Retry-After` waited by a call without an operation scope (default 30000
   * ms); a call with one waits up to its deadline. Longer ones fail at once.
   */
  maxRetryAfterMs?: number;
  /** Clock and waits of the retries; tests inject one to see the waits without waiting. */
  timer?: Timer;
  /** Metrics hook; whatever it throws is ignored so metrics cannot fail a request. */
  onRequest?: (info: RequestInfo) => void;
  /** Log and trace hook; whatever it throws is ignored so it cannot fail a request. */
  observer?: CallObserver;
  /**
   * Where the parsed JSON of confirmed tenants' GET answers is kept, reused while the upstream
   * answers the same request with the same bytes (src/upstream/parsedAnswers.ts); without it
   * every answer is parsed.
   */
  parsedAnswers?: ParsedAnswers;
}

/** Cancelling a read in flight loses nothing; a write in flight runs to its answer, or its outcome would be unknown. */
const CANCELLABLE = new Set<HttpMethod>(['GET', 'HEAD']);

/** Sent on every request, so a service's logs (and the contract tests) can tell this client's calls apart. */
export const USER_AGENT = 'ingestion-graph';

const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
/** Failures that may have happened after the request reached the server: idempotent methods only. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
/** Failures before any byte was sent: safe to retry for every method. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT']);

type Attempt =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; bytes: Buffer | undefined }
  | { kind: 'network'; cause: unknown };

interface Delay {
  ms: number;
  /** True when the upstream asked for this wait (`Retry-After`), false for our own backoff. */
  asked: boolean;
}

/** What an observed call has done so far. */
interface CallProgress {
  attempts: number;
  status: number | undefined;
  observed: ObservedCall;
}

/** Runs an observer's hook; an observer must not turn a good response into a failure. */
function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored: see CallObserver
  }
}

interface Prepared {
  origin: string;
  path: string;
  target: string;
  headers: Record<string, string>;
  payload: string | undefined;
}

/**
 * The only place that does HTTP: one keep-alive undici `Pool` per origin, created on first
 * use; retries per CONTRACT §1.7; every body read to the end; non-expected statuses and
 * network failures become `UpstreamError`.
 */
export class HttpTransport {
  readonly #pools = new Map<string, Pool>();
  readonly #options: Required<Omit<TransportOptions, 'onRequest' | 'timer' | 'observer' | 'callers' | 'parsedAnswers'>>;
  readonly #observer: CallObserver | undefined;
  /** Read and filled by `ServiceHttp`: who the platform confirmed, by its own answers. */
  readonly callers: ConfirmedCallers | undefined;
  readonly #onRequest: ((info: RequestInfo) => void) | undefined;
  readonly #timer: Timer;
  readonly #tenants: TenantLimiter;
  readonly #parsedAnswers: ParsedAnswers | undefined;
  #closed = false;

  constructor(options: TransportOptions = {}) {
    const connections = options.connections ?? 32;
    const connectionsPerTenant = options.connectionsPerTenant ?? Math.max(1, Math.floor(connections / 2));
    this.#options = {
      connections,
      connectionsPerTenant,
      connectionsUnverified: options.connectionsUnverified ?? Math.max(1, Math.floor(connectionsPerTenant / 4)),
      connectTimeout: options.connectTimeout ?? 5_000,
      headersTimeout: options.headersTimeout ?? 15_000,
      bodyTimeout: options.bodyTimeout ?? 15_000,
      keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 50,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 2_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    };
    this.#onRequest = options.onRequest;
    this.#observer = options.observer;
    this.#timer = options.timer ?? systemTimer;
    this.callers = options.callers;
    this.#tenants = new TenantLimiter(this.#options.connectionsPerTenant, this.#options.connectionsUnverified);
    this.#parsedAnswers = options.parsedAnswers;
  }

  /**
   * One call, retried per CONTRACT §1.7. With a scope, every attempt counts against its
   * budget and must start before its deadline, waiting for a tenant slot, a connection or
   * a retry included; past either it throws OperationLimitError.
   */
  async request<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    if (this.#closed) throw new Error('HttpTransport is closed');
    const prepared = prepare(req);
    const call: LimitedCall = { service: req.service, method: req.method, path: prepared.path };
    const observed = this.#observe(call, req.operation ?? req.scope?.operation);
    if (observed === undefined) return this.#send<T>(req, prepared, call, undefined);
    // after prepare(): the caller's headers cannot replace them
    Object.assign(prepared.headers, observed.headers);
    const progress: CallProgress = { attempts: 0, status: undefined, observed };
    try {
      const res = await this.#send<T>(req, prepared, call, progress);
      quietly(() => observed.end({ status: progress.status, attempts: progress.attempts }));
      return res;
    } catch (error) {
      quietly(() => observed.end({ status: progress.status, attempts: progress.attempts, error }));
      throw error;
    }
  }

  #observe(call: LimitedCall, operation: object | undefined): ObservedCall | undefined {
    try {
      return this.#observer?.start(call, operation);
    } catch {
      return undefined;
    }
  }

  async #send<T>(
    req: UpstreamRequest,
    prepared: Prepared,
    call: LimitedCall,
    progress: CallProgress | undefined,
  ): Promise<UpstreamResponse<T>> {
    const scope = req.scope?.applies === true ? req.scope : undefined;
    let serverErrors = 0;
    try {
      for (let attempt = 0; ; attempt++) {
        scope?.check(call);
        const outcome = await this.#tenants.run(
          req.tenant,
          () => this.#attempt(req, prepared, call, scope, attempt, progress),
          scope?.signal,
        );
        if (progress !== undefined && outcome.kind === 'response') progress.status = outcome.status;
        let delay: Delay | undefined;
        let failure: UpstreamError;
        if (outcome.kind === 'network') {
          delay =
            attempt < this.#options.maxRetries
              ? this.#networkRetryDelay(req.method, outcome.cause, attempt)
              : undefined;
          failure = new UpstreamError({
            service: req.service,
            method: req.method,
            path: prepared.path,
            status: undefined,
            cause: outcome.cause,
          });
        } else {
          const { status, headers, bytes } = outcome;
          if (isExpected(status, req.expect))
            return { status, headers, body: this.#successBody<T>(req, prepared, headers, bytes, status) };
          delay =
            attempt < this.#options.maxRetries
              ? this.#statusRetryDelay(req.method, status, headers, attempt, serverErrors)
              : undefined;
          failure = errorFromResponse(req, prepared, status, headers, utf8Text(bytes));
          if (status === 500) serverErrors++;
        }
        if (delay === undefined) throw failure;
        this.#checkDelay(delay, call, failure, scope);
        await this.#timer.sleep(delay.ms, scope?.signal);
      }
    } catch (err) {
      // a wait cut short by the scope rejects with its reason, which names no call: name this one
      if (
        scope !== undefined &&
        err instanceof OperationLimitError &&
        err.call === undefined &&
        err.kind !== 'RETRY_AFTER'
      )
        throw scope.refusal(err.kind, call);
      throw err;
    }
  }

  /**
   * An expected answer's body: parsed JSON, the text of a non-JSON body, or undefined when empty.
   * A confirmed tenant's GET reuses what the same bytes parsed to last time (`parsedAnswers`):
   * the request and its `accept` header are the key, the bytes themselves the check.
   */
  #successBody<T>(
    req: UpstreamRequest,
    prepared: Prepared,
    headers: IncomingHttpHeaders,
    bytes: Buffer | undefined,
    status: number,
  ): T {
    if (bytes === undefined) return undefined as T;
    if (!isJson(headers)) return utf8Text(bytes) as T;
    const parse = (b: Buffer) => parseSuccess<T>(req, prepared, headers, utf8Text(b), status);
    const tenant = req.tenant;
    if (
      this.#parsedAnswers === undefined ||
      req.method !== 'GET' ||
      tenant === undefined ||
      tenant === UNVERIFIED_TENANT
    )
      return parse(bytes);
    const key = `${prepared.origin}${prepared.target}\u0000${prepared.headers['accept'] ?? ''}`;
    return this.#parsedAnswers.parse(tenant, key, bytes, parse) as T;
  }

  /** One attempt in a tenant slot: sent, and its body read to the end, or the network failure. */
  async #attempt(
    req: UpstreamRequest,
    prepared: Prepared,
    call: LimitedCall,
    scope: CallScope | undefined,
    attempt: number,
    progress: CallProgress | undefined,
  ): Promise<Attempt> {
    scope?.claim(call);
    if (progress !== undefined) {
      progress.attempts++;
      quietly(() => progress.observed.attempted());
    }
    const started = performance.now();
    const signal = scope !== undefined && CANCELLABLE.has(req.method) ? scope.signal : undefined;
    try {
      const res = await exchange(
        this.#pool(prepared.origin),
        { method: req.method, path: prepared.target, headers: prepared.headers, body: prepared.payload ?? null },
        signal,
      );
      this.#report(req, prepared.path, res.status, started, attempt);
      return { kind: 'response', ...res };
    } catch (err) {
      const { cause, status } = err as ExchangeFailure;
      this.#report(req, prepared.path, status, started, attempt);
      if (signal?.aborted === true) throw this.#cancelled(scope!, call, cause);
      if (status === undefined) return { kind: 'network', cause };
      throw new UpstreamError({
        service: req.service,
        method: req.method,
        path: prepared.path,
        status,
        cause,
        reason: 'reading the body failed',
      });
    }
  }

  #cancelled(scope: CallScope, call: LimitedCall, cause: unknown): OperationLimitError {
    const reason: unknown = scope.signal.reason;
    const kind = reason instanceof OperationLimitError && reason.kind === 'ABORTED' ? 'ABORTED' : 'DEADLINE';
    return scope.refusal(kind, call, cause);
  }

  /** A wait the deadline does not leave room for fails now, naming what the upstream asked. */
  #checkDelay(delay: Delay, call: LimitedCall, failure: UpstreamError, scope: CallScope | undefined): void {
    const left = scope === undefined ? this.#options.maxRetryAfterMs : scope.remainingMs();
    if (delay.ms <= left) return;
    if (!delay.asked) throw scope === undefined ? failure : scope.refusal('DEADLINE', call, failure);
    if (scope !== undefined) throw scope.retryAfterRefusal(call, failure.status ?? 0, delay.ms, failure);
    throw new OperationLimitError({
      kind: 'RETRY_AFTER',
      message: `${call.service} answered HTTP ${failure.status} to ${call.method} ${call.path} asking to retry after ${Math.ceil(delay.ms / 1000)} s, more than the ${this.#options.maxRetryAfterMs} ms a call may wait`,
      call,
      status: failure.status,
      retryAfterMs: delay.ms,
      cause: failure,
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      const o = this.#options;
      pool = new Pool(origin, {
        connections: o.connections,
        connectTimeout: o.connectTimeout,
        headersTimeout: o.headersTimeout,
        bodyTimeout: o.bodyTimeout,
        keepAliveTimeout: o.keepAliveTimeout,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  #report(req: UpstreamRequest, path: string, status: number | undefined, started: number, attempt: number): void {
    if (this.#onRequest === undefined) return;
    try {
      this.#onRequest({
        service: req.service,
        method: req.method,
        path,
        status,
        durationMs: performance.now() - started,
        attempt,
      });
    } catch {
      // A metrics hook must not turn a good response into a failure.
    }
  }

  #networkRetryDelay(method: HttpMethod, cause: unknown, attempt: number): Delay | undefined {
    const code = networkCode(cause);
    if (code === undefined) return undefined;
    if (NOT_SENT.has(code) || (IDEMPOTENT.has(method) && TRANSIENT_NETWORK.has(code)))
      return { ms: this.#backoff(attempt), asked: false };
    return undefined;
  }

  /** §1.7: 429/503 for every method (nothing was processed); 502/504 and one 500 for idempotent methods only. */
  #statusRetryDelay(
    method: HttpMethod,
    status: number,
    headers: IncomingHttpHeaders,
    attempt: number,
    serverErrors: number,
  ): Delay | undefined {
    const idempotent = IDEMPOTENT.has(method);
    const retryable =
      status === 429 ||
      status === 503 ||
      (idempotent && (status === 502 || status === 504)) ||
      (idempotent && status === 500 && serverErrors === 0);
    if (!retryable) return undefined;
    const after = retryAfterMs(headers['retry-after']);
    return after === undefined ? { ms: this.#backoff(attempt), asked: false } : { ms: after, asked: true };
  }

  #backoff(attempt: number): number {
    const base = this.#options.retryBaseDelayMs;
    return Math.min(base * 2 ** attempt + Math.random() * base, this.#options.maxRetryDelayMs);
  }
}

/** Why `exchange` failed: `status` is set when the answer's head had come and its body had not. */
class ExchangeFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly status: number | undefined,
  ) {
    super('upstream exchange failed');
  }
}

/**
 * One request on the pool, its body read to the end (`bytes`, undefined when empty; `utf8Text`
 * decodes it). Undici's dispatch handler directly, without the
 * body stream and promise `request` adds per call: the body is always read whole anyway.
 * `signal` cancels it (undici aborts the request with the signal's reason). Rejects with an
 * `ExchangeFailure`.
 */
function exchange(
  pool: Pool,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal | undefined,
): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer | undefined }> {
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    let headers: IncomingHttpHeaders = {};
    let abort: ((reason?: Error) => void) | undefined;
    // undici aborts with whatever it is given: the scope's reason is its OperationLimitError
    const chunks: Buffer[] = [];
    let length = 0;
    const onAbort = () => abort?.(signal?.reason as Error | undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settled = () => signal?.removeEventListener('abort', onAbort);
    pool.dispatch(options, {
      onConnect(abortRequest) {
        if (signal?.aborted === true) abortRequest(signal.reason as Error | undefined);
        else abort = abortRequest;
      },
      onHeaders(statusCode, rawHeaders) {
        // 1xx answers are interim: the final one follows
        if (statusCode >= 200) {
          status = statusCode;
          headers = undiciUtil.parseHeaders(rawHeaders);
        }
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        length += chunk.length;
        return true;
      },
      onComplete() {
        settled();
        const bytes = length === 0 ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
        resolve({ status: status!, headers, bytes });
      },
      onError(cause) {
        settled();
        reject(new ExchangeFailure(cause, status));
      },
    });
  });
}

/** A body's text, decoded as UTF-8 with a leading BOM dropped, as undici's `body.text()` does. */
function utf8Text(buffer: Buffer | undefined): string {
  if (buffer === undefined) return '';
  const bom = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', bom ? 3 : 0);
}

function prepare(req: UpstreamRequest): Prepared {
  const url = new URL(req.url);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  let payload: string | undefined;
  if (isFormBody(req.body)) {
    payload = new URLSearchParams(req.body.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (req.body !== undefined) {
    payload = JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  return {
    origin: url.origin,
    path: url.pathname,
    target: url.pathname + buildSearch(url.search, req.query),
    headers,
    payload,
  };
}

function isFormBody(body: unknown): body is FormBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  const form = (body as { form?: unknown }).form;
  return (
    keys.length === 1 &&
    typeof form === 'object' &&
    form !== null &&
    Object.values(form).every((v) => typeof v === 'string')
  );
}

function buildSearch(existing: string, query: Query | undefined): string {
  const parts = existing.length > 1 ? [existing.slice(1)] : [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    const values: readonly string[] = typeof value === 'string' ? [value] : value;
    for (const v of values) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function isExpected(status: number, expect: readonly number[] | undefined): boolean {
  return expect === undefined ? status >= 200 && status < 300 : expect.includes(status);
}

function isJson(headers: IncomingHttpHeaders): boolean {
  return /json/i.test(String(headers['content-type'] ?? ''));
}

function parseSuccess<T>(
  req: UpstreamRequest,
  prepared: Prepared,
  headers: IncomingHttpHeaders,
  text: string,
  status: number,
): T {
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new UpstreamError({
      service: req.service,
      method: req.method,
      path: prepared.path,
      status,
      cause,
      requestId: header(headers, 'x-request-id'),
      reason: 'response body is not valid JSON',
    });
  }
}

function errorFromResponse(
  req: UpstreamRequest,
  prepared: Prepared,
  status: number,
  headers: IncomingHttpHeaders,
  text: string,
): UpstreamError {
  let body: unknown = text === '' ? undefined : text;
  if (text !== '' && isJson(headers)) {
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text: the status is the error, the body only explains it
    }
  }
  // collected only for a failed call: encoding every credential cost more than a request's own preparation
  body = redact(body, collectSecrets(prepared.headers, req.body));
  const parsed = parseErrorBody(body);
  return new UpstreamError({
    service: req.service,
    method: req.method,
    path: prepared.path,
    status,
    code: parsed.code,
    upstreamMessage: parsed.upstreamMessage,
    requestId: header(headers, 'x-request-id') ?? parsed.requestId,
    sandbox: prepared.headers['x-sandbox-name'],
    body,
    reason: status >= 200 && status < 300 ? 'unexpected status' : undefined,
  });
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
