import type { FlowDto } from '../../upstream/flowService/types.ts';
import type { FlowHealthValue } from '../models.ts';
import { scheduleTimes, type ScheduleTimes } from '../../upstream/flowService/wire.ts';

/** The schedule in ms, or undefined for streaming flows and unreadable schedules. */
export const flowScheduleTimes = (flow: FlowDto): ScheduleTimes | undefined => scheduleTimes(flow.scheduleParams);

/** The last time the schedule fired at or before `now`. */
function lastFire(t: ScheduleTimes, now: number): number | undefined {
  if (t.periodMs === undefined || now < t.startMs) return undefined;
  return t.startMs + Math.floor((now - t.startMs) / t.periodMs) * t.periodMs;
}

/** How many times the schedule fired in (after, now]. */
function firesSince(t: ScheduleTimes, after: number, now: number): number {
  const last = lastFire(t, now);
  if (last === undefined || t.periodMs === undefined || last <= after) return 0;
  const first =
    after < t.startMs ? t.startMs : t.startMs + (Math.floor((after - t.startMs) / t.periodMs) + 1) * t.periodMs;
  return first > last ? 0 : Math.floor((last - first) / t.periodMs) + 1;
}

export function nextRunAt(flow: FlowDto, now: number): number | null {
  if (flow.state !== 'enabled') return null;
  const t = flowScheduleTimes(flow);
  if (t === undefined || t.periodMs === undefined)
    return t !== undefined && t.startMs > now && flow.lastRunDetails === undefined ? t.startMs : null;
  if (now < t.startMs) return t.startMs;
  return lastFire(t, now)! + t.periodMs;
}

/** The point lateness is measured from: the start of the last completed run, else just before the schedule's start. */
function reference(flow: FlowDto, t: ScheduleTimes): number {
  return flow.lastRunDetails?.startedAtUTC ?? t.startMs - 1;
}

/** Seconds the flow is behind its schedule; 0 when it keeps up, null without a recurring schedule. */
export function lagSeconds(flow: FlowDto, now: number): number | null {
  const t = flowScheduleTimes(flow);
  if (flow.state !== 'enabled' || t === undefined || t.periodMs === undefined) return null;
  if (firesSince(t, reference(flow, t), now) < 2) return 0;
  const last = lastFire(t, now)!;
  return Math.max(0, Math.round((last - Math.max(reference(flow, t), t.startMs)) / 1000));
}

/** The rules documented on the FlowHealth enum, in their order of precedence. */
export function flowHealth(flow: FlowDto, now: number): FlowHealthValue {
  if (flow.state !== 'enabled') return 'DISABLED';
  if (flow.lastRunDetails?.state === 'failed') return 'FAILING';
  const t = flowScheduleTimes(flow);
  if (t !== undefined && t.periodMs !== undefined && firesSince(t, reference(flow, t), now) >= 2) return 'LATE';
  // streaming flows have no schedule and may report no runs at all
  return flow.lastRunDetails === undefined && t !== undefined ? 'NEVER_RUN' : 'HEALTHY';
}
