/**
 * The dashboard read with distance on every hop: the 100-flow page through the API and as
 * the best REST client (b) of bench/dashboard.ts, where the caller, the API and the Platform
 * sit at given round trips from each other. Each hop is a delay proxy (bench/delayProxy.ts)
 * in the proxy child; the emulator itself adds no latency. Runs of the two variants alternate.
 */
import type { Credentials } from '../src/upstream/credentials.ts';
import type { DashboardResult } from './dashboard.ts';
import type { DelayProxyStats } from './delayProxy.ts';
import { waveStarts, type EmulatorControl, type LogEntry } from './emulatorControl.ts';
import type { Child } from './rpc.ts';
import { summarize, type Summary } from './stats.ts';

export type DistanceLayoutId = 'browser' | 'parity' | 'loopback';

export interface DistanceLayout {
  id: DistanceLayoutId;
  label: string;
  /** Added round trip (ms) between the caller and the API. */
  callerToApiMs: number;
  /** Added round trip (ms) between the caller and the Platform: what the REST client pays. */
  callerToPlatformMs: number;
  /** Added round trip (ms) between the API and the Platform. */
  apiToPlatformMs: number;
}

export const DISTANCE_LAYOUTS: readonly DistanceLayout[] = [
  {
    id: 'browser',
    label: 'browser: caller 80 ms from the API and from the Platform, API 5 ms from the Platform',
    callerToApiMs: 80,
    callerToPlatformMs: 80,
    apiToPlatformMs: 5,
  },
  {
    id: 'parity',
    label: 'same distance: API and REST client 50 ms from the Platform, caller next to the API',
    callerToApiMs: 0,
    callerToPlatformMs: 50,
    apiToPlatformMs: 50,
  },
  {
    id: 'loopback',
    label: 'reference: every proxy at 0 ms (what the proxies and this machine cost)',
    callerToApiMs: 0,
    callerToPlatformMs: 0,
    apiToPlatformMs: 0,
  },
];

/** What a browser sends (Chromium, Firefox): the API then answers in br. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** The proxies of the suite, by name in the proxy child. */
export const PROXY = {
  callerToApi: 'caller-api',
  callerToPlatform: 'caller-platform',
  apiToPlatform: 'api-platform',
} as const;

export type DistanceVariant = 'api' | 'best';

export interface DistanceRow {
  layout: DistanceLayoutId;
  variant: DistanceVariant;
  runs: number;
  wallMs: Summary;
  /** Response bodies as sent to the caller (the API's compressed answer, or every REST body). */
  bodyBytes: Summary;
  /** Everything the caller's hop carried back to it per run: status lines, headers and bodies. */
  wireBytes: Summary;
  /** The API's `Content-Encoding`, or the REST answers' (the emulator sends identity). */
  encoding: string;
  /** Upstream requests per run (emulator log, median). */
  requests: number;
  /** Dependent request waves per run (emulator log, median). */
  waves: number;
  /** When each wave began after the first (ms, emulator clock; medians over the runs with `waves` waves). */
  waveStartsMs: number[];
  /** When the last answer of those runs left the emulator, on the same clock (median). */
  lastAnswerMs: number;
  /** Connections opened during the measured runs on the caller's hop and on the API's hop (0: all kept alive). */
  newConnections: { caller: number; api: number };
  /** The critical path of round trips: the caller's, plus the waves times the hop that makes them. */
  floorMs: number;
  /** First upstream request's start to the last one's end, by the emulator's clock (ms, whole). */
  upstreamSpanMs: Summary;
  /** The emulator's handling time per run, summed over its requests (ms). */
  emulatorMs: Summary;
  /** The API process's CPU (user + system) per run; the REST client has none. */
  apiCpuMs?: Summary;
  /**
   * Where the wall time goes (medians, ms), from the proxies' clocks. API: `server` from the
   * request reaching the API to its answer's last byte leaving it, split into `beforeUpstream`
   * (to the first upstream request), `upstream` (to the last upstream answer's arrival) and
   * `afterUpstream`; `caller` is the rest of the wall time (the caller's round trip, sending,
   * decoding). REST: `upstream` from the first request leaving the caller to the last answer
   * reaching it, and `caller` the rest.
   */
  phases: Record<string, number>;
  /** What the REST bodies of one run would be gzipped (computed after an untimed run). */
  gzipEstimateBytes?: number;
  digest: string;
}

export interface DistanceReport {
  n: number;
  layouts: DistanceLayout[];
  rows: DistanceRow[];
}

export interface DistanceDeps {
  emulator: EmulatorControl;
  client: Child;
  proxies: Child;
  api: Child;
  /** The API's GraphQL URL through the caller's proxy. */
  apiUrl: string;
  /** The Platform through the caller's proxy. */
  platformUrl: string;
  credentials: Credentials;
  log: (line: string) => void;
}

export interface DistancePlan {
  /** Which layouts of DISTANCE_LAYOUTS, in their order. */
  layouts: readonly DistanceLayoutId[];
  /** Print each layout's last run as the emulator saw it (`timeline()`). */
  timeline?: boolean;
  n: number;
  /** Reads of each variant with every hop at 0 ms before the first layout (bench/warmup.ts). */
  jitWarmups: number;
  /** Reads of each variant at each layout before it is measured. */
  warmups: number;
  runs: number;
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

function span(log: readonly LogEntry[]): number {
  if (log.length === 0) return 0;
  const start = Math.min(...log.map((e) => e.startedAt));
  return Math.max(...log.map((e) => e.startedAt + e.durationMs)) - start;
}

/** `start+duration resource` of every request, ms after the first began, by the emulator's clock. */
function timeline(log: readonly LogEntry[]): string {
  const sorted = [...log].sort((a, b) => a.startedAt - b.startedAt);
  const t0 = sorted[0]?.startedAt ?? 0;
  // `/data/foundation/flowservice/runs?...` -> `runs`; a schema lookup -> `schema`
  const resource = (path: string) => (path.includes('/schemaregistry/') ? 'schema' : path.split('/')[4]);
  return sorted.map((e) => `${e.startedAt - t0}+${e.durationMs} ${resource(e.path)}`).join(', ');
}

/** `wallMs` split by the proxies' windows of one run (see `DistanceRow.phases`). */
function phasesOf(
  variant: DistanceVariant,
  wallMs: number,
  s: Record<string, DelayProxyStats>,
): Record<string, number> {
  if (variant === 'best') {
    const hop = s[PROXY.callerToPlatform]!;
    const upstream = hop.down.lastForward - hop.up.firstArrive;
    return { upstream, caller: wallMs - upstream };
  }
  const front = s[PROXY.callerToApi]!;
  const back = s[PROXY.apiToPlatform]!;
  const server = front.down.lastArrive - front.up.firstForward;
  return {
    server,
    beforeUpstream: back.up.firstArrive - front.up.firstForward,
    upstream: back.down.lastForward - back.up.firstArrive,
    afterUpstream: front.down.lastArrive - back.down.lastForward,
    caller: wallMs - server,
  };
}

export async function runDistance(d: DistanceDeps, plan: DistancePlan): Promise<DistanceReport> {
  await d.emulator.setLatency(0);
  const rows: DistanceRow[] = [];
  const call = (variant: DistanceVariant, extra: Record<string, unknown> = {}) =>
    d.client.call<DashboardResult>('dashboard', {
      variant: variant === 'api' ? 'graphql' : 'best',
      url: variant === 'api' ? d.apiUrl : d.platformUrl,
      credentials: d.credentials,
      n: plan.n,
      pageSize: plan.n,
      acceptEncoding: BROWSER_ACCEPT_ENCODING,
      ...extra,
    });
  const stats = () => d.proxies.call<Record<string, DelayProxyStats>>('stats');
  const layouts = DISTANCE_LAYOUTS.filter((l) => plan.layouts.includes(l.id));
  // both readers as a deployed API and a browser tab that has been in use: compiled by V8's optimizing compiler
  for (const name of Object.values(PROXY)) await d.proxies.call('setRtt', { name, rttMs: 0 });
  for (let i = 0; i < plan.jitWarmups; i++) for (const v of ['api', 'best'] as const) await call(v);
  for (const layout of layouts) {
    const rtts: Array<[string, number]> = [
      [PROXY.callerToApi, layout.callerToApiMs],
      [PROXY.callerToPlatform, layout.callerToPlatformMs],
      [PROXY.apiToPlatform, layout.apiToPlatformMs],
    ];
    for (const [name, rttMs] of rtts) await d.proxies.call('setRtt', { name, rttMs });
    // unmeasured: connections open at this distance
    for (let i = 0; i < plan.warmups; i++) for (const v of ['api', 'best'] as const) await call(v);
    // two at once: the pools open more connections than one read at a time ever needs, as a
    // browser that has been in use holds them; a measured read then opens none
    for (const v of ['api', 'best'] as const) await Promise.all([call(v), call(v)]);
    const gzip = await call('best', { estimateGzip: true });
    type Sample = { r: DashboardResult; log: LogEntry[]; wire: number; cpu?: number; phases: Record<string, number> };
    const samples = new Map<DistanceVariant, Sample[]>([
      ['api', []],
      ['best', []],
    ]);
    const opened = { api: { caller: 0, api: 0 }, best: { caller: 0, api: 0 } };
    for (let i = 0; i < plan.runs; i++) {
      for (const variant of ['api', 'best'] as const) {
        const hop = variant === 'api' ? PROXY.callerToApi : PROXY.callerToPlatform;
        const s0 = await stats();
        await d.proxies.call('mark');
        const c0 = variant === 'api' ? await d.api.call<NodeJS.CpuUsage>('cpu') : undefined;
        const { result, requests } = await d.emulator.counting(() => call(variant));
        const c1 = variant === 'api' ? await d.api.call<NodeJS.CpuUsage>('cpu') : undefined;
        const s1 = await stats();
        if (plan.timeline === true && i === plan.runs - 1)
          d.log(`  ${layout.id} ${variant}, last run: ${timeline(requests)}`);
        if (result.flows !== plan.n) throw new Error(`${layout.id} ${variant}: read ${result.flows} flows`);
        opened[variant].caller += s1[hop]!.connections - s0[hop]!.connections;
        opened[variant].api += s1[PROXY.apiToPlatform]!.connections - s0[PROXY.apiToPlatform]!.connections;
        samples.get(variant)!.push({
          r: result,
          log: requests,
          wire: s1[hop]!.bytesDown - s0[hop]!.bytesDown,
          cpu: c0 === undefined ? undefined : cpuMs(c1!) - cpuMs(c0),
          phases: phasesOf(variant, result.wallMs, s1),
        });
      }
    }
    for (const variant of ['api', 'best'] as const) {
      const s = samples.get(variant)!;
      // dependent requests are a round trip of the hop apart; the emulator handles one wave's one after another
      const hopRtt = variant === 'api' ? layout.apiToPlatformMs : layout.callerToPlatformMs;
      const starts = s.map((x) => waveStarts(x.log, hopRtt / 2));
      const waveCount = summarize(starts.map((w) => w.length)).median;
      const typicalRuns = s.filter((_, i) => starts[i]!.length === waveCount);
      const typical = typicalRuns.map((x) => waveStarts(x.log, hopRtt / 2));
      const row: DistanceRow = {
        layout: layout.id,
        variant,
        runs: s.length,
        wallMs: summarize(s.map((x) => x.r.wallMs)),
        bodyBytes: summarize(s.map((x) => x.r.bytes)),
        wireBytes: summarize(s.map((x) => x.wire)),
        encoding: s[0]!.r.encoding ?? 'identity',
        requests: summarize(s.map((x) => x.log.length)).median,
        waves: waveCount,
        waveStartsMs: Array.from({ length: waveCount }, (_, i) => summarize(typical.map((w) => w[i]!)).median),
        lastAnswerMs: summarize(typicalRuns.map((x) => span(x.log))).median,
        phases: Object.fromEntries(
          Object.keys(s[0]!.phases).map((k) => [k, summarize(s.map((x) => x.phases[k]!)).median]),
        ),
        newConnections: opened[variant],
        floorMs:
          variant === 'api'
            ? layout.callerToApiMs + waveCount * layout.apiToPlatformMs
            : waveCount * layout.callerToPlatformMs,
        upstreamSpanMs: summarize(s.map((x) => span(x.log))),
        emulatorMs: summarize(s.map((x) => x.log.reduce((sum, e) => sum + e.durationMs, 0))),
        ...(variant === 'api' ? { apiCpuMs: summarize(s.map((x) => x.cpu!)) } : { gzipEstimateBytes: gzip.gzipBytes! }),
        digest: s[s.length - 1]!.r.digest,
      };
      rows.push(row);
      d.log(
        `  ${layout.id.padEnd(7)} ${variant === 'api' ? 'API          ' : '(b) REST best'} ${String(row.requests).padStart(3)} req ${row.waves} waves  ${row.wallMs.median.toFixed(1).padStart(7)} ms p50 ${row.wallMs.p95.toFixed(1).padStart(7)} ms p95 (floor ${row.floorMs})  ${(row.wireBytes.median / 1024).toFixed(1)} kB on the wire (${row.encoding})  (${row.runs} runs)`,
      );
    }
    const digests = new Set(rows.filter((r) => r.layout === layout.id).map((r) => r.digest));
    if (digests.size > 1) throw new Error(`${layout.id}: the API and (b) disagree on the dashboard`);
  }
  for (const name of Object.values(PROXY)) await d.proxies.call('setRtt', { name, rttMs: 0 });
  return { n: plan.n, layouts, rows };
}
