import { jsonText } from '../jsonText.ts';
import { CATALOG_LIMITS } from '../../upstream/catalog/wire.ts';
import { catalogError } from '../errors.ts';

/**
 * The Catalog list grammar (CONTRACT §3.4): `limit` (1..100, default 20), `start` offset,
 * `orderBy`, `properties` projection, simple filters, `property=` conditions and `tags`.
 * Every parameter a resource does not know is a 400 naming it, so a client typo never
 * silently returns an unfiltered list.
 */

export const DEFAULT_LIMIT = CATALOG_LIMITS.default;
export const MAX_LIMIT = CATALOG_LIMITS.max;

type Row = [id: string, obj: Record<string, unknown>];
type Predicate = (id: string, obj: Record<string, unknown>) => boolean;

/** How one resource kind reads its simple filters; `name` supports `*` wildcards. */
export interface ListSpec {
  /** Simple-filter parameters compared with the top-level property of the same name. */
  simple: readonly string[];
  /** Parameters with their own meaning (e.g. batches' `dataSet`, `createdAfter`). */
  custom?: Record<string, (value: string) => Predicate>;
}

const PAGING = ['limit', 'start', 'orderBy', 'properties', 'property', 'tags'] as const;

export interface ListResult {
  status: 200;
  body: Record<string, unknown>;
}

function valueOf(id: string, obj: Record<string, unknown>, prop: string): unknown {
  return prop === 'id' ? id : obj[prop];
}

function badParam(message: string): never {
  throw catalogError(400, 1400, message);
}

function parseIntParam(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) badParam(`The query parameter ${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}

/** `name` wildcards: `*` any run of characters, `**` a literal `*`. */
function wildcardRegex(pattern: string): RegExp {
  const parts = pattern.split('**').map((p) =>
    p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  return new RegExp(`^${parts.join('\\*')}$`, 's');
}

function simpleFilter(prop: string, raw: string): Predicate {
  const negate = raw.startsWith('!');
  const values = (negate ? raw.slice(1) : raw).split(',');
  const matchers = values.map((v) => (prop === 'name' && v.includes('*') ? wildcardRegex(v) : v));
  return (id, obj) => {
    const actual = valueOf(id, obj, prop);
    const text = actual === undefined || actual === null ? undefined : jsonText(actual);
    const hit = text !== undefined && matchers.some((m) => (typeof m === 'string' ? m === text : m.test(text)));
    return negate ? !hit : hit;
  };
}

function compare(actual: unknown, expected: string): number | undefined {
  if (actual === undefined || actual === null) return undefined;
  if (typeof actual === 'number' && expected.trim() !== '' && !Number.isNaN(Number(expected)))
    return actual - Number(expected);
  const text = jsonText(actual);
  return text < expected ? -1 : text > expected ? 1 : 0;
}

/** `property=` conditions on top-level properties: exists, `!prop`, `~regex`, `==`, `!=`, `<`, `<=`, `>`, `>=`. */
export function propertyCondition(raw: string): Predicate {
  const match = /^([^=!<>~]+)(==|!=|<=|>=|<|>|~)(.*)$/s.exec(raw);
  if (match === null) {
    const negate = raw.startsWith('!');
    const prop = negate ? raw.slice(1) : raw;
    if (!/^[^=!<>~]+$/.test(prop)) badParam(`The property filter '${raw}' is not valid`);
    return (id, obj) => (valueOf(id, obj, prop) !== undefined) !== negate;
  }
  const [, prop, op, value] = match as unknown as [string, string, string, string];
  if (op === '~') {
    let re: RegExp;
    try {
      re = new RegExp(value);
    } catch {
      badParam(`The regular expression in property filter '${raw}' is not valid`);
    }
    return (id, obj) => {
      const actual = valueOf(id, obj, prop);
      return actual !== undefined && actual !== null && re.test(jsonText(actual));
    };
  }
  return (id, obj) => {
    const c = compare(valueOf(id, obj, prop), value);
    if (op === '!=') return c !== 0;
    if (c === undefined) return false;
    switch (op) {
      case '==':
        return c === 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      default:
        return c >= 0;
    }
  };
}

/** `tags=k:v,k2:*`: every listed tag must be present with a matching value (`*` wildcard). */
function tagsFilter(raw: string): Predicate {
  const wanted = raw.split(',').map((item) => {
    const at = item.indexOf(':');
    return at < 0
      ? { key: item, value: undefined }
      : { key: item.slice(0, at), value: wildcardRegex(item.slice(at + 1)) };
  });
  return (_id, obj) => {
    const tags = (obj['tags'] ?? {}) as Record<string, unknown>;
    return wanted.every(({ key, value }) => {
      const values = tags[key];
      if (!Array.isArray(values)) return false;
      return value === undefined || values.some((v) => value.test(String(v)));
    });
  };
}

interface SortKey {
  prop: string;
  dir: 1 | -1;
}

function parseOrderBy(raw: string): SortKey[] {
  return raw.split(',').map((part) => {
    const m = /^(?:(asc|desc):)?(.+)$/i.exec(part.trim());
    if (m === null || m[2] === undefined || m[2].includes(':'))
      badParam(`The orderBy value '${part}' is not valid; use asc:prop or desc:prop`);
    return { prop: m[2], dir: m[1]?.toLowerCase() === 'desc' ? -1 : 1 };
  });
}

function sortRows(rows: Row[], keys: SortKey[]): Row[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      for (const { prop, dir } of keys) {
        const va = valueOf(a.row[0], a.row[1], prop);
        const vb = valueOf(b.row[0], b.row[1], prop);
        if (va === vb) continue;
        // objects lacking the property sort last whatever the direction
        if (va === undefined) return 1;
        if (vb === undefined) return -1;
        const c =
          typeof va === 'number' && typeof vb === 'number'
            ? va - vb
            : jsonText(va) < jsonText(vb)
              ? -1
              : jsonText(va) > jsonText(vb)
                ? 1
                : 0;
        if (c !== 0) return c * dir;
      }
      return a.index - b.index;
    })
    .map((x) => x.row);
}

function project(obj: Record<string, unknown>, props: string[] | undefined): Record<string, unknown> {
  if (props === undefined) return obj;
  const out: Record<string, unknown> = {};
  for (const p of props) if (obj[p] !== undefined) out[p] = obj[p];
  return out;
}

/**
 * Applies the grammar to `rows` (insertion order) and answers the keyed map. Throws a
 * CAT-1400-400 naming the first parameter the resource does not accept.
 */
export function listKeyed(rows: Iterable<Row>, query: URLSearchParams, spec: ListSpec): ListResult {
  const predicates: Predicate[] = [];
  for (const [key, value] of query) {
    if ((PAGING as readonly string[]).includes(key)) continue;
    const custom = spec.custom?.[key];
    if (custom !== undefined) predicates.push(custom(value));
    else if (spec.simple.includes(key)) predicates.push(simpleFilter(key, value));
    else badParam(`The query parameter ${key} is not supported`);
  }
  for (const raw of query.getAll('property')) predicates.push(propertyCondition(raw));
  for (const raw of query.getAll('tags')) predicates.push(tagsFilter(raw));

  const properties = query
    .get('properties')
    ?.split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const limitRaw = query.get('limit');
  const limit = limitRaw === null ? DEFAULT_LIMIT : parseIntParam('limit', limitRaw);
  if (limit < 1 || limit > MAX_LIMIT) badParam(`The limit must be between 1 and ${MAX_LIMIT}, got ${limit}`);
  if (properties?.includes('observableSchema') === true && limit > CATALOG_LIMITS.maxWithObservableSchema) {
    badParam(`The limit must be at most ${CATALOG_LIMITS.maxWithObservableSchema} when observableSchema is requested`);
  }
  const startRaw = query.get('start');
  const start = startRaw === null ? 0 : parseIntParam('start', startRaw);
  const orderBy = query.get('orderBy');

  let selected = [...rows].filter(([id, obj]) => predicates.every((p) => p(id, obj)));
  if (orderBy !== null) selected = sortRows(selected, parseOrderBy(orderBy));
  const body: Record<string, unknown> = {};
  for (const [id, obj] of selected.slice(start, start + limit)) body[id] = project(obj, properties);
  return { status: 200, body };
}
