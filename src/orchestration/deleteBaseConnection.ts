import type { Context } from '../context.ts';
import type { DeleteBaseConnectionInput } from '../generated/graphql.ts';
import type { FlowDto, SourceConnectionDto } from '../upstream/flowService/types.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export interface DeleteBaseConnectionResult {
  deletedBaseConnectionId: string | null;
  deletedFlowIds: string[];
  deletedSourceConnectionIds: string[];
  userErrors: UserError[];
}

const fail = (userErrors: UserError[]): DeleteBaseConnectionResult => ({
  deletedBaseConnectionId: null,
  deletedFlowIds: [],
  deletedSourceConnectionIds: [],
  userErrors,
});

const named = (items: ReadonlyArray<{ id: string; name: string }>) =>
  items.map((i) => `${i.id} ("${i.name}")`).join(', ');

function inUse(id: string, sources: SourceConnectionDto[], flows: FlowDto[]): UserError {
  const parts = [
    flows.length > 0 ? `dataflows ${named(flows)}` : undefined,
    sources.length > 0 ? `source connections ${named(sources)}` : undefined,
  ].filter((p) => p !== undefined);
  return userError(
    ['input', 'id'],
    'IN_USE',
    `Base connection ${id} is used by ${parts.join(' and ')}; delete them first, or set force: true to delete them with it`,
  );
}

/**
 * Deletes a base connection. Its users (source connections reading through it, dataflows
 * reading those) are looked up first: with any, the call is refused naming them, unless
 * `force`, which deletes the dataflows, then the source connections, then the connection,
 * in that order (the Flow Service refuses the connection while a flow uses it, FLOW-1418).
 */
export async function deleteBaseConnection(
  ctx: Context,
  input: DeleteBaseConnectionInput,
): Promise<DeleteBaseConnectionResult> {
  const fs = ctx.clients.flowService;
  const c = ctx.credentials;
  const conn = await ctx.loaders.baseConnectionById.load(input.id);
  if (conn === null)
    return fail([userError(['input', 'id'], 'NOT_FOUND', `No base connection ${input.id} in this sandbox`)]);
  const sources = await fs.listSourceConnectionsByBaseConnectionIds(c, [conn.id]);
  const flows =
    sources.length === 0
      ? []
      : await fs.listFlowsBySourceConnectionIds(
          c,
          sources.map((s) => s.id),
        );
  if ((sources.length > 0 || flows.length > 0) && input.force !== true) return fail([inUse(conn.id, sources, flows)]);
  const deletedFlowIds: string[] = [];
  const deletedSourceConnectionIds: string[] = [];
  try {
    for (const flow of flows) if (await fs.deleteFlow(c, flow.id)) deletedFlowIds.push(flow.id);
    for (const source of sources)
      if (await fs.deleteSourceConnection(c, source.id)) deletedSourceConnectionIds.push(source.id);
    await fs.deleteConnection(c, conn.id);
  } catch (err) {
    const rejection = upstreamRejection(err, ['input', 'id']);
    if (rejection === undefined) throw err;
    return { deletedBaseConnectionId: null, deletedFlowIds, deletedSourceConnectionIds, userErrors: [rejection] };
  }
  ctx.loaders.baseConnectionById.clear(conn.id);
  return { deletedBaseConnectionId: conn.id, deletedFlowIds, deletedSourceConnectionIds, userErrors: [] };
}
