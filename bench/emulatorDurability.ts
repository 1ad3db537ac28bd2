/**
 * Emulator writes with persistence on: `npx tsx bench/emulatorDurability.ts [--seconds 3]
 * [--connections 32] [--dir DIR]`.
 *
 * The emulator runs in this process with `--data` in a fresh directory (DIR, default the
 * OS temporary directory: put it on the disk you care about), so every write is synced to
 * its journal before it is answered. A forked child (this same file, in its `load` role)
 * keeps `connections` POSTs of a Flow Service connection in flight over an undici Pool for
 * a bounded time (bench/rpc.ts). Three phases: persistence off at `connections`, on at `connections`
 * (the target: >= 1,000 writes/s, met by group commit), and on at one connection (one sync
 * per write, for scale). Afterwards the emulator's connection count is checked against the
 * answered writes. Figures are printed; the exit code is 0 whether the target is met or not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { imsToken } from './benchOrg.ts';
import { serveCalls, startChild } from './rpc.ts';
import { percentile } from './stats.ts';

const TARGET_WPS = 1_000;
const CONNECTIONS_PATH = '/data/foundation/flowservice/connections';
const ORG = 'BENCHDURABILITY000000000@AdobeOrg';

interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  warmupMs: number;
  durationMs: number;
  connections: number;
}

interface LoadResult {
  writes: number;
  errors: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface DurabilityPhase {
  label: string;
  persistence: boolean;
  connections: number;
  writesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Journal records synced during the phase and the writes per sync (group commit). */
  syncs?: number;
  writesPerSync?: number;
}

export interface EmulatorDurability {
  phases: DurabilityPhase[];
  /** Writes/s with persistence on at the configured connections: the target's figure. */
  writesPerSecond: number;
  /** Connections the emulator holds afterwards equal the writes it answered. */
  allAnsweredWritesPresent: boolean;
}

/** The child: POST connections with `connections` in flight until time is up. */
async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const pool = new Pool(plan.url, { connections: plan.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const warmEnd = performance.now() + plan.warmupMs;
  const end = warmEnd + plan.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const body = JSON.stringify({
        name: `durability ${n++}`,
        auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIA', s3SecretKey: 'secret' } },
        connectionSpec: { id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b', version: '1.0' },
      });
      const t0 = performance.now();
      const measuring = t0 >= warmEnd;
      try {
        const res = await pool.request({ method: 'POST', path: CONNECTIONS_PATH, headers: plan.headers, body });
        await res.body.dump();
        if (res.statusCode !== 201) {
          if (measuring) errors++;
          continue;
        }
      } catch {
        if (measuring) errors++;
        continue;
      }
      if (measuring) latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, worker));
  const elapsedMs = performance.now() - warmEnd;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    writes: latencies.length,
    errors,
    elapsedMs,
    p50Ms: sorted.length === 0 ? 0 : percentile(sorted, 50),
    p99Ms: sorted.length === 0 ? 0 : percentile(sorted, 99),
  };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function argNumber(name: string, fallback: number): number {
  const v = Number(argValue(name));
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function platformHeaders(url: string): Promise<Record<string, string>> {
  const clientId = 'bench-durability';
  return {
    authorization: `Bearer ${await imsToken(url, clientId)}`,
    'x-api-key': clientId,
    'x-gw-ims-org-id': ORG,
    'x-sandbox-name': 'prod',
    'content-type': 'application/json',
  };
}

async function parent(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/server.ts');
  const seconds = argNumber('--seconds', 3);
  const connections = argNumber('--connections', 32);
  const dir = mkdtempSync(join(argValue('--dir') ?? tmpdir(), 'emulator-durability-'));
  const phases: DurabilityPhase[] = [];
  let allPresent = true;
  const loader = await startChild(new URL(import.meta.url), 'load');
  try {
    const runs: Array<{ label: string; persistence: boolean; connections: number }> = [
      { label: 'persistence off', persistence: false, connections },
      { label: 'persistence on', persistence: true, connections },
      { label: 'persistence on, one connection', persistence: true, connections: 1 },
    ];
    for (const [i, run] of runs.entries()) {
      const dataFile = join(dir, `state-${i}.json`);
      const emulator = await startEmulator({
        runScheduler: false,
        ...(run.persistence ? { dataFile } : {}),
      });
      const before = emulator.journal?.stats();
      const result = await loader.call<LoadResult>('load', {
        url: emulator.url,
        headers: await platformHeaders(emulator.url),
        warmupMs: 1_000,
        durationMs: seconds * 1000,
        connections: run.connections,
      });
      const after = emulator.journal?.stats();
      const held = emulator.runtime.store.partition(ORG, 'prod').connections.size;
      const writesPerSecond = (result.writes / result.elapsedMs) * 1000;
      const syncs = before === undefined || after === undefined ? undefined : after.records - before.records;
      const changes = before === undefined || after === undefined ? undefined : after.changes - before.changes;
      phases.push({
        label: run.label,
        persistence: run.persistence,
        connections: run.connections,
        writesPerSecond: Math.round(writesPerSecond),
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        errors: result.errors,
        ...(syncs === undefined || changes === undefined
          ? {}
          : { syncs, writesPerSync: Math.round((changes / Math.max(1, syncs)) * 10) / 10 }),
      });
      await emulator.stop();
      if (run.persistence) {
        // every answered write (warm-up ones too) is in the data file after a restart
        const again = await startEmulator({ runScheduler: false, dataFile });
        const restored = again.runtime.store.partition(ORG, 'prod').connections.size;
        await again.stop();
        if (restored < held) allPresent = false;
      }
    }
  } finally {
    await loader.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const on = phases.find((p) => p.persistence && p.connections === connections)!;
  console.log(`emulator durability: ${seconds} s per phase, data directory under ${argValue('--dir') ?? tmpdir()}`);
  console.log(
    `  host: ${cpus().length} cpus, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const p of phases)
    console.log(
      `  ${p.label.padEnd(32)} ${String(p.connections).padStart(3)} conn  ${String(p.writesPerSecond).padStart(6)} writes/s  p50 ${p.p50Ms.toFixed(2)} ms  p99 ${p.p99Ms.toFixed(2)} ms  errors ${p.errors}${p.syncs === undefined ? '' : `  syncs ${p.syncs} (${p.writesPerSync} writes/sync)`}`,
    );
  console.log(
    `  writes/s with persistence on at ${connections} connections: ${on.writesPerSecond} (target >= ${TARGET_WPS}: ${on.writesPerSecond >= TARGET_WPS ? 'met' : 'missed'})`,
  );
  console.log(`  every answered write present after a restart: ${allPresent ? 'yes' : 'NO'}`);
  const report: EmulatorDurability = {
    phases,
    writesPerSecond: on.writesPerSecond,
    allAnsweredWritesPresent: allPresent,
  };
  console.log(JSON.stringify({ bench: 'emulatorDurability', ...report }));
}

if (process.argv.includes('--role=load')) serveCalls({ load: (plan: LoadPlan) => runLoad(plan) });
else await parent();
