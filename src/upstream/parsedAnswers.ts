/**
 * What `JSON.parse` made of recent upstream answers, reused when the upstream answers the same
 * request with the same bytes again. The upstream is still asked every time, with the caller's
 * own credentials, and its answer read to the end: only the parsing of bytes equal to the kept
 * ones is skipped, so what a caller gets is always what the platform has just answered it, never
 * an older answer, and never another tenant's (entries are per tenant, and only for tenants the
 * platform confirmed).
 *
 * A dashboard that refreshes reads mostly unchanged answers (connections, datasets, schemas,
 * flows whose runs have not moved): their parsed objects are reused instead of made again, which
 * is most of a page's allocation and much of its CPU (BENCHMARKS.md, section 1b).
 *
 * The parsed values are deep-frozen before they are first handed out: they are shared by every
 * later request that reads the same bytes, so nothing may change them.
 *
 * Bounded: the kept answers' bytes total at most `maxBytes`, one tenant's at most
 * `maxBytesPerTenant` (the least recently used go first; an answer larger than a tenant's share
 * is not kept). Besides the bytes, the parsed objects take 1.3–1.6 times as much heap (Flow
 * Service lists: flows, connections, runs).
 */
export interface ParsedAnswersOptions {
  maxBytes: number;
  maxBytesPerTenant: number;
}

export interface ParsedAnswersStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

interface Entry {
  tenant: string;
  bytes: Buffer;
  value: unknown;
}

export class ParsedAnswers {
  readonly #maxBytes: number;
  readonly #maxBytesPerTenant: number;
  /** In order of use, least recent first. */
  readonly #entries = new Map<string, Entry>();
  readonly #tenantBytes = new Map<string, number>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(options: ParsedAnswersOptions) {
    this.#maxBytes = options.maxBytes;
    this.#maxBytesPerTenant = Math.min(options.maxBytesPerTenant, options.maxBytes);
  }

  /**
   * The value parsed from `bytes` for this tenant and request: the kept one when the last answer
   * kept under `key` had exactly these bytes, else `parse(bytes)`, deep-frozen and kept when it
   * fits. What `parse` throws is thrown, and nothing is kept.
   */
  parse(tenant: string, key: string, bytes: Buffer, parse: (bytes: Buffer) => unknown): unknown {
    const fullKey = `${tenant}\u0000${key}`;
    const kept = this.#entries.get(fullKey);
    if (kept !== undefined && kept.bytes.equals(bytes)) {
      this.#hits++;
      // most recently used: last in the map's order
      this.#entries.delete(fullKey);
      this.#entries.set(fullKey, kept);
      return kept.value;
    }
    this.#misses++;
    const value = parse(bytes);
    if (kept !== undefined) this.#drop(fullKey, kept);
    if (bytes.length > this.#maxBytesPerTenant) return value;
    deepFreeze(value);
    // a copy of its own: the answer's buffer may be a slice of a larger one read off the socket
    const own = Buffer.allocUnsafeSlow(bytes.length);
    bytes.copy(own);
    this.#entries.set(fullKey, { tenant, bytes: own, value });
    this.#bytes += own.length;
    this.#tenantBytes.set(tenant, (this.#tenantBytes.get(tenant) ?? 0) + own.length);
    this.#evict(tenant);
    return value;
  }

  stats(): ParsedAnswersStats {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size, bytes: this.#bytes };
  }

  clear(): void {
    this.#entries.clear();
    this.#tenantBytes.clear();
    this.#bytes = 0;
  }

  /** Least recently used first: the tenant's own entries past its share, then anyone's past the whole. */
  #evict(tenant: string): void {
    if ((this.#tenantBytes.get(tenant) ?? 0) > this.#maxBytesPerTenant)
      for (const [key, entry] of this.#entries) {
        if (entry.tenant !== tenant) continue;
        this.#drop(key, entry);
        if ((this.#tenantBytes.get(tenant) ?? 0) <= this.#maxBytesPerTenant) break;
      }
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#drop(key, entry);
    }
  }

  #drop(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes.length;
    const left = (this.#tenantBytes.get(entry.tenant) ?? 0) - entry.bytes.length;
    if (left > 0) this.#tenantBytes.set(entry.tenant, left);
    else this.#tenantBytes.delete(entry.tenant);
  }
}

/** Freezes a parsed JSON value and everything in it (JSON has no cycles). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  Object.freeze(value);
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
}
