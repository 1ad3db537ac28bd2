import type { Resolvers } from '../../generated/graphql.ts';
import { createBaseConnection } from '../../orchestration/createBaseConnection.ts';
import { deleteBaseConnection } from '../../orchestration/deleteBaseConnection.ts';
import { exploreBaseConnection } from '../../orchestration/exploreBaseConnection.ts';
import { previewBaseConnection } from '../../orchestration/previewBaseConnection.ts';
import { suggestMappings } from '../../orchestration/suggestMappings.ts';
import { testBaseConnection } from '../../orchestration/testBaseConnection.ts';
import { updateBaseConnection } from '../../orchestration/updateBaseConnection.ts';
import { isSecretParam, setParamNames } from '../../upstream/flowService/secretParams.ts';
import { checkCursor, inMemory } from '../paging.ts';
import { columnType, xdmType } from '../upstreamEnums.ts';

/** The source wizard: connect, test, explore, preview, map. Each field delegates to one orchestration. */
export const wizardResolvers: Resolvers = {
  Query: {
    testBaseConnection: (_p, { id }, ctx) => testBaseConnection(ctx, id),
    suggestMappings: (_p, { input }, ctx) => suggestMappings(ctx, input),
  },
  Mutation: {
    createBaseConnection: (_p, { input }, ctx) => createBaseConnection(ctx, input),
    updateBaseConnection: (_p, { input }, ctx) => updateBaseConnection(ctx, input),
    deleteBaseConnection: (_p, { input }, ctx) => deleteBaseConnection(ctx, input),
  },
  BaseConnection: {
    auth: async (b, _a, ctx) => {
      if (b.auth === undefined) return null;
      const spec = await ctx.loaders.connectionSpecById.load(b.connectionSpec.id);
      const authSpec = spec?.authSpec.find((a) => a.name === b.auth?.specName);
      const set = setParamNames(b.auth.params);
      return {
        id: `${b.id}/auth`,
        specName: b.auth.specName,
        setParams: set,
        secretParams: set.filter((n) => isSecretParam(authSpec, n)),
      };
    },
    explore: async (b, { path, first, after }, ctx) => {
      const shape = { baseConnectionId: b.id, path };
      checkCursor(after, shape);
      const out = await exploreBaseConnection(ctx, b, path);
      return { ...out, objects: out.objects === null ? null : inMemory(out.objects, first, after, shape) };
    },
    preview: (b, args, ctx) => previewBaseConnection(ctx, b, args),
  },
  PreviewColumn: {
    type: (c) => columnType(c.type),
    xdmType: (c) => xdmType(c.xdm?.type),
    // `xdm.format`, or the older `meta:xdmType` of an instant
    format: (c) => c.xdm?.format ?? (c['meta:xdmType'] === 'date-time' ? 'date-time' : null),
  },
};
