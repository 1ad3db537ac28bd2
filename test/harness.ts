import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/emulator/server.ts';
import { DEMO_ORG } from '../src/emulator/seed/demo.ts';
import type { RequestLogEntry } from '../src/emulator/runtime.ts';
import { observeContract } from './contract/contractRecorder.ts';

export type { RequestLogEntry };

export { DEMO_ORG };

export interface GqlResult<T = any> {
  status: number;
  data: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  text: string;
}

export interface Stack {
  emulator: Emulator;
  api: RunningServer;
  /** POSTs a GraphQL operation to the API. */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResult<T>>;
  /** The emulator's request log since the last clear. */
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  /** Calls an emulator control route. */
  control(method: string, path: string, body?: unknown): Promise<any>;
  /** Moves the API's clock forward (token refresh, cache expiry, computed fields); the emulator's is its own. */
  advanceClock(ms: number): void;
  stop(): Promise<void>;
}

export interface StackOptions {
  emulator?: EmulatorOptions;
  /** Extra environment for the API's configuration. */
  env?: Record<string, string>;
  /** Options of the API server itself (an injected timer, ...). */
  server?: Parameters<typeof startServer>[1];
}

/** The API's configuration over the emulator at `emulatorUrl`, as startStack uses it (also for a second replica). */
export function stackConfig(emulatorUrl: string, env: Record<string, string> = {}) {
  return loadConfig({
    PORT: '0',
    PLATFORM_URL: emulatorUrl,
    STREAMING_URL: emulatorUrl,
    IMS_URL: emulatorUrl,
    IMS_CLIENT_ID: 'ingestion-graph-test',
    IMS_CLIENT_SECRET: 'test-secret-value',
    IMS_ORG_ID: DEMO_ORG,
    ALLOW_ANONYMOUS: 'true',
    IO_EVENTS_KEY_ORIGIN: emulatorUrl,
    // a test that reads log lines passes a destination and a level (test/observability/)
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/**
 * The emulator and the API, both on port 0, wired the way a real deployment is: the API
 * reaches the emulator through PLATFORM_URL, STREAMING_URL and IMS_URL only.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ runScheduler: false, observe: observeContract, ...options.emulator });
  const config = stackConfig(emulator.url, options.env);
  let clockOffsetMs = 0;
  const api = await startServer(config, {
    now: () => Date.now() + clockOffsetMs,
    // /ready's probe ran once at start; it repeats only when a test calls readiness.refresh()
    readinessSchedule: () => () => undefined,
    ...options.server,
  });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(emulator.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return text === '' ? undefined : JSON.parse(text);
  };
  // the log starts with the test's own requests, not the start's readiness probe
  await control('DELETE', '/__emulator/requests');
  return {
    emulator,
    api,
    async gql(query, variables, headers) {
      const res = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      const json = JSON.parse(text) as { data: any; errors?: GqlResult['errors'] };
      return { status: res.status, data: json.data, errors: json.errors, text };
    },
    requests: () => control('GET', '/__emulator/requests'),
    clearRequests: async () => {
      await control('DELETE', '/__emulator/requests');
    },
    control,
    advanceClock(ms) {
      clockOffsetMs += ms;
    },
    async stop() {
      await api.stop();
      await emulator.stop();
    },
  };
}

/** Upstream requests of the log grouped as `METHOD /path-without-ids-and-query` → count. */
export function countByRoute(log: RequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of log) {
    const route = `${r.method} ${r.path}`;
    counts[route] = (counts[route] ?? 0) + 1;
  }
  return counts;
}

/** The Flow Service flow list reads (`GET /flows`, every query) the log holds for `org`. */
export function flowListReads(log: RequestLogEntry[], org: string): RequestLogEntry[] {
  return log.filter((e) => e.method === 'GET' && e.path === '/data/foundation/flowservice/flows' && e.org === org);
}
