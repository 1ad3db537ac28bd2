/**
 * The load test: `--users` dashboard clients (default 200), each loading the first page of
 * the dashboard again as soon as it has its answer, for `--seconds` (default 60) against the
 * API at its default configuration over the emulator at `--latency-ms` per upstream request.
 * Prints requests, errors, throughput and latency; exits 1 when any request failed.
 *
 *   npx tsx bench/dashboardLoad.ts [--users 200] [--seconds 60] [--latency-ms 20] [--flows 100] [--page-size 20]
 *                                  [--env NAME=VALUE ...]   (configuration other than the defaults)
 *
 * Layout as in bench/run.ts: the emulator here, the API and the clients in a child each.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/server.ts';
import { seedBenchOrg } from './benchOrg.ts';
import type { LoadResult } from './load.ts';
import { startChild } from './rpc.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    'latency-ms': { type: 'string', default: '20' },
    flows: { type: 'string', default: '100' },
    'page-size': { type: 'string', default: '20' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const env = Object.fromEntries(
  values.env.map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const users = Number(values.users);
const seconds = Number(values.seconds);
const latencyMs = Number(values['latency-ms']);

const emulator = await startEmulator({ demo: false, runScheduler: false, latencyMs: 0 });
const children = [];
try {
  const org = await seedBenchOrg(emulator.url, { flows: Number(values.flows) });
  emulator.runtime.setConfig({ latencyMs });
  const server = await startChild(new URL('./serverProcess.ts', import.meta.url), 'server', {
    env: { NODE_ENV: 'production' },
  });
  children.push(server);
  const { url } = await server.call<{ url: string }>('start', {
    kind: 'api',
    emulatorUrl: emulator.url,
    orgId: org.orgId,
    clientId: org.clientId,
    env,
  });
  const client = await startChild(new URL('./clientProcess.ts', import.meta.url), 'client');
  children.push(client);
  // the log keeps the most recent requests and counts the ones it dropped
  emulator.runtime.requests.clear();
  const result = await client.call<LoadResult>('load', {
    kind: 'dashboard',
    url,
    flowIds: [],
    pageSize: Number(values['page-size']),
    concurrency: users,
    warmupMs: 2_000,
    durationMs: seconds * 1000,
  });
  const upstream = emulator.runtime.requests.size + emulator.runtime.requests.dropped;
  console.log(
    `dashboard load${values.env.length === 0 ? '' : ` (${values.env.join(' ')})`}: ${users} clients for ${seconds} s at ${latencyMs} ms upstream latency: ${result.requests} answers, ${result.errors} errors, ${result.rps.toFixed(1)} req/s, p50 ${result.p50Ms.toFixed(0)} ms, p95 ${result.p95Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms; ${upstream} upstream requests (warm-up included)`,
  );
  if (result.firstError !== undefined) console.log(`first error: ${result.firstError}`);
  process.exitCode = result.errors === 0 ? 0 : 1;
} finally {
  for (const child of children.reverse()) await child.stop();
  await emulator.stop();
}
