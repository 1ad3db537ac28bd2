/**
 * Benchmark 2: createDataflow (new target schema and dataset) at an added latency, spec
 * caches warm, against the seven sequential tutorial calls. Runs in the emulator's demo
 * org (pass-through credentials), so the writes never touch the dashboard's org.
 */
import type { Credentials } from '../src/upstream/credentials.ts';
import type { CreateResult } from './createDataflowBench.ts';
import { waves, type EmulatorControl } from './emulatorControl.ts';
import type { Child } from './rpc.ts';
import { ratio, summarize, type Summary } from './stats.ts';

/** Validation reads, then schema -> dataset -> target connection -> flow. */
export const CREATE_CRITICAL_PATH = 5;
export const TUTORIAL_CALLS = 7;

export interface CreateRow {
  variant: 'api' | 'sequential';
  runs: number;
  wallMs: Summary;
  requests: Summary;
  waves: number;
  /** Median wall time / added latency. */
  roundTrips: number;
}

export interface CreateReport {
  latencyMs: number;
  api: CreateRow;
  sequential: CreateRow;
  /** API median / sequential median. */
  ratio: number;
  /** Critical path x latency. */
  floorMs: number;
}

export interface CreateDeps {
  emulator: EmulatorControl;
  client: Child;
  apiUrl: string;
  credentials: Credentials;
  baseConnectionId: string;
  connectionSpecId: string;
  log: (line: string) => void;
}

export async function runCreate(d: CreateDeps, options: { latencyMs: number; runs: number }): Promise<CreateReport> {
  let attempt = 0;
  const call = (variant: 'api' | 'sequential') =>
    d.client.call<CreateResult>('create', {
      variant: variant === 'api' ? 'graphql' : 'sequential',
      url: variant === 'api' ? d.apiUrl : d.emulator.url,
      credentials: d.credentials,
      baseConnectionId: d.baseConnectionId,
      connectionSpecId: d.connectionSpecId,
      tag: `${process.pid}-${++attempt}`,
    });
  await d.emulator.setLatency(0);
  // warm: the API's spec cache for this org, its connections, the JIT
  for (let i = 0; i < 3; i++) {
    await call('api');
    await call('sequential');
  }
  await d.emulator.setLatency(options.latencyMs);
  const measured = {
    api: { wall: [] as number[], req: [] as number[], waves: [] as number[] },
    sequential: { wall: [] as number[], req: [] as number[], waves: [] as number[] },
  };
  for (let i = 0; i < options.runs; i++) {
    for (const variant of ['api', 'sequential'] as const) {
      const { result, requests } = await d.emulator.counting(() => call(variant));
      measured[variant].wall.push(result.wallMs);
      measured[variant].req.push(requests.length);
      measured[variant].waves.push(waves(requests));
    }
  }
  await d.emulator.setLatency(0);
  const row = (variant: 'api' | 'sequential'): CreateRow => {
    const wallMs = summarize(measured[variant].wall);
    return {
      variant,
      runs: options.runs,
      wallMs,
      requests: summarize(measured[variant].req),
      waves: summarize(measured[variant].waves).median,
      roundTrips: Math.round((wallMs.median / options.latencyMs) * 100) / 100,
    };
  };
  const report: CreateReport = {
    latencyMs: options.latencyMs,
    api: row('api'),
    sequential: row('sequential'),
    ratio: 0,
    floorMs: CREATE_CRITICAL_PATH * options.latencyMs,
  };
  report.ratio = ratio(report.api.wallMs.median, report.sequential.wallMs.median);
  for (const r of [report.api, report.sequential]) {
    d.log(
      `  ${r.variant.padEnd(10)} ${r.requests.median} req, ${r.waves} waves, ${r.wallMs.median.toFixed(1)} ms p50, ${r.wallMs.p95.toFixed(1)} ms p95, ${r.roundTrips} round trips`,
    );
  }
  return report;
}
