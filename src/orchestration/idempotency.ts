import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface IdempotencyRecord<R> {
  fingerprint: string;
  state: 'pending' | 'succeeded' | 'failed';
  /** Set once succeeded: what the first call returned. */
  result?: R;
  /** Set once failed: resources a failed attempt could not remove, for a retry to reuse. */
  leftovers?: Record<string, string>;
}

/**
 * Where idempotency records live. The in-memory store serves one process; several replicas
 * need a shared implementation (e.g. Redis `SET NX PX` for `claim`).
 */
export interface IdempotencyStore {
  /**
   * Atomically: when `key` has no record, or a failed one with the same fingerprint, stores
   * a pending record (keeping the failed one's leftovers) and answers `claimed: true`;
   * otherwise answers the record as it is.
   */
  claim<R>(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult<R>>;
  get<R>(key: string): Promise<IdempotencyRecord<R> | undefined>;
  put<R>(key: string, record: IdempotencyRecord<R>, ttlMs: number): Promise<void>;
  /** Forgets a key (a call that wrote nothing leaves the key free for a corrected input). */
  release(key: string): Promise<void>;
}

export type ClaimResult<R> =
  { claimed: true; leftovers?: Record<string, string> } | { claimed: false; record: IdempotencyRecord<R> };

export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, { record: IdempotencyRecord<unknown>; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  async claim<R>(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult<R>> {
    // no await between the read and the write: atomic within this process
    const existing = this.#read<R>(key);
    if (existing !== undefined && !(existing.state === 'failed' && existing.fingerprint === fingerprint))
      return { claimed: false, record: existing };
    this.#write(key, { fingerprint, state: 'pending', leftovers: existing?.leftovers }, ttlMs);
    return { claimed: true, leftovers: existing?.leftovers };
  }

  async get<R>(key: string): Promise<IdempotencyRecord<R> | undefined> {
    return this.#read<R>(key);
  }

  async put<R>(key: string, record: IdempotencyRecord<R>, ttlMs: number): Promise<void> {
    this.#write(key, record, ttlMs);
  }

  async release(key: string): Promise<void> {
    this.#records.delete(key);
  }

  #read<R>(key: string): IdempotencyRecord<R> | undefined {
    const entry = this.#records.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#records.delete(key);
      return undefined;
    }
    return entry.record as IdempotencyRecord<R>;
  }

  #write<R>(key: string, record: IdempotencyRecord<R>, ttlMs: number): void {
    this.#records.delete(key);
    if (this.#records.size >= this.maxEntries) this.#records.delete(this.#records.keys().next().value!);
    this.#records.set(key, { record, expiresAt: Date.now() + ttlMs });
  }
}

/** Canonical JSON (sorted keys) hashed: the same input in any key order gives the same fingerprint. */
export function fingerprint(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/** Waits for a pending record (an overlapping call with the same key) to finish. */
export async function awaitSettled<R>(
  store: IdempotencyStore,
  key: string,
  timeoutMs = 120_000,
): Promise<IdempotencyRecord<R> | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    const record = await store.get<R>(key);
    if (record === undefined || record.state !== 'pending') return record;
    await sleep(delay);
  }
  throw new Error(`idempotency key still in progress after ${timeoutMs} ms`);
}
