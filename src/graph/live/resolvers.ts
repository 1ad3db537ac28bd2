import type { FlowHealth, Resolvers, RunStatus } from '../../generated/graphql.ts';
import type { RunFinishedEvent } from '../../live/runEvents.ts';
import type { FlowDto, RunDto } from '../../upstream/flowService/types.ts';
import { badInput } from '../../errors.ts';
import { flowHealth } from '../flow/health.ts';
import { runStatus } from '../upstreamEnums.ts';
import { liveStream, payloadValue, type LivePayload } from './liveStream.ts';

type FlowHealthChangeModel = { flow: FlowDto; previous: FlowHealth | null; current: FlowHealth };

/** The run statuses an event's outcome can be. */
const STATUSES_OF: Record<RunFinishedEvent['status'], RunStatus[]> = {
  success: ['SUCCESS', 'PARTIAL_SUCCESS'],
  failed: ['FAILED'],
};

function boundedIds(field: string, ids: readonly string[] | null | undefined, max: number): Set<string> | undefined {
  if (ids === null || ids === undefined) return undefined;
  if (ids.length > max) throw badInput(field, `at most ${max} ids (INPUT_MAX_LIST_ITEMS)`);
  return new Set(ids);
}

/**
 * The health last reported of at most `max` flows, the least recently reported forgotten first:
 * a forgotten flow's next change is reported with `previous: null`, as for a flow seen the first
 * time. `onEvict` is called at the first eviction.
 */
class FlowHealthMemory {
  readonly #health = new Map<string, FlowHealth>();
  #evicted = false;

  constructor(
    private readonly max: number,
    private readonly onEvict: () => void,
  ) {}

  get(flowId: string): FlowHealth | undefined {
    return this.#health.get(flowId);
  }

  set(flowId: string, health: FlowHealth): void {
    // re-inserted: the Map's order is the order of the last report
    this.#health.delete(flowId);
    this.#health.set(flowId, health);
    if (this.#health.size <= this.max) return;
    this.#health.delete(this.#health.keys().next().value!);
    if (!this.#evicted) this.onEvict();
    this.#evicted = true;
  }
}

export const liveResolvers: Resolvers = {
  Subscription: {
    flowRunUpdated: {
      subscribe: (_p, { filter }, ctx) => {
        const flowIds = boundedIds('filter.flowIds', filter?.flowIds, ctx.inputLimits.maxListItems);
        const statuses =
          filter?.statuses === null || filter?.statuses === undefined ? undefined : new Set(filter.statuses);
        return liveStream(
          ctx,
          async (event, eventCtx) => {
            if (flowIds !== undefined && !flowIds.has(event.flowId)) return undefined;
            if (statuses !== undefined && !STATUSES_OF[event.status].some((s) => statuses.has(s))) return undefined;
            const run = await eventCtx.loaders.runById.load(event.runId);
            if (run === null) return undefined;
            if (statuses !== undefined && !statuses.has(runStatus(run.metrics.statusSummary.status))) return undefined;
            return run;
          },
          { shared: true },
        );
      },
      resolve: (payload: LivePayload) => payloadValue<RunDto>(payload),
    },
    flowHealthChanged: {
      subscribe: (_p, { filter }, ctx) => {
        const flowIds = boundedIds('filter.flowIds', filter?.flowIds, ctx.inputLimits.maxListItems);
        const known = new FlowHealthMemory(ctx.live?.healthMaxFlows ?? 1, () =>
          ctx.live?.warn(
            `a flowHealthChanged subscriber of ${ctx.credentials.orgId}/${ctx.credentials.sandbox} follows more than ${ctx.live.healthMaxFlows} flows: the least recently reported are forgotten (SUBSCRIPTION_HEALTH_MAX_FLOWS)`,
          ),
        );
        // the watched flows' health before any event, read with the subscriber's credentials
        const prepare = async () => {
          if (flowIds === undefined) return;
          for (const flow of await ctx.loaders.flowById.loadMany([...flowIds]))
            if (flow !== null && !(flow instanceof Error)) known.set(flow.id, flowHealth(flow, ctx.now));
        };
        return liveStream(
          ctx,
          async (event, eventCtx) => {
            if (flowIds !== undefined && !flowIds.has(event.flowId)) return undefined;
            const flow = await eventCtx.loaders.flowById.load(event.flowId);
            if (flow === null) return undefined;
            const current = flowHealth(flow, eventCtx.now);
            const previous = known.get(flow.id) ?? null;
            known.set(flow.id, current);
            return previous === current ? undefined : { flow, previous, current };
          },
          // the previous health is this subscription's own: its answers are its own too
          { prepare, shared: false },
        );
      },
      resolve: (payload: LivePayload) => payloadValue<FlowHealthChangeModel>(payload),
    },
  },
};
