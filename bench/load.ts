/**
 * Load generation, run only in the client child: closed-loop workers over an undici Pool
 * on loopback, bounded by time (gateway) or by count (memory rounds).
 */
import { Pool, type Dispatcher } from 'undici';
import { percentile } from './stats.ts';
import { DASHBOARD_QUERY } from './dashboard.ts';

export const FLOW_QUERY = /* GraphQL */ `
  query Flow($id: ID!) {
    flow(id: $id) {
      id
      name
      state
      sourceConnections {
        id
        name
        baseConnection {
          id
          name
        }
      }
    }
  }
`;

export interface LoadArgs {
  /**
   * `graphql`: POST flow(id) to `url`; `passthrough`: GET `url`/flow/{id}; `dashboard`: POST
   * the dashboard's first page of `pageSize` flows to `url`.
   */
  kind: 'graphql' | 'passthrough' | 'dashboard';
  url: string;
  flowIds: string[];
  /** `dashboard` only (default 20). */
  pageSize?: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  elapsedMs: number;
  /** The start of the first failed answer, to tell what went wrong. */
  firstError?: string;
}

/** Keeps `concurrency` requests in flight for warm-up + duration; measures after warm-up. */
export async function runLoad(args: LoadArgs): Promise<LoadResult> {
  const u = new URL(args.url);
  const pool = new Pool(u.origin, { connections: args.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const measureFrom = performance.now() + args.warmupMs;
  const end = measureFrom + args.durationMs;
  const dashboard = JSON.stringify({ query: DASHBOARD_QUERY, variables: { first: args.pageSize ?? 20, after: null } });
  const one = async (id: string) => {
    if (args.kind === 'dashboard') {
      const res = await pool.request({
        method: 'POST',
        path: u.pathname,
        headers: { 'content-type': 'application/json' },
        body: dashboard,
      });
      const text = await res.body.text();
      const ok = res.statusCode === 200 && !text.includes('"errors"') && text.includes('"endCursor"');
      if (!ok) firstError ??= `HTTP ${res.statusCode}: ${text.slice(0, 300)}`;
      return ok;
    }
    if (args.kind === 'passthrough') {
      const res = await pool.request({ method: 'GET', path: `/flow/${encodeURIComponent(id)}` });
      const text = await res.body.text();
      return res.statusCode === 200 && text.includes(id);
    }
    const res = await pool.request({
      method: 'POST',
      path: u.pathname,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FLOW_QUERY, variables: { id } }),
    });
    const text = await res.body.text();
    return res.statusCode === 200 && !text.includes('"errors"') && text.includes(id);
  };
  const worker = async () => {
    while (performance.now() < end) {
      const id = args.flowIds[next++ % Math.max(1, args.flowIds.length)] ?? '';
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await one(id);
      } catch {
        ok = false;
      }
      if (t0 < measureFrom) continue;
      if (!ok) errors++;
      else latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
  const elapsedMs = performance.now() - measureFrom;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    rps: (latencies.length / elapsedMs) * 1000,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    elapsedMs,
    firstError,
  };
}

export interface DashboardLoadArgs {
  url: string;
  users: number;
  n: number;
  pageSize: number;
}

/** `users` concurrent dashboard loads of `n` flows each (pages followed by cursor); one round. */
export async function dashboardRound(
  args: DashboardLoadArgs,
): Promise<{ wallMs: number; errors: number; pages: number; bytes: number }> {
  const u = new URL(args.url);
  const pool = new Pool(u.origin, { connections: args.users, keepAliveTimeout: 30_000 });
  let errors = 0;
  let pages = 0;
  let bytes = 0;
  const user = async () => {
    let after: string | null = null;
    for (let read = 0; read < args.n; read += args.pageSize) {
      const res: Dispatcher.ResponseData = await pool.request({
        method: 'POST',
        path: u.pathname,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: DASHBOARD_QUERY, variables: { first: args.pageSize, after } }),
      });
      const text = await res.body.text();
      bytes += text.length;
      pages++;
      const json: any = res.statusCode === 200 ? JSON.parse(text) : undefined;
      if (json?.errors !== undefined || json?.data?.flows === undefined) {
        errors++;
        return;
      }
      if (!json.data.flows.pageInfo.hasNextPage) return;
      after = json.data.flows.pageInfo.endCursor;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: args.users }, user));
  const wallMs = performance.now() - started;
  await pool.close();
  return { wallMs, errors, pages, bytes };
}
