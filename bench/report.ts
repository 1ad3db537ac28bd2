/**
 * The run's figures as markdown tables (stdout), its targets met or missed, the JSON a later
 * run compares with, and that comparison.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import type { AbuseReport } from './abuse.ts';
import type { CreateReport } from './createSuite.ts';
import type { EmulatorDurability } from './emulatorDurability.ts';
import { VARIANT_LABEL, type DashboardRow, type Variant } from './dashboardSuite.ts';
import type { DistanceLayoutId, DistanceReport, DistanceRow } from './distanceSuite.ts';
import type { FleetReport } from './fleetSuite.ts';
import type { ExecutionCpuReport } from './executionCpu.ts';
import type { GatewayReport } from './gatewaySuite.ts';
import type { MemoryReport } from './memorySuite.ts';
import { ratio } from './stats.ts';

export interface Machine {
  nproc: number;
  cpuModel: string;
  node: string;
  os: string;
  memoryGb: number;
  loadAverage: number[];
}

export interface Target {
  id: string;
  label: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

export interface EmulatorThroughput {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface Results {
  version: 1;
  mode: 'full' | 'quick';
  startedAt: string;
  durationS: number;
  machine: Machine;
  layout: string;
  /** How long each suite took and the machine's 1-minute load average after it (the machine may be shared). */
  phases: Array<{ suite: string; seconds: number; loadAverage1m: number }>;
  emulatorThroughput?: EmulatorThroughput;
  emulatorDurability?: EmulatorDurability;
  dashboard?: DashboardRow[];
  distance?: DistanceReport;
  executionCpu?: ExecutionCpuReport;
  /** The same pages from a server that parses every upstream answer (UPSTREAM_PARSED_ANSWERS_MB=0). */
  executionCpuAllParsed?: ExecutionCpuReport;
  createDataflow?: CreateReport;
  gateway?: GatewayReport;
  memory?: MemoryReport;
  abuse?: AbuseReport;
  fleet?: FleetReport;
  targets: Target[];
}

export function machine(): Machine {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: the model stays unknown
  }
  return {
    nproc: availableParallelism(),
    cpuModel,
    node: process.version,
    os: `${process.platform} ${release()}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const kb = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function find(rows: DashboardRow[], latencyMs: number, n: number, variant: Variant): DashboardRow | undefined {
  return rows.find((r) => r.latencyMs === latencyMs && r.n === n && r.variant === variant);
}

export function evaluateTargets(r: Results): Target[] {
  const t: Target[] = [];
  const add = (id: string, label: string, value: number, unit: string, target: string, met: boolean) =>
    t.push({ id, label, value: Math.round(value * 1000) / 1000, unit, target, met });
  fleetTargets(r.fleet, add);
  distanceTargets(r.distance, add);
  for (const row of (r.dashboard ?? []).filter((x) => x.variant === 'api')) {
    const best = find(r.dashboard!, row.latencyMs, row.n, 'best');
    if (best === undefined) continue;
    if (row.latencyMs === 0)
      add(
        `dashboard.requests.n${row.n}`,
        `Dashboard N=${row.n}: upstream requests, API vs (b)`,
        row.requests.median,
        `req (b: ${best.requests.median})`,
        `<= ${best.requests.median}`,
        row.requests.median <= best.requests.median,
      );
    if (row.latencyMs === 50) {
      const vsBest = ratio(row.wallMs.median, best.wallMs.median);
      add(
        `dashboard.wallVsBest.n${row.n}`,
        `Dashboard N=${row.n} @50 ms: wall time API / (b)`,
        vsBest,
        'x',
        '<= 1.3',
        vsBest <= 1.3,
      );
      const tutorial = find(r.dashboard!, 50, row.n, 'tutorial');
      if (row.n === 100 && tutorial !== undefined) {
        const speedup = ratio(tutorial.wallMs.median, row.wallMs.median);
        add(
          'dashboard.speedupVsTutorial.n100',
          'Dashboard N=100 @50 ms: (a) wall time / API wall time',
          speedup,
          'x',
          '>= 10',
          speedup >= 10,
        );
      }
    }
  }
  const d = r.emulatorDurability;
  if (d !== undefined) {
    const on = d.phases.find((p) => p.persistence && p.connections > 1);
    add(
      'emulator.durableWrites',
      `Emulator writes/s with persistence on (synced before the answer), ${on?.connections ?? '?'} connections`,
      d.writesPerSecond,
      'writes/s',
      '>= 1000',
      d.writesPerSecond >= 1000 && d.allAnsweredWritesPresent,
    );
  }
  const c = r.createDataflow;
  if (c !== undefined) {
    add(
      'create.waves',
      'createDataflow: dependent upstream round trips (waves in the log)',
      c.api.waves,
      'waves',
      '<= 5',
      c.api.waves <= 5,
    );
    add(
      'create.roundTrips',
      `createDataflow @${c.latencyMs} ms: wall time in round trips`,
      c.api.roundTrips,
      'RTT',
      '<= 5',
      c.api.roundTrips <= 5,
    );
    add('create.ratio', 'createDataflow: API / sequential tutorial calls', c.ratio, 'x', '<= 0.72', c.ratio <= 0.72);
  }
  const e = r.executionCpu;
  if (e !== undefined)
    add(
      'cpu.dashboardPage',
      `Dashboard page of ${e.pageSize} at 0 ms: API CPU per page (server process)${e.gapMs > 0 ? `, pages ${e.gapMs} ms apart` : ''}`,
      e.cpuMsPerPage.median,
      'ms',
      '<= 10',
      e.cpuMsPerPage.median <= 10,
    );
  const g = r.gateway;
  if (g !== undefined) {
    add(
      'gateway.throughputRatio',
      `flow(id) at ${g.concurrency} clients: API / pass-through throughput`,
      g.throughputRatio,
      'x',
      '>= 0.9',
      g.throughputRatio >= 0.9,
    );
    add('gateway.addedP50', 'flow(id): added p50 latency (one client)', g.addedP50Ms, 'ms', '< 2', g.addedP50Ms < 2);
  }
  const m = r.memory;
  if (m !== undefined) {
    add(
      'memory.peakRss',
      `Peak RSS, ${m.users} concurrent dashboards of N=${m.n}, compiled build`,
      m.peakRssMb,
      'MB',
      '< 200',
      m.peakRssMb < 200,
    );
    add(
      'memory.heapGrowth',
      `Heap after GC, round ${m.rounds.length} minus round ${m.rounds.length > 2 ? 2 : 1}`,
      m.heapGrowthMb,
      'MB',
      '<= 5 (no growth)',
      m.heapGrowthMb <= 5,
    );
  }
  const a = r.abuse;
  if (a !== undefined) {
    const at = `a stream of abusive queries at ${a.paced.ratePerSecond}/s`;
    add('abuse.healthP99', `/health p99 under ${at}`, a.paced.health.p99Ms, 'ms', '< 100', a.paced.health.p99Ms < 100);
    add(
      'abuse.tenant2Ratio',
      `Second tenant p50 under ${at} / unloaded`,
      a.paced.tenant2Ratio,
      'x',
      '<= 2',
      a.paced.tenant2Ratio <= 2,
    );
    const peak = Math.max(a.paced.peakRssMb, a.flood.peakRssMb);
    add('abuse.peakRss', 'API peak RSS under the stream and the flood', peak, 'MB', '< 300', peak < 300);
    const upstream = a.paced.upstreamOfStream + a.flood.upstreamOfStream;
    add(
      'abuse.upstream',
      'Upstream requests of the abusive stream and flood (and every answer its code)',
      upstream,
      'req',
      '0',
      upstream === 0 && a.paced.attack.unexpected + a.flood.attack.unexpected === 0,
    );
  }
  return t;
}

export function renderAbuse(a: AbuseReport): string {
  const row = (phase: string, p: AbuseReport['unloaded'], extra?: AbuseReport['paced']) => [
    phase,
    String(p.attack.requests),
    f1(p.attack.rps),
    String(p.attack.unexpected),
    extra === undefined ? '–' : String(extra.upstreamOfStream),
    extra === undefined ? '–' : f2(extra.cpuMsPerAbusiveRequest),
    f2(p.health.p50Ms),
    f2(p.health.p99Ms),
    f2(p.tenant2.p50Ms),
    f2(p.tenant2.p99Ms),
    extra === undefined ? '1' : f2(extra.tenant2Ratio),
    extra === undefined ? f1(a.baselineRssMb) : f1(extra.peakRssMb),
    String(p.health.errors + p.tenant2.errors),
  ];
  const codes = Object.entries(a.flood.attack.byCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return `${table(
    [
      'phase',
      'abusive requests',
      'abusive req/s',
      'unexpected answers',
      'upstream requests of the stream',
      'API CPU ms per abusive request (at most)',
      '/health p50 ms',
      '/health p99 ms',
      'tenant 2 p50 ms',
      'tenant 2 p99 ms',
      'tenant 2 p50 / unloaded',
      'API RSS MB (peak)',
      'errors',
    ],
    [
      row('no stream', a.unloaded),
      row(`paced, ${a.paced.ratePerSecond}/s`, a.paced, a.paced),
      row(`flood, ${a.attackers} closed-loop callers`, a.flood, a.flood),
    ],
  )}\n\nanswers to the flood: ${codes}. The unloaded row's RSS is the baseline after warm-up.`;
}

export function renderDashboard(rows: DashboardRow[]): string {
  const body = rows.map((row) => {
    const best = find(rows, row.latencyMs, row.n, 'best');
    const tutorial = find(rows, row.latencyMs, row.n, 'tutorial');
    return [
      `${row.latencyMs} ms`,
      `${row.n}${row.pages > 1 ? ` (${row.pages}×100)` : ''}`,
      VARIANT_LABEL[row.variant],
      String(row.requests.median),
      f1(row.wallMs.median),
      f1(row.wallMs.p95),
      row.latencyMs === 0 ? '–' : String(row.floorMs),
      kb(row.bytes.median),
      best === undefined ? '–' : f2(ratio(row.wallMs.median, best.wallMs.median)),
      tutorial === undefined ? '–' : f1(ratio(tutorial.wallMs.median, row.wallMs.median)),
      String(row.runs),
    ];
  });
  return table(
    [
      'latency',
      'N',
      'variant',
      'upstream req',
      'wall p50 ms',
      'wall p95 ms',
      'floor ms',
      'response bytes',
      'wall / (b)',
      '(a) / wall',
      'runs',
    ],
    body,
  );
}

function distanceRow(d: DistanceReport, layout: DistanceLayoutId, variant: DistanceRow['variant']) {
  return d.rows.find((r) => r.layout === layout && r.variant === variant);
}

/** The browser's view (issue 15): wall time <= 0.4x (b) and bytes <= 0.05x; at the same distance, wall <= 1.05x. */
function distanceTargets(
  d: DistanceReport | undefined,
  add: (id: string, label: string, value: number, unit: string, target: string, met: boolean) => void,
): void {
  if (d === undefined) return;
  const pair = (layout: DistanceLayoutId) => [distanceRow(d, layout, 'api'), distanceRow(d, layout, 'best')] as const;
  const [api, best] = pair('browser');
  if (api !== undefined && best !== undefined) {
    const wall = ratio(api.wallMs.median, best.wallMs.median);
    add(
      'distance.browser.wallVsBest',
      `Dashboard N=${d.n}, caller 80 ms from API and Platform, API 5 ms from it: wall time API / (b)`,
      wall,
      'x',
      '<= 0.4',
      wall <= 0.4,
    );
    const bytes = ratio(api.wireBytes.median, best.wireBytes.median);
    add(
      'distance.browser.bytesVsBest',
      `Dashboard N=${d.n}: bytes to the caller, API (${api.encoding}) / (b) (${best.encoding}), headers included`,
      bytes,
      'x',
      '<= 0.05',
      bytes <= 0.05,
    );
  }
  const [apiP, bestP] = pair('parity');
  if (apiP !== undefined && bestP !== undefined) {
    const wall = ratio(apiP.wallMs.median, bestP.wallMs.median);
    add(
      'distance.parity.wallVsBest',
      `Dashboard N=${d.n}, API and (b) 50 ms from the Platform, caller next to the API: wall time API / (b)`,
      wall,
      'x',
      '<= 1.05',
      wall <= 1.05,
    );
  }
}

export function renderDistance(d: DistanceReport): string {
  const layouts = d.layouts.map(
    (l) =>
      `- **${l.id}**: ${l.label} (added round trips: caller-API ${l.callerToApiMs} ms, caller-Platform ${l.callerToPlatformMs} ms, API-Platform ${l.apiToPlatformMs} ms)`,
  );
  const body = d.rows.map((row) => {
    const best = distanceRow(d, row.layout, 'best')!;
    return [
      row.layout,
      row.variant === 'api' ? 'API (GraphQL, batched)' : VARIANT_LABEL.best,
      String(row.requests),
      String(row.waves),
      f1(row.wallMs.median),
      f1(row.wallMs.p95),
      String(row.floorMs),
      f2(ratio(row.wallMs.median, best.wallMs.median)),
      `${kb(row.wireBytes.median)} (${row.encoding})`,
      kb(row.bodyBytes.median),
      f2(ratio(row.wireBytes.median, best.wireBytes.median)),
      row.apiCpuMs === undefined ? '–' : f1(row.apiCpuMs.median),
      `${f1(row.upstreamSpanMs.median)} / ${f1(row.emulatorMs.median)}`,
      `${row.newConnections.caller} / ${row.newConnections.api}`,
      String(row.runs),
    ];
  });
  const gzip = d.rows
    .filter((r) => r.variant === 'best' && r.gzipEstimateBytes !== undefined)
    .map((r) => {
      const api = distanceRow(d, r.layout, 'api');
      return `${r.layout}: (b)'s bodies gzipped would be ${kb(r.gzipEstimateBytes!)}${api === undefined ? '' : `, API / that ${f2(ratio(api.wireBytes.median, r.gzipEstimateBytes!))}`}`;
    });
  const phases = d.rows.map(
    (r) =>
      `- ${r.layout}, ${r.variant === 'api' ? 'API' : '(b)'}: ${Object.entries(r.phases)
        .map(([k, v]) => `${k} ${f1(v)}`)
        .join(
          ', ',
        )} ms; upstream waves began at ${r.waveStartsMs.map((w) => `+${w}`).join(', ')} ms, the last answer left the emulator at +${r.lastAnswerMs} ms`,
  );
  return `${layouts.join('\n')}\n\n${table(
    [
      'layout',
      'variant',
      'upstream req',
      'waves',
      'wall p50 ms',
      'wall p95 ms',
      'floor ms',
      'wall / (b)',
      'bytes to the caller',
      'bodies',
      'bytes / (b)',
      'API CPU ms',
      'upstream span / emulator busy ms',
      'new connections caller / API hop',
      'runs',
    ],
    body,
  )}\n\n${gzip.join('; ')} (the emulator sends identity).\n\nWhere the wall time goes (medians, by the proxies' clocks):\n\n${phases.join('\n')}`;
}

export function renderCreate(c: CreateReport): string {
  const rows = [c.api, c.sequential].map((r) => [
    r.variant === 'api' ? 'API createDataflow' : 'seven sequential tutorial calls',
    String(r.requests.median),
    String(r.waves),
    f1(r.wallMs.median),
    f1(r.wallMs.p95),
    f2(r.roundTrips),
    String(r.runs),
  ]);
  return `${table(['variant', 'upstream req', 'dependent waves', 'wall p50 ms', 'wall p95 ms', 'round trips (wall / latency)', 'runs'], rows)}\n\nAPI / sequential: ${f2(c.ratio)} (floor: ${c.floorMs} ms = 5 round trips)`;
}

export function renderExecutionCpu(e: ExecutionCpuReport, allParsed?: ExecutionCpuReport): string {
  const row = (name: string, x: ExecutionCpuReport) => [
    name,
    String(x.pages),
    String(x.gapMs),
    f2(x.cpuMsPerPage.median),
    f2(x.cpuMsPerPage.min),
    f2(x.cpuMsPerPage.max),
    f1(x.wallMsPerPage.median),
    f1(x.wallMsPerPage.p95),
    String(x.upstreamPerPage),
    x.threadsMsPerPage === undefined ? '–' : f1(x.threadsMsPerPage.main),
    x.threadsMsPerPage === undefined ? '–' : f1(x.threadsMsPerPage.other),
  ];
  return `${table(
    [
      'upstream answers',
      'pages',
      'idle before each ms',
      'server CPU ms/page (median of batches)',
      'min',
      'max',
      'wall p50 ms',
      'wall p95 ms',
      'upstream/page',
      'main thread ms/page',
      'other threads ms/page',
    ],
    [
      row('unchanged ones reused (default)', e),
      ...(allParsed === undefined ? [] : [row('all parsed (UPSTREAM_PARSED_ANSWERS_MB=0)', allParsed)]),
    ],
  )}\n\nWarm-up: ${e.warmups} pages before the measured ones (bench/warmup.ts). The pages are the same page each time, so with the default every upstream answer but the first page's repeats the bytes of the kept one (src/upstream/parsedAnswers.ts); the second row is a server that parses them all, as when every answer had changed since the last page. Main and other threads: the server's CPU over all measured pages on its main thread and on the rest (V8's garbage collector and compiler, libuv's pool), from /proc.`;
}

export function renderGateway(g: GatewayReport): string {
  const rows = [g.api, g.passthrough].map((r) => [
    r.server === 'api' ? 'API (GraphQL)' : 'bare undici pass-through',
    f1(r.loaded.rps),
    f2(r.loaded.p50Ms),
    f2(r.loaded.p99Ms),
    f2(r.unloaded.p50Ms),
    f2(r.unloaded.p95Ms),
    r.cpuMsPerRequest.toFixed(3),
    String(r.upstreamPerCall),
    String(r.loaded.errors + r.unloaded.errors),
  ]);
  return `${table([`server`, `req/s @${g.concurrency}`, `p50 ms @${g.concurrency}`, `p99 ms @${g.concurrency}`, 'p50 ms @1 (median of slices)', 'p95 ms @1', 'server CPU ms/req', 'upstream/call', 'errors'], rows)}\n\nthroughput API / pass-through: ${f2(g.throughputRatio)}; added p50 at 1 client: ${f2(g.addedP50Ms)} ms; at ${g.concurrency} clients: ${f2(g.addedP50LoadedMs)} ms`;
}

export function renderMemory(m: MemoryReport): string {
  const rows = m.rounds.map((r) => [
    String(r.round),
    f2(r.wallMs / 1000),
    String(r.pages),
    String(r.errors),
    f2(r.cpuMsPerPage),
    f1(r.peakRssMb),
    r.atPeak === undefined ? '–' : `${f1(r.atPeak.heapUsedMb)} / ${f1(r.atPeak.heapTotalMb)}`,
    f1(r.rssAfterGcMb),
    f1(r.heapAfterGcMb),
  ]);
  return `${table(['round', 'wall s', 'pages', 'errors', 'server CPU ms/page', 'peak RSS MB', 'heap used / total at peak MB', 'RSS after GC MB', 'heap after GC MB'], rows)}\n\nbaseline RSS ${m.baselineRssMb} MB; peak ${m.peakRssMb} MB; heap after GC, round ${m.rounds.length} vs ${m.rounds.length > 2 ? 2 : 1}: ${m.heapGrowthMb} MB; peak RSS, mean of the last 3 rounds vs rounds 2-4: ${m.peakGrowthMb} MB; server CPU ${m.cpuMsPerPage} ms/page (mean of rounds ${m.rounds.length > 1 ? 2 : 1}-${m.rounds.length})`;
}

export function renderTargets(targets: Target[]): string {
  return table(
    ['target', 'value', 'goal', ''],
    targets.map((t) => [t.label, `${t.value} ${t.unit}`, t.target, t.met ? 'met' : '**missed**']),
  );
}

/** Target values of an earlier run beside this run's. */
export function renderComparison(previous: Results, current: Results): string {
  const before = new Map(previous.targets.map((t) => [t.id, t]));
  const rows = current.targets.map((t) => {
    const p = before.get(t.id);
    const change =
      p === undefined || p.value === 0 ? '–' : `${(((t.value - p.value) / Math.abs(p.value)) * 100).toFixed(1)}%`;
    return [t.label, p === undefined ? '–' : `${p.value} ${p.unit}`, `${t.value} ${t.unit}`, change];
  });
  return `Compared with the run of ${previous.startedAt} (${previous.mode}, ${previous.machine.cpuModel}, ${previous.machine.nproc} cpus):\n\n${table(['target', 'before', 'now', 'change'], rows)}`;
}

/** At most 12 dependent round trips (wall time / latency, the larger count) per fleet view; the emulator no slower at the fleet's size. */
function fleetTargets(
  f: FleetReport | undefined,
  add: (id: string, label: string, value: number, unit: string, target: string, met: boolean) => void,
): void {
  if (f === undefined) return;
  const ids = ['fleetHealth', 'healthFiltered', 'totalCount'];
  for (const [i, v] of f.views.slice(0, 3).entries()) {
    const trips = Math.max(v.roundTrips, v.waves);
    add(
      `fleet.roundTrips.${ids[i]}`,
      `Fleet of ${f.flows} @${f.latencyMs} ms: ${v.label}, dependent round trips`,
      trips,
      `(${v.waves} waves, ${v.wallMs.toFixed(0)} ms)`,
      '<= 12',
      trips <= 12,
    );
  }
  for (const l of f.lookups) {
    const x = ratio(l.large, l.small);
    add(
      `fleet.emulator.${l.label.replace(/[^a-z0-9]+/gi, '_')}`,
      `Emulator ${l.label}: ms per request at ${f.flows} / at ${f.smallFlows} flows`,
      x,
      'x',
      '<= 1.1 (noise)',
      x <= 1.1,
    );
  }
}

export function renderFleet(f: FleetReport): string {
  const lookups = [
    `| Emulator request (latency 0) | ms at ${f.smallFlows} flows | ms at ${f.flows} flows |`,
    '|---|---:|---:|',
    ...f.lookups.map((l) => `| ${l.label} | ${l.small.toFixed(2)} | ${l.large.toFixed(2)} |`),
  ];
  const views = [
    `| Through the API at ${f.latencyMs} ms | requests | waves | wall ms | wall / latency |`,
    '|---|---:|---:|---:|---:|',
    ...f.views.map((v) => `| ${v.label} | ${v.requests} | ${v.waves} | ${v.wallMs.toFixed(0)} | ${v.roundTrips} |`),
  ];
  return `${lookups.join('\n')}\n\n${views.join('\n')}`;
}
