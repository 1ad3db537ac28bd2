import type { Context } from '../context.ts';
import { isNotFound } from '../upstream/http.ts';
import type { FlowDto } from '../upstream/flowService/types.ts';
import { rereadFlow } from './freshFlow.ts';
import { checkInputBounds } from './inputBounds.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export interface DataflowStateResult {
  flow: FlowDto | null;
  userErrors: UserError[];
}

const notFound = (id: string): DataflowStateResult => ({
  flow: null,
  userErrors: [userError(['input', 'id'], 'NOT_FOUND', `No dataflow with id ${id}`)],
});

/**
 * Enables or disables a dataflow. Idempotent: a flow already in the wanted state is
 * returned as it is, with no write (the Flow Service refuses a second disable, 1422).
 * One write, `POST /flows/{id}/action?op=`; if it is refused nothing changed, so there is
 * nothing to compensate.
 */
export async function setDataflowState(
  ctx: Context,
  id: string,
  state: FlowDto['state'],
): Promise<DataflowStateResult> {
  const outOfBounds = checkInputBounds(id, ['input', 'id'], ctx.inputLimits);
  if (outOfBounds.length > 0) return { flow: null, userErrors: outOfBounds };
  const flow = await ctx.loaders.flowById.load(id);
  if (flow === null) return notFound(id);
  if (flow.state === state) return { flow, userErrors: [] };
  try {
    await ctx.clients.flowService.flowAction(ctx.credentials, id, state === 'enabled' ? 'enable' : 'disable');
  } catch (err) {
    if (isNotFound(err)) return notFound(id);
    const rejection = upstreamRejection(err, ['input', 'id']);
    if (rejection === undefined) throw err;
    return { flow: null, userErrors: [rejection] };
  }
  return { flow: await rereadFlow(ctx, id), userErrors: [] };
}
