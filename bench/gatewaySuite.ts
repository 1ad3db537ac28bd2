/**
 * Benchmark 3, gateway overhead at 0 ms added latency: `flow(id)` with two nested links
 * (source connections, their base connection: three dependent Flow Service multi-gets)
 * through the API, against a bare undici pass-through making the same upstream calls.
 * Both servers run, each in its own child; the load comes from the client child. One-client
 * latency is measured in alternating slices, so a busy moment of the shared machine hits
 * both alike; throughput is measured one server at a time, the other idle.
 */
import type { EmulatorControl } from './emulatorControl.ts';
import type { LoadResult } from './load.ts';
import type { Child } from './rpc.ts';
import type { ServerKind, StartArgs } from './serverProcess.ts';
import { ratio, summarize } from './stats.ts';

type Server = 'api' | 'passthrough';

export interface GatewayRow {
  server: Server;
  /** Closed loop, `concurrency` clients. */
  loaded: LoadResult;
  /** One client, one request at a time: medians over the slices. */
  unloaded: { p50Ms: number; p95Ms: number; requests: number; errors: number; slices: number };
  /** Server process CPU per request under load (user + system). */
  cpuMsPerRequest: number;
  /** Upstream requests per call, from the emulator's log. */
  upstreamPerCall: number;
}

export interface GatewayReport {
  concurrency: number;
  api: GatewayRow;
  passthrough: GatewayRow;
  throughputRatio: number;
  /** API p50 - pass-through p50, one client. */
  addedP50Ms: number;
  /** The same under load (by Little's law it follows the throughput ratio). */
  addedP50LoadedMs: number;
}

export interface GatewayDeps {
  emulator: EmulatorControl;
  client: Child;
  startServer: (kind: ServerKind) => Promise<{ child: Child; url: string; args: StartArgs }>;
  flowIds: string[];
  /** Keeps the emulator's request log from growing during load. */
  trimLog: () => void;
  log: (line: string) => void;
}

export interface GatewayOptions {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** One-client slices per server, and the length of each. */
  slices: number;
  sliceMs: number;
}

const KIND: Record<Server, 'graphql' | 'passthrough'> = { api: 'graphql', passthrough: 'passthrough' };

export async function runGateway(d: GatewayDeps, o: GatewayOptions): Promise<GatewayReport> {
  await d.emulator.setLatency(0);
  const servers = { passthrough: await d.startServer('passthrough'), api: await d.startServer('api') };
  const trim = setInterval(d.trimLog, 500);
  try {
    const load = (server: Server, concurrency: number, warmupMs: number, durationMs: number) =>
      d.client.call<LoadResult>('load', {
        kind: KIND[server],
        url: servers[server].url,
        flowIds: d.flowIds,
        concurrency,
        warmupMs,
        durationMs,
      });
    const upstream: Record<string, number> = {};
    for (const server of ['passthrough', 'api'] as const) {
      const { requests } = await d.emulator.counting(() =>
        d.client.call('load', {
          kind: KIND[server],
          url: servers[server].url,
          flowIds: d.flowIds.slice(0, 1),
          concurrency: 1,
          warmupMs: 0,
          durationMs: 1,
        }),
      );
      upstream[server] = requests.length;
      await load(server, o.concurrency, 0, o.warmupMs);
    }
    const slices: Record<Server, LoadResult[]> = { api: [], passthrough: [] };
    for (let i = 0; i < o.slices; i++) {
      for (const server of i % 2 === 0 ? (['passthrough', 'api'] as const) : (['api', 'passthrough'] as const))
        slices[server].push(await load(server, 1, 100, o.sliceMs));
    }
    const rows: Partial<Record<Server, GatewayRow>> = {};
    for (const server of ['passthrough', 'api'] as const) {
      const cpu0 = await servers[server].child.call<NodeJS.CpuUsage>('cpu');
      const loaded = await load(server, o.concurrency, 0, o.durationMs);
      const cpu1 = await servers[server].child.call<NodeJS.CpuUsage>('cpu');
      const cpuMsPerRequest =
        (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000 / Math.max(1, loaded.requests + loaded.errors);
      const s = slices[server];
      const unloaded = {
        p50Ms: summarize(s.map((x) => x.p50Ms)).median,
        p95Ms: summarize(s.map((x) => x.p95Ms)).median,
        requests: s.reduce((n, x) => n + x.requests, 0),
        errors: s.reduce((n, x) => n + x.errors, 0),
        slices: s.length,
      };
      rows[server] = { server, loaded, unloaded, cpuMsPerRequest, upstreamPerCall: upstream[server]! };
      d.log(
        `  ${server.padEnd(12)} ${loaded.rps.toFixed(0).padStart(6)} req/s at ${o.concurrency} (p50 ${loaded.p50Ms.toFixed(2)} ms, p99 ${loaded.p99Ms.toFixed(2)} ms, ${loaded.errors} errors), 1 client p50 ${unloaded.p50Ms.toFixed(2)} ms, ${cpuMsPerRequest.toFixed(3)} ms CPU/req, ${upstream[server]} upstream/call`,
      );
    }
    const api = rows.api!;
    const passthrough = rows.passthrough!;
    return {
      concurrency: o.concurrency,
      api,
      passthrough,
      throughputRatio: ratio(api.loaded.rps, passthrough.loaded.rps),
      addedP50Ms: Math.round((api.unloaded.p50Ms - passthrough.unloaded.p50Ms) * 1000) / 1000,
      addedP50LoadedMs: Math.round((api.loaded.p50Ms - passthrough.loaded.p50Ms) * 1000) / 1000,
    };
  } finally {
    clearInterval(trim);
    d.trimLog();
    await Promise.all([servers.api.child.stop(), servers.passthrough.child.stop()]);
  }
}
