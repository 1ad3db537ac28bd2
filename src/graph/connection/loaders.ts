import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { ConnectionDto, SourceConnectionDto, TargetConnectionDto } from '../../upstream/flowService/types.ts';
import { groupLoader, multiGetBatch, multiGetLoader, PrefetchingLoader, type LoaderOptions } from '../batchLoaders.ts';

/** Told the target connections every successful multi-get of them found, with the ids it asked for. */
export type TargetConnectionsRead = (ids: readonly string[], found: readonly TargetConnectionDto[]) => void;

export function createConnectionLoaders(
  clients: UpstreamClients,
  c: Credentials,
  options: LoaderOptions = {},
  onTargetsRead?: TargetConnectionsRead,
) {
  const fs = clients.flowService;
  return {
    baseConnectionById: new PrefetchingLoader<string, ConnectionDto>(
      'baseConnectionById',
      c,
      (cc) =>
        multiGetBatch(
          (ids) => fs.getConnectionsByIds(cc, ids),
          (x) => x.id,
        ),
      options,
    ),
    sourceConnectionById: multiGetLoader<SourceConnectionDto>(
      'sourceConnectionById',
      (ids) => fs.getSourceConnectionsByIds(c, ids),
      (x) => x.id,
      options,
    ),
    targetConnectionById: multiGetLoader<TargetConnectionDto>(
      'targetConnectionById',
      async (ids) => {
        const found = await fs.getTargetConnectionsByIds(c, ids);
        onTargetsRead?.(ids, found);
        return found;
      },
      (x) => x.id,
      options,
    ),
    sourceConnectionsByBaseConnectionId: groupLoader<SourceConnectionDto>(
      'sourceConnectionsByBaseConnectionId',
      (ids) => fs.listSourceConnectionsByBaseConnectionIds(c, ids),
      (s) => (s.baseConnectionId === undefined ? [] : [s.baseConnectionId]),
      options,
    ),
    targetConnectionsByDatasetId: groupLoader<TargetConnectionDto>(
      'targetConnectionsByDatasetId',
      (ids) => fs.listTargetConnectionsByDataSetIds(c, ids),
      (t) => (typeof t.params?.dataSetId === 'string' ? [t.params.dataSetId] : []),
      options,
    ),
  };
}

export type ConnectionLoaders = ReturnType<typeof createConnectionLoaders>;
