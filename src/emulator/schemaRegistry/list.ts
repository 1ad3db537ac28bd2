import { jsonText } from '../jsonText.ts';
import type { XdmListDto, XdmResourceDto, XdmSummaryDto } from '../../upstream/schemaRegistry/types.ts';
import { xdmError } from '../errors.ts';
import type { ListForm } from './accept.ts';

/**
 * Schema Registry lists (CONTRACT §4.5): `orderby`, keyset `start` and `limit` (both only
 * with `orderby`), `property` filters on top-level keys. A response holds at most 300
 * results; without `orderby` there is no way to the rest (`_page.next` is null).
 */

export const MAX_RESULTS = 300;
const MAX_LIMIT_HINT = 500;

type Resource = Record<string, unknown>;
type Predicate = (r: Resource) => boolean;

interface SortKey {
  prop: string;
  dir: 1 | -1;
}

function parseOrderBy(raw: string): SortKey[] {
  return raw.split(',').map((part) => {
    const p = part.trim();
    const dir = p.startsWith('-') ? -1 : 1;
    const prop = p.replace(/^[-+]/, '');
    if (prop === '') throw xdmError(400, 1004, `orderby value '${raw}' is not valid`);
    return { prop, dir };
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = jsonText(a);
  const sb = jsonText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function compareTo(actual: unknown, expected: string): number | undefined {
  if (actual === undefined || actual === null) return undefined;
  if (typeof actual === 'number' && !Number.isNaN(Number(expected))) return actual - Number(expected);
  return compareValues(jsonText(actual), expected);
}

/** One `property` expression; array values (`meta:intendedToExtend`) match when any element does. */
function condition(raw: string): Predicate {
  const match = /^([^=!<>~]+)(==|!=|<=|>=|<|>|~)(.*)$/s.exec(raw);
  if (match === null) {
    if (!/^[^=!<>~]+$/.test(raw)) throw xdmError(400, 1005, `property filter '${raw}' is not valid`);
    return (r) => r[raw] !== undefined;
  }
  const [, prop, op, value] = match as unknown as [string, string, string, string];
  let re: RegExp | undefined;
  if (op === '~') {
    try {
      re = new RegExp(value);
    } catch {
      throw xdmError(400, 1005, `property filter '${raw}' has an invalid regular expression`);
    }
  }
  const test = (v: unknown): boolean => {
    if (re !== undefined) return v !== undefined && v !== null && re.test(jsonText(v));
    const c = compareTo(v, value);
    if (c === undefined) return false;
    if (op === '==') return c === 0;
    if (op === '<') return c < 0;
    if (op === '<=') return c <= 0;
    if (op === '>') return c > 0;
    return c >= 0;
  };
  if (op === '!=')
    return (r) => !(Array.isArray(r[prop]) ? (r[prop] as unknown[]) : [r[prop]]).some((v) => compareTo(v, value) === 0);
  return (r) => (Array.isArray(r[prop]) ? (r[prop] as unknown[]) : [r[prop]]).some(test);
}

/** `property=a==1,b~x` holds two conditions; a value with a comma stays whole when the split would not parse. */
function conditions(raw: string): Predicate[] {
  const parts = raw.split(',');
  const allParse = parts.length > 1 && parts.every((p) => /^[A-Za-z_$@][\w:$@.-]*(==|!=|<=|>=|<|>|~|$)/.test(p));
  return (allParse ? parts : [raw]).map(condition);
}

function summary(r: XdmResourceDto): XdmSummaryDto {
  return { $id: r.$id, 'meta:altId': r['meta:altId'], version: r.version, title: r.title };
}

export interface ListRequest {
  query: URLSearchParams;
  form: ListForm;
  /** Absolute URL of this list, for `_links.next`. */
  href: string;
  globalSchemasHref?: string;
}

export function listResources(items: readonly XdmResourceDto[], req: ListRequest): XdmListDto {
  const { query } = req;
  const orderby = query.get('orderby');
  const start = query.get('start');
  const limitRaw = query.get('limit');
  if (orderby === null && start !== null) throw xdmError(400, 1003, 'start can only be used together with orderby');
  let limit = MAX_RESULTS;
  if (limitRaw !== null) {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) > MAX_LIMIT_HINT)
      throw xdmError(400, 1002, `limit must be an integer from 0 to ${MAX_LIMIT_HINT}`);
    // a hint: 0 means "the default", anything above the cap gets the cap
    limit = Number(limitRaw) === 0 ? MAX_RESULTS : Math.min(Number(limitRaw), MAX_RESULTS);
  }
  const predicates = query.getAll('property').flatMap(conditions);
  let selected = items.filter((r) => predicates.every((p) => p(r as Resource)));

  let next: string | null = null;
  if (orderby !== null) {
    const keys = parseOrderBy(orderby);
    selected = [...selected].sort((a, b) => {
      for (const { prop, dir } of keys) {
        const c = compareValues(a[prop], b[prop]);
        if (c !== 0) return c * dir;
      }
      return 0;
    });
    const primary = keys[0]!;
    if (start !== null)
      selected = selected.filter((r) => (compareTo(r[primary.prop], start) ?? -primary.dir) * primary.dir > 0);
    if (selected.length > limit) next = jsonText(selected[limit - 1]![primary.prop] ?? '');
  }
  const page = selected.slice(0, limit);
  const links: XdmListDto['_links'] = { next: null };
  if (next !== null) {
    const params = new URLSearchParams({ orderby: orderby!, start: next });
    if (limitRaw !== null) params.set('limit', limitRaw);
    for (const p of query.getAll('property')) params.append('property', p);
    links.next = { href: `${req.href}?${params.toString()}` };
  }
  if (req.globalSchemasHref !== undefined) links.global_schemas = { href: req.globalSchemasHref };
  return {
    results: req.form === 'summary' ? page.map(summary) : page,
    _page: { ...(orderby === null ? {} : { orderby }), next, count: page.length },
    _links: links,
  };
}
