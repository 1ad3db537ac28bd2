import DataLoader from 'dataloader';
import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { FlowDto, RunDto } from '../../upstream/flowService/types.ts';
import { fanOutLoader, groupLoader, multiGetLoader } from '../batchLoaders.ts';

/** How many recent runs `lastSuccessfulRun` and `consecutiveFailures` look at. */
export const RECENT_RUNS = 100;

export function createFlowLoaders(clients: UpstreamClients, c: Credentials) {
  const fs = clients.flowService;
  const runById = multiGetLoader<RunDto>((ids) => fs.getRunsByIds(c, ids), (r) => r.id);
  return {
    flowById: multiGetLoader<FlowDto>((ids) => fs.getFlowsByIds(c, ids), (f) => f.id),
    runById,
    /** Newest first; one page per flow (the upstream cannot limit runs per flow in a multi-flow list). */
    recentRunsByFlowId: fanOutLoader<string, RunDto[]>(async (flowId) => {
      const page = await fs.listRuns(c, { property: [`flowId==${flowId}`], orderby: '-createdAt', limit: RECENT_RUNS });
      for (const run of page.items) runById.prime(run.id, run);
      return page.items;
    }),
    flowsBySourceConnectionId: groupLoader<FlowDto>((ids) => fs.listFlowsBySourceConnectionIds(c, ids), (f) => f.sourceConnectionIds),
    flowsByTargetConnectionId: groupLoader<FlowDto>((ids) => fs.listFlowsByTargetConnectionIds(c, ids), (f) => f.targetConnectionIds),
  };
}

export type FlowLoaders = ReturnType<typeof createFlowLoaders>;
export type { DataLoader };
