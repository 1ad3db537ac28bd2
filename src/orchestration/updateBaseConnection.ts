import type { Context } from '../context.ts';
import type { UpdateBaseConnectionInput } from '../generated/graphql.ts';
import { isNotFound, UpstreamError } from '../upstream/http.ts';
import type { ConnectionDto, JsonPatchOpDto } from '../upstream/flowService/types.ts';
import { checkAuth, scrubbed, secretValues } from './authParams.ts';
import type { BaseConnectionResult } from './createBaseConnection.ts';
import { rereadBaseConnection } from './freshBaseConnection.ts';
import { given } from './given.ts';
import { setOp } from './jsonPatch.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

const fail = (userErrors: UserError[]): BaseConnectionResult => ({ baseConnection: null, userErrors });
const notFound = (id: string) => userError(['input', 'id'], 'NOT_FOUND', `No base connection ${id} in this sandbox`);

function checkInput(input: UpdateBaseConnectionInput): UserError[] {
  const errors: UserError[] = [];
  if (input.etag.trim() === '')
    errors.push(
      userError(['input', 'etag'], 'REQUIRED', 'etag is required: the etag of the connection as you last read it'),
    );
  if (given(input.name) && input.name.trim() === '')
    errors.push(userError(['input', 'name'], 'INVALID', 'name must not be empty'));
  if (!given(input.name) && !given(input.description) && !given(input.auth))
    errors.push(userError(['input'], 'REQUIRED', 'Nothing to change: give at least one of name, description or auth'));
  return errors;
}

/** One JSON Patch (the array form the docs send, CONTRACT §2.6); `auth` is replaced whole. */
function patchOps(current: ConnectionDto, input: UpdateBaseConnectionInput): JsonPatchOpDto[] {
  const ops: JsonPatchOpDto[] = [];
  if (given(input.name)) ops.push({ op: 'replace', path: '/name', value: input.name });
  if (given(input.description)) ops.push(setOp('/description', current.description, input.description));
  if (given(input.auth))
    ops.push(setOp('/auth', current.auth, { specName: input.auth.specName, params: input.auth.params }));
  return ops;
}

/**
 * Renames, redescribes or rotates the credentials of a base connection: new credentials are
 * checked against the connection spec's auth spec first, then one PATCH with the caller's
 * etag. A 412 is reported, never retried with a fresher etag.
 */
export async function updateBaseConnection(
  ctx: Context,
  input: UpdateBaseConnectionInput,
): Promise<BaseConnectionResult> {
  const inputErrors = checkInput(input);
  if (inputErrors.length > 0) return fail(inputErrors);
  const current = await ctx.loaders.baseConnectionById.load(input.id);
  if (current === null) return fail([notFound(input.id)]);
  let secrets: string[] = [];
  if (given(input.auth)) {
    const spec = await ctx.loaders.connectionSpecById.load(current.connectionSpec.id);
    if (spec === null)
      return fail([
        userError(
          ['input', 'id'],
          'NOT_FOUND',
          `The connection spec ${current.connectionSpec.id} of ${input.id} is unknown`,
        ),
      ]);
    const { authSpec, userErrors } = checkAuth(spec, input.auth, ['input', 'auth']);
    if (userErrors.length > 0) return fail(userErrors);
    secrets = secretValues(authSpec, input.auth.params);
  }
  try {
    await ctx.clients.flowService.patchConnection(ctx.credentials, input.id, input.etag, patchOps(current, input));
  } catch (err) {
    if (isNotFound(err)) return fail([notFound(input.id)]);
    if (err instanceof UpstreamError && err.status === 412)
      return fail([
        userError(
          ['input', 'etag'],
          'STALE_ETAG',
          `Base connection ${input.id} changed since etag ${input.etag} was read; nothing was written. Read it again and apply your change to its current etag`,
        ),
      ]);
    const rejection = upstreamRejection(err, ['input']);
    if (rejection === undefined) throw err;
    return fail([scrubbed(rejection, secrets)]);
  }
  return { baseConnection: await rereadBaseConnection(ctx, input.id), userErrors: [] };
}
