import { FLOW_CODES } from './codes.ts';
import { badRequest } from './replies.ts';

/**
 * The Flow Service `property=` grammar (CONTRACT §2.4): `<path><op><value>`, path dotted with
 * `[]` for array elements, ops `== != > < >= <=`, `==`/`!=` take a comma list (any-of /
 * none-of), one pair of double quotes around the value is stripped.
 */
export interface PropertyFilter {
  path: string[];
  op: '==' | '!=' | '>' | '<' | '>=' | '<=';
  values: string[];
}

const OPERATORS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const RANGE_OPERATORS = new Set(['>', '<', '>=', '<=']);
const OPERATOR_CHARS = /[=!<>~]/;

/** Timestamps and counters: a list of values makes no sense on them (`FLOW-1452`). */
const isNumericPath = (path: string): boolean => /(At|AtUTC|Time|Count|Bytes)$/.test(path);

export function parsePropertyFilter(expression: string): PropertyFilter {
  const start = expression.search(OPERATOR_CHARS);
  if (start <= 0)
    throw badRequest(
      `Invalid property filter '${expression}': expected <path><operator><value>.`,
      FLOW_CODES.OPERATOR_INVALID,
    );
  const rawPath = expression.slice(0, start).trim();
  let end = start;
  while (end < expression.length && OPERATOR_CHARS.test(expression[end]!)) end++;
  const op = expression.slice(start, end);
  if (op.includes('~')) throw badRequest(`Operator '~' not implemented.`, FLOW_CODES.OPERATOR_NOT_IMPLEMENTED);
  if (!OPERATORS.has(op))
    throw badRequest(`Invalid operator '${op}' in property filter '${expression}'.`, FLOW_CODES.OPERATOR_INVALID);
  let value = expression.slice(end).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (value === '') throw badRequest(`Empty value for property '${rawPath}'.`, FLOW_CODES.VALUE_EMPTY);
  const values = value.split(',').map((v) => v.trim().replace(/^"(.*)"$/, '$1'));
  if (RANGE_OPERATORS.has(op)) {
    if (rawPath === 'id')
      throw badRequest(`Operator '${op}' is not supported on property 'id'.`, FLOW_CODES.RANGE_ON_ID);
    if (values.length > 1)
      throw badRequest(`Operator '${op}' does not accept a list of values.`, FLOW_CODES.RANGE_WITH_LIST);
    if (!Number.isFinite(Number(value)))
      throw badRequest(`Operator '${op}' needs a numeric value, got '${value}'.`, FLOW_CODES.VALUE_INVALID);
  } else if (values.length > 1 && isNumericPath(rawPath)) {
    throw badRequest(`Property '${rawPath}' does not accept a list of values.`, FLOW_CODES.VALUE_INVALID);
  }
  return { path: rawPath.split('.'), op: op as PropertyFilter['op'], values };
}

/** Every value a path reaches; `[]` (or any array met on the way) fans out over the elements. */
export function valuesAt(obj: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [obj];
  for (const rawSegment of path) {
    const segment = rawSegment.endsWith('[]') ? rawSegment.slice(0, -2) : rawSegment;
    const next: unknown[] = [];
    const visit = (node: unknown) => {
      if (typeof node !== 'object' || node === null) return;
      const child = (node as Record<string, unknown>)[segment];
      if (child !== undefined) next.push(child);
    };
    for (const item of current) {
      if (Array.isArray(item)) for (const node of item) visit(node);
      else visit(item);
    }
    current = next;
  }
  return current.some(Array.isArray)
    ? current.flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]))
    : current;
}

/** Status and state values are stored lowercase but filtered capitalised in the docs (§2.4). */
const caseInsensitive = (path: readonly string[]): boolean =>
  /^(status|state)$/i.test(path[path.length - 1]?.replace('[]', '') ?? '');

/** What an `==` or `!=` filter tests, built once per filter rather than once per object. */
interface ValueTest {
  fold: (s: string) => string;
  wanted: ReadonlySet<string>;
}

const valueTests = new WeakMap<PropertyFilter, ValueTest>();

function valueTestOf(filter: PropertyFilter): ValueTest {
  let test = valueTests.get(filter);
  if (test === undefined) {
    const fold = caseInsensitive(filter.path) ? (s: string) => s.toLowerCase() : (s: string) => s;
    test = { fold, wanted: new Set(filter.values.map(fold)) };
    valueTests.set(filter, test);
  }
  return test;
}

export function matchesFilter(obj: unknown, filter: PropertyFilter): boolean {
  const found = valuesAt(obj, filter.path);
  if (RANGE_OPERATORS.has(filter.op)) {
    const bound = Number(filter.values[0]);
    return found.some((v) => {
      if (v !== null && typeof v === 'object') return false;
      const n = typeof v === 'number' ? v : Number(v);
      if (v === null || v === '' || !Number.isFinite(n)) return false;
      switch (filter.op) {
        case '>':
          return n > bound;
        case '<':
          return n < bound;
        case '>=':
          return n >= bound;
        default:
          return n <= bound;
      }
    });
  }
  const { fold, wanted } = valueTestOf(filter);
  const hit = found.some((v) => (v === null || typeof v !== 'object') && wanted.has(fold(String(v))));
  return filter.op === '==' ? hit : !hit;
}
