/**
 * Benchmark 4, memory: a fresh API process, from the compiled build as deployed, serves rounds of `users` concurrent dashboard
 * loads of N flows (pages of 100 followed by cursor). Per round: the peak RSS sampled while
 * serving, and RSS and heap after a forced GC once the round is over (growth across rounds
 * means something is kept).
 */
import type { EmulatorControl } from './emulatorControl.ts';
import type { Child } from './rpc.ts';
import type { MemorySample, ServerKind, StartArgs } from './serverProcess.ts';

export interface MemoryRound {
  round: number;
  wallMs: number;
  pages: number;
  errors: number;
  /** The server's CPU time (user + system) per page while it served the round. */
  cpuMsPerPage: number;
  peakRssMb: number;
  /** V8 heap (used of total) and memory outside it when that peak was sampled. */
  atPeak: { heapUsedMb: number; heapTotalMb: number; externalMb: number } | undefined;
  rssAfterGcMb: number;
  heapAfterGcMb: number;
}

export interface MemoryReport {
  latencyMs: number;
  users: number;
  n: number;
  baselineRssMb: number;
  rounds: MemoryRound[];
  peakRssMb: number;
  /** Heap after GC, last round minus the second (the first warms caches and code; the first when there are only two). */
  heapGrowthMb: number;
  /** Peak RSS, mean of the last three rounds minus mean of rounds 2-4. */
  peakGrowthMb: number;
  /** The server's CPU per page, mean over the rounds after the first (which warms code). */
  cpuMsPerPage: number;
}

export interface MemoryDeps {
  emulator: EmulatorControl;
  client: Child;
  /** `compiled`: the API from the compiled build, run by node without tsx (bench/compiledServer.mjs). */
  startServer: (
    kind: ServerKind,
    execArgv?: string[],
    orgId?: string,
    compiled?: boolean,
  ) => Promise<{ child: Child; url: string; args: StartArgs }>;
  trimLog: () => void;
  log: (line: string) => void;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export async function runMemory(
  d: MemoryDeps,
  options: { rounds: number; users: number; n: number; latencyMs: number },
): Promise<MemoryReport> {
  await d.emulator.setLatency(options.latencyMs);
  const { child, url } = await d.startServer('api', ['--expose-gc'], undefined, true);
  const trim = setInterval(d.trimLog, 500);
  try {
    const baseline = await child.call<MemorySample>('memory', { gc: true });
    const rounds: MemoryRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const { cpuMicros } = await child.call<{ cpuMicros: number }>('sample', { intervalMs: 10 });
      const r = await d.client.call<{ wallMs: number; errors: number; pages: number }>('dashboardRound', {
        url,
        users: options.users,
        n: options.n,
        pageSize: 100,
      });
      const during = await child.call<MemorySample>('memory', { gc: false });
      await child.call('sample', { intervalMs: 0 });
      const after = await child.call<MemorySample>('memory', { gc: true });
      const p = during.atPeak;
      const atPeak =
        p === undefined
          ? undefined
          : { heapUsedMb: mb(p.heapUsed), heapTotalMb: mb(p.heapTotal), externalMb: mb(p.external) };
      const row: MemoryRound = {
        round,
        wallMs: r.wallMs,
        pages: r.pages,
        errors: r.errors,
        cpuMsPerPage: Math.round((during.cpuMicros - cpuMicros) / 10 / Math.max(1, r.pages)) / 100,
        peakRssMb: mb(during.peakRss),
        atPeak,
        rssAfterGcMb: mb(after.rss),
        heapAfterGcMb: mb(after.heapUsed),
      };
      rounds.push(row);
      d.log(
        `  round ${String(round).padStart(2)}: ${(r.wallMs / 1000).toFixed(2)} s, ${r.pages} pages, ${r.errors} errors, ${row.cpuMsPerPage} ms CPU/page, peak RSS ${row.peakRssMb} MB (heap ${atPeak?.heapUsedMb}/${atPeak?.heapTotalMb} MB), after GC RSS ${row.rssAfterGcMb} MB heap ${row.heapAfterGcMb} MB`,
      );
    }
    const second = rounds[rounds.length > 2 ? 1 : 0]!;
    const last = rounds[rounds.length - 1]!;
    const early = rounds.slice(1, 4).map((r) => r.peakRssMb);
    const late = rounds.slice(-3).map((r) => r.peakRssMb);
    return {
      latencyMs: options.latencyMs,
      users: options.users,
      n: options.n,
      baselineRssMb: mb(baseline.rss),
      rounds,
      peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
      heapGrowthMb: Math.round((last.heapAfterGcMb - second.heapAfterGcMb) * 10) / 10,
      peakGrowthMb: Math.round((mean(late) - mean(early)) * 10) / 10,
      cpuMsPerPage: Math.round(mean(rounds.slice(rounds.length > 1 ? 1 : 0).map((r) => r.cpuMsPerPage)) * 100) / 100,
    };
  } finally {
    clearInterval(trim);
    await d.emulator.setLatency(0);
    await child.stop();
  }
}
