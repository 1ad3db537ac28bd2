import type { FlowSpecDto } from '../../upstream/flowService/types.ts';
import { badRequest } from './replies.ts';
import { describeViolations, validateSchema } from '../../upstream/flowService/wire.ts';

/**
 * `scheduleParams` against the flow spec's own `scheduleSpec.spec` (CONTRACT §9.2): batch
 * specs require it and the schema decides (once forbids interval/backfill; minute ≥ 15;
 * hour/day/week ≥ 1). Streaming specs have no scheduleSpec: whatever is sent is kept and
 * schedules nothing (aepp's createFlowStreaming sends `{frequency: "minute", interval: "15", …}`).
 * The stored value is what was sent — strings stay strings.
 */
export function validateSchedule(flowSpec: FlowSpecDto, scheduleParams: unknown): void {
  const schema = flowSpec.scheduleSpec?.spec;
  if (schema === undefined) return;
  if (scheduleParams === undefined)
    throw badRequest(`scheduleParams are required by flow spec ${flowSpec.name} (${flowSpec.id}).`);
  if (typeof scheduleParams !== 'object' || scheduleParams === null || Array.isArray(scheduleParams)) {
    throw badRequest('scheduleParams must be an object.');
  }
  const violations = validateSchema(schema, scheduleParams);
  if (violations.length > 0) throw badRequest(`Invalid schedule: ${describeViolations('scheduleParams', violations)}.`);
}

/** The frequency as stored, for rules like "on-demand runs need `once`". */
export function frequencyOf(scheduleParams: unknown): string | undefined {
  const f = (scheduleParams as { frequency?: unknown } | undefined)?.frequency;
  return typeof f === 'string' ? f : undefined;
}
