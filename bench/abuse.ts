/**
 * Benchmark 6, abuse: a stream of the abusive queries (test/abusiveQueries.ts) against the
 * API in the server's own org, while a second tenant (another org, its own token) runs a
 * cheap query one at a time and `/health` is polled. Three phases: no stream; a paced
 * stream (a fixed rate, what the targets are judged on); a flood (closed-loop callers as
 * fast as the API answers, which saturates the CPU whatever the queries are). Per phase:
 * `/health` latency, the second tenant's latency, the API's peak RSS and CPU per abusive
 * request, and the upstream requests the stream caused (the emulator's log: none).
 *
 * `runAbuse` runs in the parent; `abuseLoad` in the client child.
 */
import { Pool } from 'undici';
import { ABUSIVE, ABUSIVE_CODES } from '../test/abusiveQueries.ts';
import type { EmulatorControl } from './emulatorControl.ts';
import type { Child } from './rpc.ts';
import type { MemorySample, ServerKind, StartArgs } from './serverProcess.ts';
import { percentile } from './stats.ts';

export const TENANT2_QUERY = '{ flows(first: 5) { nodes { id name state } } }';

export interface AbuseLoadArgs {
  url: string;
  /** Headers of the second tenant (pass-through credentials of another org). */
  tenant2Headers: Record<string, string>;
  /** Concurrent callers sending the abusive queries in turn; 0 = none. */
  attackers: number;
  /** Abusive requests per second, all callers together; undefined = closed loop, as fast as answered. */
  ratePerSecond?: number;
  durationMs: number;
  healthIntervalMs: number;
}

export interface Latencies {
  n: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface AbuseLoadResult {
  health: Latencies;
  tenant2: Latencies;
  /** Abusive requests sent, and how many were answered other than with their expected code. */
  attack: { requests: number; unexpected: number; rps: number; byCode: Record<string, number> };
}

function latencies(values: number[], errors: number): Latencies {
  const sorted = Float64Array.from(values).sort();
  return {
    n: values.length,
    errors,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** One phase, bounded by `durationMs`: the poller, the second tenant and the attackers together. */
export async function abuseLoad(args: AbuseLoadArgs): Promise<AbuseLoadResult> {
  const u = new URL(args.url);
  const pool = new Pool(u.origin, { connections: args.attackers + 2, keepAliveTimeout: 30_000 });
  const end = performance.now() + args.durationMs;
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const res = await pool.request({
      method: 'POST',
      path: u.pathname,
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.statusCode, text: await res.body.text() };
  };

  const health: number[] = [];
  let healthErrors = 0;
  const poll = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ method: 'GET', path: '/health' });
        await res.body.text();
        if (res.statusCode === 200) health.push(performance.now() - t0);
        else healthErrors++;
      } catch {
        healthErrors++;
      }
      await new Promise((resolve) => setTimeout(resolve, args.healthIntervalMs));
    }
  };

  const tenant2: number[] = [];
  let tenant2Errors = 0;
  const tenant2Body = JSON.stringify({ query: TENANT2_QUERY });
  const cheap = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await post(tenant2Body, args.tenant2Headers);
        if (res.status === 200 && !res.text.includes('"errors"')) tenant2.push(performance.now() - t0);
        else tenant2Errors++;
      } catch {
        tenant2Errors++;
      }
    }
  };

  const kinds = Object.keys(ABUSIVE) as Array<keyof typeof ABUSIVE>;
  const bodies = kinds.map((k) => ({ kind: k, body: JSON.stringify({ query: ABUSIVE[k] }) }));
  const byCode: Record<string, number> = {};
  let sent = 0;
  let unexpected = 0;
  const interval = args.ratePerSecond === undefined ? 0 : (1000 * args.attackers) / args.ratePerSecond;
  const attacker = async (offset: number) => {
    let due = performance.now() + (interval * offset) / Math.max(1, args.attackers);
    for (let i = offset; performance.now() < end; i++) {
      if (interval > 0) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        due += interval;
        if (performance.now() >= end) break;
      }
      const { kind, body } = bodies[i % bodies.length]!;
      sent++;
      try {
        const res = await post(body);
        const code = (JSON.parse(res.text) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]
          ?.extensions?.code;
        byCode[code ?? `HTTP ${res.status}`] = (byCode[code ?? `HTTP ${res.status}`] ?? 0) + 1;
        if (res.status !== 400 || code !== ABUSIVE_CODES[kind]) unexpected++;
      } catch {
        unexpected++;
      }
    }
  };

  const started = performance.now();
  await Promise.all([poll(), cheap(), ...Array.from({ length: args.attackers }, (_x, i) => attacker(i))]);
  const elapsedMs = performance.now() - started;
  await pool.close();
  return {
    health: latencies(health, healthErrors),
    tenant2: latencies(tenant2, tenant2Errors),
    attack: { requests: sent, unexpected, rps: (sent / elapsedMs) * 1000, byCode },
  };
}

export interface AbusePhase extends AbuseLoadResult {
  /** undefined: the flood (closed loop). */
  ratePerSecond: number | undefined;
  /** Second tenant's p50 in this phase / without a stream. */
  tenant2Ratio: number;
  /** The API's peak RSS in this phase (sampled every 10 ms). */
  peakRssMb: number;
  /** API CPU time (user + system) per abusive request. */
  cpuMsPerAbusiveRequest: number;
  /** Upstream requests made in the abusive stream's org during the phase. */
  upstreamOfStream: number;
}

export interface AbuseReport {
  attackers: number;
  durationMs: number;
  /** The API's RSS after warm-up, before any stream. */
  baselineRssMb: number;
  unloaded: AbuseLoadResult;
  paced: AbusePhase;
  flood: AbusePhase;
}

export interface AbuseDeps {
  emulator: EmulatorControl;
  client: Child;
  startServer: (kind: ServerKind) => Promise<{ child: Child; url: string; args: StartArgs }>;
  /** The org the API's own credentials act in: the abusive stream's. */
  streamOrg: string;
  tenant2Headers: Record<string, string>;
  trimLog: () => void;
  log: (line: string) => void;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function runAbuse(
  d: AbuseDeps,
  o: { attackers: number; ratePerSecond: number; durationMs: number; healthIntervalMs: number },
): Promise<AbuseReport> {
  await d.emulator.setLatency(0);
  const { child, url } = await d.startServer('api');
  const load = (attackers: number, ratePerSecond: number | undefined, durationMs = o.durationMs) =>
    d.client.call<AbuseLoadResult>('abuseLoad', {
      url,
      tenant2Headers: d.tenant2Headers,
      attackers,
      ratePerSecond,
      durationMs,
      healthIntervalMs: o.healthIntervalMs,
    } satisfies AbuseLoadArgs);
  try {
    // warm-up: the server's IMS token, the spec cache, the JIT
    await load(1, undefined, 1_000);
    d.trimLog();
    const baselineRssMb = mb((await child.call<MemorySample>('memory', { gc: false })).rss);
    const unloaded = await load(0, undefined);
    const phase = async (ratePerSecond: number | undefined): Promise<AbusePhase> => {
      d.trimLog();
      await child.call('sample', { intervalMs: 10 });
      const cpu0 = await child.call<NodeJS.CpuUsage>('cpu');
      const r = await load(o.attackers, ratePerSecond);
      const cpu1 = await child.call<NodeJS.CpuUsage>('cpu');
      const memory = await child.call<MemorySample>('memory', { gc: false });
      await child.call('sample', { intervalMs: 0 });
      const upstreamOfStream = (await d.emulator.requests()).filter((e) => e.org === d.streamOrg).length;
      const p: AbusePhase = {
        ...r,
        ratePerSecond,
        tenant2Ratio: Math.round((r.tenant2.p50Ms / unloaded.tenant2.p50Ms) * 1000) / 1000,
        peakRssMb: mb(memory.peakRss),
        // the second tenant's requests and the polls are in it too: an upper bound
        cpuMsPerAbusiveRequest:
          Math.round(
            ((cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000 / Math.max(1, r.attack.requests)) * 1000,
          ) / 1000,
        upstreamOfStream,
      };
      d.log(
        `  ${ratePerSecond === undefined ? `flood (${o.attackers} closed-loop callers)` : `paced at ${ratePerSecond}/s`}: ${r.attack.requests} abusive requests (${r.attack.rps.toFixed(0)}/s, ${r.attack.unexpected} answered otherwise than expected, ${upstreamOfStream} upstream requests, <= ${p.cpuMsPerAbusiveRequest} ms API CPU each); /health p99 ${r.health.p99Ms.toFixed(2)} ms (unloaded ${unloaded.health.p99Ms.toFixed(2)} ms); tenant 2 p50 ${r.tenant2.p50Ms.toFixed(2)} ms vs ${unloaded.tenant2.p50Ms.toFixed(2)} ms unloaded (${p.tenant2Ratio}x); peak RSS ${p.peakRssMb} MB (baseline ${baselineRssMb} MB)`,
      );
      return p;
    };
    const paced = await phase(o.ratePerSecond);
    const flood = await phase(undefined);
    return { attackers: o.attackers, durationMs: o.durationMs, baselineRssMb, unloaded, paced, flood };
  } finally {
    d.trimLog();
    await child.stop();
  }
}
