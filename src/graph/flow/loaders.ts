import DataLoader from 'dataloader';
import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { FlowDto, RunDto } from '../../upstream/flowService/types.ts';
import { fanOutLoader, groupLoader, multiGetLoader, type LoaderOptions } from '../batchLoaders.ts';

/** How many recent runs `lastSuccessfulRun` and `consecutiveFailures` look at. */
export const RECENT_RUNS = 100;

export function createFlowLoaders(clients: UpstreamClients, c: Credentials, options: LoaderOptions = {}) {
  const fs = clients.flowService;
  const runById = multiGetLoader<RunDto>(
    'runById',
    (ids) => fs.getRunsByIds(c, ids),
    (r) => r.id,
    options,
  );
  return {
    flowById: multiGetLoader<FlowDto>(
      'flowById',
      (ids) => fs.getFlowsByIds(c, ids),
      (f) => f.id,
      options,
    ),
    runById,
    /** Newest first; one page per flow (the upstream cannot limit runs per flow in a multi-flow list). */
    recentRunsByFlowId: fanOutLoader<string, RunDto[]>(
      'recentRunsByFlowId',
      async (flowId) => {
        const page = await fs.listRuns(c, {
          property: [`flowId==${flowId}`],
          orderby: '-createdAt',
          limit: RECENT_RUNS,
        });
        for (const run of page.items) runById.prime(run.id, run);
        return page.items;
      },
      undefined,
      options,
    ),
    flowsBySourceConnectionId: groupLoader<FlowDto>(
      'flowsBySourceConnectionId',
      (ids) => fs.listFlowsBySourceConnectionIds(c, ids),
      (f) => f.sourceConnectionIds,
      options,
    ),
    flowsByTargetConnectionId: groupLoader<FlowDto>(
      'flowsByTargetConnectionId',
      (ids) => fs.listFlowsByTargetConnectionIds(c, ids),
      (f) => f.targetConnectionIds,
      options,
    ),
  };
}

export type FlowLoaders = ReturnType<typeof createFlowLoaders>;
export type { DataLoader };
