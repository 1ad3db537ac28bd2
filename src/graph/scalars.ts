import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badInput } from '../errors.ts';

/** Epoch milliseconds from the upstream to ISO-8601; undefined and null pass through as null. */
export function isoFromMs(ms: number | string | null | undefined): string | null {
  if (ms === null || ms === undefined || ms === '') return null;
  const n = Number(ms);
  return Number.isFinite(n) ? new Date(n).toISOString() : null;
}

/** Epoch seconds (schedules and run windows, sent as numbers or numeric strings) to ISO-8601. */
export function isoFromSeconds(s: number | string | null | undefined): string | null {
  if (s === null || s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? new Date(n * 1000).toISOString() : null;
}

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw badInput(
      'DateTime',
      `expected an ISO-8601 date-time such as 2026-01-31T12:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return new Date(value).toISOString();
}

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : isoFromMs(v as number)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      return undefined;
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});

/**
 * A whole number from -(2^53 - 1) to 2^53 - 1, sent as a JSON number: exact in every
 * JavaScript client, unlike Int it does not stop at 2^31. Upstream counts sent as numeric
 * strings are accepted; a fraction or a value out of range is an error at the field, never
 * a rounded number.
 */
function toSafeInt(value: unknown, where: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new GraphQLError(`SafeInt ${where} a whole number within ±(2^53 - 1), got ${JSON.stringify(value)}`, {
      // an upstream value that does not fit is our fault (logged, answered generically); an input the caller's
      extensions: where === 'must be' ? { code: 'BAD_USER_INPUT' } : {},
    });
  return n;
}

export const SafeInt = new GraphQLScalarType({
  name: 'SafeInt',
  serialize: (v) => toSafeInt(v, 'can only represent'),
  parseValue: (v) => toSafeInt(v, 'must be'),
  parseLiteral: (ast) => toSafeInt(ast.kind === Kind.INT ? Number(ast.value) : undefined, 'must be'),
});
