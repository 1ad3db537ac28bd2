import type { IncomingMessage } from 'node:http';
import type { RequestMatcher } from './requestMatch.ts';
import { settleRuns } from './runs/lifecycle.ts';
import { produceScheduledRuns } from './runs/scheduler.ts';
import type { EmulatorRuntime, Fault } from './runtime.ts';
import { webhookRoutes } from './ioEvents/webhookRoutes.ts';

export interface ControlReply {
  status: number;
  body?: unknown;
}

export interface ControlHooks {
  reset(demo: boolean): void;
}

function bad(message: string): ControlReply {
  return { status: 400, body: { error: message } };
}

/** The request-matching part of a fault or a hold: `path` (a regular expression), `method?`, `times?`, `skip?`. */
function parseMatcher(f: Record<string, unknown>): RequestMatcher | string {
  if (typeof f['path'] !== 'string') return 'path (a regular expression on the path) is required';
  let path: RegExp;
  try {
    path = new RegExp(f['path']);
  } catch (err) {
    return `path is not a valid regular expression: ${(err as Error).message}`;
  }
  for (const key of ['times', 'skip'] as const) {
    const v = f[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
      return `${key} must be a non-negative integer`;
  }
  if (f['method'] !== undefined && typeof f['method'] !== 'string') return 'method must be a string';
  return {
    method: f['method'] === undefined ? undefined : String(f['method']).toUpperCase(),
    path,
    times: (f['times'] as number | undefined) ?? 1,
    skip: (f['skip'] as number | undefined) ?? 0,
  };
}

function jsonObject(input: unknown): Record<string, unknown> | undefined {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : undefined;
}

function parseFault(input: unknown): Fault | string {
  const f = jsonObject(input);
  if (f === undefined) return 'body must be a JSON object';
  const matcher = parseMatcher(f);
  if (typeof matcher === 'string') return matcher;
  const reset = f['reset'];
  if (reset !== undefined && reset !== 'processed' && reset !== 'unprocessed')
    return 'reset must be "processed" (handle the request, then close the connection) or "unprocessed" (close it at once)';
  const status = f['status'];
  const answers = reset === undefined || status !== undefined;
  if (answers && (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599))
    return 'status must be an HTTP status code';
  const delayMs = f['delayMs'];
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0))
    return 'delayMs must be a non-negative integer';
  const headers = f['headers'] === undefined ? undefined : jsonObject(f['headers']);
  if (
    f['headers'] !== undefined &&
    (headers === undefined || Object.values(headers).some((v) => typeof v !== 'string'))
  )
    return 'headers must be an object of strings (e.g. {"retry-after": "5"})';
  return {
    ...matcher,
    status: typeof status === 'number' ? status : 0,
    ...(reset === undefined ? {} : { reset }),
    body: f['body'],
    headers: headers as Record<string, string> | undefined,
    delayMs: delayMs ?? 0,
  };
}

const ORG_ID = /^[A-Za-z0-9]+@AdobeOrg$/;

function parseGrant(input: unknown): { clientId: string; orgs: string[] } | string {
  const g = jsonObject(input);
  if (g === undefined) return 'body must be a JSON object {clientId, orgs}';
  const { clientId, orgs } = g;
  if (typeof clientId !== 'string' || clientId.trim() === '') return 'clientId must be a non-empty string';
  if (!Array.isArray(orgs) || orgs.length === 0)
    return 'orgs must be a non-empty list of org ids (DELETE /__emulator/entitlements lifts every grant)';
  const list: unknown[] = orgs;
  const valid = list.filter((o): o is string => typeof o === 'string' && ORG_ID.test(o));
  const bad = list.findIndex((o) => typeof o !== 'string' || !ORG_ID.test(o));
  if (bad >= 0) return `orgs[${bad}]: ${JSON.stringify(list[bad])} is not an org id (<alphanumerics>@AdobeOrg)`;
  return { clientId, orgs: valid };
}

/** Longest a `POST /__emulator/holds/wait` waits before answering with fewer held requests. */
const MAX_HOLD_WAIT_MS = 30_000;

async function waitForHeld(runtime: EmulatorRuntime, body: unknown): Promise<ControlReply> {
  const w = jsonObject(body ?? {});
  const atMost = w?.['atMost'];
  const count = w?.['count'] ?? 1;
  const timeoutMs = w?.['timeoutMs'] ?? 10_000;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_HOLD_WAIT_MS)
    return bad(`timeoutMs must be an integer from 0 to ${MAX_HOLD_WAIT_MS}`);
  // {atMost}: until held callers that went away leave it at most that many
  if (atMost !== undefined) {
    if (typeof atMost !== 'number' || !Number.isInteger(atMost) || atMost < 0)
      return bad('atMost must be an integer >= 0');
    return { status: 200, body: { held: await runtime.holds.waitForAtMost(atMost, timeoutMs) } };
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return bad('count must be an integer >= 1');
  return { status: 200, body: { held: await runtime.holds.waitFor(count, timeoutMs) } };
}

function holdRoutes(runtime: EmulatorRuntime, key: string, body: unknown): ControlReply | Promise<ControlReply> {
  const holds = runtime.holds;
  switch (key) {
    case 'GET /__emulator/holds':
      return {
        status: 200,
        body: { held: holds.held, rules: holds.rules.map((r) => ({ ...r, path: r.path.source })) },
      };
    case 'POST /__emulator/holds': {
      const f = jsonObject(body);
      const rule = f === undefined ? 'body must be a JSON object' : parseMatcher(f);
      if (typeof rule === 'string') return bad(rule);
      holds.rules.push(rule);
      return { status: 201, body: { ...rule, path: rule.path.source } };
    }
    case 'DELETE /__emulator/holds':
      holds.clear();
      return { status: 204 };
    case 'POST /__emulator/holds/wait':
      return waitForHeld(runtime, body);
    case 'POST /__emulator/holds/release':
      return { status: 200, body: { released: holds.release() } };
    default:
      return { status: 404, body: { error: `no control route ${key}` } };
  }
}

function entitlementRoutes(runtime: EmulatorRuntime, key: string, body: unknown): ControlReply {
  switch (key) {
    case 'GET /__emulator/entitlements':
      return { status: 200, body: runtime.entitlements.toJSON() };
    case 'PUT /__emulator/entitlements': {
      const grant = parseGrant(body);
      if (typeof grant === 'string') return bad(grant);
      runtime.entitlements.grant(grant.clientId, grant.orgs);
      return { status: 200, body: grant };
    }
    case 'DELETE /__emulator/entitlements':
      runtime.entitlements.clear();
      return { status: 204 };
    default:
      return { status: 404, body: { error: `no control route ${key}` } };
  }
}

const SANDBOX_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * `/__emulator/sandboxes`: `PUT {org, sandboxes}` declares an org's sandboxes (only those exist
 * from then on), `POST {org, sandbox}` adds one to an org that declared its own (an open org has
 * every one), `DELETE` opens every org again.
 */
function sandboxRoutes(runtime: EmulatorRuntime, key: string, body: unknown): ControlReply {
  const b = jsonObject(body) ?? {};
  const org = b['org'];
  switch (key) {
    case 'GET /__emulator/sandboxes':
      return { status: 200, body: runtime.sandboxes.toJSON() };
    case 'PUT /__emulator/sandboxes': {
      const names = b['sandboxes'];
      if (typeof org !== 'string' || !org.endsWith('@AdobeOrg')) return bad('org must be an org id (…@AdobeOrg)');
      if (
        !Array.isArray(names) ||
        names.length === 0 ||
        !names.every((n) => typeof n === 'string' && SANDBOX_NAME.test(n))
      )
        return bad('sandboxes must be a non-empty list of sandbox names (lowercase letters, digits and "-")');
      runtime.sandboxes.declare(org, names as string[]);
      return { status: 200, body: runtime.sandboxes.toJSON() };
    }
    case 'POST /__emulator/sandboxes': {
      const name = b['sandbox'];
      if (typeof org !== 'string' || !org.endsWith('@AdobeOrg')) return bad('org must be an org id (…@AdobeOrg)');
      if (typeof name !== 'string' || !SANDBOX_NAME.test(name))
        return bad('sandbox must be a sandbox name (lowercase letters, digits and "-")');
      runtime.sandboxes.add(org, name);
      return { status: 200, body: runtime.sandboxes.toJSON() };
    }
    case 'DELETE /__emulator/sandboxes':
      runtime.sandboxes.clear();
      return { status: 204 };
    default:
      return { status: 404, body: { error: `no control route ${key}` } };
  }
}

/** The `/__emulator/*` routes (pinned; tests and benchmarks rely on them). */
export function handleControl(
  runtime: EmulatorRuntime,
  hooks: ControlHooks,
  req: IncomingMessage,
  path: string,
  body: unknown,
): ControlReply | Promise<ControlReply> {
  const key = `${req.method} ${path.replace(/\/+$/, '')}`;
  if (key.startsWith(`${req.method} /__emulator/holds`)) return holdRoutes(runtime, key, body);
  if (key.startsWith(`${req.method} /__emulator/entitlements`)) return entitlementRoutes(runtime, key, body);
  if (key.startsWith(`${req.method} /__emulator/sandboxes`)) return sandboxRoutes(runtime, key, body);
  if (key.startsWith(`${req.method} /__emulator/webhooks`))
    return webhookRoutes(runtime.webhooks, req.method ?? 'GET', path.replace(/\/+$/, ''), body);
  switch (key) {
    case 'GET /__emulator/inflight':
      return {
        status: 200,
        body: { current: Object.fromEntries(runtime.inFlight), peak: Object.fromEntries(runtime.peakInFlight) },
      };
    case 'DELETE /__emulator/inflight':
      runtime.peakInFlight.clear();
      for (const [org, n] of runtime.inFlight) runtime.peakInFlight.set(org, n);
      return { status: 204 };
    case 'GET /__emulator/requests':
      return { status: 200, body: runtime.requests.toArray() };
    case 'DELETE /__emulator/requests':
      runtime.requests.clear();
      return { status: 204 };
    case 'GET /__emulator/faults':
      return { status: 200, body: runtime.faults.map((f) => ({ ...f, path: f.path.source })) };
    case 'POST /__emulator/faults': {
      const fault = parseFault(body);
      if (typeof fault === 'string') return bad(fault);
      runtime.faults.push(fault);
      return { status: 201, body: { ...fault, path: fault.path.source } };
    }
    case 'DELETE /__emulator/faults':
      runtime.faults = [];
      return { status: 204 };
    case 'GET /__emulator/config':
      return { status: 200, body: runtime.config };
    case 'PUT /__emulator/config': {
      const cfg = (body ?? {}) as Record<string, unknown>;
      const latencyMs = cfg['latencyMs'];
      const timeScale = cfg['timeScale'];
      if (latencyMs !== undefined && (typeof latencyMs !== 'number' || latencyMs < 0))
        return bad('latencyMs must be a number >= 0');
      if (timeScale !== undefined && (typeof timeScale !== 'number' || timeScale <= 0))
        return bad('timeScale must be a number > 0');
      runtime.setConfig({ latencyMs, timeScale });
      return { status: 200, body: runtime.config };
    }
    case 'POST /__emulator/clock': {
      const advanceMs = (body as { advanceMs?: unknown } | undefined)?.advanceMs;
      if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0)
        return bad('advanceMs must be a number >= 0');
      runtime.clock.advance(advanceMs);
      // retries waiting on emulated time may be due now
      runtime.webhooks.kick();
      return { status: 200, body: { now: runtime.clock.now() } };
    }
    case 'POST /__emulator/runs/settle': {
      const scope = (body ?? {}) as { org?: unknown; sandbox?: unknown };
      if (scope.org !== undefined && typeof scope.org !== 'string') return bad('org must be a string');
      if (scope.sandbox !== undefined && typeof scope.sandbox !== 'string') return bad('sandbox must be a string');
      const parts = runtime.store
        .allPartitions()
        .filter((p) => (scope.org === undefined || p.org === scope.org) && (scope.sandbox ?? p.sandbox) === p.sandbox);
      // the newest due slot of each scheduled flow gets its run, then every unfinished run finishes now
      for (const part of parts) produceScheduledRuns(runtime, part, 1);
      const settled = parts.reduce((n, p) => n + settleRuns(runtime, p), 0);
      return { status: 200, body: { settled } };
    }
    case 'POST /__emulator/reset': {
      const demo = (body as { demo?: unknown } | undefined)?.demo === true;
      hooks.reset(demo);
      return { status: 200, body: { reset: true, demo, partitions: runtime.store.state() } };
    }
    case 'GET /__emulator/state':
      return {
        status: 200,
        body: {
          partitions: runtime.store.state(),
          inlets: runtime.store.inlets.size,
          tokens: runtime.store.tokens.size,
          webhooks: { registered: runtime.webhooks.size, keyRequests: runtime.webhooks.keyRequests },
          requestLog: {
            size: runtime.requests.size,
            capacity: runtime.requests.capacity,
            dropped: runtime.requests.dropped,
          },
        },
      };
    default:
      return { status: 404, body: { error: `no control route ${key}` } };
  }
}
