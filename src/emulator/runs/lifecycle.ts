import type { FlowDto, RunActivityDto, RunDto, RunStatus } from '../../upstream/flowService/types.ts';
import { newEtag } from '../ids.ts';
import type { EmulatorRuntime } from '../runtime.ts';
import { SOURCE_KIND, type SourceKind } from '../seed/connectionSpecs.ts';
import type { Partition } from '../store.ts';
import { forcedOutcome, planRun, type RunPlan } from './runPlan.ts';
import { completeRun } from './completion.ts';
import { stableUuid } from './seededRandom.ts';
import { schedulePeriodMs } from '../../upstream/flowService/wire.ts';

export interface CreateRunOptions {
  /** Emulated epoch ms at which the run is due (a schedule slot, or "now" for on demand). */
  scheduledAt: number;
  /** Echoed as sent (epoch seconds, numbers or numeric strings); derived from `scheduledAt` when absent. */
  params?: RunDto['params'];
  clientId: string;
  /** On-demand runs start `scheduled` and wait a few seconds; schedule-produced runs start `inProgress`. */
  onDemand: boolean;
}

/**
 * Runs not yet finished, per partition, so advancing them never walks the whole run
 * history. Rebuilt by a scan when the partition is new to us (loaded from a file) or
 * its run count changed behind our back.
 */
const pending = new WeakMap<Partition, { ids: Set<string>; seenSize: number }>();

function pendingOf(part: Partition): Set<string> {
  let entry = pending.get(part);
  if (entry === undefined || entry.seenSize !== part.runs.size) {
    const ids = new Set<string>();
    for (const run of part.runs.values()) if (!isFinished(run.metrics.statusSummary.status)) ids.add(run.id);
    entry = { ids, seenSize: part.runs.size };
    pending.set(part, entry);
  }
  return entry.ids;
}

const isFinished = (status: RunStatus): boolean =>
  status === 'success' || status === 'failed' || status === 'partialSuccess';

export function sourceKindOf(flow: FlowDto | undefined): SourceKind {
  const specId = flow?.inheritedAttributes.sourceConnections[0]?.connectionSpec.id;
  return (specId === undefined ? undefined : SOURCE_KIND[specId]) ?? 'file';
}

function planFor(run: RunDto, flow: FlowDto | undefined): RunPlan {
  return planRun(run.id, run.flowId, sourceKindOf(flow), forcedOutcome(flow?.description));
}

function newRunId(part: Partition, flow: FlowDto, options: CreateRunOptions): string {
  const base = `${flow.id}|${options.onDemand ? `demand|${part.runs.size}` : 'schedule'}|${options.scheduledAt}`;
  let id = stableUuid(base);
  for (let n = 1; part.runs.has(id); n++) id = stableUuid(`${base}|${n}`);
  return id;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

const emptyCounts = () => ({
  sizeSummary: { inputBytes: 0, outputBytes: 0 },
  recordSummary: { inputRecordCount: 0, outputRecordCount: 0, failedRecordCount: 0 },
  fileSummary: { inputFileCount: 0, outputFileCount: 0 },
});

function activity(run: RunDto, name: 'Copy Activity' | 'Promotion Activity', startedAt: number): RunActivityDto {
  return {
    id: stableUuid(`${run.id}|${name}`),
    name,
    updatedAtUTC: startedAt,
    durationSummary: { startedAtUTC: startedAt },
    ...emptyCounts(),
    statusSummary: { status: run.metrics.statusSummary.status },
  };
}

/**
 * Stores a new run of `flow` (CONTRACT §2.7): `scheduled` when on demand, `inProgress`
 * when produced by the schedule. Its window is the schedule interval ending at
 * `scheduledAt` unless `params` say otherwise; times in `params` are epoch seconds.
 */
export function createRun(runtime: EmulatorRuntime, part: Partition, flow: FlowDto, options: CreateRunOptions): RunDto {
  const now = runtime.clock.now();
  const id = newRunId(part, flow, options);
  const status: RunStatus = options.onDemand ? 'scheduled' : 'inProgress';
  const plan = planRun(id, flow.id, sourceKindOf(flow), forcedOutcome(flow.description));
  const startedAt = options.onDemand ? Math.max(options.scheduledAt, now) + plan.queueDelayMs : options.scheduledAt;
  const etag = newEtag();
  const createdAt = Math.min(now, options.onDemand ? now : options.scheduledAt);
  const run: RunDto = {
    id,
    flowId: flow.id,
    flowSpec: { ...flow.flowSpec },
    providerRefId: stableUuid(`${id}|provider`).replaceAll('-', ''),
    params: options.params ?? defaultParams(flow, options.scheduledAt),
    metrics: {
      durationSummary: { startedAtUTC: startedAt },
      ...emptyCounts(),
      statusSummary: { status },
    },
    activities: [],
    createdAt,
    updatedAt: createdAt,
    createdBy: flow.createdBy,
    updatedBy: flow.createdBy,
    createdClient: options.clientId,
    updatedClient: options.clientId,
    sandboxId: part.sandboxId,
    sandboxName: part.sandbox,
    imsOrgId: part.org,
    version: etag,
    etag,
  };
  run.activities = [activity(run, 'Copy Activity', startedAt), activity(run, 'Promotion Activity', startedAt)];
  const [copy, promotion] = run.activities as [RunActivityDto, RunActivityDto];
  copy.sourceInfo = flow.sourceConnectionIds.map((sc) => ({
    id: sc,
    type: 'SourceConnection',
    reference: { type: 'AdfRunId', ids: [run.providerRefId] },
  }));
  promotion.targetInfo = flow.targetConnectionIds.map((tc) => ({
    id: tc,
    type: 'TargetConnection',
    reference: { type: 'Batch', ids: [] },
  }));
  const ids = pendingOf(part);
  part.runs.set(id, run);
  ids.add(id);
  pending.get(part)!.seenSize = part.runs.size;
  return run;
}

function defaultParams(flow: FlowDto, scheduledAt: number): NonNullable<RunDto['params']> {
  const intervalMs = scheduleIntervalMs(flow) ?? 3_600_000;
  const copy = flow.transformations.find((t) => t.name === 'Copy')?.params as
    { deltaColumn?: { name: string } } | undefined;
  const deltaColumn = copy?.deltaColumn;
  return {
    startTime: seconds(scheduledAt),
    windowStartTime: seconds(scheduledAt - intervalMs),
    windowEndTime: seconds(scheduledAt),
    ...(deltaColumn === undefined ? {} : { deltaColumn: { name: deltaColumn.name } }),
  };
}

/** The schedule interval in ms, or undefined for `once` and unscheduled (streaming) flows. */
export const scheduleIntervalMs = (flow: FlowDto): number | undefined => schedulePeriodMs(flow.scheduleParams);

/**
 * Moves due runs along `scheduled → inProgress → success | failed` by emulated time.
 * A run finishing writes its Catalog batch, its final metrics and the flow's
 * `lastRunDetails`. Returns whether anything changed.
 */
export function advanceRuns(runtime: EmulatorRuntime, part: Partition): boolean {
  const ids = pendingOf(part);
  if (ids.size === 0) return false;
  const now = runtime.clock.now();
  let changed = false;
  for (const id of [...ids]) {
    const run = part.runs.get(id);
    if (run === undefined || isFinished(run.metrics.statusSummary.status)) {
      ids.delete(id);
      continue;
    }
    const startedAt = run.metrics.durationSummary.startedAtUTC;
    if (now < startedAt) continue;
    const flow = part.flows.get(run.flowId);
    const plan = planFor(run, flow);
    let moved = false;
    if (run.metrics.statusSummary.status === 'scheduled') {
      setStatus(run, 'inProgress', startedAt);
      moved = true;
    }
    const completedAt = startedAt + plan.durationMs;
    if (now >= completedAt) {
      completeRun(runtime, part, run, flow, plan, completedAt);
      ids.delete(id);
      moved = true;
    }
    // edited in place: setting it again is what the journal logs
    if (moved) part.runs.set(id, run);
    changed ||= moved;
  }
  return changed;
}

/**
 * Finishes every unfinished run of `part` at the current emulated time, as if each had just
 * completed: a run due later starts now. Outcomes follow the run's plan as usual. Returns how
 * many runs it finished. Lets tests reach a known state without waiting for emulated time.
 */
export function settleRuns(runtime: EmulatorRuntime, part: Partition): number {
  const ids = pendingOf(part);
  const now = runtime.clock.now();
  let settled = 0;
  for (const id of [...ids]) {
    ids.delete(id);
    const run = part.runs.get(id);
    if (run === undefined || isFinished(run.metrics.statusSummary.status)) continue;
    const startedAt = Math.min(run.metrics.durationSummary.startedAtUTC, now);
    run.metrics.durationSummary.startedAtUTC = startedAt;
    for (const act of run.activities) act.durationSummary.startedAtUTC = startedAt;
    const flow = part.flows.get(run.flowId);
    setStatus(run, 'inProgress', startedAt);
    completeRun(runtime, part, run, flow, { ...planFor(run, flow), durationMs: now - startedAt }, now);
    // edited in place: setting it again is what the journal logs
    part.runs.set(id, run);
    settled++;
  }
  return settled;
}

function setStatus(run: RunDto, status: RunStatus, at: number): void {
  run.metrics.statusSummary.status = status;
  for (const act of run.activities) {
    act.statusSummary.status = status;
    act.updatedAtUTC = at;
  }
  run.updatedAt = at;
  run.etag = newEtag();
  run.version = run.etag;
}
