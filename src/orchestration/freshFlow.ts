import type { Context } from '../context.ts';
import type { FlowDto } from '../upstream/flowService/types.ts';

/**
 * Reads a flow after a write (the write answers only `{id, etag}`) and puts the fresh
 * object in the request's loader, so the payload's Flow fields cost no further read.
 * `null` when the flow is gone.
 */
export async function rereadFlow(ctx: Context, id: string): Promise<FlowDto | null> {
  const fresh = await ctx.clients.flowService.getFlow(ctx.credentials, id);
  ctx.loaders.flowById.clear(id);
  if (fresh !== null) ctx.loaders.flowById.prime(id, fresh);
  return fresh;
}
