/**
 * Subscriptions under load: `npx tsx bench/subscriptions.ts [--subscribers 1000]
 * [--rate 50] [--seconds 30] [--clients 2] [--drive webhook|bus]`.
 *
 * The emulator runs in this process with the bench org; the API alone in a child
 * (bench/serverProcess.ts, server-credential mode, NODE_ENV=production); the subscribers in
 * `--clients` more children (bench/subscriberProcess.ts), each subscriber on a WebSocket of
 * its own. Each subscription selects `flowRunUpdated { id status flow { name } }`, so every
 * event is read upstream with the subscribers' credentials.
 *
 * `--drive webhook` (the default): `--rate` runs a second finish in the emulator (an
 * on-demand run started ahead, then settled at its slot of a fixed timetable); the emulator's
 * I/O Events delivers each, signed, to the API's `POST /webhooks/io-events`, which verifies,
 * de-duplicates and publishes it. Latency is from the delivery's arrival at the API
 * (`receivedAt`, the API's clock, whole ms) to the arrival at each subscriber.
 * `--drive bus`: run completions are published on the API's run event bus directly, as the
 * receiver does once a delivery is verified; latency is from that publish.
 *
 * Both clocks are the one machine's wall clock. Figures are printed, never asserted.
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
const driveAt = process.argv.indexOf('--drive');
const drive = driveAt < 0 ? 'webhook' : process.argv[driveAt + 1];
if (drive !== 'webhook' && drive !== 'bus') throw new Error('--drive: webhook or bus');
const FS = '/data/foundation/flowservice';
/** Settles a second: the emulator's control and run creation cost a round trip each, so runs finish a few at a time. */
const TICKS_PER_SECOND = 10;
const QUERY = 'subscription { flowRunUpdated { id status flow { name } } }';

const control = async (path: string, body: unknown): Promise<unknown> => {
  const res = await fetch(emulator.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
};
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
    env: {
      MAX_WS_CONNECTIONS_PER_TENANT: String(subscriberCount),
      POLL_INTERVAL_MS: '0',
      IO_EVENTS_KEY_ORIGIN: emulator.url,
    },
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

  await server.call('recordRunEvents', { org: BENCH_ORG, sandbox: BENCH_SANDBOX });
  const slots = rate * seconds;
  let startRuns: (n: number) => Promise<void> = async () => undefined;
  // the runs finish in TICKS_PER_SECOND settles a second, rate / TICKS_PER_SECOND at a time
  const perTick = Math.max(1, Math.round(rate / TICKS_PER_SECOND));
  const ticks = Math.ceil(slots / perTick);
  if (drive === 'webhook') {
    // what the seed left unfinished finishes now, before the webhook exists
    await control('/__emulator/runs/settle', { org: BENCH_ORG });
    await control('/__emulator/webhooks', { url: new URL('/webhooks/io-events', url).href, clientId: org.clientId });
    const flowId = runs[0]!.flowId;
    startRuns = async (n: number) => {
      const startTime = Math.floor(Date.now() / 1000);
      await Promise.all(
        Array.from({ length: n }, () =>
          call('POST', `${FS}/runs`, {
            flowId,
            params: { startTime, windowStartTime: startTime - 3600, windowEndTime: startTime },
          }),
        ),
      );
    };
  }

  await server.call('sample', { intervalMs: 100 });
  const cpuBefore = await server.call<NodeJS.CpuUsage>('cpu');
  const clientCpuBefore = await Promise.all(clients.map((c) => c.call<NodeJS.CpuUsage>('cpu')));
  const wallBefore = performance.now();
  let behind = 0;
  if (drive === 'bus') await server.call<number[]>('publishRunEvents', { events, perSecond: rate });
  else {
    const start = performance.now();
    await startRuns(Math.min(perTick, slots));
    for (let i = 0; i < ticks; i++) {
      const wait = start + (i * perTick * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      else if (wait < (-perTick * 1000) / rate) behind++;
      // finishes the runs started for this tick; the next tick's start at once
      await control('/__emulator/runs/settle', { org: BENCH_ORG });
      const next = Math.min(perTick, slots - (i + 1) * perTick);
      if (next > 0) await startRuns(next);
    }
  }
  const driveSeconds = (performance.now() - wallBefore) / 1000;
  // the emulator delivers one webhook at a time: what it still holds is delivered first
  if (drive === 'webhook') await control('/__emulator/webhooks/wait', { timeoutMs: 30_000 });
  // deliveries still under way: wait until every subscriber has every event, or 10 s
  let expected = subscriberCount * slots;
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

  // every event the bus carried, in the order subscribers get them
  const onBus = await server.call<Array<{ runId: string; receivedAt: number }>>('recordedRunEvents');
  expected = subscriberCount * onBus.length;
  const ioEvents = await server.call<Record<string, unknown>>('ioEventsCounts');
  const parts = await Promise.all(
    clients.map((c) =>
      c.call<{ latencies: number[]; mismatched: number; errors: number }>('latencies', {
        published: onBus.map((e) => e.receivedAt),
        runIds: onBus.map((e) => e.runId),
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
    drive,
    latencyFrom: drive === 'webhook' ? "the webhook delivery's arrival at the API" : 'the publish on the bus',
    events: onBus.length,
    ticksBehindSchedule: behind,
    driveSeconds: round(driveSeconds),
    ioEvents,
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
    serverCpuMicrosecondsPerMessage: round(
      (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / Math.max(1, deliveries),
    ),
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
