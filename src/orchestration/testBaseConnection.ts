import type { Context } from '../context.ts';
import { isNotFound, UpstreamError } from '../upstream/http.ts';
import { userError, type UserError } from './userErrors.ts';

export interface TestBaseConnectionResult {
  baseConnectionId: string;
  reachable: boolean | null;
  reason: string | null;
  userErrors: UserError[];
}

/**
 * `GET /connections/{id}/test`. The documented answer is only `{result}`; a source that
 * refuses may also answer a 4xx provider error, whose message becomes the reason.
 */
export async function testBaseConnection(ctx: Context, id: string): Promise<TestBaseConnectionResult> {
  const notFound = (): TestBaseConnectionResult => ({
    baseConnectionId: id,
    reachable: null,
    reason: null,
    userErrors: [userError(['id'], 'NOT_FOUND', `No base connection ${id} in this sandbox`)],
  });
  try {
    const { result } = await ctx.clients.flowService.testConnection(ctx.credentials, id);
    if (result) return { baseConnectionId: id, reachable: true, reason: null, userErrors: [] };
    const conn = await ctx.loaders.baseConnectionById.load(id);
    return {
      baseConnectionId: id,
      reachable: false,
      reason: `The platform could not reach the source with the credentials of base connection ${id}${conn?.auth === undefined ? '' : ` (auth spec "${conn.auth.specName}")`}; rotate them with updateBaseConnection`,
      userErrors: [],
    };
  } catch (err) {
    if (isNotFound(err)) return notFound();
    const refused = err instanceof UpstreamError && err.status !== undefined && err.status >= 400 && err.status < 500;
    if (!refused || err.refusesCaller) throw err;
    return {
      baseConnectionId: id,
      reachable: false,
      reason:
        err.upstreamMessage ??
        `The Flow Service answered HTTP ${err.status}${err.code === undefined ? '' : ` (${err.code})`}`,
      userErrors: [],
    };
  }
}
