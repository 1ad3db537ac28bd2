import { jsonText } from '../jsonText.ts';
import type { Reply, RouteContext } from '../router.ts';
import { FLOW_CODES } from './codes.ts';
import { InstanceIndex } from './instanceIndex.ts';
import { matchesFilter, parsePropertyFilter, valuesAt, type PropertyFilter } from './propertyFilter.ts';
import { badRequest } from './replies.ts';
import { storedJson } from '../storedJson.ts';

/** [EMU] page size when `limit` is absent, and the cap on `limit` (CONTRACT §2.3). */
export const PAGE_SIZE = 100;

const LIST_PARAMS = new Set(['property', 'orderby', 'limit', 'count', 'continuationToken']);

/** Fields `orderby` accepts; anything else is `FLOW-1433`. */
const SORTABLE = new Set([
  'id',
  'name',
  'description',
  'state',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'createdClient',
  'updatedClient',
  'flowId',
  'baseConnectionId',
  'connectionSpec.id',
  'flowSpec.id',
  'lastRunDetails.startedAtUTC',
  'metrics.durationSummary.startedAtUTC',
  'metrics.durationSummary.completedAtUTC',
  'metrics.statusSummary.status',
]);

function rejectUnknownParams(query: URLSearchParams, allowed: ReadonlySet<string>): void {
  const unknown = [...new Set(query.keys())].filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    throw badRequest(`Invalid params ${unknown.join(',')} provided in query params`, FLOW_CODES.QUERY_PARAM_INVALID);
  }
}

function applyFilters<T>(items: readonly T[], query: URLSearchParams): T[] {
  const filters = query.getAll('property').map(parsePropertyFilter);
  return items.filter((item) => filters.every((f) => matchesFilter(item, f)));
}

/** `GET /connectionSpecs`, `GET /flowSpecs`: only `property`, everything in one answer (§2.3). */
export function listSpecs<T>(ctx: RouteContext, items: readonly T[]): Reply {
  rejectUnknownParams(ctx.query, new Set(['property']));
  return { status: 200, body: { items: applyFilters(items, ctx.query) } };
}

interface SortKey {
  path: string[];
  descending: boolean;
}

function parseOrderby(raw: string): SortKey[] {
  return raw.split(',').map((part) => {
    // `+name` arrives as ` name` when the client did not encode the plus.
    const term = part.startsWith(' ') ? `+${part.slice(1)}` : part.trim();
    let field = term;
    let descending = false;
    if (term.startsWith('-') || term.startsWith('+')) {
      descending = term.startsWith('-');
      field = term.slice(1);
    } else if (!/^[A-Za-z]/.test(term)) {
      throw badRequest(`Invalid sort order '${term.slice(0, 1)}' in orderby; use '+' or '-'.`, FLOW_CODES.ORDERBY_SIGN);
    }
    if (!SORTABLE.has(field)) throw badRequest(`orderby field '${field}' is not supported.`, FLOW_CODES.ORDERBY_FIELD);
    return { path: field.split('.'), descending };
  });
}

function compareBy(keys: readonly SortKey[]) {
  return (a: unknown, b: unknown): number => {
    for (const key of keys) {
      const x = valuesAt(a, key.path)[0];
      const y = valuesAt(b, key.path)[0];
      let order = 0;
      if (x === undefined || y === undefined) order = x === y ? 0 : x === undefined ? 1 : -1;
      else if (typeof x === 'number' && typeof y === 'number') order = x - y;
      else order = jsonText(x).localeCompare(jsonText(y));
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}

interface PageToken {
  /** The query of the first page (filters, orderby, limit), so later pages keep it. */
  q: Array<[string, string]>;
  offset: number;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(raw: string): PageToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PageToken;
    if (Array.isArray(token.q) && Number.isInteger(token.offset) && token.offset >= 0) return token;
  } catch {
    // fall through to the 400 below
  }
  throw badRequest(`Invalid continuationToken '${raw}'.`, FLOW_CODES.VALUE_INVALID);
}

function parseLimit(raw: string | null): number {
  if (raw === null) return PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw badRequest(`limit must be a positive integer, got '${raw}'.`, FLOW_CODES.VALUE_INVALID);
  return Math.min(n, PAGE_SIZE);
}

/**
 * Instance collections (connections, source/target connections, flows, runs): filters,
 * `orderby`, `count=true` → `{count}`, `limit` + `continuationToken` paging with
 * `_links.next.href = /<collection>?continuationToken=…` (§2.3).
 */
export function listInstances<T>(ctx: RouteContext, collection: string, items: readonly T[]): Reply {
  return answerList<T>(ctx, collection, (filters, orderby) => {
    const matched = items.filter((item) => filters.every((f) => matchesFilter(item, f)));
    return orderby === null ? matched : [...matched].sort(compareBy(parseOrderby(orderby)));
  });
}

/**
 * The same answers as `listInstances` over an indexed collection: only the candidates the
 * index gives are filtered, and a createdAt order the index already has is not sorted again.
 */
export function listIndexed<T extends { id: string; createdAt: number }>(
  ctx: RouteContext,
  collection: string,
  index: InstanceIndex<T>,
): Reply {
  return answerList<T>(
    ctx,
    collection,
    (filters, orderby, window) => {
      const keys = orderby === null ? [] : parseOrderby(orderby);
      const only = keys.length === 1 && keys[0]!.path.join('.') === 'createdAt' ? keys[0]! : undefined;
      // the pages lists are mostly read by: straight from the indexes, without the whole list
      if (only !== undefined) {
        const paged = index.createdAtPage(filters, only.descending, window.offset, window.limit);
        if (paged !== undefined) return paged;
      } else if (keys.length === 0 && filters.length === 0) return index.storedPage(window.offset, window.limit);
      let found = index.candidates(filters);
      if (only !== undefined && found.order === 'stored' && found.items.length === index.map.size)
        found = { items: index.byCreatedAt(), order: 'createdAt' };
      const matched =
        filters.length === 0 ? found.items : found.items.filter((i) => filters.every((f) => matchesFilter(i, f)));
      if (found.order === 'createdAt' && only !== undefined)
        return only.descending ? InstanceIndex.newestFirst(matched) : matched;
      const bySeq = (a: T, b: T) => index.seqOf(a.id) - index.seqOf(b.id);
      if (keys.length === 0) return found.order === 'stored' ? matched : [...matched].sort(bySeq);
      const compare = compareBy(keys);
      return [...matched].sort((a, b) => compare(a, b) || bySeq(a, b));
    },
    true,
  );
}

/**
 * The objects `filters` match in `orderby`'s order: all of them, or only those of `window`
 * with how many match in all.
 */
type Match<T> = (
  filters: PropertyFilter[],
  orderby: string | null,
  window: { offset: number; limit: number },
) => T[] | { page: T[]; total: number };

const ITEMS_OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');

/** `stored`: the items are the store's own objects, whose JSON `storedJson` keeps. */
function answerList<T>(ctx: RouteContext, collection: string, match: Match<T>, stored = false): Reply {
  rejectUnknownParams(ctx.query, LIST_PARAMS);
  let query = ctx.query;
  let offset = 0;
  const rawToken = ctx.query.get('continuationToken');
  if (rawToken !== null) {
    const token = decodeToken(rawToken);
    query = new URLSearchParams(token.q);
    offset = token.offset;
  }
  const filters = query.getAll('property').map(parsePropertyFilter);
  const count = query.get('count');
  // aepp's getFlows sends `limit` with `count`; the count is of every match, whatever the page
  if (count !== null && count.toLowerCase() === 'true') {
    const all = match(filters, null, { offset: 0, limit: 0 });
    return { status: 200, body: { count: Array.isArray(all) ? all.length : all.total } };
  }
  const limit = parseLimit(query.get('limit'));
  const orderby = query.get('orderby');
  if (orderby !== null) parseOrderby(orderby);
  const matched = match(filters, orderby, { offset, limit });
  const page = Array.isArray(matched) ? matched.slice(offset, offset + limit) : matched.page;
  const next = offset + limit < (Array.isArray(matched) ? matched.length : matched.total);
  const firstQuery = [...query.entries()].filter(([k]) => k !== 'continuationToken');
  const links = next
    ? { next: { href: `/${collection}?continuationToken=${encodeToken({ q: firstQuery, offset: offset + limit })}` } }
    : {};
  return {
    status: 200,
    body: { items: page, _links: links },
    ...(stored
      ? {
          bytes: () => {
            const parts: Buffer[] = [ITEMS_OPEN];
            for (const [i, item] of page.entries()) {
              if (i > 0) parts.push(COMMA);
              parts.push(storedJson(item as object));
            }
            parts.push(Buffer.from(`],"_links":${JSON.stringify(links)}}`, 'utf8'));
            return Buffer.concat(parts);
          },
        }
      : {}),
  };
}
