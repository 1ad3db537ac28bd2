import { createHash } from 'node:crypto';
import type { Credentials } from './credentials.ts';

const keys = new WeakMap<object, string>();

/**
 * The sha256 of everything the platform authorises a call by (token, api key, org, sandbox):
 * what caches key a caller by, so that no token is ever kept in one.
 */
export function callerKey(c: Pick<Credentials, 'accessToken' | 'apiKey' | 'orgId' | 'sandbox'>): string {
  let key = keys.get(c);
  if (key === undefined) {
    key = createHash('sha256')
      .update(JSON.stringify([c.accessToken, c.apiKey, c.orgId, c.sandbox]))
      .digest('hex');
    keys.set(c, key);
  }
  return key;
}

export interface ConfirmedCallersOptions {
  /** How long a confirmation holds; 0 keeps none. */
  ttlMs: number;
  /** Confirmations kept; the least recently confirmed goes first. */
  maxEntries: number;
  now?: () => number;
  /** Confirmations shared with other replicas (Redis); this process keeps its own in front of it. */
  shared?: ConfirmationStore;
  /** Told when the shared store could not be written (the confirmation then holds for this replica only). */
  onSharedError?: (err: unknown) => void;
}

/** Where replicas share confirmations, keyed by `callerKey` (a hash, never a token). */
export interface ConfirmationStore {
  /** How long the confirmation under `key` still holds; 0 when there is none. */
  remainingMs(key: string): Promise<number>;
  record(key: string, ttlMs: number): Promise<void>;
}

/**
 * The pass-through callers the platform has confirmed lately for their org and sandbox,
 * under `callerKey` (a hash, never the token), each until its TTL ends. Filled by the
 * platform's own answers: any gateway call it answered with a 2xx (the HTTP layer records
 * those) and the explicit check of `CallerVerifier`. Read by whatever must not trust
 * headers alone: the spec cache, the idempotency store, the per-tenant upstream cap and
 * the per-caller rate limit.
 */
export class ConfirmedCallers {
  readonly #confirmed = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #shared: ConfirmationStore | undefined;
  readonly #onSharedError: (err: unknown) => void;

  constructor(options: ConfirmedCallersOptions) {
    this.#ttlMs = options.ttlMs;
    this.#max = options.maxEntries;
    this.#now = options.now ?? Date.now;
    this.#shared = options.shared;
    this.#onSharedError = options.onSharedError ?? (() => undefined);
  }

  /** Whether `c` is the server's own or a caller confirmed within the TTL. */
  has(c: Credentials): boolean {
    return c.serverOwned === true || this.hasKey(callerKey(c));
  }

  /** The same by `callerKey`, for a caller whose headers have not been read into credentials yet. */
  hasKey(key: string): boolean {
    const expiresAt = this.#confirmed.get(key);
    return expiresAt !== undefined && expiresAt > this.#now();
  }

  /** Records that the platform has just answered a call made with `c` in its org and sandbox. */
  record(c: Credentials): void {
    if (c.serverOwned === true || this.#ttlMs === 0) return;
    const key = callerKey(c);
    // every 2xx answer confirms: the shared store hears of it when this replica's own note is half spent
    const left = (this.#confirmed.get(key) ?? 0) - this.#now();
    this.#remember(key, this.#ttlMs);
    if (left < this.#ttlMs / 2) this.#shared?.record(key, this.#ttlMs).catch(this.#onSharedError);
  }

  /**
   * Whether another replica confirmed `c` within the TTL (then this one remembers it for the
   * rest of that time). An unreachable shared store answers false: it only costs a platform check.
   */
  async sharedHas(c: Credentials): Promise<boolean> {
    if (this.#shared === undefined || this.#ttlMs === 0) return false;
    const key = callerKey(c);
    const remaining = await this.#shared.remainingMs(key).catch(() => 0);
    if (remaining <= 0) return false;
    this.#remember(key, Math.min(remaining, this.#ttlMs));
    return true;
  }

  #remember(key: string, ttlMs: number): void {
    this.#confirmed.delete(key);
    if (this.#confirmed.size >= this.#max) this.#confirmed.delete(this.#confirmed.keys().next().value!);
    this.#confirmed.set(key, this.#now() + ttlMs);
  }

  /** The keys confirmations are kept under (hashes), for inspection. */
  keys(): string[] {
    return [...this.#confirmed.keys()];
  }
}
