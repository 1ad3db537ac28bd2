import type { GraphQLFieldResolver } from 'graphql';
import { badInput } from '../errors.ts';
import type { Context } from '../context.ts';

/**
 * The id arguments of root fields, checked before any upstream request: an id the Platform
 * cannot have (empty, longer than INPUT_MAX_PATH_LENGTH, or of characters its ids never use)
 * is a BAD_USER_INPUT naming the argument, never a request that fails upstream.
 */

/** The characters of each kind of Platform id. */
const ID_FORMS = {
  /** Flow Service ids (UUIDs), Catalog ids (24 hex), batch ids (ULID-like), mapping set ids (32 hex). */
  plain: { pattern: /^[A-Za-z0-9_-]+$/, says: 'letters, digits, "-" and "_"' },
  /** A schema's `$id` (`https://ns.adobe.com/{tenant}/schemas/{hex}`) or `meta:altId` (`_{tenant}.schemas.{hex}`). */
  schema: { pattern: /^[A-Za-z0-9_.:/-]+$/, says: 'letters, digits, "-", "_", ".", ":" and "/"' },
  /** A mapping set id, or a `MappingSet.id` (`<id>@<version>`). */
  mappingSet: { pattern: /^[A-Za-z0-9_-]+(@[0-9]+)?$/, says: 'letters, digits, "-" and "_", then "@" and a version' },
} as const;

type IdForm = keyof typeof ID_FORMS;

/** Root fields and their id arguments. */
export const ID_ARGUMENTS: Record<string, Record<string, Record<string, IdForm>>> = {
  Query: {
    flow: { id: 'plain' },
    flowRuns: { flowId: 'plain' },
    flowRun: { id: 'plain' },
    connectionSpec: { id: 'plain' },
    flowSpec: { id: 'plain' },
    baseConnection: { id: 'plain' },
    sourceConnection: { id: 'plain' },
    targetConnection: { id: 'plain' },
    dataset: { id: 'plain' },
    batch: { id: 'plain' },
    schema: { id: 'schema' },
    mappingSet: { id: 'mappingSet' },
    testBaseConnection: { id: 'plain' },
  },
};

/** The problem with one id argument, if any. */
export function idProblem(value: unknown, form: IdForm, maxLength: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxLength) return `is ${value.length} characters long; at most ${maxLength} are allowed`;
  if (!ID_FORMS[form].pattern.test(value)) return `is not a Platform id: ids hold only ${ID_FORMS[form].says}`;
  return undefined;
}

/** `resolve` preceded by the check of its id arguments. */
export function checkingIds(
  resolve: GraphQLFieldResolver<unknown, Context, Record<string, unknown>>,
  args: Record<string, IdForm>,
): GraphQLFieldResolver<unknown, Context, Record<string, unknown>> {
  return (parent, given, ctx, info) => {
    for (const [name, form] of Object.entries(args)) {
      const problem = idProblem(given[name], form, ctx.inputLimits.maxPathLength);
      if (problem !== undefined) throw badInput(name, problem);
    }
    return resolve(parent, given, ctx, info);
  };
}
