/**
 * The server child: runs one server under test (the API, the API with batching off, or
 * the bare pass-through) alone in its own process, so its CPU and memory are its own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../src/config.ts';
import { configureHeapGrowth } from '../src/heap.ts';
import type { RunFinishedEvent, Tenant } from '../src/live/runEvents.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { imsToken } from './benchOrg.ts';
import { startPassThrough } from './passThrough.ts';
import { serveCalls } from './rpc.ts';
import { benchApiEnv, memoryHandlers } from './childSide.mjs';

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

export type { MemorySample } from './childSide.mjs';

let stop: (() => Promise<void>) | undefined;
let api: RunningServer | undefined;
let profiler: Session | undefined;
let recorded: Array<{ runId: string; receivedAt: number }> = [];

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
  const env = benchApiEnv(args);
  const config = loadConfig(env);
  // as the entry point (src/main.ts) does before it serves
  configureHeapGrowth(config.heapGrowingPercent, env);
  // the production default (a line per operation at info), written where it costs a real write but prints nothing
  const devNull = openSync('/dev/null', 'w');
  const server = await startServer(config, {
    batching: args.kind !== 'api-nobatch',
    logDestination: { write: (line: string) => writeSync(devNull, line) },
  });
  api = server;
  stop = () => server.stop();
  return { url: server.url };
}

/** `/proc/<pid>/stat`'s utime and stime are in clock ticks: 100 per second on Linux. */
const TICK_MS = 10;

/**
 * This process's CPU time so far (ms) on its main thread and on all its other threads together
 * (V8's garbage collector and compiler threads, libuv's pool), from Linux's `/proc/self/task`;
 * undefined where there is none. Accurate to a clock tick per thread.
 */
function threadCpu(): { mainMs: number; otherMs: number } | undefined {
  if (!existsSync('/proc/self/task')) return undefined;
  let mainMs = 0;
  let otherMs = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended since the listing
    }
    // the fields after the command name, which is in parentheses and may hold spaces; utime and stime are the 14th and 15th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    if (tid === String(process.pid)) mainMs += ms;
    else otherMs += ms;
  }
  return { mainMs, otherMs };
}

serveCalls(
  {
    start,
    ...memoryHandlers,
    cpu() {
      return process.cpuUsage();
    },
    threadCpu,
    /** Subscribers of `tenant` the API has registered. */
    subscribers(args: Tenant): number {
      return api?.live.hub.subscribers(args) ?? 0;
    },
    /**
     * Records every later event of `tenant` on the API's bus, in the order subscribers get
     * them: its run id and `receivedAt` (the webhook delivery's arrival at the API).
     */
    recordRunEvents(args: Tenant) {
      recorded = [];
      api!.runEvents.subscribe(args, (e) => recorded.push({ runId: e.runId, receivedAt: e.receivedAt ?? Number.NaN }));
    },
    recordedRunEvents(): Array<{ runId: string; receivedAt: number }> {
      return recorded;
    },
    /** What the I/O Events webhook did with the deliveries it got. */
    ioEventsCounts() {
      return api!.ioEvents.counts;
    },
    /**
     * Publishes `events` on the API's run event bus at `perSecond`, each at its slot of a
     * fixed timetable; answers the wall-clock time (ms, sub-millisecond) of each publish.
     */
    async publishRunEvents(args: { events: RunFinishedEvent[]; perSecond: number }): Promise<number[]> {
      const bus = api!.runEvents;
      const times: number[] = [];
      const start = performance.now();
      for (const [i, event] of args.events.entries()) {
        const wait = start + (i * 1000) / args.perSecond - performance.now();
        if (wait > 0) await sleep(wait);
        const at = performance.timeOrigin + performance.now();
        times.push(at);
        await bus.publish({ ...event, finishedAt: Date.now(), receivedAt: at });
      }
      return times;
    },
    /** Starts a V8 CPU profile of this process, or stops it and writes it to `file` (.cpuprofile). */
    async profile(args: { file?: string }) {
      if (args.file === undefined) {
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
        return;
      }
      const { profile } = await profiler!.post('Profiler.stop');
      profiler!.disconnect();
      profiler = undefined;
      mkdirSync(dirname(args.file), { recursive: true });
      writeFileSync(args.file, JSON.stringify(profile));
    },
  },
  async () => {
    await stop?.();
  },
);
