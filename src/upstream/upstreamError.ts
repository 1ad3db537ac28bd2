import { routeOperation } from './routeTemplate.ts';

export type ServiceName =
  'flowService' | 'catalog' | 'schemaRegistry' | 'dataPrep' | 'streaming' | 'observability' | 'ims';

export interface UpstreamErrorInit {
  service: ServiceName;
  method: string;
  /** Path only: the query string may carry secrets and never reaches an error. */
  path: string;
  status: number | undefined;
  code?: string | undefined;
  upstreamMessage?: string | undefined;
  requestId?: string | undefined;
  /** The `x-sandbox-name` the call was sent with, to name it when the upstream does not know it. */
  sandbox?: string | undefined;
  /** The parsed response body (secrets of the request already redacted). */
  body?: unknown;
  cause?: unknown;
  /** Why the call failed when there is no status to say it (network error, bad JSON). */
  reason?: string | undefined;
}

/**
 * A failed upstream call: a response outside the expected statuses (`status` set), or no
 * usable response at all (`status` undefined, `cause` holds the network error).
 * Never carries request headers or request bodies; `body` is non-enumerable so a logger
 * that serialises the error does not print whatever the upstream echoed.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly sandbox: string | undefined;
  declare readonly body: unknown;

  constructor(init: UpstreamErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.service = init.service;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.upstreamMessage = init.upstreamMessage;
    this.requestId = init.requestId;
    this.sandbox = init.sandbox;
    Object.defineProperty(this, 'body', { value: init.body, enumerable: false });
  }

  /** The Platform refused the caller's credentials (401) or their rights (403). */
  get refusesCaller(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

function describe(init: UpstreamErrorInit): string {
  const outcome =
    init.status === undefined ? (init.reason ?? networkCode(init.cause) ?? 'no response') : `HTTP ${init.status}`;
  const parts = [`${init.service} ${routeOperation(init.method, init.path)} failed: ${outcome}`];
  if (init.status !== undefined && init.reason !== undefined) parts.push(`(${init.reason})`);
  if (init.code !== undefined) parts.push(init.code);
  if (init.requestId !== undefined) parts.push(`[request id ${init.requestId}]`);
  return parts.join(' ');
}

/** The `code` of a Node or undici network error (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`, ...). */
export function networkCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects fail with an AggregateError of the per-address errors.
  const inner = (err as { errors?: unknown }).errors;
  return Array.isArray(inner) ? networkCode(inner[0]) : undefined;
}

/**
 * A sandbox the org does not have: Flow Service answers 404 `FLOW-2100-404` (CONTRACT §1.3);
 * the other services document no code of their own, and the same number in their families
 * (`XDM-`, `CAT-`, `DPREP-`, `INSGHT-2100-404`) is read the same way.
 */
const UNKNOWN_SANDBOX = /^[A-Z]+-2100-404$/;

/** True for an upstream's answer that the request's sandbox does not exist. */
export function isUnknownSandbox(err: unknown): boolean {
  return err instanceof UpstreamError && err.status === 404 && err.code !== undefined && UNKNOWN_SANDBOX.test(err.code);
}

/**
 * True for a 404 that means "this resource does not exist". A 404 for an unknown sandbox
 * is not a missing resource and must surface as an error.
 */
export function isNotFound(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError && err.status === 404 && !isUnknownSandbox(err);
}

export interface ParsedErrorBody {
  code: string | undefined;
  upstreamMessage: string | undefined;
  requestId: string | undefined;
}

const PROBLEM_CODE = /^[A-Z][A-Z0-9]*-[0-9]+-[0-9]{3}$/;

/**
 * Reads the error families of CONTRACT §1.6: Flow/Catalog/Data Prep/XDM problems (code is
 * the last segment of `type`), the gateway's `{error_code, message}`, DCS problems,
 * Observability `{errorCode}` and IMS `{error, error_description}`.
 */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      code: undefined,
      upstreamMessage:
        typeof body === 'string' && body !== '' ? withoutUpstreamLocations(body.slice(0, 500)) : undefined,
      requestId: undefined,
    };
  }
  const b = body as Record<string, unknown>;
  const report = typeof b.report === 'object' && b.report !== null ? (b.report as Record<string, unknown>) : {};
  const typeSegment = typeof b.type === 'string' ? b.type.split('/').pop() : undefined;
  const code =
    (typeSegment !== undefined && PROBLEM_CODE.test(typeSegment) ? typeSegment : undefined) ??
    str(b.error_code) ??
    str(b.errorCode) ??
    str(b.error);
  const upstreamMessage =
    str(report['detailed-message']) ??
    str(b.detail) ??
    str(b.errorMessage) ??
    str(b.message) ??
    str(b.error_description) ??
    str(report.message) ??
    str(b.details) ??
    str(b.title);
  const requestId = str(report['request-id']) ?? str(report.registryRequestId);
  return {
    code,
    upstreamMessage: upstreamMessage === undefined ? undefined : withoutUpstreamLocations(upstreamMessage),
    requestId,
  };
}

/**
 * A URL of any host (scheme, host, and whatever path and query follow), or a REST path of the
 * Platform's services (`/data/...`, `/collection/...`, `/ims/...`) with its query.
 */
const UPSTREAM_LOCATION =
  /[a-z][a-z0-9+.-]*:\/\/[^\s/"'<>]+(?:\/[^\s"'<>)\],]*)?|\/(?:data|collection|ims)\/[^\s"'<>)\],]*/gi;

/**
 * `text` with every upstream path or URL in it replaced: the upstream's own messages reach
 * callers (in user errors), and where they echo a request's URL it must not go along.
 */
function withoutUpstreamLocations(text: string): string {
  return text.replace(UPSTREAM_LOCATION, '(upstream path)');
}

function str(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const SECRET_KEY = /secret|password|token|passphrase|credential|assertion|connectionstring|sasuri|key$/i;
const MIN_SECRET_LENGTH = 4;

/**
 * Values of a request that must never reach an error: the bearer token, the api key,
 * and every string under a secret-looking key of a form or JSON body.
 */
export function collectSecrets(headers: Record<string, string>, body: unknown): string[] {
  const secrets = new Set<string>();
  const auth = headers.authorization;
  if (auth !== undefined) {
    secrets.add(auth);
    secrets.add(auth.replace(/^Bearer\s+/i, ''));
  }
  if (headers['x-api-key'] !== undefined) secrets.add(headers['x-api-key']);
  walk(body, false, secrets, 0);
  const all = [...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH);
  // Upstreams that echo a request echo it encoded as it was sent.
  return [...new Set(all.flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]))];
}

function walk(value: unknown, secret: boolean, out: Set<string>, depth: number): void {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (secret) out.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) walk(item, secret, out, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) walk(item, secret || SECRET_KEY.test(key), out, depth + 1);
  }
}

export function redact<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0 || value === undefined) return value;
  if (typeof value === 'string') return redactText(value, secrets) as T;
  const text = JSON.stringify(value);
  const clean = redactText(
    text,
    secrets.map((s) => JSON.stringify(s).slice(1, -1)),
  );
  return clean === text ? value : (JSON.parse(clean) as T);
}

function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, '[REDACTED]');
  return out;
}

/** Network failures that happen before a request is sent: its outcome is known (nothing happened). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when a call failed without a usable answer after the request may have reached the
 * service (a reset, a closed socket, a headers or body timeout, a success whose body was cut
 * off): a write may have happened, and only a lookup can tell.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (!(err instanceof UpstreamError)) return false;
  if (err.status !== undefined) return err.status >= 200 && err.status < 300 && err.cause !== undefined;
  const code = networkCode(err.cause);
  return code === undefined || !NOT_SENT_CODES.has(code);
}
