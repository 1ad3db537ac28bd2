/**
 * The server child: runs one server under test (the API, the API with batching off, or
 * the bare pass-through) alone in its own process, so its CPU and memory are its own.
 */
import { openSync, writeSync } from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { imsToken } from './benchOrg.ts';
import { startPassThrough } from './passThrough.ts';
import { serveCalls } from './rpc.ts';

export type ServerKind = 'api' | 'api-nobatch' | 'passthrough';

export interface StartArgs {
  kind: ServerKind;
  emulatorUrl: string;
  /** The org the server's own credentials act in. */
  orgId: string;
  clientId: string;
  /** MAX_OBJECTS_IN_FLIGHT; the API's default when absent. */
  maxObjectsInFlight?: number;
  /** Further configuration of the API, as environment variables. */
  env?: Record<string, string>;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Highest RSS sampled since `sample` started sampling. */
  peakRss: number;
  /** `process.memoryUsage()` when that peak was sampled. */
  atPeak: NodeJS.MemoryUsage | undefined;
}

let stop: (() => Promise<void>) | undefined;
let peakRss = 0;
let atPeak: NodeJS.MemoryUsage | undefined;
/** Reading RSS is a syscall worth ~0.1-0.5 ms: sample only while the memory benchmark asks for it. */
let sampler: NodeJS.Timeout | undefined;

async function start(args: StartArgs): Promise<{ url: string }> {
  if (args.kind === 'passthrough') {
    const token = await imsToken(args.emulatorUrl, args.clientId);
    const pt = await startPassThrough({
      platformUrl: args.emulatorUrl,
      headers: {
        authorization: `Bearer ${token}`,
        'x-api-key': args.clientId,
        'x-gw-ims-org-id': args.orgId,
        'x-sandbox-name': 'prod',
      },
      connections: 32,
    });
    stop = () => pt.stop();
    return { url: pt.url };
  }
  // server-credential mode in the bench org, reaching the emulator only through its URLs
  const config = loadConfig({
    PORT: '0',
    PLATFORM_URL: args.emulatorUrl,
    STREAMING_URL: args.emulatorUrl,
    IMS_URL: args.emulatorUrl,
    IMS_CLIENT_ID: args.clientId,
    IMS_CLIENT_SECRET: 'bench-secret',
    IMS_ORG_ID: args.orgId,
    ALLOW_ANONYMOUS: 'true',
    ...(args.maxObjectsInFlight === undefined ? {} : { MAX_OBJECTS_IN_FLIGHT: String(args.maxObjectsInFlight) }),
    ...args.env,
  });
  // the production default (a line per operation at info), written where it costs a real write but prints nothing
  const devNull = openSync('/dev/null', 'w');
  const server = await startServer(config, {
    batching: args.kind !== 'api-nobatch',
    logDestination: { write: (line: string) => writeSync(devNull, line) },
  });
  stop = () => server.stop();
  return { url: server.url };
}

serveCalls(
  {
    start,
    memory(args: { gc?: boolean }): MemorySample {
      if (args.gc === true) globalThis.gc?.();
      const m = process.memoryUsage();
      return { ...m, peakRss: Math.max(peakRss, m.rss), atPeak };
    },
    /** Starts sampling RSS every `intervalMs` (0 stops) and resets the peak. */
    sample(args: { intervalMs: number }) {
      clearInterval(sampler);
      sampler = undefined;
      peakRss = process.memoryUsage.rss();
      atPeak = undefined;
      if (args.intervalMs > 0) {
        sampler = setInterval(() => {
          const rss = process.memoryUsage.rss();
          if (rss > peakRss) {
            peakRss = rss;
            atPeak = process.memoryUsage();
          }
        }, args.intervalMs);
        sampler.unref();
      }
    },
    cpu() {
      return process.cpuUsage();
    },
  },
  async () => {
    await stop?.();
  },
);
