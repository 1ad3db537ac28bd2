import type { TrackedMap } from '../trackedMap.ts';
import { valuesAt, type PropertyFilter } from './propertyFilter.ts';

interface Stored {
  id: string;
  createdAt: number;
}

/** The order a candidate list comes in. */
export type CandidateOrder = 'stored' | 'createdAt';

export interface Candidates<T> {
  items: T[];
  order: CandidateOrder;
}

/**
 * Indexes of one instance collection on what never changes once an object is stored (its id,
 * createdAt and the fields named, e.g. a run's flowId), kept up to date from the map's own
 * changes: a lookup by id or by an indexed field, or a createdAt range, reads only the
 * objects it may match instead of every object of the collection. The filters are still
 * applied to every candidate, so an index narrows and never decides.
 */
export class InstanceIndex<T extends Stored> {
  readonly map: TrackedMap<T>;
  /** When each id was first stored: the map's own iteration order. */
  readonly #seq = new Map<string, number>();
  #next = 0;
  /** Ascending createdAt; equal createdAt in the map's order. */
  readonly #created: Array<{ at: number; seq: number; id: string }> = [];
  /** Per indexed field (dotted, with its path split once): the ids of each value. */
  readonly #fields: Map<string, { path: string[]; byValue: Map<string, Set<string>> }>;

  constructor(map: TrackedMap<T>, fields: readonly string[] = []) {
    this.map = map;
    this.#fields = new Map(fields.map((f) => [f, { path: f.split('.'), byValue: new Map<string, Set<string>>() }]));
    for (const [id, value] of map) this.#add(id, value);
    map.observe((id, value, previous) => {
      if (value === undefined) {
        if (previous !== undefined) this.#remove(id, previous);
      } else if (previous === undefined) {
        this.#add(id, value);
      } else {
        // createdAt is the server's and never changes; a field may (a patched connection)
        this.#unlinkFields(id, previous, value);
        this.#linkFields(id, value);
      }
    });
  }

  #add(id: string, value: T): void {
    const seq = this.#next++;
    this.#seq.set(id, seq);
    const at = value.createdAt;
    this.#created.splice(this.#upper(at), 0, { at, seq, id });
    this.#linkFields(id, value);
  }

  #linkFields(id: string, value: T): void {
    for (const { path, byValue } of this.#fields.values()) {
      for (const v of valuesAt(value, path)) {
        const key = String(v);
        let ids = byValue.get(key);
        if (ids === undefined) byValue.set(key, (ids = new Set()));
        ids.add(id);
      }
    }
  }

  /**
   * Drops the links of `previous`'s field values that `value` no longer has. An object edited
   * in place is its own previous value, so an old link may stay: a candidate too many, which
   * the filters then drop, never one too few.
   */
  #unlinkFields(id: string, previous: T, value: T | undefined): void {
    for (const { path, byValue } of this.#fields.values()) {
      const kept = new Set(value === undefined ? [] : valuesAt(value, path).map(String));
      for (const v of valuesAt(previous, path)) {
        const key = String(v);
        if (kept.has(key)) continue;
        const ids = byValue.get(key);
        ids?.delete(id);
        if (ids?.size === 0) byValue.delete(key);
      }
    }
  }

  #remove(id: string, previous: T): void {
    const seq = this.#seq.get(id);
    this.#seq.delete(id);
    for (let i = this.#lower(previous.createdAt); i < this.#created.length; i++) {
      if (this.#created[i]!.seq === seq) {
        this.#created.splice(i, 1);
        break;
      }
    }
    this.#unlinkFields(id, previous, undefined);
  }

  /** First position whose createdAt is >= at. */
  #lower(at: number): number {
    return this.#search(at, false);
  }

  /** First position whose createdAt is > at. */
  #upper(at: number): number {
    return this.#search(at, true);
  }

  /** First position whose createdAt is >= at (> at when `after`), by binary search. */
  #search(at: number, after: boolean): number {
    let lo = 0;
    let hi = this.#created.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const midAt = this.#created[mid]!.at;
      if (midAt < at || (after && midAt === at)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The map's order: when each was first stored. */
  seqOf(id: string): number {
    return this.#seq.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  #byIds(ids: Iterable<string>): T[] {
    // each object's place looked up once, not twice per comparison of the sort
    const found: Array<{ seq: number; item: T }> = [];
    for (const id of new Set(ids)) {
      const item = this.map.get(id);
      if (item !== undefined) found.push({ seq: this.seqOf(id), item });
    }
    return found.sort((a, b) => a.seq - b.seq).map((f) => f.item);
  }

  /** The objects `filters` may match, fewest first: by id, by an indexed field, by a createdAt range, else all. */
  candidates(filters: readonly PropertyFilter[]): Candidates<T> {
    const key = (f: PropertyFilter) => f.path.join('.');
    const byId = filters.find((f) => f.op === '==' && key(f) === 'id');
    if (byId !== undefined) return { items: this.#byIds(byId.values), order: 'stored' };
    const byField = filters.find((f) => f.op === '==' && this.#fields.has(key(f)));
    if (byField !== undefined) {
      const index = this.#fields.get(key(byField))!.byValue;
      return { items: this.#byIds(byField.values.flatMap((v) => [...(index.get(v) ?? [])])), order: 'stored' };
    }
    // a createdAt filter that is no range (`==`, `!=`) narrows nothing here: the filters decide
    const range = this.#range(filters.filter((f) => key(f) === 'createdAt'));
    if (range === undefined || (range.lo === 0 && range.hi === this.#created.length))
      return { items: [...this.map.values()], order: 'stored' };
    const { lo, hi } = range;
    const items: T[] = [];
    for (let i = lo; i < hi; i++) items.push(this.map.get(this.#created[i]!.id)!);
    return { items, order: 'createdAt' };
  }

  /**
   * The positions [lo, hi) of the createdAt order that `filters` allow, when every one of them
   * is a createdAt range (`>`, `>=`, `<`, `<=`), so that they match exactly those positions;
   * undefined otherwise.
   */
  #range(filters: readonly PropertyFilter[]): { lo: number; hi: number } | undefined {
    let lo = 0;
    let hi = this.#created.length;
    for (const f of filters) {
      if (f.path.length !== 1 || f.path[0] !== 'createdAt') return undefined;
      const bound = Number(f.values[0]);
      if (f.op === '>=') lo = Math.max(lo, this.#lower(bound));
      else if (f.op === '>') lo = Math.max(lo, this.#upper(bound));
      else if (f.op === '<') hi = Math.min(hi, this.#lower(bound));
      else if (f.op === '<=') hi = Math.min(hi, this.#upper(bound));
      else return undefined;
    }
    return { lo, hi: Math.max(lo, hi) };
  }

  /**
   * One page of the objects `filters` match in createdAt order (ascending, or newest first
   * with equal createdAt still in the map's order, as `newestFirst` gives them) and how many
   * match, reading only the page: undefined unless every filter is a createdAt range.
   */
  createdAtPage(
    filters: readonly PropertyFilter[],
    descending: boolean,
    offset: number,
    limit: number,
  ): { page: T[]; total: number } | undefined {
    const range = this.#range(filters);
    if (range === undefined) return undefined;
    const { lo, hi } = range;
    const total = hi - lo;
    const end = Math.min(total, offset + limit);
    const page: T[] = [];
    for (let d = offset; d < end; d++) {
      let i = lo + d;
      if (descending) {
        // position d counted from the newest: its createdAt's run of equal ones [start, stop) is read oldest-stored first
        const at = this.#created[hi - 1 - d]!.at;
        const start = Math.max(lo, this.#lower(at));
        const stop = Math.min(hi, this.#upper(at));
        i = start + d - (hi - stop);
      }
      page.push(this.map.get(this.#created[i]!.id)!);
    }
    return { page, total };
  }

  /** One page of every object in the map's order, and how many there are, reading only up to the page's end. */
  storedPage(offset: number, limit: number): { page: T[]; total: number } {
    const page: T[] = [];
    let i = 0;
    for (const value of this.map.values()) {
      if (i >= offset + limit) break;
      if (i++ >= offset) page.push(value);
    }
    return { page, total: this.map.size };
  }

  /** `items` ascending by createdAt (equal ones in the map's order) → descending, equal ones still in the map's order. */
  static newestFirst<T extends Stored>(items: readonly T[]): T[] {
    const out: T[] = [];
    let end = items.length;
    while (end > 0) {
      let start = end - 1;
      while (start > 0 && items[start - 1]!.createdAt === items[end - 1]!.createdAt) start--;
      for (let i = start; i < end; i++) out.push(items[i]!);
      end = start;
    }
    return out;
  }

  /** Every object ascending by createdAt, equal ones in the map's order. */
  byCreatedAt(): T[] {
    return this.#created.map((e) => this.map.get(e.id)!);
  }
}
