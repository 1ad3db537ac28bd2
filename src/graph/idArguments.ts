import {
  getNamedType,
  getNullableType,
  GraphQLID,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { badInput } from '../errors.ts';
import type { Context } from '../context.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import { forbiddenAt, MAX_REPORTED_ERRORS } from '../orchestration/inputBounds.ts';
import { userError, type UserError } from '../orchestration/userErrors.ts';

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

/** The problem with one id, if any, and its user error code. */
function idCheck(value: unknown, form: IdForm, maxLength: number): { code: UserErrorCode; reason: string } | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === 0) return { code: 'REQUIRED', reason: 'must not be empty' };
  if (value.length > maxLength)
    return { code: 'TOO_LONG', reason: `is ${value.length} characters long; at most ${maxLength} are allowed` };
  if (!ID_FORMS[form].pattern.test(value))
    return {
      // the code every other input string gets for such a character
      code: forbiddenAt(value, false) === undefined ? 'INVALID' : 'BAD_CHARACTER',
      reason: `is not a Platform id: ids hold only ${ID_FORMS[form].says}`,
    };
  return undefined;
}

/** `resolve` preceded by the check of its id arguments. */
export function checkingIds(
  resolve: GraphQLFieldResolver<unknown, Context, Record<string, unknown>>,
  args: Record<string, IdForm>,
): GraphQLFieldResolver<unknown, Context, Record<string, unknown>> {
  return (parent, given, ctx, info) => {
    for (const [name, form] of Object.entries(args)) {
      const problem = idCheck(given[name], form, ctx.inputLimits.maxPathLength);
      if (problem !== undefined) throw badInput(name, problem.reason);
    }
    return resolve(parent, given, ctx, info);
  };
}

/** `ID` input fields that hold an XDM `$id` or `meta:altId`; every other `ID` input field holds a plain id. */
const SCHEMA_ID_FIELDS: ReadonlySet<string> = new Set(['schemaId', 'sourceSchemaId', 'classId', 'fieldGroupIds']);

/** A malformed id found in an input value: its path, code, field name and what is wrong. */
interface FoundIdProblem {
  field: string[];
  code: UserErrorCode;
  name: string;
  reason: string;
}

/** Every `ID` field of an input value (nested inputs and lists included) that no Platform id can be. */
function idProblemsIn(
  type: GraphQLInputType,
  value: unknown,
  at: readonly string[],
  maxLength: number,
): FoundIdProblem[] {
  const problems: FoundIdProblem[] = [];
  const walk = (t: GraphQLInputType, v: unknown, path: readonly string[], name: string): void => {
    if (v === null || v === undefined || problems.length >= MAX_REPORTED_ERRORS) return;
    const bare = getNullableType(t);
    if (isListType(bare)) {
      if (Array.isArray(v)) v.forEach((item, i) => walk(bare.ofType, item, [...path, String(i)], name));
      return;
    }
    if (isInputObjectType(bare)) {
      if (typeof v !== 'object') return;
      for (const [key, field] of Object.entries(bare.getFields()))
        walk(field.type, (v as Record<string, unknown>)[key], [...path, key], key);
      return;
    }
    if (bare !== GraphQLID) return;
    const problem = idCheck(v, SCHEMA_ID_FIELDS.has(name) ? 'schema' : 'plain', maxLength);
    if (problem !== undefined) problems.push({ field: [...path], code: problem.code, name, reason: problem.reason });
  };
  walk(type, value, at, at.at(-1) ?? '');
  return problems;
}

/**
 * `resolve` (or `subscribe`) of a root field preceded by the check of the ids inside its
 * input-object arguments other than `input` (the list filters: `filter.datasetId`,
 * `filter.flowIds`): the first malformed one is a BAD_USER_INPUT naming its argument path
 * (`filter.datasetId`, `filter.flowIds.1`), before any upstream request.
 */
export function checkingArgumentIds(
  resolve: GraphQLFieldResolver<unknown, Context, Record<string, unknown>>,
): GraphQLFieldResolver<unknown, Context, Record<string, unknown>> {
  return (parent, given, ctx, info) => {
    for (const arg of info.parentType.getFields()[info.fieldName]?.args ?? []) {
      if (arg.name === 'input' || !isInputObjectType(getNamedType(arg.type))) continue;
      const [problem] = idProblemsIn(arg.type, given[arg.name], [arg.name], ctx.inputLimits.maxPathLength);
      if (problem !== undefined) throw badInput(problem.field.join('.'), problem.reason);
    }
    return resolve(parent, given, ctx, info);
  };
}

/**
 * The payload of a rejected input: `userErrors`, an empty list for every other list, 0 for
 * every count, false for every flag, null for the rest (nothing was written).
 */
function rejectedPayload(type: GraphQLOutputType, userErrors: UserError[]): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  const object = getNullableType(type);
  if (!isObjectType(object)) return { userErrors };
  for (const [name, field] of Object.entries(object.getFields())) {
    if (!isNonNullType(field.type)) payload[name] = null;
    else if (isListType(field.type.ofType)) payload[name] = [];
    else if (isScalarType(field.type.ofType)) payload[name] = field.type.ofType.name === 'Boolean' ? false : 0;
  }
  return { ...payload, userErrors };
}

/**
 * `resolve` of a root field with an `input` argument, preceded by the check of every id in
 * that input: a malformed one is a user error at its input path (REQUIRED, TOO_LONG or
 * INVALID) before any upstream request, as the payload reports every other input problem.
 */
export function checkingInputIds(
  resolve: GraphQLFieldResolver<unknown, Context, Record<string, unknown>>,
): GraphQLFieldResolver<unknown, Context, Record<string, unknown>> {
  return (parent, given, ctx, info) => {
    const arg = info.parentType.getFields()[info.fieldName]?.args.find((a) => a.name === 'input');
    if (arg !== undefined) {
      const problems = idProblemsIn(arg.type, given['input'], ['input'], ctx.inputLimits.maxPathLength);
      if (problems.length > 0)
        return rejectedPayload(
          info.returnType,
          problems.map(({ field, code, name, reason }) => userError(field, code, `${name} ${reason}`)),
        );
    }
    return resolve(parent, given, ctx, info);
  };
}
