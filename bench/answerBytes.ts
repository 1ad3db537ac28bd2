/**
 * The API's answers as bytes, so that a change meant to make it cheaper can show it answers
 * exactly as before: `npx tsx bench/answerBytes.ts --write FILE` on the code before,
 * `npx tsx bench/answerBytes.ts --compare FILE` on the code after (exit code 1 on any
 * difference). Over the emulator's demo data with both clocks fixed: every dashboard page of
 * 100 and of 7 (by cursor), and `flow(id)` of the gateway benchmark for every demo flow. Each
 * request's own id (and each upstream answer's) is masked; every other byte counts.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { startEmulator } from '../src/emulator/server.ts';
import { DEMO_ORG } from '../src/emulator/seed/demo.ts';
import { startServer } from '../src/server.ts';
import { DASHBOARD_QUERY } from './dashboard.ts';
import { FLOW_QUERY } from './load.ts';

const argAfter = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

const NOW = Date.parse('2026-06-01T12:00:00Z');
const withoutRequestIds = (text: string) => text.replaceAll(/"(upstreamRequestId|requestId)":"[^"]*"/g, '"$1":"…"');

async function answers(): Promise<Array<{ name: string; status: number; text: string }>> {
  const emulator = await startEmulator({
    demo: true,
    runScheduler: false,
    wallClock: () => NOW,
    log: { warn: () => undefined, error: () => undefined },
  });
  const config = loadConfig({
    PORT: '0',
    PLATFORM_URL: emulator.url,
    STREAMING_URL: emulator.url,
    IMS_URL: emulator.url,
    IMS_CLIENT_ID: 'ingestion-graph-bench',
    IMS_CLIENT_SECRET: 'bench-secret',
    IMS_ORG_ID: DEMO_ORG,
    ALLOW_ANONYMOUS: 'true',
    LOG_LEVEL: 'silent',
    READY_PROBE_INTERVAL_MS: '3600000',
    // every operation from its third execution on is compiled: pages run both ways
    COMPILE_OPERATIONS_AFTER: '2',
  });
  const api = await startServer(config, { now: () => NOW });
  const out: Array<{ name: string; status: number; text: string }> = [];
  const post = async (name: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    out.push({ name, status: res.status, text: withoutRequestIds(text) });
    return JSON.parse(text) as { data?: any };
  };
  try {
    const flowIds: string[] = [];
    for (const first of [100, 7]) {
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const json = await post(`dashboard first=${first} page ${page}`, DASHBOARD_QUERY, { first, after });
        const conn = json.data?.flows;
        if (conn === undefined || conn === null) break;
        if (first === 100) flowIds.push(...conn.nodes.map((n: { id: string }) => n.id));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
    }
    // twice each: the first executions on graphql-js, the later ones compiled
    for (const round of [1, 2, 3])
      for (const id of flowIds) await post(`flow(id) ${id} round ${round}`, FLOW_QUERY, { id });
    await post('flow(id) of a missing flow', FLOW_QUERY, { id: '00000000-0000-0000-0000-000000000000' });
  } finally {
    await api.stop();
    await emulator.stop();
  }
  return out;
}

const got = await answers();
const digest = createHash('sha256')
  .update(got.map((a) => `${a.name}\n${a.status}\n${a.text}\n`).join(''))
  .digest('hex');
console.log(`${got.length} answers, ${got.reduce((n, a) => n + a.text.length, 0)} bytes, sha256 ${digest}`);
const write = argAfter('--write');
if (write !== undefined) writeFileSync(write, `${JSON.stringify(got, null, 1)}\n`);
const compare = argAfter('--compare');
if (compare !== undefined) {
  const before = JSON.parse(readFileSync(compare, 'utf8')) as typeof got;
  let differ = before.length === got.length ? 0 : 1;
  if (differ > 0) console.log(`${before.length} answers before, ${got.length} now`);
  for (const [i, a] of got.entries()) {
    const b = before[i];
    if (b !== undefined && b.name === a.name && b.status === a.status && b.text === a.text) continue;
    differ++;
    if (differ <= 5)
      console.log(`differs: ${a.name}\n  before ${b?.text.slice(0, 300)}\n  now    ${a.text.slice(0, 300)}`);
  }
  console.log(differ === 0 ? `same answers byte for byte as ${compare}` : `${differ} answers differ from ${compare}`);
  process.exitCode = differ === 0 ? 0 : 1;
}
