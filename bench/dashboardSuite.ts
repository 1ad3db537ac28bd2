/**
 * Benchmark 1, the dashboard read: our API, the tutorial script (a), the best REST client (b)
 * and the API with batching off (c), on the same emulator in the same run, at each added
 * latency and size.
 */
import type { Credentials } from '../src/upstream/credentials.ts';
import type { DashboardVariant } from './clientProcess.ts';
import type { DashboardResult } from './dashboard.ts';
import { waves, type EmulatorControl } from './emulatorControl.ts';
import type { Child } from './rpc.ts';
import { summarize, type Summary } from './stats.ts';

export type Variant = 'api' | 'best' | 'naive' | 'tutorial';

export const VARIANT_LABEL: Record<Variant, string> = {
  api: 'API (GraphQL, batched)',
  best: '(b) best REST client',
  naive: '(c) GraphQL, no batching',
  tutorial: '(a) tutorial REST script',
};

export interface DashboardRow {
  latencyMs: number;
  n: number;
  pages: number;
  variant: Variant;
  runs: number;
  requests: Summary;
  wallMs: Summary;
  bytes: Summary;
  /** Dependent request waves seen in the emulator log (median). */
  waves: number;
  /** Critical path of dependent round trips x latency: 3 per page (flows, their links, the links' links), or every call for (a). */
  floorMs: number;
  digest: string;
}

export interface DashboardPlan {
  latencies: number[];
  sizes: number[];
  /** Measured runs per variant: (latency, n) -> runs; 0 skips. */
  runs: (latencyMs: number, n: number, variant: Variant) => number;
}

export interface DashboardDeps {
  emulator: EmulatorControl;
  client: Child;
  apiUrl: string;
  naiveUrl: string;
  credentials: Credentials;
  log: (line: string) => void;
}

const PAGE = 100;

function callArgs(
  d: DashboardDeps,
  variant: Variant,
  n: number,
): { variant: DashboardVariant; url: string; credentials: Credentials; n: number; pageSize: number } {
  const url = variant === 'api' ? d.apiUrl : variant === 'naive' ? d.naiveUrl : d.emulator.url;
  return {
    variant: variant === 'api' || variant === 'naive' ? 'graphql' : variant,
    url,
    credentials: d.credentials,
    n,
    pageSize: PAGE,
  };
}

export async function runDashboards(d: DashboardDeps, plan: DashboardPlan): Promise<DashboardRow[]> {
  const rows: DashboardRow[] = [];
  const variants: Variant[] = ['api', 'best', 'naive', 'tutorial'];
  for (const latencyMs of plan.latencies) {
    await d.emulator.setLatency(latencyMs);
    for (const n of plan.sizes) {
      const pages = Math.ceil(n / PAGE);
      for (const variant of variants) {
        const runs = plan.runs(latencyMs, n, variant);
        if (runs === 0) continue;
        // unmeasured runs at the first latency: connections open, JIT warm, the API's spec cache filled
        const warmups = latencyMs !== plan.latencies[0] ? 0 : n === plan.sizes[0] ? 5 : 1;
        for (let i = 0; i < warmups; i++) await d.client.call<DashboardResult>('dashboard', callArgs(d, variant, n));
        const wall: number[] = [];
        const bytes: number[] = [];
        const requests: number[] = [];
        const waveCounts: number[] = [];
        let digest = '';
        for (let i = 0; i < runs; i++) {
          const { result, requests: log } = await d.emulator.counting(() =>
            d.client.call<DashboardResult>('dashboard', callArgs(d, variant, n)),
          );
          if (result.flows !== n) throw new Error(`${variant} N=${n}: read ${result.flows} flows`);
          wall.push(result.wallMs);
          bytes.push(result.bytes);
          requests.push(log.length);
          waveCounts.push(waves(log));
          digest = result.digest;
        }
        const calls = summarize(requests).median;
        const row: DashboardRow = {
          latencyMs,
          n,
          pages,
          variant,
          runs,
          requests: summarize(requests),
          wallMs: summarize(wall),
          bytes: summarize(bytes),
          waves: summarize(waveCounts).median,
          floorMs: (variant === 'tutorial' ? calls : 3 * pages) * latencyMs,
          digest,
        };
        rows.push(row);
        d.log(
          `  ${String(latencyMs).padStart(2)} ms  N=${String(n).padEnd(3)} ${VARIANT_LABEL[variant].padEnd(26)} ${String(calls).padStart(5)} req  ${row.wallMs.median.toFixed(1).padStart(8)} ms p50  ${row.wallMs.p95.toFixed(1).padStart(8)} ms p95  (${runs} runs)`,
        );
      }
      const digests = new Set(rows.filter((r) => r.latencyMs === latencyMs && r.n === n).map((r) => r.digest));
      if (digests.size > 1)
        throw new Error(`N=${n}: the variants disagree on the dashboard (${[...digests].join(', ')})`);
    }
  }
  await d.emulator.setLatency(0);
  return rows;
}
