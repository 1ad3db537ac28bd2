import type { Resolvers } from '../../generated/graphql.ts';
import type { Context } from '../../context.ts';
import type { ConnectionSpecDto, FlowSpecDto } from '../../upstream/flowService/types.ts';
import { checkCursor, inMemory } from '../paging.ts';
import { connectorCategory } from '../upstreamEnums.ts';

function requiredOf(schema: Record<string, unknown>): string[] {
  const req = schema['required'];
  return Array.isArray(req) ? req.filter((x): x is string => typeof x === 'string') : [];
}

function isStreaming(spec: FlowSpecDto): boolean {
  return spec.attributes.frequency === 'streaming' || spec.scheduleSpec === undefined;
}

/** The specs of `ids` the Flow Service knows (unknown ids are left out); a failed fetch is this field's error. */
async function knownSpecs(ctx: Context, ids: readonly string[]): Promise<ConnectionSpecDto[]> {
  const found = await ctx.loaders.connectionSpecById.loadMany(ids);
  const failed = found.find((s) => s instanceof Error);
  if (failed !== undefined) throw failed;
  return found.filter((s): s is ConnectionSpecDto => s !== null && !(s instanceof Error));
}

export const specResolvers: Resolvers = {
  Query: {
    connectionSpecs: async (_p, { first, after, filter }, ctx) => {
      checkCursor(after, { filter });
      const needle = filter?.nameContains?.toLowerCase();
      const specs = (await ctx.specs.allConnectionSpecs(ctx.credentials)).filter(
        (s) =>
          (filter?.role == null || (filter.role === 'SOURCE') === (s.attributes.isSource === true)) &&
          (filter?.category == null || connectorCategory(s.attributes.category) === filter.category) &&
          (needle === undefined ||
            s.name.toLowerCase().includes(needle) ||
            (s.attributes.connectorName ?? '').toLowerCase().includes(needle)),
      );
      return inMemory(specs, first, after, { filter });
    },
    connectionSpec: (_p, { id }, ctx) => ctx.loaders.connectionSpecById.load(id),
    flowSpecs: async (_p, { first, after }, ctx) => {
      checkCursor(after, {});
      return inMemory(await ctx.specs.allFlowSpecs(ctx.credentials), first, after, {});
    },
    flowSpec: (_p, { id }, ctx) => ctx.loaders.flowSpecById.load(id),
  },
  ConnectionSpec: {
    label: (s) => {
      const ui = s.attributes.uiAttributes as { label?: unknown } | undefined;
      return typeof ui?.label === 'string'
        ? ui.label
        : typeof s.attributes.connectorName === 'string'
          ? s.attributes.connectorName
          : null;
    },
    role: (s) => (s.attributes.isSource === true ? 'SOURCE' : 'TARGET'),
    category: (s) => connectorCategory(s.attributes.category),
    sourceKind: async (s, _a, ctx) => {
      if (s.attributes.isSource !== true) return null;
      const specs = await ctx.specs.allFlowSpecs(ctx.credentials);
      const accepting = specs.filter((f) => f.sourceConnectionSpecIds.includes(s.id));
      if (accepting.some(isStreaming)) return 'STREAMING';
      if (s.sourceSpec?.type === 'Table' || accepting.some((f) => f.transformationSpecs.some((t) => t.name === 'Copy')))
        return 'TABLE';
      return accepting.length > 0 ? 'FILE' : null;
    },
    authSpecs: (s) => s.authSpec,
    sourceSpec: (s) => s.sourceSpec?.spec ?? null,
    flowSpecs: async (s, _a, ctx) =>
      (await ctx.specs.allFlowSpecs(ctx.credentials)).filter(
        (f) => f.sourceConnectionSpecIds.includes(s.id) || f.targetConnectionSpecIds.includes(s.id),
      ),
  },
  AuthSpec: {
    requiredParams: (a) => requiredOf(a.spec),
  },
  FlowSpec: {
    sourceConnectionSpecs: (f, _a, ctx) => knownSpecs(ctx, f.sourceConnectionSpecIds),
    targetConnectionSpecs: (f, _a, ctx) => knownSpecs(ctx, f.targetConnectionSpecIds),
    transformations: (f) => f.transformationSpecs.map((t) => ({ name: t.name, spec: t.spec })),
    scheduleSpec: (f) => f.scheduleSpec?.spec ?? null,
    runSpec: (f) => f.runSpec?.spec ?? null,
    optionSpec: (f) => f.optionSpec?.spec ?? null,
    runsSupported: (f) =>
      f.runSpec !== undefined && f.attributes.uiAttributes?.apiFeatures?.flowRunsSupported !== false,
    isStreaming: (f) => isStreaming(f),
  },
};
