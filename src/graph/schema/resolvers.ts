import type { Resolvers } from '../../generated/graphql.ts';
import type { Context } from '../../context.ts';
import type { XdmResourceDto, XdmSummaryDto } from '../../upstream/schemaRegistry/types.ts';
import { isoFromMs } from '../scalars.ts';
import { checkCursor, inMemory, keysetPage } from '../paging.ts';
import {
  CATALOG_FIELD,
  catalogSortKey,
  compareSortKeys,
  NEWEST_FIRST,
  orderOf,
  schemaRegistryOrderby,
} from '../listOrder.ts';
import { datasetListProperties } from '../dataset/properties.ts';
import { fieldTree } from '../../upstream/schemaRegistry/fieldPaths.ts';
import { xdmFieldPaths } from '../../upstream/schemaRegistry/wire.ts';
import { xdmType } from '../upstreamEnums.ts';

const BEHAVIOR_PREFIX = 'https://ns.adobe.com/xdm/data/';

/** List entries are summaries; a field the summary lacks loads the full (`xed-full`) schema. */
async function full(s: XdmResourceDto, ctx: Context): Promise<XdmResourceDto> {
  if (s.properties !== undefined) return s;
  const loaded = await ctx.loaders.schemaById.load(s.$id);
  if (loaded === null) throw new Error(`schema ${s.$id} disappeared while the query ran`);
  return loaded;
}

export const schemaResolvers: Resolvers = {
  Query: {
    schema: (_p, { id }, ctx) => ctx.loaders.schemaById.load(id),
    schemas: async (_p, { first, after, filter, orderBy }, ctx) => {
      const order = orderOf(orderBy, { field: 'TITLE', direction: 'ASC' });
      const shape = { filter, orderBy: order };
      checkCursor(after, shape);
      const property = filter?.classId == null ? undefined : [`meta:class==${filter.classId}`];
      const needle = filter?.titleContains?.toLowerCase();
      const all: XdmSummaryDto[] = await ctx.clients.schemaRegistry.listAllSchemas(ctx.credentials, {
        property,
        orderby: schemaRegistryOrderby(order),
      });
      const matching = needle === undefined ? all : all.filter((s) => s.title.toLowerCase().includes(needle));
      return inMemory(matching as unknown as XdmResourceDto[], first, after, shape);
    },
  },
  XdmSchema: {
    id: (s) => s.$id,
    altId: (s) => s['meta:altId'],
    description: async (s, _a, ctx) => (await full(s, ctx)).description ?? null,
    classId: async (s, _a, ctx) => (await full(s, ctx))['meta:class'] ?? null,
    class: async (s, _a, ctx) => {
      const id = (await full(s, ctx))['meta:class'];
      return id === undefined ? null : { id, title: null };
    },
    fieldGroups: async (s, _a, ctx) => {
      const f = await full(s, ctx);
      const ids = (f['meta:extends'] ?? []).filter(
        (id) =>
          id !== f['meta:class'] &&
          !id.startsWith(BEHAVIOR_PREFIX) &&
          !id.includes('/classes/') &&
          !id.includes('/datatypes/'),
      );
      return ids.map((id) => ({ id, title: null }));
    },
    fields: async (s, _a, ctx) => fieldTree((await full(s, ctx)).properties),
    fieldPaths: async (s, _a, ctx) => xdmFieldPaths((await full(s, ctx)).properties),
    datasets: async (s, { first, after, orderBy }, ctx, info) => {
      const order = orderOf(orderBy, NEWEST_FIRST);
      const shape = { schemaId: s.$id, orderBy: order };
      checkCursor(after, shape);
      // the sort field is read whether or not the selection asks for it
      const properties = [...new Set([...datasetListProperties(info), CATALOG_FIELD[order.field]])];
      const datasets = await ctx.loaders.datasetsBySchemaId.load({ schemaId: s.$id, properties });
      return keysetPage(datasets, first, after, shape, catalogSortKey(order), compareSortKeys(order.direction));
    },
    createdAt: async (s, _a, ctx) => isoFromMs((await full(s, ctx))['meta:registryMetadata']?.['repo:createdDate']),
    updatedAt: async (s, _a, ctx) =>
      isoFromMs((await full(s, ctx))['meta:registryMetadata']?.['repo:lastModifiedDate']),
  },
  XdmField: {
    type: (f) => xdmType(f.type),
  },
};
