import type { ConnectionOrderField, Resolvers } from '../../generated/graphql.ts';
import type { Context } from '../../context.ts';
import type {
  ConnectionDto,
  FlowDto,
  SourceConnectionDto,
  TargetConnectionDto,
} from '../../upstream/flowService/types.ts';
import type { ListOptions, Page } from '../../upstream/flowService/client.ts';
import { badInput } from '../../errors.ts';
import { isoFromMs } from '../scalars.ts';
import { checkCursor, scan } from '../paging.ts';
import { flowServiceOrderby, flowServicePage, NEWEST_FIRST, orderOf, type OrderBy } from '../listOrder.ts';
import { onlyIdSelected } from '../selection.ts';
import { datasetKey } from '../dataset/properties.ts';
import { columnType, connectionState, dataFormat, streamingDataType } from '../upstreamEnums.ts';

function one(field: string, value: string): string {
  if (value.includes(',') || value.trim() === '') throw badInput(field, 'must be one non-empty id');
  return value;
}

function byName<T extends { name: string }>(needle: string | null | undefined): ((x: T) => boolean) | undefined {
  const n = needle?.toLowerCase();
  return n === undefined || n === '' ? undefined : (x) => x.name.toLowerCase().includes(n);
}

/** A Flow Service list as a Relay connection, priming the by-id loader with every item. */
function flowServiceList<T extends { id: string; name: string }>(
  args: {
    first?: number | null;
    after?: string | null;
    filter?: object | null;
    orderBy?: OrderBy<ConnectionOrderField> | null;
  },
  nameContains: string | null | undefined,
  property: string[],
  list: (o: ListOptions) => Promise<Page<T>>,
  count: (property: string[]) => Promise<number>,
  prime: (item: T) => void,
) {
  const keep = byName<T>(nameContains);
  const order = orderOf(args.orderBy, NEWEST_FIRST);
  return scan<T>({
    first: args.first,
    after: args.after,
    shape: { filter: args.filter, orderBy: order },
    keep,
    fetchPage: async (position, limit) => {
      const page = await list({
        property,
        orderby: flowServiceOrderby(order),
        limit,
        continuationToken: position === null ? undefined : String(position),
      });
      page.items.forEach(prime);
      return page;
    },
    totalCount: keep === undefined ? () => count(property) : () => null,
  });
}

async function flowsOfSources(ctx: Context, sources: readonly SourceConnectionDto[]): Promise<FlowDto[]> {
  const lists = await ctx.loaders.flowsBySourceConnectionId.loadMany(sources.map((s) => s.id));
  const seen = new Map<string, FlowDto>();
  for (const l of lists) {
    if (l instanceof Error) throw l;
    for (const f of l) seen.set(f.id, f);
  }
  return [...seen.values()];
}

const audit = {
  createdAt: (x: { createdAt: number }) => isoFromMs(x.createdAt)!,
  updatedAt: (x: { updatedAt: number }) => isoFromMs(x.updatedAt)!,
  state: (x: { state: string }) => connectionState(x.state),
};

export const connectionResolvers: Resolvers = {
  Query: {
    baseConnections: (_p, { first, after, filter, orderBy }, ctx) => {
      const property =
        filter?.connectionSpecId == null
          ? []
          : [`connectionSpec.id==${one('filter.connectionSpecId', filter.connectionSpecId)}`];
      const fs = ctx.clients.flowService;
      return flowServiceList<ConnectionDto>(
        { first, after, filter, orderBy },
        filter?.nameContains,
        property,
        (o) => fs.listConnections(ctx.credentials, o),
        (p) => fs.countConnections(ctx.credentials, p),
        (x) => ctx.loaders.baseConnectionById.prime(x.id, x),
      );
    },
    baseConnection: (_p, { id }, ctx) => ctx.loaders.baseConnectionById.load(id),
    sourceConnections: (_p, { first, after, filter, orderBy }, ctx) => {
      const property: string[] = [];
      if (filter?.baseConnectionId != null)
        property.push(`baseConnectionId==${one('filter.baseConnectionId', filter.baseConnectionId)}`);
      if (filter?.connectionSpecId != null)
        property.push(`connectionSpec.id==${one('filter.connectionSpecId', filter.connectionSpecId)}`);
      const fs = ctx.clients.flowService;
      return flowServiceList<SourceConnectionDto>(
        { first, after, filter, orderBy },
        filter?.nameContains,
        property,
        (o) => fs.listSourceConnections(ctx.credentials, o),
        (p) => fs.countSourceConnections(ctx.credentials, p),
        (x) => ctx.loaders.sourceConnectionById.prime(x.id, x),
      );
    },
    sourceConnection: (_p, { id }, ctx) => ctx.loaders.sourceConnectionById.load(id),
    targetConnections: (_p, { first, after, filter, orderBy }, ctx) => {
      const property: string[] = [];
      if (filter?.datasetId != null) property.push(`params.dataSetId==${one('filter.datasetId', filter.datasetId)}`);
      if (filter?.connectionSpecId != null)
        property.push(`connectionSpec.id==${one('filter.connectionSpecId', filter.connectionSpecId)}`);
      const fs = ctx.clients.flowService;
      return flowServiceList<TargetConnectionDto>(
        { first, after, filter, orderBy },
        filter?.nameContains,
        property,
        (o) => fs.listTargetConnections(ctx.credentials, o),
        (p) => fs.countTargetConnections(ctx.credentials, p),
        (x) => ctx.loaders.targetConnectionById.prime(x.id, x),
      );
    },
    targetConnection: (_p, { id }, ctx) => ctx.loaders.targetConnectionById.load(id),
  },
  BaseConnection: {
    ...audit,
    connectionSpecId: (b) => b.connectionSpec.id,
    connectionSpec: (b, _a, ctx, info) =>
      onlyIdSelected(info)
        ? ({ id: b.connectionSpec.id } as never)
        : ctx.loaders.connectionSpecById.load(b.connectionSpec.id),
    authSpecName: (b) => b.auth?.specName ?? null,
    inlet: (b) => {
      const p = b.auth?.params ?? {};
      if (typeof p['inletId'] !== 'string') return null;
      return {
        id: p['inletId'],
        url: typeof p['inletUrl'] === 'string' ? p['inletUrl'] : '',
        dataType: streamingDataType(typeof p['dataType'] === 'string' ? p['dataType'] : null),
        authenticationRequired: p['authenticationRequired'] === true || p['authenticationRequired'] === 'true',
      };
    },
    sourceConnections: async (b, { first, after, orderBy }, ctx) => {
      const order = orderOf(orderBy, NEWEST_FIRST);
      const shape = { baseConnectionId: b.id, orderBy: order };
      checkCursor(after, shape);
      const sources = await ctx.loaders.sourceConnectionsByBaseConnectionId.load(b.id);
      return flowServicePage(sources, first, after, shape, order);
    },
    flows: async (b, { first, after, orderBy }, ctx) => {
      const order = orderOf(orderBy, NEWEST_FIRST);
      const shape = { baseConnectionId: b.id, orderBy: order };
      checkCursor(after, shape);
      const flows = await flowsOfSources(ctx, await ctx.loaders.sourceConnectionsByBaseConnectionId.load(b.id));
      return flowServicePage(flows, first, after, shape, order);
    },
  },
  SourceConnection: {
    ...audit,
    baseConnectionId: (s) => s.baseConnectionId ?? null,
    baseConnection: (s, _a, ctx, info) => {
      if (s.baseConnectionId === undefined) return null;
      return onlyIdSelected(info)
        ? ({ id: s.baseConnectionId } as never)
        : ctx.loaders.baseConnectionById.load(s.baseConnectionId);
    },
    connectionSpecId: (s) => s.connectionSpec.id,
    connectionSpec: (s, _a, ctx, info) =>
      onlyIdSelected(info)
        ? ({ id: s.connectionSpec.id } as never)
        : ctx.loaders.connectionSpecById.load(s.connectionSpec.id),
    format: (s) => dataFormat(s.data?.format),
    path: (s) => s.params?.path ?? null,
    tableName: (s) => s.params?.tableName ?? null,
    recursive: (s) =>
      s.params?.recursive === undefined ? null : s.params.recursive === true || String(s.params.recursive) === 'true',
    columns: (s) =>
      s.params?.columns?.map((c) => ({
        name: c.name,
        type: columnType(c.type),
        originalType: c.meta?.originalType ?? null,
      })) ?? null,
    sourceSchemaId: (s) => s.data?.schema?.id ?? null,
    sourceSchema: (s, _a, ctx, info) => {
      const id = s.data?.schema?.id;
      if (id === undefined) return null;
      return onlyIdSelected(info) ? ({ $id: id } as never) : ctx.loaders.schemaById.load(id);
    },
    params: (s) => s.params ?? null,
  },
  TargetConnection: {
    ...audit,
    connectionSpecId: (t) => t.connectionSpec.id,
    connectionSpec: (t, _a, ctx, info) =>
      onlyIdSelected(info)
        ? ({ id: t.connectionSpec.id } as never)
        : ctx.loaders.connectionSpecById.load(t.connectionSpec.id),
    format: (t) => dataFormat(t.data?.format),
    datasetId: (t) => t.params?.dataSetId ?? null,
    dataset: (t, _a, ctx, info) => {
      const id = t.params?.dataSetId;
      if (id === undefined) return null;
      return onlyIdSelected(info) ? { id, dto: {} as never } : ctx.loaders.datasetById.load(datasetKey(id, info));
    },
    schemaId: (t) => t.data?.schema?.id ?? null,
    schema: (t, _a, ctx, info) => {
      const id = t.data?.schema?.id;
      if (id === undefined) return null;
      return onlyIdSelected(info) ? ({ $id: id } as never) : ctx.loaders.schemaById.load(id);
    },
  },
};
