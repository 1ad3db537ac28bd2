/**
 * Benchmark 1b, the API's CPU per dashboard page: the dashboard query (bench/dashboard.ts)
 * for pages of 100 flows, one page at a time at 0 ms of added latency, with the server
 * process's CPU time (user + system, `process.cpuUsage()` in the server child) read before
 * and after a batch of pages. Warm-up pages come first (connections, JIT, the spec cache).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Credentials } from '../src/upstream/credentials.ts';
import type { DashboardResult } from './dashboard.ts';
import type { EmulatorControl } from './emulatorControl.ts';
import type { Child } from './rpc.ts';
import { summarize, type Summary } from './stats.ts';

export interface ExecutionCpuReport {
  pageSize: number;
  /** Pages read before the measured ones. */
  warmups: number;
  pages: number;
  /** Idle ms before each page (0: pages back to back, each batch one CPU reading). */
  gapMs: number;
  /** Server CPU per page over each batch (ms); the median is the figure. */
  cpuMsPerPage: Summary;
  /**
   * The server's CPU per page over all measured pages, split between its main thread and its
   * other threads (V8's garbage collector and compiler, libuv's pool); absent off Linux.
   */
  threadsMsPerPage?: { main: number; other: number };
  /** Wall time per page as the caller sees it (ms). */
  wallMsPerPage: Summary;
  upstreamPerPage: number;
}

export interface ExecutionCpuDeps {
  emulator: EmulatorControl;
  client: Child;
  api: { child: Child; url: string };
  credentials: Credentials;
  log: (line: string) => void;
  /** Where to write a CPU profile of the server over the measured pages (none when undefined). */
  profileFile?: string;
}

export interface ExecutionCpuOptions {
  warmups: number;
  /** Batches of `pagesPerBatch` pages; each batch is one CPU reading. */
  batches: number;
  pagesPerBatch: number;
  pageSize: number;
  /**
   * Idle ms before each measured page, as a dashboard that refreshes now and then reads them;
   * each page's CPU is then read around that page alone, so the idle time is not counted.
   */
  gapMs?: number;
}

export async function runExecutionCpu(d: ExecutionCpuDeps, o: ExecutionCpuOptions): Promise<ExecutionCpuReport> {
  const gapMs = o.gapMs ?? 0;
  await d.emulator.setLatency(0);
  const page = () =>
    d.client.call<DashboardResult>('dashboard', {
      variant: 'graphql',
      url: d.api.url,
      credentials: d.credentials,
      n: o.pageSize,
      pageSize: o.pageSize,
    });
  for (let i = 0; i < o.warmups; i++) await page();
  const { requests } = await d.emulator.counting(page);
  const cpu: number[] = [];
  const wall: number[] = [];
  if (d.profileFile !== undefined) await d.api.child.call('profile', {});
  type ThreadCpu = { mainMs: number; otherMs: number } | undefined;
  const threads0 = await d.api.child.call<ThreadCpu>('threadCpu');
  for (let b = 0; b < o.batches; b++) {
    let used = 0;
    let cpu0 = await d.api.child.call<NodeJS.CpuUsage>('cpu');
    for (let i = 0; i < o.pagesPerBatch; i++) {
      if (gapMs > 0) {
        await sleep(gapMs);
        cpu0 = await d.api.child.call<NodeJS.CpuUsage>('cpu');
      }
      const r = await page();
      if (r.flows !== o.pageSize) throw new Error(`dashboard page read ${r.flows} flows, not ${o.pageSize}`);
      wall.push(r.wallMs);
      if (gapMs > 0 || i === o.pagesPerBatch - 1) {
        const cpu1 = await d.api.child.call<NodeJS.CpuUsage>('cpu');
        used += cpu1.user + cpu1.system - cpu0.user - cpu0.system;
      }
    }
    cpu.push(used / 1000 / o.pagesPerBatch);
  }
  const threads1 = await d.api.child.call<ThreadCpu>('threadCpu');
  const pages = o.batches * o.pagesPerBatch;
  // with a gap, the idle time between pages is counted here too: its threads' CPU is small, but not nothing
  const threadsMsPerPage =
    threads0 === undefined || threads1 === undefined
      ? undefined
      : { main: (threads1.mainMs - threads0.mainMs) / pages, other: (threads1.otherMs - threads0.otherMs) / pages };
  if (d.profileFile !== undefined) {
    await d.api.child.call('profile', { file: d.profileFile });
    d.log(`  CPU profile of the measured pages: ${d.profileFile}`);
  }
  const report: ExecutionCpuReport = {
    pageSize: o.pageSize,
    warmups: o.warmups,
    pages,
    gapMs,
    cpuMsPerPage: summarize(cpu),
    ...(threadsMsPerPage === undefined ? {} : { threadsMsPerPage }),
    wallMsPerPage: summarize(wall),
    upstreamPerPage: requests.length,
  };
  d.log(
    `  ${report.pages} pages of ${o.pageSize}${gapMs > 0 ? `, ${gapMs} ms apart` : ''}: server CPU ${report.cpuMsPerPage.median.toFixed(2)} ms/page (batches ${report.cpuMsPerPage.min.toFixed(2)}-${report.cpuMsPerPage.max.toFixed(2)}), wall p50 ${report.wallMsPerPage.median.toFixed(1)} ms, ${report.upstreamPerPage} upstream/page${threadsMsPerPage === undefined ? '' : `; main thread ${threadsMsPerPage.main.toFixed(1)} ms/page, other threads ${threadsMsPerPage.other.toFixed(1)}`}`,
  );
  return report;
}
