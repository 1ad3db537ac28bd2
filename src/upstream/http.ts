import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { collectSecrets, networkCode, parseErrorBody, redact, UpstreamError } from './upstreamError.ts';
import type { ServiceName } from './upstreamError.ts';

export { UpstreamError, isNotFound } from './upstreamError.ts';
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

export interface TransportOptions {
  /** Max connections per origin (default 32). */
  connections?: number;
  connectTimeout?: number;
  headersTimeout?: number;
  bodyTimeout?: number;
  keepAliveTimeout?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** First backoff step; doubles per attempt, plus up to one step of jitter (default 50 ms). */
  retryBaseDelayMs?: number;
  /** Cap on any wait between attempts, `Retry-After` included (default 2000 ms). */
  maxRetryDelayMs?: number;
  /** Metrics hook; whatever it throws is ignored so metrics cannot fail a request. */
  onRequest?: (info: RequestInfo) => void;
}

const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
/** Failures that may have happened after the request reached the server: idempotent methods only. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
/** Failures before any byte was sent: safe to retry for every method. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT']);

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
  readonly #options: Required<Omit<TransportOptions, 'onRequest'>>;
  readonly #onRequest: ((info: RequestInfo) => void) | undefined;
  #closed = false;

  constructor(options: TransportOptions = {}) {
    this.#options = {
      connections: options.connections ?? 32,
      connectTimeout: options.connectTimeout ?? 5_000,
      headersTimeout: options.headersTimeout ?? 15_000,
      bodyTimeout: options.bodyTimeout ?? 15_000,
      keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 50,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 2_000,
    };
    this.#onRequest = options.onRequest;
  }

  async request<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    if (this.#closed) throw new Error('HttpTransport is closed');
    const prepared = prepare(req);
    let serverErrors = 0;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      let res: Dispatcher.ResponseData;
      let text: string;
      try {
        res = await this.#pool(prepared.origin).request({
          method: req.method,
          path: prepared.target,
          headers: prepared.headers,
          body: prepared.payload ?? null,
        });
      } catch (cause) {
        this.#report(req, prepared.path, undefined, started, attempt);
        const delay =
          attempt < this.#options.maxRetries ? this.#networkRetryDelay(req.method, cause, attempt) : undefined;
        if (delay === undefined)
          throw new UpstreamError({
            service: req.service,
            method: req.method,
            path: prepared.path,
            status: undefined,
            cause,
          });
        await sleep(delay);
        continue;
      }
      try {
        text = await res.body.text();
      } catch (cause) {
        this.#report(req, prepared.path, res.statusCode, started, attempt);
        throw new UpstreamError({
          service: req.service,
          method: req.method,
          path: prepared.path,
          status: res.statusCode,
          cause,
          reason: 'reading the body failed',
        });
      }
      this.#report(req, prepared.path, res.statusCode, started, attempt);
      const status = res.statusCode;
      if (isExpected(status, req.expect))
        return { status, headers: res.headers, body: parseSuccess<T>(req, prepared, res.headers, text, status) };
      const delay =
        attempt < this.#options.maxRetries
          ? this.#statusRetryDelay(req.method, status, res.headers, attempt, serverErrors)
          : undefined;
      if (delay === undefined) throw errorFromResponse(req, prepared, status, res.headers, text);
      if (status === 500) serverErrors++;
      await sleep(delay);
    }
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

  #networkRetryDelay(method: HttpMethod, cause: unknown, attempt: number): number | undefined {
    const code = networkCode(cause);
    if (code === undefined) return undefined;
    if (NOT_SENT.has(code) || (IDEMPOTENT.has(method) && TRANSIENT_NETWORK.has(code))) return this.#backoff(attempt);
    return undefined;
  }

  /** §1.7: 429/503 for every method (nothing was processed); 502/504 and one 500 for idempotent methods only. */
  #statusRetryDelay(
    method: HttpMethod,
    status: number,
    headers: IncomingHttpHeaders,
    attempt: number,
    serverErrors: number,
  ): number | undefined {
    const idempotent = IDEMPOTENT.has(method);
    const retryable =
      status === 429 ||
      status === 503 ||
      (idempotent && (status === 502 || status === 504)) ||
      (idempotent && status === 500 && serverErrors === 0);
    if (!retryable) return undefined;
    const after = retryAfterMs(headers['retry-after']);
    return after === undefined ? this.#backoff(attempt) : Math.min(after, this.#options.maxRetryDelayMs);
  }

  #backoff(attempt: number): number {
    const base = this.#options.retryBaseDelayMs;
    return Math.min(base * 2 ** attempt + Math.random() * base, this.#options.maxRetryDelayMs);
  }
}

function prepare(req: UpstreamRequest): Prepared {
  const url = new URL(req.url);
  const headers: Record<string, string> = { accept: 'application/json' };
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
  if (text === '') return undefined as T;
  if (!isJson(headers)) return text as T;
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
