import type { Resolvers } from '../../generated/graphql.ts';
import type { Context } from '../../context.ts';
import type { FlowDto } from '../../upstream/flowService/types.ts';
import { isoFromMs } from '../scalars.ts';
import { checkCursor, scan } from '../paging.ts';
import { catalogOrderBy, flowServicePage, NEWEST_FIRST, orderOf } from '../listOrder.ts';
import { onlyIdSelected } from '../selection.ts';
import type { BatchModel, DatasetModel } from '../models.ts';
import { datasetKey, datasetListProperties } from './properties.ts';
import { ingestionWindow } from './ingestion.ts';
import { batchStatus, dataFormat } from '../upstreamEnums.ts';

/** Flows writing into a dataset: its target connections, then the flows using them. */
async function flowsIntoDataset(ctx: Context, datasetId: string): Promise<FlowDto[]> {
  const targets = await ctx.loaders.targetConnectionsByDatasetId.load(datasetId);
  const lists = await ctx.loaders.flowsByTargetConnectionId.loadMany(targets.map((t) => t.id));
  const flows = new Map<string, FlowDto>();
  for (const l of lists) {
    if (l instanceof Error) throw l;
    for (const f of l) flows.set(f.id, f);
  }
  return [...flows.values()];
}

/** Catalog wildcards: `*` matches anything, a literal `*` is written `**` (§3.4). */
function wildcardContains(text: string): string {
  return `*${text.replaceAll('*', '**')}*`;
}

export const datasetResolvers: Resolvers = {
  Query: {
    dataset: (_p, { id }, ctx, info) => ctx.loaders.datasetById.load(datasetKey(id, info)),
    datasets: (_p, { first, after, filter, orderBy }, ctx, info) => {
      const order = orderOf(orderBy, NEWEST_FIRST);
      const properties = [
        ...new Set([...datasetListProperties(info), ...(filter?.schemaId == null ? [] : ['schemaRef'])]),
      ];
      const filters: Record<string, string> = {};
      if (filter?.nameContains != null && filter.nameContains !== '')
        filters['name'] = wildcardContains(filter.nameContains);
      const schemaId = filter?.schemaId;
      return scan<DatasetModel>({
        first,
        after,
        shape: { filter, orderBy: order },
        offsets: true,
        keep: schemaId == null ? undefined : (d) => d.dto.schemaRef?.id === schemaId,
        fetchPage: async (position, limit) => {
          const start = position === null ? 0 : Number(position);
          const page = await ctx.clients.catalog.listDataSets(ctx.credentials, {
            limit,
            start,
            properties,
            filters,
            orderBy: catalogOrderBy(order),
          });
          return { items: page.items, next: page.nextStart };
        },
      });
    },
    batch: async (_p, { id }, ctx) => ctx.loaders.batchById.load(id),
  },
  Dataset: {
    ingestion: (d, args, ctx) =>
      ctx.loaders.ingestionByDatasetId.load({
        datasetId: d.id,
        ...ingestionWindow(args, ctx.limits.ingestionMaxPoints),
      }),
    name: (d) => d.dto.name,
    description: (d) => d.dto.description ?? null,
    createdAt: (d) => isoFromMs(d.dto.created),
    updatedAt: (d) => isoFromMs(d.dto.updated),
    version: (d) => d.dto.version,
    tags: (d) => d.dto.tags ?? null,
    schemaId: (d) => d.dto.schemaRef?.id ?? null,
    schema: (d, _a, ctx, info) => {
      const id = d.dto.schemaRef?.id;
      if (id === undefined) return null;
      return onlyIdSelected(info) ? ({ $id: id } as never) : ctx.loaders.schemaById.load(id);
    },
    lastBatchStatus: async (d, _a, ctx) =>
      batchStatus(d.dto.lastBatchStatus ?? (await ctx.loaders.lastBatchByDatasetId.load(d.id))?.lastBatchStatus),
    lastBatch: async (d, _a, ctx, info) => {
      const last = await ctx.loaders.lastBatchByDatasetId.load(d.id);
      if (last?.lastBatchId === undefined) return null;
      return onlyIdSelected(info)
        ? { id: last.lastBatchId, dto: {} as never }
        : ctx.loaders.batchById.load(last.lastBatchId);
    },
    batches: (d, { first, after, orderBy }, ctx) => {
      const order = orderOf(orderBy, NEWEST_FIRST);
      return scan<BatchModel>({
        first,
        after,
        shape: { datasetId: d.id, orderBy: order },
        offsets: true,
        fetchPage: async (position, limit) => {
          const page = await ctx.clients.catalog.listBatches(ctx.credentials, {
            dataSet: d.id,
            limit,
            start: position === null ? 0 : Number(position),
            orderBy: catalogOrderBy(order),
          });
          for (const b of page.items) ctx.loaders.batchById.prime(b.id, b);
          return { items: page.items, next: page.nextStart };
        },
      });
    },
    flows: async (d, { first, after, orderBy }, ctx) => {
      const order = orderOf(orderBy, NEWEST_FIRST);
      const shape = { datasetId: d.id, orderBy: order };
      checkCursor(after, shape);
      const flows = await flowsIntoDataset(ctx, d.id);
      return flowServicePage(flows, first, after, shape, order);
    },
  },
  Batch: {
    status: (b) => batchStatus(b.dto.status),
    createdAt: (b) => isoFromMs(b.dto.created),
    startedAt: (b) => isoFromMs(b.dto.started),
    completedAt: (b) => isoFromMs(b.dto.completed),
    recordCount: (b) => b.dto.recordCount ?? null,
    failedRecordCount: (b) => b.dto.failedRecordCount ?? null,
    sizeBytes: (b) => b.dto.size ?? null,
    errors: (b) =>
      (b.dto.errors ?? []).map((e) => ({ code: e.code, description: e.description, rows: e.rows ?? null })),
    datasetId: (b) => b.dto.relatedObjects.find((o) => o.type === 'dataSet')?.id ?? null,
    dataset: (b, _a, ctx, info) => {
      const id = b.dto.relatedObjects.find((o) => o.type === 'dataSet')?.id;
      if (id === undefined) return null;
      return onlyIdSelected(info) ? { id, dto: {} as never } : ctx.loaders.datasetById.load(datasetKey(id, info));
    },
    inputFormat: (b) => dataFormat(b.dto.inputFormat?.format),
  },
};
