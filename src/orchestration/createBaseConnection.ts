import type { Context } from '../context.ts';
import type { CreateBaseConnectionInput } from '../generated/graphql.ts';
import type { ConnectionDto } from '../upstream/flowService/types.ts';
import { checkAuth, scrubbed, secretValues } from './authParams.ts';
import { rereadBaseConnection } from './freshBaseConnection.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export interface BaseConnectionResult {
  baseConnection: ConnectionDto | null;
  userErrors: UserError[];
}

const fail = (userErrors: UserError[]): BaseConnectionResult => ({ baseConnection: null, userErrors });

/**
 * Connect to a source: the connection spec is read, the credentials are checked against its
 * auth spec (every problem at once, nothing written), then one `POST /connections`.
 */
export async function createBaseConnection(
  ctx: Context,
  input: CreateBaseConnectionInput,
): Promise<BaseConnectionResult> {
  const errors: UserError[] = [];
  if (input.name.trim() === '') errors.push(userError(['input', 'name'], 'REQUIRED', 'name must not be empty'));
  const spec = await ctx.loaders.connectionSpecById.load(input.connectionSpecId);
  if (spec === null)
    return fail([
      ...errors,
      userError(['input', 'connectionSpecId'], 'NOT_FOUND', `No connection spec ${input.connectionSpecId}`),
    ]);
  if (spec.attributes.isSource !== true)
    return fail([
      ...errors,
      userError(
        ['input', 'connectionSpecId'],
        'WRONG_KIND',
        `Connection spec ${spec.id} (${spec.name}) is not a source: base connections connect to sources`,
      ),
    ]);
  const { authSpec, userErrors: authErrors } = checkAuth(spec, input.auth, ['input', 'auth']);
  errors.push(...authErrors);
  if (errors.length > 0) return fail(errors);
  let id: string;
  try {
    ({ id } = await ctx.clients.flowService.createConnection(ctx.credentials, {
      name: input.name,
      ...(input.description == null ? {} : { description: input.description }),
      auth: { specName: input.auth.specName, params: input.auth.params as Record<string, unknown> },
      connectionSpec: { id: spec.id, version: spec.version },
    }));
  } catch (err) {
    const rejection = upstreamRejection(err, ['input']);
    if (rejection === undefined) throw err;
    return fail([scrubbed(rejection, secretValues(authSpec, input.auth.params))]);
  }
  return { baseConnection: await rereadBaseConnection(ctx, id), userErrors: [] };
}
