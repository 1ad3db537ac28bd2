import { createHash } from 'node:crypto';
import { badInput } from '../errors.ts';
import type { ConnectionModel } from './models.ts';

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 100;

/** Validates `first`: 0..100, default 20. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST)
    throw badInput('first', `must be an integer from 0 to ${MAX_FIRST}, got ${first}`);
  return first;
}

/** Where a page starts upstream: a continuation token (Flow Service) or an offset (Catalog). */
export type Position = string | number | null;

interface Cursor {
  /** Upstream position of the page the item is on. */
  p: Position;
  /** Items of that page already consumed. */
  o: number;
}

/**
 * The list arguments besides `first` and `after` that shape a list (filter, order, parent id):
 * a cursor is only valid with the arguments it was made under.
 */
export type ListShape = Record<string, unknown>;

/** Sorted keys, unset (null or undefined) members dropped: `{filter: {state: null}}` is no filter. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = canonical((value as Record<string, unknown>)[key]);
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[key] = v;
  }
  return out;
}

/** Fingerprints of the shapes of lists being paged: every cursor of a page carries the same one. */
const fingerprints = new WeakMap<ListShape, string>();

/** A short hash of the list arguments a cursor was made under (a shape is never changed once made). */
export function fingerprint(shape: ListShape): string {
  let f = fingerprints.get(shape);
  if (f === undefined) {
    f = createHash('sha256')
      .update(JSON.stringify(canonical(shape)))
      .digest('base64url')
      .slice(0, 10);
    fingerprints.set(shape, f);
  }
  return f;
}

const NOT_A_CURSOR = 'is not a cursor returned by this API';
const OTHER_ARGUMENTS =
  'the cursor was made for other filter/order arguments; repeat the arguments it came with, or page again from the start without after';

/** The decoded JSON of `after` with its fingerprint checked against `shape`; null when there is no cursor. */
function readCursor(after: string | null | undefined, shape: ListShape): Record<string, unknown> | null {
  if (after === null || after === undefined || after === '') return null;
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw badInput('after', NOT_A_CURSOR);
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw badInput('after', NOT_A_CURSOR);
  const f = (c as Record<string, unknown>)['f'];
  if (typeof f !== 'string') throw badInput('after', NOT_A_CURSOR);
  if (f !== fingerprint(shape)) throw badInput('after', OTHER_ARGUMENTS);
  return c as Record<string, unknown>;
}

function writeCursor(body: Record<string, unknown>, shape: ListShape): string {
  return Buffer.from(JSON.stringify({ ...body, f: fingerprint(shape) })).toString('base64url');
}

/**
 * Refuses a cursor made under other list arguments (or not made here at all). Resolvers that
 * read upstream before they page call this first, so a refused cursor costs no request.
 */
export function checkCursor(after: string | null | undefined, shape: ListShape): void {
  readCursor(after, shape);
}

function encodeCursor(cursor: Cursor, shape: ListShape): string {
  return writeCursor({ p: cursor.p, o: cursor.o }, shape);
}

/**
 * An edge whose cursor is encoded when it is read: a page of 100 whose query selects only
 * `nodes` and `pageInfo` encodes two cursors, not a hundred.
 */
class Edge<T> {
  readonly node: T;
  readonly #at: Cursor;
  readonly #shape: ListShape;

  constructor(node: T, at: Cursor, shape: ListShape) {
    this.node = node;
    this.#at = at;
    this.#shape = shape;
  }

  get cursor(): string {
    return encodeCursor(this.#at, this.#shape);
  }
}

function decodeCursor(after: string | null | undefined, shape: ListShape): Cursor {
  const c = readCursor(after, shape);
  if (c === null) return { p: null, o: 0 };
  const { p, o } = c;
  if (
    typeof o === 'number' &&
    Number.isInteger(o) &&
    o >= 0 &&
    (p === null || typeof p === 'string' || typeof p === 'number')
  )
    return { p, o };
  throw badInput('after', NOT_A_CURSOR);
}

export interface UpstreamPage<T> {
  items: T[];
  next: Position;
}

export interface ScanOptions<T> {
  first: number | null | undefined;
  after: string | null | undefined;
  /** The list arguments besides first/after; cursors carry their fingerprint. */
  shape: ListShape;
  /** One upstream page starting at a position; `limit` is how many items are wanted. */
  fetchPage: (position: Position, limit: number) => Promise<UpstreamPage<T>>;
  /** Items the upstream cannot filter out are dropped here (e.g. name substrings). */
  keep?: (item: T) => boolean;
  totalCount?: () => Promise<number | null> | number | null;
  /** Largest page the upstream serves. */
  maxPageSize?: number;
  /**
   * True when positions are numeric offsets (Catalog `start`): a cursor can then point at
   * any item, and one extra item is asked for to know whether another page exists.
   * Otherwise positions are continuation tokens, and pages are asked for exactly the items
   * still wanted so that a page ends where the next one starts.
   */
  offsets?: boolean;
}

/** Upstream pages one Relay page may read before it stops (a filter that matches nothing). */
const MAX_PAGES = 200;

/**
 * Relay paging over an upstream that pages by token or offset. Each edge's cursor names the
 * upstream position to resume from, so the next request never re-reads what came before.
 */
export async function scan<T>(options: ScanOptions<T>): Promise<ConnectionModel<T>> {
  const first = pageSize(options.first);
  const start = decodeCursor(options.after, options.shape);
  const maxPage = options.maxPageSize ?? 100;
  const { keep } = options;
  const offsets = options.offsets === true;
  const edges: Array<{ cursor: string; node: T }> = [];
  let hasNextPage = false;
  let position = start.p;
  let offset = start.o;
  for (let pages = 0; pages < MAX_PAGES && first > 0; pages++) {
    const wanted = offset + first - edges.length + (offsets ? 1 : 0);
    const page = await options.fetchPage(position, keep === undefined ? Math.min(maxPage, wanted) : maxPage);
    for (let i = offset; i < page.items.length; i++) {
      const item = page.items[i]!;
      if (keep !== undefined && !keep(item)) continue;
      if (edges.length === first) {
        hasNextPage = true;
        break;
      }
      edges.push(new Edge(item, resumeAfter(position, i, page, offsets), options.shape));
    }
    if (hasNextPage || page.next === null) break;
    // the page was used up and the upstream has another: it may hold more items
    hasNextPage = edges.length === first || pages + 1 === MAX_PAGES;
    if (hasNextPage) break;
    position = page.next;
    offset = 0;
  }
  return connection(edges, hasNextPage, start.p !== null || start.o > 0, options.totalCount ?? (() => null));
}

/** Where to resume after item `i` of the page read at `position`. */
function resumeAfter<T>(position: Position, i: number, page: UpstreamPage<T>, offsets: boolean): Cursor {
  if (offsets) return { p: Number(position ?? 0) + i + 1, o: 0 };
  if (i + 1 >= page.items.length && page.next !== null) return { p: page.next, o: 0 };
  return { p: position, o: i + 1 };
}

/** Relay paging over a list already in memory. */
export function inMemory<T>(
  items: readonly T[],
  first: number | null | undefined,
  after: string | null | undefined,
  shape: ListShape,
  total = true,
): ConnectionModel<T> {
  const n = pageSize(first);
  const { o } = decodeCursor(after, shape);
  const slice = items.slice(o, o + n);
  const edges = slice.map((node, i) => new Edge(node, { p: null, o: o + i + 1 }, shape));
  return connection(edges, o + n < items.length, o > 0, () => (total ? items.length : null));
}

function connection<T>(
  edges: Array<{ cursor: string; node: T }>,
  hasNextPage: boolean,
  hasPreviousPage: boolean,
  totalCount: ConnectionModel<T>['totalCount'],
): ConnectionModel<T> {
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** Resolvers shared by every connection type. */
export const connectionResolvers = {
  nodes: <T>(conn: ConnectionModel<T>) => conn.edges.map((e) => e.node),
  totalCount: <T>(conn: ConnectionModel<T>) => conn.totalCount(),
};

/** A sort key of a list read whole: the value sorted on, then the id that breaks ties. */
export type SortKey = [string | number, string];

function decodeKeyset(after: string | null | undefined, shape: ListShape): SortKey | null {
  const c = readCursor(after, shape);
  if (c === null) return null;
  const k = c['k'];
  if (
    Array.isArray(k) &&
    k.length === 2 &&
    (typeof k[0] === 'string' || typeof k[0] === 'number') &&
    typeof k[1] === 'string'
  )
    return [k[0], k[1]];
  throw badInput('after', NOT_A_CURSOR);
}

/**
 * Relay paging over a list read whole for every page and sorted by `compare`: each cursor
 * names its item's sort key, so the next page starts after it even when items were added or
 * removed in between (no item present on both reads is skipped or repeated).
 */
export function keysetPage<T>(
  items: readonly T[],
  first: number | null | undefined,
  after: string | null | undefined,
  shape: ListShape,
  key: (item: T) => SortKey,
  compare: (a: SortKey, b: SortKey) => number,
): ConnectionModel<T> {
  const n = pageSize(first);
  const from = decodeKeyset(after, shape);
  const keyed = items.map((node) => ({ node, k: key(node) })).sort((a, b) => compare(a.k, b.k));
  const rest = from === null ? keyed : keyed.filter((x) => compare(x.k, from) > 0);
  const edges = rest.slice(0, n).map(({ node, k }) => ({ cursor: writeCursor({ k }, shape), node }));
  return connection(edges, rest.length > n, from !== null, () => items.length);
}
