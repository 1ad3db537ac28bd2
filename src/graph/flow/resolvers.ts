import type { FlowOrderField, FlowRunOrderBy, Resolvers } from '../../generated/graphql.ts';
import type { Context } from '../../context.ts';
import type { FlowDto, RunDto } from '../../upstream/flowService/types.ts';
import { isoFromMs, isoFromSeconds } from '../scalars.ts';
import { checkCursor, inMemory, pageSize, scan, type ListShape } from '../paging.ts';
import { flowServiceOrderby, flowServicePage, NEWEST_FIRST, orderOf, type Order } from '../listOrder.ts';
import { onlyIdSelected } from '../selection.ts';
import type { ConnectionModel, FlowHealthValue, SpecHealthCountModel } from '../models.ts';
import { flowFilter, runFilter, type UpstreamFilter } from './filters.ts';
import { flowHealth, lagSeconds, nextRunAt } from './health.ts';
import { FLOW_SERVICE_PAGE, scanFleet } from './fleetScan.ts';
import { runBatchIds, runDuration, runErrors, runMetrics } from './runs.ts';
import { flowOperationKind, flowOperationStatus, runStatus } from '../upstreamEnums.ts';
import { notFound } from '../../errors.ts';

const HEALTHS: FlowHealthValue[] = ['HEALTHY', 'LATE', 'FAILING', 'DISABLED', 'NEVER_RUN'];

function mappingOf(flow: FlowDto): { id: string; version: number | undefined } | null {
  const params: Record<string, unknown> | undefined = flow.transformations.find((x) => x.name === 'Mapping')?.params;
  const id = params?.['mappingId'];
  if (typeof id !== 'string') return null;
  const version = Number(params?.['mappingVersion']);
  return { id, version: Number.isInteger(version) ? version : undefined };
}

/** Loads linked objects by id unless the query wants nothing but their ids (one promise per call, no async frame). */
function linked<T>(
  ids: readonly string[],
  idOnly: boolean,
  load: (ids: readonly string[]) => Promise<Array<T | null | Error>>,
): T[] | Promise<T[]> {
  if (idOnly) return ids.map((id) => ({ id }) as T);
  return load(ids).then(present);
}

/** The objects found, in order; the first failure throws. */
function present<T>(found: Array<T | null | Error>): T[] {
  const err = found.find((x) => x instanceof Error);
  if (err instanceof Error) throw err;
  return found.filter((x): x is T => x !== null);
}

function runsOf(
  ctx: Context,
  flowId: string,
  first: number | null | undefined,
  after: string | null | undefined,
  filter: Parameters<typeof runFilter>[1],
  orderBy: FlowRunOrderBy | null | undefined,
) {
  const order = orderOf(orderBy, NEWEST_FIRST);
  const property = runFilter(flowId, filter);
  const fs = ctx.clients.flowService;
  return scan<RunDto>({
    first,
    after,
    shape: { flowId, filter, orderBy: order },
    fetchPage: async (position, limit) => {
      const page = await fs.listRuns(ctx.credentials, {
        property,
        orderby: flowServiceOrderby(order),
        limit,
        continuationToken: position === null ? undefined : String(position),
      });
      for (const run of page.items) ctx.loaders.runById.prime(run.id, run);
      return page;
    },
    totalCount: () => fs.countRuns(ctx.credentials, property),
  });
}

/** Every flow the filter's upstream part matches, read whole, that its `keep` keeps. */
async function fleetOf(ctx: Context, f: UpstreamFilter<FlowDto>): Promise<FlowDto[]> {
  const flows = await scanFleet(ctx.clients.flowService, ctx.credentials, f.property, ctx.limits.fleetScanRanges);
  return f.keep === undefined ? flows : flows.filter(f.keep);
}

/** `flows`, each primed into the request's flow loader: a later `flow(id)` or link reads none of them again. */
function primed(ctx: Context, flows: FlowDto[]): FlowDto[] {
  for (const flow of flows) ctx.loaders.flowById.prime(flow.id, flow);
  return flows;
}

/**
 * A page of the flows whose name holds a substring (`nameContains` without `health`), which
 * Flow Service cannot filter on. The first page is answered from the upstream's first page
 * when that holds enough matches to be sure of them: when every flow sorted before the last
 * match answered is in it, which holds when the last match's sort value comes strictly before
 * that of the upstream page's last flow (flows of equal value may lie on either side of an
 * upstream page's end) or when the upstream page is the whole list. Otherwise, and for every
 * later page, the fleet is read whole in parallel createdAt ranges (as a health filter is) and
 * paged here by sort key, so a sparse match costs about as many round trips as a page of the
 * fleet per connection, not one round trip per upstream page. Cursors are sort keys in both
 * cases: a page answered from the first upstream page continues into the fleet read whole
 * without skipping or repeating a flow present on both reads. `totalCount` counts the matches
 * of the fleet read whole (of the one page, when it is the whole list). Sorted by name, every
 * page is read whole: Flow Service's order of names need not be this API's.
 */
async function byName(
  ctx: Context,
  f: UpstreamFilter<FlowDto>,
  first: number | null | undefined,
  after: string | null | undefined,
  shape: ListShape,
  order: Order<FlowOrderField>,
): Promise<ConnectionModel<FlowDto>> {
  const keep = f.keep!;
  const whole = async () => primed(ctx, await fleetOf(ctx, f));
  const n = pageSize(first);
  if (after == null && order.field !== 'NAME' && n < FLOW_SERVICE_PAGE) {
    const page = await ctx.clients.flowService.listFlows(ctx.credentials, {
      property: f.property,
      orderby: flowServiceOrderby(order),
      limit: FLOW_SERVICE_PAGE,
    });
    const matched = flowServicePage(primed(ctx, page.items).filter(keep), first, null, shape, order);
    if (page.next === null) return matched;
    const field = order.field === 'CREATED_AT' ? 'createdAt' : 'updatedAt';
    const last = matched.edges.at(-1)?.node;
    const bound = page.items.at(-1)![field];
    if (
      matched.edges.length === n &&
      last !== undefined &&
      (order.direction === 'DESC' ? last[field] > bound : last[field] < bound)
    ) {
      let count: Promise<number> | undefined;
      return {
        edges: matched.edges,
        // later upstream pages may hold more, as a scan says of a page it filled
        pageInfo: { ...matched.pageInfo, hasNextPage: true },
        totalCount: () => (count ??= whole().then((flows) => flows.length)),
      };
    }
  }
  return flowServicePage(await whole(), first, after, shape, order);
}

function countByHealth(flows: FlowDto[], now: number) {
  const counts = new Map<FlowHealthValue, number>(HEALTHS.map((h) => [h, 0]));
  for (const f of flows) {
    const health = flowHealth(f, now);
    counts.set(health, (counts.get(health) ?? 0) + 1);
  }
  return HEALTHS.map((health) => ({ health, count: counts.get(health) ?? 0 }));
}

export const flowResolvers: Resolvers = {
  Query: {
    flow: (_p, { id }, ctx) => ctx.loaders.flowById.load(id),
    flows: async (_p, { first, after, filter, orderBy }, ctx) => {
      const order = orderOf(orderBy, NEWEST_FIRST);
      const shape = { filter, orderBy: order };
      checkCursor(after, shape);
      const f = await flowFilter(ctx, filter);
      if (f.empty) return inMemory<FlowDto>([], first, after, shape);
      const fs = ctx.clients.flowService;
      if (f.whole === true) return flowServicePage(primed(ctx, await fleetOf(ctx, f)), first, after, shape, order);
      if (f.keep !== undefined) return byName(ctx, f, first, after, shape, order);
      return scan<FlowDto>({
        first,
        after,
        shape,
        fetchPage: async (position, limit) => {
          const page = await fs.listFlows(ctx.credentials, {
            property: f.property,
            orderby: flowServiceOrderby(order),
            limit,
            continuationToken: position === null ? undefined : String(position),
          });
          primed(ctx, page.items);
          return page;
        },
        totalCount: () => fs.countFlows(ctx.credentials, f.property),
      });
    },
    flowRuns: async (_p, { flowId, first, after, filter, orderBy }, ctx) => {
      const runs = await runsOf(ctx, flowId, first, after, filter, orderBy);
      // an empty list may mean there is no such flow: one multi-get (batched with the request's other flows) says which
      if (runs.edges.length === 0 && (await ctx.loaders.flowById.load(flowId)) === null)
        throw notFound('flowId', `no dataflow has the id ${JSON.stringify(flowId)} in this sandbox`);
      return runs;
    },
    flowRun: (_p, { id }, ctx) => ctx.loaders.runById.load(id),
    fleetHealth: async (_p, { filter }, ctx) => {
      const f = await flowFilter(ctx, filter);
      const flows = f.empty ? [] : await fleetOf(ctx, f);
      const bySpec = new Map<string, FlowDto[]>();
      for (const flow of flows) {
        for (const specId of new Set(flow.inheritedAttributes.sourceConnections.map((s) => s.connectionSpec.id))) {
          const list = bySpec.get(specId);
          if (list === undefined) bySpec.set(specId, [flow]);
          else list.push(flow);
        }
      }
      const bySourceConnectionSpec: SpecHealthCountModel[] = [...bySpec.entries()]
        .map(([connectionSpecId, list]) => ({
          connectionSpecId,
          count: list.length,
          byHealth: countByHealth(list, ctx.now),
        }))
        .sort((a, b) => b.count - a.count || a.connectionSpecId.localeCompare(b.connectionSpecId));
      return { total: flows.length, byHealth: countByHealth(flows, ctx.now), bySourceConnectionSpec };
    },
  },
  SpecHealthCount: {
    connectionSpec: (p, _a, ctx, info) =>
      onlyIdSelected(info)
        ? ({ id: p.connectionSpecId } as never)
        : ctx.loaders.connectionSpecById.load(p.connectionSpecId),
  },
  Flow: {
    state: (f) => (f.state === 'enabled' ? 'ENABLED' : 'DISABLED'),
    createdAt: (f) => isoFromMs(f.createdAt)!,
    updatedAt: (f) => isoFromMs(f.updatedAt)!,
    flowSpecId: (f) => f.flowSpec.id,
    flowSpec: (f, _a, ctx, info) =>
      onlyIdSelected(info) ? ({ id: f.flowSpec.id } as never) : ctx.loaders.flowSpecById.load(f.flowSpec.id),
    sourceConnections: (f, _a, ctx, info) =>
      linked(f.sourceConnectionIds, onlyIdSelected(info), (ids) => {
        ctx.earlyLinks.ofSources(f, info);
        return ctx.loaders.sourceConnectionById.loadMany(ids);
      }),
    targetConnections: (f, _a, ctx, info) =>
      linked(f.targetConnectionIds, onlyIdSelected(info), (ids) => {
        ctx.earlyLinks.ofTargets(ids, info);
        return ctx.loaders.targetConnectionById.loadMany(ids);
      }),
    sourceConnectionSpecs: (f, _a, ctx, info) => {
      const ids = [...new Set(f.inheritedAttributes.sourceConnections.map((s) => s.connectionSpec.id))];
      return linked(ids, onlyIdSelected(info), (keys) => ctx.loaders.connectionSpecById.loadMany(keys));
    },
    transformations: (f) => f.transformations.map((t) => ({ name: t.name, params: t.params })),
    mappingSetId: (f) => mappingOf(f)?.id ?? null,
    mappingSetVersion: (f) => mappingOf(f)?.version ?? null,
    mappingSet: (f, _a, ctx, info) => {
      const m = mappingOf(f);
      if (m === null) return null;
      // a flow that names the version it uses needs no fetch for the version's identity
      if (m.version !== undefined && onlyIdSelected(info, ['id', 'mappingSetId', 'version']))
        return { id: m.id, version: m.version } as never;
      return ctx.loaders.mappingSetById.load(m);
    },
    deltaColumn: (f) => {
      const copy: { params: Record<string, unknown> } | undefined = f.transformations.find((t) => t.name === 'Copy');
      const dc = copy?.params['deltaColumn'] as { name?: string; dateFormat?: string; timezone?: string } | undefined;
      return dc?.name === undefined
        ? null
        : { name: dc.name, dateFormat: dc.dateFormat ?? null, timezone: dc.timezone ?? null };
    },
    schedule: (f) => {
      const s = f.scheduleParams;
      if (s === undefined) return null;
      const frequency = String(s.frequency).toUpperCase() as 'ONCE';
      return {
        id: `${f.id}/schedule`,
        startTime: isoFromSeconds(s.startTime)!,
        frequency,
        interval: s.interval === undefined ? null : Number(s.interval),
        backfill: s.backfill === undefined ? null : s.backfill === true || s.backfill === 'true',
      };
    },
    options: (f) => f.options ?? null,
    lastOperation: (f) => ({
      operation: flowOperationKind(f.lastOperation.operation),
      startedAt: isoFromMs(f.lastOperation.started),
      updatedAt: isoFromMs(f.lastOperation.updated),
      status: flowOperationStatus(f.lastOperation.status?.value),
      percentCompleted: f.lastOperation.percentCompleted ?? null,
    }),
    runs: (f, { first, after, filter, orderBy }, ctx) => runsOf(ctx, f.id, first, after, filter, orderBy),
    lastRun: (f, _a, ctx, info) => {
      if (f.lastRunDetails === undefined) return null;
      return onlyIdSelected(info, ['id', 'flowId'])
        ? ({ id: f.lastRunDetails.id, flowId: f.id } as never)
        : ctx.loaders.runById.load(f.lastRunDetails.id);
    },
    lastSuccessfulRun: async (f, _a, ctx) =>
      (await ctx.loaders.recentRunsByFlowId.load(f.id))?.find(
        (r) => runStatus(r.metrics.statusSummary.status) === 'SUCCESS',
      ) ?? null,
    consecutiveFailures: async (f, _a, ctx) => {
      let count = 0;
      for (const run of (await ctx.loaders.recentRunsByFlowId.load(f.id)) ?? []) {
        const status = runStatus(run.metrics.statusSummary.status);
        if (status === 'FAILED') count++;
        else if (status === 'SUCCESS' || status === 'PARTIAL_SUCCESS') break;
      }
      return count;
    },
    nextRunAt: (f, _a, ctx) => isoFromMs(nextRunAt(f, ctx.now)),
    lagSeconds: (f, _a, ctx) => lagSeconds(f, ctx.now),
    health: (f, _a, ctx) => flowHealth(f, ctx.now),
    errorSummary: async (f, _a, ctx) => {
      if (f.lastRunDetails?.state !== 'failed') return [];
      const run = await ctx.loaders.runById.load(f.lastRunDetails.id);
      return run === null ? [] : runErrors(run.metrics.statusSummary);
    },
  },
  FlowRun: {
    flow: (r, _a, ctx, info) =>
      onlyIdSelected(info) ? ({ id: r.flowId } as never) : ctx.loaders.flowById.load(r.flowId),
    status: (r) => runStatus(r.metrics.statusSummary.status),
    startedAt: (r) => isoFromMs(r.metrics.durationSummary.startedAtUTC),
    completedAt: (r) => isoFromMs(r.metrics.durationSummary.completedAtUTC),
    durationMs: (r) => runDuration(r.metrics.durationSummary),
    metrics: (r) => runMetrics(r.metrics, `${r.id}/metrics`),
    errors: (r) => runErrors(r.metrics.statusSummary),
    activities: (r) => r.activities.map((a) => ({ ...a, runId: r.id })),
    windowStart: (r) => isoFromSeconds(r.params?.windowStartTime),
    windowEnd: (r) => isoFromSeconds(r.params?.windowEndTime),
    batchIds: (r) => runBatchIds(r),
    batches: (r, _a, ctx, info) =>
      linked(runBatchIds(r), onlyIdSelected(info), (ids) => ctx.loaders.batchById.loadMany(ids)),
    createdAt: (r) => isoFromMs(r.createdAt)!,
  },
  RunActivity: {
    id: (a) => `${a.runId}/${a.id}`,
    status: (a) => runStatus(a.statusSummary.status),
    metrics: (a) => runMetrics(a, `${a.runId}/${a.id}/metrics`),
    errors: (a) => runErrors(a.statusSummary),
    updatedAt: (a) => isoFromMs(a.updatedAtUTC),
  },
};
