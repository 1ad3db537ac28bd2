import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { ConnectionDto, SourceConnectionDto, TargetConnectionDto } from '../../upstream/flowService/types.ts';
import { groupLoader, multiGetLoader, type LoaderOptions } from '../batchLoaders.ts';

export function createConnectionLoaders(clients: UpstreamClients, c: Credentials, options: LoaderOptions = {}) {
  const fs = clients.flowService;
  return {
    baseConnectionById: multiGetLoader<ConnectionDto>(
      'baseConnectionById',
      (ids) => fs.getConnectionsByIds(c, ids),
      (x) => x.id,
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
      (ids) => fs.getTargetConnectionsByIds(c, ids),
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
