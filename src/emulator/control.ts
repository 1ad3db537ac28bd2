import type { IncomingMessage } from 'node:http';
import { settleRuns } from './runs/lifecycle.ts';
import { produceScheduledRuns } from './runs/scheduler.ts';
import type { EmulatorRuntime, Fault } from './runtime.ts';

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

function parseFault(input: unknown): Fault | string {
  if (typeof input !== 'object' || input === null) return 'body must be a JSON object';
  const f = input as Record<string, unknown>;
  if (typeof f['path'] !== 'string') return 'path (a regular expression on the path) is required';
  let path: RegExp;
  try {
    path = new RegExp(f['path']);
  } catch (err) {
    return `path is not a valid regular expression: ${(err as Error).message}`;
  }
  if (typeof f['status'] !== 'number' || !Number.isInteger(f['status']) || f['status'] < 100 || f['status'] > 599) {
    return 'status must be an HTTP status code';
  }
  for (const key of ['times', 'delayMs', 'skip'] as const) {
    const v = f[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
      return `${key} must be a non-negative integer`;
  }
  if (f['method'] !== undefined && typeof f['method'] !== 'string') return 'method must be a string';
  return {
    method: f['method'] === undefined ? undefined : String(f['method']).toUpperCase(),
    path,
    status: f['status'],
    body: f['body'],
    times: (f['times'] as number | undefined) ?? 1,
    delayMs: (f['delayMs'] as number | undefined) ?? 0,
    skip: (f['skip'] as number | undefined) ?? 0,
  };
}

/** The `/__emulator/*` routes (pinned; tests and benchmarks rely on them). */
export function handleControl(
  runtime: EmulatorRuntime,
  hooks: ControlHooks,
  req: IncomingMessage,
  path: string,
  body: unknown,
): ControlReply {
  const key = `${req.method} ${path.replace(/\/+$/, '')}`;
  switch (key) {
    case 'GET /__emulator/requests':
      return { status: 200, body: runtime.requests };
    case 'DELETE /__emulator/requests':
      runtime.requests = [];
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
      runtime.setConfig({ latencyMs: latencyMs, timeScale: timeScale });
      return { status: 200, body: runtime.config };
    }
    case 'POST /__emulator/clock': {
      const advanceMs = (body as { advanceMs?: unknown } | undefined)?.advanceMs;
      if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0)
        return bad('advanceMs must be a number >= 0');
      runtime.clock.advance(advanceMs);
      runtime.markDirty();
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
      if (settled > 0) runtime.markDirty();
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
        },
      };
    default:
      return { status: 404, body: { error: `no control route ${key}` } };
  }
}
