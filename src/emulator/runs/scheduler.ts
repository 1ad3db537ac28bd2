import type { FlowDto } from '../../upstream/flowService/types.ts';
import type { EmulatorLog } from '../log.ts';
import type { EmulatorRuntime } from '../runtime.ts';
import type { Partition } from '../store.ts';
import { advanceRuns, createRun, scheduleIntervalMs } from './lifecycle.ts';

/** Real milliseconds between two scheduler ticks; emulated time advances by this × timeScale. */
const TICK_MS = 250;
/** A flow whose schedule fell far behind (backfill over months) gets only its newest slots. */
export const DEFAULT_BACKLOG_CAP = 50;

interface Cursor {
  /** The schedule the cursor was computed for; a PATCH of the schedule recomputes it. */
  key: string;
  startMs: number;
  intervalMs: number;
  /** Emulated time of the last slot produced (or skipped while disabled); -Infinity for none. */
  lastMs: number;
}

/** Per partition: flow id → cursor. Rebuilt from the run history when a partition is new to us. */
const cursors = new WeakMap<Partition, Map<string, Cursor>>();

function cursorsOf(part: Partition): Map<string, Cursor> {
  let map = cursors.get(part);
  if (map === undefined) {
    map = new Map();
    cursors.set(part, map);
  }
  return map;
}

/** The newest schedule slot (window end, epoch ms) each flow already has a run for. */
function lastSlotsFromHistory(part: Partition): Map<string, number> {
  const last = new Map<string, number>();
  for (const run of part.runs.values()) {
    const end = Number(run.params?.windowEndTime) * 1000;
    if (Number.isFinite(end) && end > (last.get(run.flowId) ?? -Infinity)) last.set(run.flowId, end);
  }
  return last;
}

function backfillOf(flow: FlowDto): boolean {
  const b = flow.scheduleParams?.backfill;
  return b === undefined || b === true || b === 'true';
}

function newCursor(
  flow: FlowDto,
  key: string,
  startMs: number,
  intervalMs: number,
  previousMs: number | undefined,
): Cursor {
  // Without backfill the first run is the first slot at or after the flow's creation.
  const lastMs = previousMs ?? (backfillOf(flow) ? -Infinity : flow.createdAt - 1);
  return { key, startMs, intervalMs, lastMs };
}

/**
 * Creates the runs of every enabled scheduled flow whose slots (`startTime` + k·interval)
 * have passed since its last produced run, at most `maxPerFlow` (the newest) per flow.
 * Disabled flows skip their slots. Returns whether it created anything.
 */
export function produceScheduledRuns(
  runtime: EmulatorRuntime,
  part: Partition,
  maxPerFlow = DEFAULT_BACKLOG_CAP,
): boolean {
  const now = runtime.clock.now();
  const map = cursorsOf(part);
  let history: Map<string, number> | undefined;
  let changed = false;
  for (const flow of part.flows.values()) {
    const intervalMs = scheduleIntervalMs(flow);
    if (intervalMs === undefined) continue;
    const startMs = Number(flow.scheduleParams?.startTime) * 1000;
    if (!Number.isFinite(startMs) || now < startMs) continue;
    const key = `${startMs}|${intervalMs}|${backfillOf(flow)}`;
    let cursor = map.get(flow.id);
    if (cursor === undefined || cursor.key !== key) {
      if (cursor === undefined) history ??= lastSlotsFromHistory(part);
      cursor = newCursor(flow, key, startMs, intervalMs, cursor?.lastMs ?? history?.get(flow.id));
      map.set(flow.id, cursor);
    }
    const dueK = Math.floor((now - startMs) / intervalMs);
    const firstK = cursor.lastMs === -Infinity ? 0 : Math.floor((cursor.lastMs - startMs) / intervalMs) + 1;
    if (dueK < firstK) continue;
    const dueMs = startMs + dueK * intervalMs;
    if (flow.state === 'enabled') {
      for (let k = Math.max(firstK, dueK - maxPerFlow + 1); k <= dueK; k++) {
        createRun(runtime, part, flow, {
          scheduledAt: startMs + k * intervalMs,
          clientId: flow.createdClient,
          onDemand: false,
        });
      }
      changed = true;
    }
    cursor.lastMs = dueMs;
  }
  if (map.size > part.flows.size * 2 + 16) for (const id of map.keys()) if (!part.flows.has(id)) map.delete(id);
  return changed;
}

/** One pass over every partition: new scheduled runs, then due transitions. */
export function tickRuns(runtime: EmulatorRuntime, maxPerFlow = DEFAULT_BACKLOG_CAP): boolean {
  let changed = false;
  for (const part of runtime.store.allPartitions()) {
    if (produceScheduledRuns(runtime, part, maxPerFlow)) changed = true;
    if (advanceRuns(runtime, part)) changed = true;
  }
  return changed;
}

/**
 * Background production of scheduled runs, on an unref'd timer so it never keeps the
 * process alive. What a tick changes reaches the journal through the store.
 */
export function startRunScheduler(runtime: EmulatorRuntime, log: EmulatorLog): { stop(): void } {
  const timer = setInterval(() => {
    try {
      tickRuns(runtime);
    } catch (err) {
      // A broken record must not kill the timer (an exception here would crash the process).
      log.error({ err }, 'run scheduler tick failed');
    }
  }, TICK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
