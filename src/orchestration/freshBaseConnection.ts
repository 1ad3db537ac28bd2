import type { Context } from '../context.ts';
import type { ConnectionDto } from '../upstream/flowService/types.ts';

/**
 * Reads a base connection after a write (writes answer only `{id, etag}`) and primes the
 * request's loader with it. `null` when it is gone.
 */
export async function rereadBaseConnection(ctx: Context, id: string): Promise<ConnectionDto | null> {
  const fresh = await ctx.clients.flowService.getConnection(ctx.credentials, id);
  ctx.loaders.baseConnectionById.clear(id);
  if (fresh !== null) ctx.loaders.baseConnectionById.prime(id, fresh);
  return fresh;
}
