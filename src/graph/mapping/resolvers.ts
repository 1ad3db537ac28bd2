import type { Resolvers } from '../../generated/graphql.ts';
import type { MappingSetDto } from '../../upstream/dataPrep/types.ts';
import { isoFromMs } from '../scalars.ts';
import { onlyIdSelected } from '../selection.ts';
import { mappingSetStatus, mappingSourceType } from '../upstreamEnums.ts';
import { mappingSetKey, mappingSetVersionId } from './versionIds.ts';

function targetSchemaId(m: MappingSetDto): string {
  return m.outputSchema.schemaRef.id;
}

export const mappingResolvers: Resolvers = {
  Query: {
    mappingSet: (_p, { id, version }, ctx) => ctx.loaders.mappingSetById.load(mappingSetKey(id, version)),
  },
  MappingSet: {
    id: (m) => mappingSetVersionId(m.id, m.version),
    mappingSetId: (m) => m.id,
    name: (m) => m.name ?? null,
    status: (m) => mappingSetStatus(m.status),
    targetSchemaId: (m) => targetSchemaId(m),
    targetSchema: (m, _a, ctx, info) => {
      const id = targetSchemaId(m);
      return onlyIdSelected(info) ? ({ $id: id } as never) : ctx.loaders.schemaById.load(id);
    },
    mappings: (m) => m.mappings,
    validation: async (m, _a, ctx) => {
      const res = await ctx.loaders.validationByMappingSet.load(m);
      if (res === null) return null;
      const errors = res.validationResponse.flatMap((r, mappingIndex) =>
        (r.errors ?? []).map((e) => ({
          mappingIndex,
          destination: m.mappings[mappingIndex]?.destination ?? null,
          code: e.code,
          message: e.message,
        })),
      );
      return { valid: res.validationResponse.every((r) => r.status === 'SUCCESS'), errors };
    },
    createdAt: (m) => isoFromMs(m.createdDate),
    updatedAt: (m) => isoFromMs(m.modifiedDate),
  },
  Mapping: {
    mappingId: (m) => m.id,
    sourceType: (m) => mappingSourceType(m.sourceType),
    source: (m) => m.source,
    destination: (m) => m.destination,
    identity: (m) => m.identity === true,
    namespaceCode: (m) => m.namespaceCode ?? null,
  },
};
