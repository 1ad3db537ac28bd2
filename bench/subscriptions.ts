/**
 * Subscriptions under load: `npx tsx bench/subscriptions.ts [--subscribers 1000]
 * [--rate 50] [--seconds 30] [--clients 2]`.
 *
 * The emulator runs in this process with the bench org; the API alone in a child
 * (bench/serverProcess.ts, server-credential mode, NODE_ENV=production); the subscribers in
 * `--clients` more children (bench/subscriberProcess.ts), each subscriber on a WebSocket of
 * its own. Run completions are published on the API's run event bus at `--rate` per second
 * (what the webhook receiver does once a delivery is verified); each subscription selects
 * `flowRunUpdated { id status flow { name } }`, so every event is read upstream with the
 * subscribers' credentials. Latency is from the publish to the arrival at the subscriber
 * (wall clock of one machine, sub-millisecond). Figures are printed, never asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator } from '../src/emulator/server.ts';
import { runEventKey, type RunFinishedEvent } from '../src/live/runEvents.ts';
import { BENCH_ORG, BENCH_SANDBOX, platformCaller, seedBenchOrg } from './benchOrg.ts';
import { startChild, type Child } from './rpc.ts';
import { percentile } from './stats.ts';
import type { MemorySample, StartArgs } from './serverProcess.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const subscriberCount = arg('subscribers', 1000);
const rate = arg('rate', 50);
const seconds = arg('seconds', 30);
const clientCount = arg('clients', 2);
const FS = '/data/foundation/flowservice';
const QUERY = 'subscription { flowRunUpdated { id status flow { name } } }';

const emulator = await startEmulator({ port: 0, demo: false, runScheduler: false, requestLogSize: 1000 });
const children: Child[] = [];
try {
  const org = await seedBenchOrg(emulator.url, { flows: 100 });
  const call = platformCaller(emulator.url, org.token, org.clientId, BENCH_ORG, BENCH_SANDBOX);
  const runs: Array<{ id: string; flowId: string; status: RunFinishedEvent['status'] }> = [];
  for (let token: string | undefined, first = true; first || token !== undefined; first = false) {
    const page = await call<{
      items: Array<{ id: string; flowId: string; metrics: { statusSummary: { status: string } } }>;
      _links?: { next?: { href: string } };
    }>('GET', `${FS}/runs?limit=100${token === undefined ? '' : `&continuationToken=${encodeURIComponent(token)}`}`);
    for (const r of page.items)
      runs.push({
        id: r.id,
        flowId: r.flowId,
        status: r.metrics.statusSummary.status === 'failed' ? 'failed' : 'success',
      });
    const next = page._links?.next?.href;
    token =
      next === undefined ? undefined : (new URL(next, 'http://x').searchParams.get('continuationToken') ?? undefined);
  }
  const events: RunFinishedEvent[] = Array.from({ length: rate * seconds }, (_x, i) => {
    const run = runs[i % runs.length]!;
    return {
      org: BENCH_ORG,
      sandbox: BENCH_SANDBOX,
      key: runEventKey(run.id, run.status),
      flowId: run.flowId,
      runId: run.id,
      status: run.status,
      finishedAt: 0,
      source: 'webhook',
    };
  });

  const server = await startChild(new URL('./serverProcess.ts', import.meta.url), 'server', {
    execArgv:
      process.env['BENCH_PROFILE'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROFILE']],
    env: { NODE_ENV: 'production' },
  });
  children.push(server);
  const args: StartArgs = {
    kind: 'api',
    emulatorUrl: emulator.url,
    orgId: BENCH_ORG,
    clientId: org.clientId,
    env: { MAX_WS_CONNECTIONS_PER_TENANT: String(subscriberCount), POLL_INTERVAL_MS: '0' },
  };
  const { url } = await server.call<{ url: string }>('start', args);
  const memoryIdle = await server.call<MemorySample>('memory', { gc: false });

  const clients = await Promise.all(
    Array.from({ length: clientCount }, () =>
      startChild(new URL('./subscriberProcess.ts', import.meta.url), 'subscribers'),
    ),
  );
  children.push(...clients);
  const t0 = performance.now();
  await Promise.all(
    clients.map((c, i) =>
      c.call('open', {
        url,
        query: QUERY,
        count: Math.floor(subscriberCount / clientCount) + (i < subscriberCount % clientCount ? 1 : 0),
      }),
    ),
  );
  while ((await server.call<number>('subscribers', { org: BENCH_ORG, sandbox: BENCH_SANDBOX })) < subscriberCount)
    await sleep(50);
  const connectSeconds = (performance.now() - t0) / 1000;
  const memoryConnected = await server.call<MemorySample>('memory', { gc: false });

  await server.call('sample', { intervalMs: 100 });
  const cpuBefore = await server.call<NodeJS.CpuUsage>('cpu');
  const clientCpuBefore = await Promise.all(clients.map((c) => c.call<NodeJS.CpuUsage>('cpu')));
  const wallBefore = performance.now();
  const published = await server.call<number[]>('publishRunEvents', { events, perSecond: rate });
  // deliveries still under way: wait until every subscriber has every event, or 10 s
  const expected = subscriberCount * events.length;
  for (const until = performance.now() + 10_000; performance.now() < until; await sleep(100)) {
    const counts = await Promise.all(clients.map((c) => c.call<number>('received')));
    if (counts.reduce((a, b) => a + b, 0) >= expected) break;
  }
  const wall = (performance.now() - wallBefore) / 1000;
  const cpuAfter = await server.call<NodeJS.CpuUsage>('cpu');
  const clientCpuAfter = await Promise.all(clients.map((c) => c.call<NodeJS.CpuUsage>('cpu')));
  const cpuPercent = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
    round(((b.user + b.system - a.user - a.system) / 1000 / (wall * 1000)) * 100);
  const memoryLoaded = await server.call<MemorySample>('memory', { gc: false });
  await server.call('sample', { intervalMs: 0 });

  const parts = await Promise.all(
    clients.map((c) =>
      c.call<{ latencies: number[]; mismatched: number; errors: number }>('latencies', {
        published,
        runIds: events.map((e) => e.runId),
      }),
    ),
  );
  const latencies = Float64Array.from(parts.flatMap((p) => p.latencies)).sort();
  const deliveries = latencies.length;
  const result = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    subscribers: subscriberCount,
    ratePerSecond: rate,
    seconds,
    events: events.length,
    connectSeconds: round(connectSeconds),
    deliveries,
    expectedDeliveries: expected,
    mismatched: parts.reduce((n, p) => n + p.mismatched, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? Number.NaN),
    },
    serverCpuPercentOfOneCore: round(
      ((cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000 / (wall * 1000)) * 100,
    ),
    subscriberProcessesCpuPercentOfOneCore: clientCpuAfter.map((after, i) => cpuPercent(clientCpuBefore[i]!, after)),
    wallSeconds: round(wall),
    serverRssMiB: {
      idle: mib(memoryIdle.rss),
      connected: mib(memoryConnected.rss),
      peakUnderLoad: mib(memoryLoaded.peakRss),
    },
    serverHeapUsedMiB: { connected: mib(memoryConnected.heapUsed), afterLoad: mib(memoryLoaded.heapUsed) },
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/subscriptions.json', import.meta.url), JSON.stringify(result, null, 2));
} finally {
  await Promise.allSettled(children.map((c) => c.stop()));
  await emulator.stop();
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function mib(bytes: number): number {
  return round(bytes / 1024 / 1024);
}
