import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { ConnectionDto, SourceConnectionDto, TargetConnectionDto } from '../../upstream/flowService/types.ts';
import { groupLoader, multiGetLoader, type LoaderOptions } from '../batchLoaders.ts';

export function createConnectionLoaders(clients: UpstreamClients, c: Credentials, options: LoaderOptions = {}) {
  const fs = clients.flowService;
  return {
    baseConnectionById: multiGetLoader<ConnectionDto>((ids) => fs.getConnectionsByIds(c, ids), (x) => x.id, options),
    sourceConnectionById: multiGetLoader<SourceConnectionDto>((ids) => fs.getSourceConnectionsByIds(c, ids), (x) => x.id, options),
    targetConnectionById: multiGetLoader<TargetConnectionDto>((ids) => fs.getTargetConnectionsByIds(c, ids), (x) => x.id, options),
    sourceConnectionsByBaseConnectionId: groupLoader<SourceConnectionDto>(
      (ids) => fs.listSourceConnectionsByBaseConnectionIds(c, ids),
      (s) => (s.baseConnectionId === undefined ? [] : [s.baseConnectionId]),
      options,
    ),
    targetConnectionsByDatasetId: groupLoader<TargetConnectionDto>(
      async (ids) => {
        const pages = await Promise.all(chunk(ids, 100).map((part) => drain((token) => fs.listTargetConnections(c, { property: [`params.dataSetId==${part.join(',')}`], limit: 100, continuationToken: token }))));
        return pages.flat();
      },
      (t) => (typeof t.params?.dataSetId === 'string' ? [t.params.dataSetId] : []),
      options,
    ),
  };
}

export type ConnectionLoaders = ReturnType<typeof createConnectionLoaders>;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function drain<T>(page: (token: string | undefined) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const p = await page(token);
    all.push(...p.items);
    if (p.next === null) break;
    token = p.next;
  }
  return all;
}
