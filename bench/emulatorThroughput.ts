/**
 * Emulator throughput: `npx tsx bench/emulatorThroughput.ts [--seconds 5] [--connections 32]`.
 *
 * The emulator (with demo data, zero added latency, no request-log trimming) runs in this
 * process on one core; the load comes from a forked child process (this same file, in its
 * `load` role) so that generating requests does not steal the emulator's CPU. The child
 * keeps `connections` GETs in flight over an undici Pool on loopback for a bounded time and
 * reports requests/s, p50/p99 latency and errors. Budget: >= 5,000 GETs/s.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const TARGET_RPS = 5_000;

interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  paths: string[];
  warmupMs: number;
  durationMs: number;
  connections: number;
}

interface LoadResult {
  requests: number;
  errors: number;
  statusCounts: Record<string, number>;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The child: fire GETs round-robin over `paths` with `connections` in flight until time is up. */
async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const pool = new Pool(plan.url, { connections: plan.connections, pipelining: 1 });
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  let measuring = false;
  const warmEnd = performance.now() + plan.warmupMs;
  const end = warmEnd + plan.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const path = plan.paths[next++ % plan.paths.length]!;
      const t0 = performance.now();
      try {
        const res = await pool.request({ method: 'GET', path, headers: plan.headers });
        await res.body.dump();
        if (!measuring) continue;
        statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 400) errors++;
      } catch {
        if (measuring) errors++;
        continue;
      }
      latencies.push(performance.now() - t0);
    }
  };
  setTimeout(() => (measuring = true), plan.warmupMs).unref();
  const started = performance.now();
  await Promise.all(Array.from({ length: plan.connections }, worker));
  const elapsedMs = performance.now() - Math.max(started, warmEnd);
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    statusCounts,
    elapsedMs,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
  };
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i < 0 ? undefined : Number(process.argv[i + 1]);
  return v === undefined || !Number.isFinite(v) || v <= 0 ? fallback : v;
}

async function token(url: string, clientId: string): Promise<string> {
  const res = await fetch(`${url}/ims/token/v3`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 'bench',
      scope: 'openid,AdobeID',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function parent(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/server.ts');
  const { DEMO_ORG, DEMO_SANDBOX } = await import('../src/emulator/seed/demo.ts');
  const emulator = await startEmulator({ demo: true, latencyMs: 0 });
  const part = emulator.runtime.store.partition(DEMO_ORG, DEMO_SANDBOX);
  const flowIds = [...part.flows.keys()];
  const dataSetIds = [...part.dataSets.keys()];
  const paths = [
    ...flowIds.map((id) => `/data/foundation/flowservice/flows/${id}`),
    ...dataSetIds.flatMap((id) => [1, 2, 3].map(() => `/data/foundation/catalog/dataSets/${id}`)),
  ];
  const clientId = 'bench-client';
  const plan: LoadPlan = {
    url: emulator.url,
    headers: {
      authorization: `Bearer ${await token(emulator.url, clientId)}`,
      'x-api-key': clientId,
      'x-gw-ims-org-id': DEMO_ORG,
      'x-sandbox-name': DEMO_SANDBOX,
    },
    paths,
    warmupMs: 1_000,
    durationMs: argValue('--seconds', 5) * 1000,
    connections: argValue('--connections', 32),
  };
  const child = fork(fileURLToPath(import.meta.url), ['--role=load'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = await new Promise<LoadResult>((resolve, reject) => {
    child.once('message', (msg) => resolve(msg as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
    child.send(plan);
  });
  await emulator.stop();
  const rps = (result.requests / result.elapsedMs) * 1000;
  console.log(
    `emulator throughput: ${plan.connections} connections, ${(result.elapsedMs / 1000).toFixed(1)} s, ${paths.length} distinct GET paths`,
  );
  // Emulator and load generator share the machine: a busy host lowers the figure.
  console.log(
    `  host: ${cpus().length} cpus, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`  requests/s ${rps.toFixed(0)}  (budget >= ${TARGET_RPS})`);
  console.log(
    `  latency p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  max ${result.maxMs.toFixed(2)} ms`,
  );
  console.log(
    `  requests ${result.requests}  errors ${result.errors}  statuses ${JSON.stringify(result.statusCounts)}`,
  );
  console.log(
    JSON.stringify({
      bench: 'emulatorThroughput',
      rps: Math.round(rps),
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      errors: result.errors,
      requests: result.requests,
    }),
  );
  process.exitCode = rps >= TARGET_RPS && result.errors === 0 ? 0 : 1;
}

if (process.argv.includes('--role=load')) {
  process.once('message', (plan) => {
    runLoad(plan as LoadPlan).then(
      (result) => process.send!(result, () => process.exit(0)),
      (err: unknown) => {
        console.error('load generator failed', err);
        process.exit(1);
      },
    );
  });
} else {
  await parent();
}
