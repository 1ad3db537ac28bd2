/**
 * Production figures: `npm run bench:production` (builds first).
 *
 * 1. Baseline RSS of the compiled server (`node dist/main.js`) against the same server run
 *    through tsx (`node --import tsx src/main.ts`): each started alone over its embedded
 *    emulator without demo data, asked /ready and one query, then read from /proc after a
 *    pause; the median of five starts (a lone start varies with the garbage collector).
 * 2. Bytes on the wire of a 100-flow dashboard answer: identity, gzip and br.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { loadConfig } from '../src/config.ts';
import { startEmulator } from '../src/emulator/server.ts';
import { startServer } from '../src/server.ts';
import { BENCH_CLIENT_ID, BENCH_ORG, seedBenchOrg } from './benchOrg.ts';
import { DASHBOARD_QUERY } from './dashboard.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Starts `args` in the project, waits for its URL, asks /ready and a query, waits 2 s, reads its RSS, stops it. */
async function baselineRss(args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // no demo data: the emulator's seeded stores would be most of the figure
    env: {
      ...process.env,
      PORT: '0',
      EMULATOR_PORT: '0',
      EMULATOR_DEMO: 'false',
      SHUTDOWN_GRACE_MS: '0',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  while (!/GraphQL API on \S+/.test(out)) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${out}`);
    await sleep(50);
  }
  const url = /GraphQL API on (\S+)/.exec(out)![1]!;
  await (await fetch(url.replace('/graphql', '/ready'))).text();
  await (
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ flows(first: 10) { nodes { id name } } }' }),
    })
  ).text();
  await sleep(2_000);
  const rss = rssOf(child.pid!);
  child.kill('SIGTERM');
  await once(child, 'exit');
  return rss;
}

async function wireBytes(): Promise<Record<string, number>> {
  const emulator = await startEmulator({ demo: false, runScheduler: false });
  await seedBenchOrg(emulator.url, { flows: 100 });
  const server = await startServer(
    loadConfig({
      PORT: '0',
      PLATFORM_URL: emulator.url,
      STREAMING_URL: emulator.url,
      IMS_URL: emulator.url,
      IMS_CLIENT_ID: BENCH_CLIENT_ID,
      IMS_CLIENT_SECRET: 'bench-secret',
      IMS_ORG_ID: BENCH_ORG,
      ALLOW_ANONYMOUS: 'true',
    }),
  );
  const sizes: Record<string, number> = {};
  try {
    for (const encoding of ['identity', 'gzip', 'br']) {
      const res = await request(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': encoding },
        body: JSON.stringify({ query: DASHBOARD_QUERY, variables: { first: 100 } }),
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      const got = res.headers['content-encoding'] ?? 'identity';
      if (got !== encoding) throw new Error(`asked for ${encoding}, got ${String(got)}`);
      sizes[encoding] = body.length;
    }
  } finally {
    await server.stop();
    await emulator.stop();
  }
  return sizes;
}

const compiled: number[] = [];
const viaTsx: number[] = [];
for (let i = 0; i < RUNS; i++) {
  compiled.push(await baselineRss(['dist/main.js']));
  viaTsx.push(await baselineRss(['--import', 'tsx', 'src/main.ts']));
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(
  `Baseline RSS (median of ${RUNS}): node dist/main.js ${mb(median(compiled))} [${compiled.map(mb).join(', ')}]; node --import tsx src/main.ts ${mb(median(viaTsx))} [${viaTsx.map(mb).join(', ')}]`,
);
const sizes = await wireBytes();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `100-flow dashboard answer on the wire: identity ${kb(sizes['identity']!)}, gzip ${kb(sizes['gzip']!)} (${((100 * sizes['gzip']!) / sizes['identity']!).toFixed(1)} %), br ${kb(sizes['br']!)} (${((100 * sizes['br']!) / sizes['identity']!).toFixed(1)} %)`,
);
