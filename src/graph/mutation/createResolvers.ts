import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../generated/graphql.ts';
import type { Context } from '../../context.ts';
import { createDataflow } from '../../orchestration/createDataflow.ts';
import { createStreamingDataflow } from '../../orchestration/createStreamingDataflow.ts';
import { datasetKey } from '../dataset/properties.ts';
import { onlyIdSelected } from '../selection.ts';

/** A created or referenced dataset: read only when the payload asks for more than what is held. */
function payloadDataset(d: { id: string; dto?: unknown } | null, ctx: Context, info: GraphQLResolveInfo) {
  if (d === null) return null;
  if (d.dto !== undefined || onlyIdSelected(info)) return { id: d.id, dto: (d.dto ?? {}) as never };
  return ctx.loaders.datasetById.load(datasetKey(d.id, info));
}

function payloadSchema(s: { $id: string; title?: string } | null, ctx: Context, info: GraphQLResolveInfo) {
  if (s === null) return null;
  if (s.title !== undefined || onlyIdSelected(info)) return s as never;
  return ctx.loaders.schemaById.load(s.$id);
}

function payloadMappingSet(m: { id: string; version?: number } | null, ctx: Context, info: GraphQLResolveInfo) {
  if (m === null) return null;
  return onlyIdSelected(info, ['id', 'mappingSetId', 'version'])
    ? ({ id: m.id, version: m.version ?? 0 } as never)
    : ctx.loaders.mappingSetById.load(m);
}

export const createMutationResolvers: Resolvers = {
  Mutation: {
    createDataflow: (_p, { input }, ctx) => createDataflow(ctx, input),
    createStreamingDataflow: (_p, { input }, ctx) => createStreamingDataflow(ctx, input),
  },
  CreateStreamingDataflowPayload: {
    dataset: (p, _a, ctx, info) => payloadDataset(p.dataset, ctx, info),
    targetSchema: (p, _a, ctx, info) => payloadSchema(p.targetSchema, ctx, info),
    mappingSet: (p, _a, ctx, info) => payloadMappingSet(p.mappingSet, ctx, info),
  },
  CreateDataflowPayload: {
    dataset: (p, _a, ctx, info) => payloadDataset(p.dataset, ctx, info),
    targetSchema: (p, _a, ctx, info) => payloadSchema(p.targetSchema, ctx, info),
    mappingSet: (p, _a, ctx, info) => payloadMappingSet(p.mappingSet, ctx, info),
  },
};
