import type { ScheduleFrequency, ScheduleParamsDto } from './types.ts';

/**
 * Flow Service wire rules shared by the client and the emulator: the base path and the
 * schedule maths (`scheduleParams`, §2.5). Pure: no I/O.
 */

export const FLOW_SERVICE_BASE_PATH = '/data/foundation/flowservice';

/** The length of one unit of each recurring `scheduleParams.frequency`. */
export const SCHEDULE_UNIT_MS: Readonly<Record<Exclude<ScheduleFrequency, 'once'>, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

export interface ScheduleTimes {
  /** `startTime` (epoch seconds on the wire) in ms. */
  startMs: number;
  /** `interval` units of `frequency` in ms; undefined for `once`. */
  periodMs: number | undefined;
}

/**
 * The schedule in ms, or undefined when there is none (streaming flows) or it cannot be
 * read. Values arrive as sent, so numbers may be strings and the frequency in any case.
 */
export function scheduleTimes(schedule: ScheduleParamsDto | undefined): ScheduleTimes | undefined {
  if (schedule === undefined) return undefined;
  const startMs = Number(schedule.startTime) * 1000;
  if (!Number.isFinite(startMs)) return undefined;
  const frequency = String(schedule.frequency).toLowerCase();
  if (frequency === 'once') return { startMs, periodMs: undefined };
  const unit = SCHEDULE_UNIT_MS[frequency as keyof typeof SCHEDULE_UNIT_MS] as number | undefined;
  const interval = Number(schedule.interval ?? 1);
  if (unit === undefined || !Number.isFinite(interval) || interval <= 0) return undefined;
  return { startMs, periodMs: unit * interval };
}

/** The schedule's period in ms; undefined for `once`, for no schedule and for an unreadable one. */
export const schedulePeriodMs = (schedule: ScheduleParamsDto | undefined): number | undefined =>
  scheduleTimes(schedule)?.periodMs;

/**
 * How values are checked against a flow spec's own JSON schemas (`scheduleSpec.spec`,
 * run params, transformation params), with the Platform's leniency for numeric strings.
 */
export { describeViolations, validateSchema, type SchemaViolation } from './jsonSchema.ts';
