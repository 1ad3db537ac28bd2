/**
 * Fleet scale: the emulator's list routes at 500 and at N flows (latency 0, ms per request, the
 * two sizes' requests alternating),
 * then the fleet views through the API at N flows and 50 ms of added latency: fleetHealth,
 * a health-filtered flows page with totalCount, a plain page with totalCount, and a
 * nameContains page that matches nothing (read whole in createdAt ranges, as health is; it read
 * one upstream page after another before, the layout fleetHealth had).
 * Dependent round trips are counted twice: as request waves in the emulator's log, and as
 * wall time / latency (which also counts the CPU both sides spend, so it is the larger).
 */
import { postGraphql } from './dashboard.ts';
import { waves, type EmulatorControl } from './emulatorControl.ts';
import { summarize } from './stats.ts';

const FS = '/data/foundation/flowservice';
/** Requests of each size before the timed ones: the texts of the pages' flows written, the routes compiled. */
const WARMUP = 10;

export interface EmulatorLookup {
  label: string;
  /** Median ms per request at 500 flows and at the fleet's size. */
  small: number;
  large: number;
}

export interface FleetView {
  label: string;
  requests: number;
  waves: number;
  wallMs: number;
  /** wall time / latency, rounded up. */
  roundTrips: number;
}

export interface FleetReport {
  flows: number;
  smallFlows: number;
  latencyMs: number;
  lookups: EmulatorLookup[];
  views: FleetView[];
}

export interface FleetDeps {
  emulator: EmulatorControl;
  apiUrl: string;
  /** Platform GETs of the 500-flow org and of the fleet org. */
  smallGet: (path: string) => Promise<unknown>;
  largeGet: (path: string) => Promise<unknown>;
  smallFlowIds: string[];
  largeFlowIds: string[];
  log: (line: string) => void;
}

export interface FleetPlan {
  latencyMs: number;
  /** Requests timed per lookup and size. */
  lookupRuns: number;
  /** Measured calls per fleet view. */
  viewRuns: number;
}

/**
 * Median ms per request of `a` and of `b`, their requests alternating (after WARMUP of each
 * to warm up), so a change in the machine's load falls on both alike.
 */
async function timeBoth(
  runs: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
): Promise<[number, number]> {
  const ms: [number[], number[]] = [[], []];
  for (let i = 0; i < runs + WARMUP; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const t0 = performance.now();
      await fn(i);
      if (i >= WARMUP) ms[k]!.push(performance.now() - t0);
    }
  }
  return [summarize(ms[0]).median, summarize(ms[1]).median];
}

const LOOKUPS: Array<{ label: string; path: (ids: string[], i: number) => string }> = [
  { label: 'flows page, newest first', path: () => `${FS}/flows?orderby=-createdAt&limit=100` },
  { label: 'flows count', path: () => `${FS}/flows?count=true` },
  {
    label: 'flows multi-get of 100 ids',
    path: (ids, i) => `${FS}/flows?property=id==${ids.slice(i % 5, (i % 5) + 100).join(',')}`,
  },
  {
    label: 'runs of one flow, newest first',
    path: (ids, i) => `${FS}/runs?property=flowId==${ids[i % ids.length]}&orderby=-createdAt&limit=100`,
  },
  {
    label: 'runs multi-get of 100 flows',
    path: (ids, i) => `${FS}/runs?property=flowId==${ids.slice(i % 5, (i % 5) + 100).join(',')}`,
  },
];

const VIEWS: Array<{ label: string; query: string }> = [
  {
    label: 'fleetHealth',
    query: `{ fleetHealth { total byHealth { health count } bySourceConnectionSpec { connectionSpecId count } } }`,
  },
  {
    label: 'flows(health: FAILING) first 100 + totalCount',
    query: `{ flows(first: 100, filter: { health: FAILING }) { totalCount nodes { id name } } }`,
  },
  { label: 'flows first 100 + totalCount (no health)', query: `{ flows(first: 100) { totalCount nodes { id } } }` },
  {
    label: 'flows(nameContains matching none) first 100',
    query: `{ flows(first: 100, filter: { nameContains: "no flow is named this" }) { nodes { id } } }`,
  },
];

export async function runFleet(d: FleetDeps, plan: FleetPlan): Promise<FleetReport> {
  await d.emulator.setLatency(0);
  const lookups: EmulatorLookup[] = [];
  for (const l of LOOKUPS) {
    const [small, large] = await timeBoth(
      plan.lookupRuns,
      (i) => d.smallGet(l.path(d.smallFlowIds, i)),
      (i) => d.largeGet(l.path(d.largeFlowIds, i)),
    );
    lookups.push({ label: l.label, small, large });
    d.log(
      `  emulator ${l.label.padEnd(34)} ${small.toFixed(2).padStart(7)} ms at ${d.smallFlowIds.length}, ${large.toFixed(2).padStart(7)} ms at ${d.largeFlowIds.length}`,
    );
  }
  const views: FleetView[] = [];
  await d.emulator.setLatency(plan.latencyMs);
  try {
    for (const v of VIEWS) {
      await postGraphql(d.apiUrl, v.query, {}); // warm: connections open, specs cached
      const walls: number[] = [];
      const waveCounts: number[] = [];
      let requests = 0;
      for (let i = 0; i < plan.viewRuns; i++) {
        const { result, requests: log } = await d.emulator.counting(async () => {
          const t0 = performance.now();
          await postGraphql(d.apiUrl, v.query, {});
          return performance.now() - t0;
        });
        walls.push(result);
        waveCounts.push(waves(log));
        requests = log.length;
      }
      const wallMs = summarize(walls).median;
      const view: FleetView = {
        label: v.label,
        requests,
        waves: summarize(waveCounts).median,
        wallMs,
        roundTrips: Math.ceil(wallMs / plan.latencyMs),
      };
      views.push(view);
      d.log(
        `  ${v.label.padEnd(52)} ${String(requests).padStart(4)} req  ${String(view.waves).padStart(3)} waves  ${wallMs.toFixed(0).padStart(6)} ms = ${view.roundTrips} x ${plan.latencyMs} ms`,
      );
    }
  } finally {
    await d.emulator.setLatency(0);
  }
  return {
    flows: d.largeFlowIds.length,
    smallFlows: d.smallFlowIds.length,
    latencyMs: plan.latencyMs,
    lookups,
    views,
  };
}
