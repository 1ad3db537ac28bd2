/**
 * The benchmark suite: `npm run bench` (full, a few minutes) or `npm run bench -- --quick`
 * (CI smoke, under 2 minutes). `--only dashboard,distance,cpu,create,gateway,memory,abuse,emulator,durability,fleet` runs a
 * subset; `--compare <file>` compares with that JSON instead of the previous latest.json.
 *
 * Layout on the machine: the emulator runs in this process; each server under test (API,
 * API without batching, pass-through) in a child of its own; every caller and load
 * generator in one more child. Loopback only; every phase is bounded in count and time.
 * Figures are printed, never asserted: the exit code is 0 whether targets are met or not.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/server.ts';
import { DEMO_ORG, DEMO_SANDBOX } from '../src/emulator/seed/demo.ts';
import { imsToken, platformCaller, seedBenchOrg } from './benchOrg.ts';
import { runAbuse } from './abuse.ts';
import { runCreate } from './createSuite.ts';
import { runDashboards, type Variant } from './dashboardSuite.ts';
import { PROXY, runDistance } from './distanceSuite.ts';
import { runExecutionCpu } from './executionCpu.ts';
import { EmulatorControl } from './emulatorControl.ts';
import { runFleet } from './fleetSuite.ts';
import { runGateway } from './gatewaySuite.ts';
import { runMemory } from './memorySuite.ts';
import {
  evaluateTargets,
  machine,
  renderComparison,
  renderAbuse,
  renderCreate,
  renderDashboard,
  renderDistance,
  renderFleet,
  renderExecutionCpu,
  renderGateway,
  renderMemory,
  renderTargets,
  type EmulatorThroughput,
  type Results,
} from './report.ts';
import { startChild, type Child } from './rpc.ts';
import type { ServerKind, StartArgs } from './serverProcess.ts';
import type { EmulatorDurability } from './emulatorDurability.ts';
import { JIT_WARMUP_PAGES } from './warmup.ts';

const ODATA_SPEC = '8e6b41a8-d998-4545-ad7d-c6a9fff406c3';
const RESULTS_DIR = new URL('./results/', import.meta.url);
/** The API from the compiled build, for the memory benchmark (bench/compiledServer.mjs). */
const COMPILED_SERVER = new URL('./compiledServer.mjs', import.meta.url);
const SUITES = [
  'emulator',
  'durability',
  'dashboard',
  'distance',
  'cpu',
  'create',
  'gateway',
  'memory',
  'abuse',
  'fleet',
] as const;
type Suite = (typeof SUITES)[number];

const quick = process.argv.includes('--quick');
/** The fleet suite's org and size (quick mode: a fifth, so CI stays within its budget). */
const FLEET_ORG = 'BENCHFLEET00000000000001@AdobeOrg';
const FLEET_FLOWS = quick ? 2_000 : 10_000;
const argAfter = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const only = new Set((argAfter('--only')?.split(',') ?? SUITES) as Suite[]);
const log = (line = '') => console.log(line);
/**
 * `--cpu-prof DIR`: the API servers write V8 CPU profiles of their whole life there (node
 * --cpu-prof), and the CPU benchmark one of its measured pages alone (dashboard-pages.cpuprofile).
 */
const cpuProfDir = argAfter('--cpu-prof');
/** `--api-env '{"COMPILE_OPERATIONS_AFTER":"1000000"}'`: further configuration of the API servers, for A/B runs. */
const apiEnv = JSON.parse(argAfter('--api-env') ?? '{}') as Record<string, string>;
/** `--api-node-args '--max-semi-space-size=4'`: further node (V8) flags of the API servers, for A/B runs. */
const apiNodeArgs = (argAfter('--api-node-args') ?? '').split(' ').filter((a) => a !== '');
/** `--cpu-gap MS`: the CPU benchmark's pages each after MS idle, CPU read around each page alone. */
const cpuGapMs = Number(argAfter('--cpu-gap') ?? 0);
/** `--timeline`: the distance suite prints the upstream requests of each layout's last run, as the emulator saw them. */
const timeline = process.argv.includes('--timeline');
const profiling = cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`];

/**
 * Runs of each dashboard variant. At 50 ms one run of (a) costs ~52 ms per call (18 s at
 * N=100, 80 s at N=500) and one of (c) 5 s at N=500, so those run least.
 */
function dashboardRuns(latencyMs: number, n: number, variant: Variant): number {
  const size = n === 10 ? 0 : n === 100 ? 1 : 2;
  if (variant === 'tutorial')
    return latencyMs === 0 ? (quick ? [1, 1, 1] : [5, 5, 3])[size]! : (quick ? [1, 1, 0] : [3, 2, 1])[size]!;
  if (variant === 'naive' && latencyMs > 0) return (quick ? [3, 2, 1] : [10, 5, 3])[size]!;
  return (quick ? [3, 3, 2] : [20, 10, 5])[size]!;
}

/**
 * bench/<bench>.ts in its own processes (it starts its own emulator and load child): prints
 * its lines and returns the JSON line it ends with.
 */
async function emulatorBench<T>(bench: 'emulatorThroughput' | 'emulatorDurability', seconds: number) {
  const file = fileURLToPath(new URL(`./${bench}.ts`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, file, '--seconds', String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const line of out.trim().split('\n')) if (!line.startsWith('{')) log(line);
  const json = out.split('\n').find((l) => l.startsWith(`{"bench":"${bench}"`));
  return json === undefined ? undefined : (JSON.parse(json) as T);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const watchdog = setTimeout(
    () => {
      console.error(`benchmark exceeded its time budget; stopping`);
      process.exit(1);
    },
    (quick ? 5 : 20) * 60_000,
  );
  watchdog.unref();
  const results: Results = {
    version: 1,
    mode: quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    durationS: 0,
    machine: machine(),
    layout:
      'emulator in the main benchmark process; each server under test in its own child process; all callers and load generators in one further child process; loopback only',
    phases: [],
    targets: [],
  };
  let phaseStart = performance.now();
  const phaseDone = (suite: string) => {
    results.phases.push({
      suite,
      seconds: Math.round((performance.now() - phaseStart) / 100) / 10,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    });
    phaseStart = performance.now();
  };
  const m = results.machine;
  log(
    `ingestion-graph benchmarks (${results.mode}) on ${m.nproc} x ${m.cpuModel}, Node ${m.node}, load average ${m.loadAverage.join(' ')}`,
  );

  if (only.has('emulator')) {
    log('\n## Emulator throughput (bench/emulatorThroughput.ts)');
    results.emulatorThroughput = await emulatorBench<EmulatorThroughput>('emulatorThroughput', quick ? 2 : 5);
    phaseDone('emulator');
  }
  if (only.has('durability')) {
    log('\n## Emulator writes with persistence on (bench/emulatorDurability.ts)');
    results.emulatorDurability = await emulatorBench<EmulatorDurability>('emulatorDurability', quick ? 2 : 5);
    phaseDone('durability');
  }

  const emulator = await startEmulator({ demo: true, runScheduler: false, latencyMs: 0 });
  const control = new EmulatorControl(emulator.url);
  const trimLog = () => {
    emulator.runtime.requests.clear();
  };
  const children: Child[] = [];
  try {
    const t0 = performance.now();
    const org = await seedBenchOrg(emulator.url, { flows: 500 });
    log(
      `\nbench org seeded through the emulator's REST API: ${org.flowIds.length} flows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    phaseDone('setup');
    const credentials = { accessToken: org.token, apiKey: org.clientId, orgId: org.orgId, sandbox: org.sandbox };
    const serverFile = new URL('./serverProcess.ts', import.meta.url);
    const startServer = async (
      kind: ServerKind,
      execArgv: string[] = [],
      orgId = org.orgId,
      compiled = false,
      platformUrl = emulator.url,
      env: Record<string, string> = {},
    ) => {
      if (kind === 'api') execArgv = [...execArgv, ...apiNodeArgs];
      // as deployed: graphql-js skips its development-only checks in production
      const child = compiled
        ? await startChild(COMPILED_SERVER, 'server', { execArgv, env: { NODE_ENV: 'production' }, plain: true })
        : await startChild(serverFile, 'server', { execArgv, env: { NODE_ENV: 'production' } });
      children.push(child);
      const args: StartArgs = {
        kind,
        emulatorUrl: platformUrl,
        orgId,
        clientId: org.clientId,
        ...(kind === 'passthrough' ? {} : { env: { ...env, ...apiEnv } }),
      };
      const { url } = await child.call<{ url: string }>('start', args);
      return { child, url, args };
    };
    const client = await startChild(new URL('./clientProcess.ts', import.meta.url), 'client');
    children.push(client);

    if (only.has('distance')) {
      log('\n## Dashboard read at a distance: latency on every hop (delay proxies)');
      const proxies = await startChild(new URL('./proxyProcess.ts', import.meta.url), 'proxies');
      children.push(proxies);
      const proxy = (name: string, target: string) =>
        proxies.call<{ url: string }>('start', { name, target, rttMs: 0 });
      const platformForApi = await proxy(PROXY.apiToPlatform, emulator.url);
      const platformForCaller = await proxy(PROXY.callerToPlatform, emulator.url);
      const api = await startServer('api', profiling, org.orgId, false, platformForApi.url);
      const apiUrl = new URL(api.url);
      const apiForCaller = await proxy(PROXY.callerToApi, apiUrl.origin);
      results.distance = await runDistance(
        {
          emulator: control,
          client,
          proxies,
          api: api.child,
          apiUrl: `${apiForCaller.url}${apiUrl.pathname}`,
          platformUrl: platformForCaller.url,
          credentials,
          log,
        },
        // quick mode: the two layouts with targets, fewer reads
        {
          n: 100,
          jitWarmups: JIT_WARMUP_PAGES,
          timeline,
          ...(quick
            ? { layouts: ['browser', 'parity'], warmups: 3, runs: 5 }
            : { layouts: ['browser', 'parity', 'loopback'], warmups: 10, runs: 20 }),
        },
      );
      await api.child.stop();
      await proxies.stop();
      phaseDone('distance');
    }
    if (only.has('dashboard') || only.has('create') || only.has('cpu')) {
      const api = await startServer('api', profiling);
      if (only.has('dashboard')) {
        const naive = await startServer('api-nobatch');
        log('\n## Dashboard read');
        results.dashboard = await runDashboards(
          { emulator: control, client, apiUrl: api.url, naiveUrl: naive.url, credentials, log },
          { latencies: [0, 50], sizes: [10, 100, 500], runs: dashboardRuns },
        );
        await naive.child.stop();
        phaseDone('dashboard');
      }
      if (only.has('cpu')) {
        log('\n## API CPU per dashboard page of 100 flows at 0 ms');
        results.executionCpu = await runExecutionCpu(
          {
            emulator: control,
            client,
            api,
            credentials,
            log,
            profileFile: cpuProfDir === undefined ? undefined : `${cpuProfDir}/dashboard-pages.cpuprofile`,
          },
          {
            warmups: JIT_WARMUP_PAGES,
            pageSize: 100,
            gapMs: cpuGapMs,
            ...(quick ? { batches: 5, pagesPerBatch: 6 } : { batches: 10, pagesPerBatch: 10 }),
          },
        );
        // the same pages with every upstream answer parsed, as when each had changed since the last page
        const parsing = await startServer('api', profiling, org.orgId, false, emulator.url, {
          UPSTREAM_PARSED_ANSWERS_MB: '0',
        });
        log('\n## The same, every upstream answer parsed (UPSTREAM_PARSED_ANSWERS_MB=0)');
        results.executionCpuAllParsed = await runExecutionCpu(
          { emulator: control, client, api: parsing, credentials, log },
          {
            warmups: JIT_WARMUP_PAGES,
            pageSize: 100,
            gapMs: cpuGapMs,
            ...(quick ? { batches: 5, pagesPerBatch: 6 } : { batches: 10, pagesPerBatch: 10 }),
          },
        );
        await parsing.child.stop();
        phaseDone('cpu');
      }
      if (only.has('create')) {
        log('\n## createDataflow (new schema and dataset) at 50 ms');
        const token = await imsToken(emulator.url, org.clientId);
        const demo = platformCaller(emulator.url, token, org.clientId, DEMO_ORG, DEMO_SANDBOX);
        const odata = await demo<{ items: Array<{ id: string }> }>(
          'GET',
          `/data/foundation/flowservice/connections?property=connectionSpec.id==${ODATA_SPEC}`,
        );
        results.createDataflow = await runCreate(
          {
            emulator: control,
            client,
            apiUrl: api.url,
            credentials: { accessToken: token, apiKey: org.clientId, orgId: DEMO_ORG, sandbox: DEMO_SANDBOX },
            baseConnectionId: odata.items[0]!.id,
            connectionSpecId: ODATA_SPEC,
            log,
          },
          { latencyMs: 50, runs: quick ? 3 : 10 },
        );
        phaseDone('create');
      }
      await api.child.stop();
    }
    if (only.has('gateway')) {
      log('\n## Gateway overhead at 0 ms: flow(id) with two nested links');
      // in the demo org: its small collections keep the emulator's id lookups from being the bottleneck
      const demo = platformCaller(
        emulator.url,
        await imsToken(emulator.url, org.clientId),
        org.clientId,
        DEMO_ORG,
        DEMO_SANDBOX,
      );
      const demoFlows = (
        await demo<{ items: Array<{ id: string; sourceConnectionIds: string[] }> }>(
          'GET',
          '/data/foundation/flowservice/flows?limit=100',
        )
      ).items
        .filter((f) => f.sourceConnectionIds.length > 0)
        .map((f) => f.id);
      results.gateway = await runGateway(
        {
          emulator: control,
          client,
          // one caller at 32 requests in flight: the per-caller rate limit (100/s by default) would
          // be the figure, not the gateway's overhead; at its highest it still runs on every request
          startServer: (kind) =>
            startServer(kind, kind === 'api' ? profiling : [], DEMO_ORG, false, emulator.url, {
              RATE_LIMIT_REQUESTS: '1000000',
            }),
          flowIds: demoFlows,
          trimLog,
          log,
        },
        quick
          ? { concurrency: 32, warmupMs: 1_000, durationMs: 2_500, slices: 4, sliceMs: 400 }
          : { concurrency: 32, warmupMs: 2_000, durationMs: 6_000, slices: 10, sliceMs: 500 },
      );
      phaseDone('gateway');
    }
    if (only.has('memory')) {
      log('\n## Memory: 50 concurrent dashboards of N=500, the compiled build (npm run build, then node)');
      const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
      if (build.status !== 0) throw new Error(`npm run build failed (${build.status})`);
      results.memory = await runMemory(
        { emulator: control, client, startServer, trimLog, log },
        { rounds: quick ? 2 : 10, users: 50, n: 500, latencyMs: 0 },
      );
      phaseDone('memory');
    }
    if (only.has('abuse')) {
      log('\n## Abuse: a stream of abusive queries while a second tenant reads and /health is polled');
      const token = await imsToken(emulator.url, org.clientId);
      results.abuse = await runAbuse(
        {
          emulator: control,
          client,
          startServer,
          streamOrg: org.orgId,
          tenant2Headers: {
            authorization: `Bearer ${token}`,
            'x-api-key': org.clientId,
            'x-gw-ims-org-id': DEMO_ORG,
            'x-sandbox-name': DEMO_SANDBOX,
          },
          trimLog,
          log,
        },
        { attackers: 4, ratePerSecond: 100, durationMs: quick ? 3_000 : 10_000, healthIntervalMs: 10 },
      );
      phaseDone('abuse');
    }
    if (only.has('fleet')) {
      log(`\n## Fleet scale: ${FLEET_FLOWS} flows`);
      const t1 = performance.now();
      const fleet = await seedBenchOrg(emulator.url, { flows: FLEET_FLOWS, orgId: FLEET_ORG });
      log(`  fleet org seeded: ${fleet.flowIds.length} flows in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      const api = await startServer('api', [], FLEET_ORG);
      const get = (orgId: string) => platformCaller(emulator.url, org.token, org.clientId, orgId, org.sandbox);
      const small = get(org.orgId);
      const large = get(FLEET_ORG);
      results.fleet = await runFleet(
        {
          emulator: control,
          apiUrl: api.url,
          smallGet: (path) => small('GET', path),
          largeGet: (path) => large('GET', path),
          smallFlowIds: org.flowIds,
          largeFlowIds: fleet.flowIds,
          log,
        },
        { latencyMs: 50, lookupRuns: quick ? 60 : 100, viewRuns: quick ? 1 : 3 },
      );
      await api.child.stop();
      phaseDone('fleet');
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await emulator.stop();
  }

  results.durationS = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
  results.targets = evaluateTargets(results);
  printReport(results);
  saveAndCompare(results);
  clearTimeout(watchdog);
}

function printReport(r: Results): void {
  log(`\n# Results (${r.mode}, ${r.durationS} s)\n`);
  log(
    `Machine: ${r.machine.nproc} cpus, ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.os}. Layout: ${r.layout}.`,
  );
  log(
    `Phases (s, 1-min load average after): ${r.phases.map((p) => `${p.suite} ${p.seconds} s (${p.loadAverage1m})`).join(', ')}; load average at start ${r.machine.loadAverage.join(' ')}.`,
  );
  if (r.emulatorThroughput !== undefined)
    log(
      `\nEmulator alone: ${r.emulatorThroughput.rps} GETs/s at 32 connections, p50 ${r.emulatorThroughput.p50Ms.toFixed(2)} ms, p99 ${r.emulatorThroughput.p99Ms.toFixed(2)} ms.`,
    );
  const d = r.emulatorDurability;
  if (d !== undefined)
    log(
      `Emulator writes with persistence on: ${d.phases.map((p) => `${p.label} ${p.writesPerSecond} writes/s at ${p.connections} connection${p.connections === 1 ? '' : 's'}${p.writesPerSync === undefined ? '' : ` (${p.writesPerSync} writes per sync)`}`).join('; ')}; every answered write present after a restart: ${d.allAnsweredWritesPresent ? 'yes' : 'no'}.`,
    );
  if (r.dashboard !== undefined) log(`\n## Dashboard read\n\n${renderDashboard(r.dashboard)}`);
  if (r.distance !== undefined)
    log(`\n## Dashboard read at a distance (N=${r.distance.n})\n\n${renderDistance(r.distance)}`);
  if (r.executionCpu !== undefined)
    log(`\n## API CPU per dashboard page at 0 ms\n\n${renderExecutionCpu(r.executionCpu, r.executionCpuAllParsed)}`);
  if (r.createDataflow !== undefined)
    log(`\n## createDataflow at ${r.createDataflow.latencyMs} ms\n\n${renderCreate(r.createDataflow)}`);
  if (r.gateway !== undefined) log(`\n## Gateway overhead at 0 ms\n\n${renderGateway(r.gateway)}`);
  if (r.memory !== undefined)
    log(
      `\n## Memory (${r.memory.users} concurrent dashboards of N=${r.memory.n}, ${r.memory.latencyMs} ms latency)\n\n${renderMemory(r.memory)}`,
    );
  if (r.abuse !== undefined)
    log(
      `\n## Abuse (${r.abuse.attackers} callers streaming abusive queries, ${r.abuse.durationMs / 1000} s per phase)\n\n${renderAbuse(r.abuse)}`,
    );
  if (r.fleet !== undefined) log(`\n## Fleet scale (${r.fleet.flows} flows)\n\n${renderFleet(r.fleet)}`);
  log(`\n## Targets\n\n${renderTargets(r.targets)}`);
}

function saveAndCompare(r: Results): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const latest = new URL('latest.json', RESULTS_DIR);
  const compareWith = argAfter('--compare');
  let previous: Results | undefined;
  try {
    if (compareWith !== undefined) previous = JSON.parse(readFileSync(compareWith, 'utf8')) as Results;
    else if (existsSync(latest)) {
      previous = JSON.parse(readFileSync(latest, 'utf8')) as Results;
      copyFileSync(latest, new URL('previous.json', RESULTS_DIR));
    }
  } catch (err) {
    log(`\n(no comparison: ${(err as Error).message})`);
  }
  writeFileSync(latest, `${JSON.stringify(r, null, 2)}\n`);
  log(`\nWrote ${fileURLToPath(latest)}`);
  if (previous?.targets !== undefined) log(`\n${renderComparison(previous, r)}`);
}

await main();
