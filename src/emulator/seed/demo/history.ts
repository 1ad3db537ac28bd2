import { advanceRuns, createRun, scheduleIntervalMs } from '../../runs/lifecycle.ts';
import { DEMO_CLIENT, HOUR_MS, type DemoContext } from './context.ts';
import { disableFlow, type DemoFlow } from './flows.ts';

/** Disabled demo flows ran on schedule until this long before seeding. */
const DISABLED_FOR_MS = 20 * HOUR_MS;

/**
 * The past runs of every demo flow, produced by the same lifecycle as live runs: one run
 * per schedule slot up to now (or until the flow was disabled), then every run whose
 * emulated duration has passed completes, writing its Catalog batch and `lastRunDetails`.
 */
export function seedRunHistory(ctx: DemoContext, flows: readonly DemoFlow[]): void {
  const { runtime, part, now } = ctx;
  for (const { def, flow } of flows) {
    const until = def.disabled === true ? now - DISABLED_FOR_MS : now;
    const startMs = Number(flow.scheduleParams?.startTime) * 1000;
    const intervalMs = scheduleIntervalMs(flow);
    if (def.onDemandNow === true) {
      const seconds = Math.floor(now / 1000);
      createRun(runtime, part, flow, {
        scheduledAt: now,
        clientId: DEMO_CLIENT,
        onDemand: true,
        params: { startTime: seconds, windowStartTime: seconds - 86_400, windowEndTime: seconds },
      });
    } else if (flow.scheduleParams?.frequency === 'once' && startMs <= until) {
      createRun(runtime, part, flow, { scheduledAt: startMs, clientId: DEMO_CLIENT, onDemand: false });
    } else if (intervalMs !== undefined) {
      for (let t = startMs; t <= until; t += intervalMs)
        createRun(runtime, part, flow, { scheduledAt: t, clientId: DEMO_CLIENT, onDemand: false });
    }
    if (def.disabled === true) disableFlow(flow, until);
  }
  advanceRuns(runtime, part);
}
