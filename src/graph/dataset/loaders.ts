import DataLoader from 'dataloader';
import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { LastBatchDto } from '../../upstream/catalog/types.ts';
import { multiGetLoader } from '../batchLoaders.ts';
import type { BatchModel, DatasetModel } from '../models.ts';

/** A dataset wanted with (at least) these top-level Catalog properties. */
export interface DatasetKey {
  id: string;
  properties: readonly string[];
}

export function createDatasetLoaders(clients: UpstreamClients, c: Credentials) {
  const catalog = clients.catalog;
  return {
    /**
     * One multi-get per batch asking for the union of the properties the query selects
     * (Catalog `properties=`); keys differing only in properties share the request.
     */
    datasetById: new DataLoader<DatasetKey, DatasetModel | null, string>(
      async (keys) => {
        const properties = [...new Set(keys.flatMap((k) => k.properties))].sort();
        try {
          const found = await catalog.getDataSetsByIds(c, [...new Set(keys.map((k) => k.id))], { properties });
          return keys.map((k) => {
            const dto = found[k.id];
            return dto === undefined ? null : { id: k.id, dto };
          });
        } catch (err) {
          return keys.map(() => err as Error);
        }
      },
      { cacheKeyFn: (k) => `${k.id}|${[...k.properties].sort().join(',')}` },
    ),
    lastBatchByDatasetId: multiGetLoader<LastBatchDto & { dataSetId: string }>(
      async (ids) => {
        const found = await catalog.getLastBatches(c, ids);
        return Object.entries(found).map(([dataSetId, dto]) => ({ ...dto, dataSetId }));
      },
      (x) => x.dataSetId,
    ),
    batchById: multiGetLoader<BatchModel>(
      async (ids) => {
        const found = await catalog.getBatchesByIds(c, ids);
        return Object.entries(found).map(([id, dto]) => ({ id, dto }));
      },
      (b) => b.id,
    ),
  };
}

export type DatasetLoaders = ReturnType<typeof createDatasetLoaders>;
