import type { Context } from '../../context.ts';
import type { FlowDto } from '../../upstream/flowService/types.ts';
import type { FlowFilter, FlowRunFilter } from '../../generated/graphql.ts';
import { badInput } from '../../errors.ts';
import { flowHealth } from './health.ts';
import type { FlowHealthValue } from '../models.ts';

export interface UpstreamFilter<T> {
  property: string[];
  keep?: (item: T) => boolean;
  /** True when the filter can match nothing (e.g. a dataset no flow writes to). */
  empty: boolean;
  /** True when `keep` needs the whole fleet read (a health filter). */
  whole?: boolean;
}

/** Flow Service `property` values cannot contain a comma (it separates any-of lists). */
function single(field: string, value: string): string {
  if (value.includes(',') || value.trim() === '') throw badInput(field, 'must be one non-empty id');
  return value;
}

function ms(field: string, iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw badInput(field, 'is not a date-time');
  return t;
}

/**
 * What the upstream can test of each health (the first two rules of `flowHealth`: state, then
 * the last run's state), so that a health-filtered scan reads only the flows that may have
 * it; `keep` still decides. Only conditions every flow of that health meets: no `!=` on a
 * field a flow may lack.
 */
const HEALTH_PROPERTY: Record<FlowHealthValue, readonly string[]> = {
  DISABLED: ['state!=enabled'],
  FAILING: ['state==enabled', 'lastRunDetails.state==failed'],
  LATE: ['state==enabled'],
  NEVER_RUN: ['state==enabled'],
  HEALTHY: ['state==enabled'],
};

/** FlowFilter to the upstream's own filters (§2.4); only `nameContains` and `health` are applied here. */
export async function flowFilter(
  ctx: Context,
  filter: FlowFilter | null | undefined,
): Promise<UpstreamFilter<FlowDto>> {
  const property: string[] = [];
  const f = filter ?? {};
  if (f.state != null) property.push(`state==${f.state.toLowerCase()}`);
  if (f.flowSpecId != null) property.push(`flowSpec.id==${single('filter.flowSpecId', f.flowSpecId)}`);
  if (f.sourceConnectionSpecId != null)
    property.push(
      `inheritedAttributes.sourceConnections[].connectionSpec.id==${single('filter.sourceConnectionSpecId', f.sourceConnectionSpecId)}`,
    );
  if (f.baseConnectionId != null)
    property.push(
      `inheritedAttributes.sourceConnections[].baseConnection.id==${single('filter.baseConnectionId', f.baseConnectionId)}`,
    );
  if (f.createdAfter != null) property.push(`createdAt>${ms('filter.createdAfter', f.createdAfter)}`);
  if (f.createdBefore != null) property.push(`createdAt<${ms('filter.createdBefore', f.createdBefore)}`);
  let empty = false;
  if (f.datasetId != null) {
    const targets = await ctx.loaders.targetConnectionsByDatasetId.load(single('filter.datasetId', f.datasetId));
    if (targets.length === 0) empty = true;
    else property.push(`targetConnectionIds[]==${targets.map((t) => t.id).join(',')}`);
  }
  const needle = f.nameContains?.toLowerCase();
  const byName =
    needle === undefined || needle === '' ? undefined : (flow: FlowDto) => flow.name.toLowerCase().includes(needle);
  const health = f.health ?? undefined;
  if (health === undefined) return { property, empty, keep: byName };
  const now = ctx.now;
  return {
    property: [...property, ...HEALTH_PROPERTY[health]],
    empty,
    whole: true,
    keep: (flow) => flowHealth(flow, now) === health && (byName === undefined || byName(flow)),
  };
}

const RUN_STATUS: Record<string, string> = {
  SCHEDULED: 'scheduled',
  IN_PROGRESS: 'inProgress',
  SUCCESS: 'success',
  PARTIAL_SUCCESS: 'partialSuccess',
  FAILED: 'failed',
};

export function runFilter(flowId: string, filter: FlowRunFilter | null | undefined): string[] {
  const property = [`flowId==${single('flowId', flowId)}`];
  const f = filter ?? {};
  if (f.status != null) {
    const status = RUN_STATUS[f.status];
    if (status === undefined) throw badInput('filter.status', `${f.status} cannot be filtered on`);
    property.push(`metrics.statusSummary.status==${status}`);
  }
  if (f.startedAfter != null)
    property.push(`metrics.durationSummary.startedAtUTC>${ms('filter.startedAfter', f.startedAfter)}`);
  if (f.startedBefore != null)
    property.push(`metrics.durationSummary.startedAtUTC<${ms('filter.startedBefore', f.startedBefore)}`);
  return property;
}
