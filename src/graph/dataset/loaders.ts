import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { LastBatchDto } from '../../upstream/catalog/types.ts';
import { Loader, multiGetLoader, observedBatch, PrefetchingLoader, type LoaderOptions } from '../batchLoaders.ts';
import type { BatchModel, DatasetModel } from '../models.ts';
import type { IngestionPoint } from '../../generated/graphql.ts';
import type { IngestionSeries } from '../../upstream/observability/client.ts';
import { ingestionPoints, windowKey, type IngestionKey } from './ingestion.ts';

/** A dataset wanted with (at least) these top-level Catalog properties. */
export interface DatasetKey {
  id: string;
  properties: readonly string[];
}

/** The datasets of a schema, each with (at least) these top-level Catalog properties. */
export interface DatasetsOfSchemaKey {
  schemaId: string;
  properties: readonly string[];
}

/** Guard against a Catalog that keeps answering full pages. */
const MAX_DATASET_PAGES = 100;

export function createDatasetLoaders(clients: UpstreamClients, c: Credentials, options: LoaderOptions = {}) {
  const catalog = clients.catalog;
  /** Datasets this request created: every property is known, so no key needs a fetch. */
  const created = new Map<string, DatasetModel>();
  return {
    primeCreatedDataset(model: DatasetModel): void {
      created.set(model.id, model);
    },
    /**
     * Catalog filters only top-level properties, not `schemaRef.id`: every dataset is listed
     * once per batch, with the union of the properties asked for, and grouped by schema here.
     */
    datasetsBySchemaId: new Loader<DatasetsOfSchemaKey, DatasetModel[], string>(
      observedBatch('datasetsBySchemaId', options, async (keys) => {
        const properties = [...new Set(['schemaRef', ...keys.flatMap((k) => k.properties)])].sort();
        try {
          const bySchema = new Map<string, DatasetModel[]>();
          let start: number | null = 0;
          for (let pages = 0; start !== null && pages < MAX_DATASET_PAGES; pages++) {
            const page = await catalog.listDataSets(c, { limit: 100, start, properties, orderBy: 'desc:created' });
            for (const d of page.items) {
              const id = d.dto.schemaRef?.id;
              if (id === undefined) continue;
              const list = bySchema.get(id);
              if (list === undefined) bySchema.set(id, [d]);
              else list.push(d);
            }
            start = page.nextStart;
          }
          return keys.map((k) => bySchema.get(k.schemaId) ?? []);
        } catch (err) {
          return keys.map(() => err as Error);
        }
      }),
      { cacheKeyFn: (k) => `${k.schemaId}|${[...k.properties].sort().join(',')}`, batch: options.batch },
    ),
    /**
     * One multi-get per batch asking for the union of the properties the query selects
     * (Catalog `properties=`); keys differing only in properties share the request.
     */
    datasetById: new PrefetchingLoader<DatasetKey, DatasetModel>(
      'datasetById',
      c,
      (cc) => async (keys) => {
        const missing = keys.filter((k) => !created.has(k.id));
        const properties = [...new Set(missing.flatMap((k) => k.properties))].sort();
        try {
          const found =
            missing.length === 0
              ? {}
              : await catalog.getDataSetsByIds(cc, [...new Set(missing.map((k) => k.id))], { properties });
          return keys.map((k) => {
            const known = created.get(k.id);
            if (known !== undefined) return known;
            const dto = found[k.id];
            return dto === undefined ? null : { id: k.id, dto };
          });
        } catch (err) {
          return keys.map(() => err as Error);
        }
      },
      { ...options, cacheKeyFn: (k) => `${k.id}|${[...k.properties].sort().join(',')}` },
    ),
    lastBatchByDatasetId: multiGetLoader<LastBatchDto & { dataSetId: string }>(
      'lastBatchByDatasetId',
      async (ids) => {
        const found = await catalog.getLastBatches(c, ids);
        return Object.entries(found).map(([dataSetId, dto]) => ({ ...dto, dataSetId }));
      },
      (x) => x.dataSetId,
      options,
    ),
    /**
     * One metrics request per distinct window for every dataset asking for it (the
     * dataset ids joined in one filter, grouped by dataset), not one per dataset.
     */
    ingestionByDatasetId: new Loader<IngestionKey, IngestionPoint[], string>(
      observedBatch('ingestionByDatasetId', options, async (keys) => {
        const byWindow = new Map<string, IngestionKey[]>();
        for (const k of keys) byWindow.set(windowKey(k), [...(byWindow.get(windowKey(k)) ?? []), k]);
        const results = new Map<string, IngestionSeries | Error>();
        await Promise.all(
          [...byWindow].map(async ([wk, group]) => {
            try {
              const ids = group.map((k) => k.datasetId);
              results.set(wk, await clients.observability.getDatasetIngestion(c, ids, group[0]!));
            } catch (err) {
              results.set(wk, err as Error);
            }
          }),
        );
        return keys.map((k) => {
          const series = results.get(windowKey(k))!;
          return series instanceof Error ? series : ingestionPoints(series, k);
        });
      }),
      { cacheKeyFn: (k) => `${k.datasetId}|${windowKey(k)}`, batch: options.batch },
    ),
    batchById: multiGetLoader<BatchModel>(
      'batchById',
      async (ids) => {
        const found = await catalog.getBatchesByIds(c, ids);
        return Object.entries(found).map(([id, dto]) => ({ id, dto }));
      },
      (b) => b.id,
      options,
    ),
  };
}

export type DatasetLoaders = ReturnType<typeof createDatasetLoaders>;
