import { createHash } from 'node:crypto';
import type { Credentials } from './credentials.ts';
import type { FlowServiceClient } from './flowService/client.ts';

export interface CallerVerifierOptions {
  /** How long a confirmation holds; 0 asks the platform every time. */
  ttlMs: number;
  /** Confirmations kept; the least recently confirmed goes first. */
  maxEntries: number;
  now?: () => number;
  /** Confirmations shared with other replicas (Redis); this process keeps its own in front of it. */
  shared?: ConfirmationStore;
}

/** Where replicas share confirmations, keyed by `callerKey` (a hash, never a token). */
export interface ConfirmationStore {
  /** How long the confirmation under `key` still holds; 0 when there is none. */
  remainingMs(key: string): Promise<number>;
  record(key: string, ttlMs: number): Promise<void>;
}

const keys = new WeakMap<Credentials, string>();

/**
 * The sha256 of everything the platform authorises a call by (token, api key, org, sandbox):
 * what caches key a caller by, so that no token is ever kept in one.
 */
export function callerKey(c: Credentials): string {
  let key = keys.get(c);
  if (key === undefined) {
    key = createHash('sha256')
      .update(JSON.stringify([c.accessToken, c.apiKey, c.orgId, c.sandbox]))
      .digest('hex');
    keys.set(c, key);
  }
  return key;
}

/**
 * Confirms with the platform that a caller's token may reach its org and sandbox, before a
 * cross-request cache answers that caller. The check is the cheapest Flow Service call the
 * gateway authorises per org and sandbox (`GET /connections?limit=1`); any call the caller
 * made itself and the platform answered confirms it as well (`confirm`). Confirmations are
 * kept for the TTL; refusals are not kept, so a corrected entitlement takes effect at once.
 */
export class CallerVerifier {
  readonly #confirmed = new Map<string, number>();
  readonly #checking = new Map<string, Promise<void>>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #shared: ConfirmationStore | undefined;
  #checks = 0;

  constructor(
    private readonly flowService: FlowServiceClient,
    options: CallerVerifierOptions,
  ) {
    this.#ttlMs = options.ttlMs;
    this.#max = options.maxEntries;
    this.#now = options.now ?? Date.now;
    this.#shared = options.shared;
  }

  /**
   * Resolves once `c` is confirmed for its org and sandbox; rejects with the platform's
   * answer otherwise (an `UpstreamError`: 401 for a token it does not know, 403 for one not
   * entitled to the org). The server's own credentials need no check.
   */
  verify(c: Credentials): Promise<void> {
    if (c.serverOwned === true) return Promise.resolve();
    const key = callerKey(c);
    const expiresAt = this.#confirmed.get(key);
    if (expiresAt !== undefined && expiresAt > this.#now()) return Promise.resolve();
    let checking = this.#checking.get(key);
    if (checking === undefined) {
      checking = this.#check(c, key);
      this.#checking.set(key, checking);
      const done = () => {
        if (this.#checking.get(key) === checking) this.#checking.delete(key);
      };
      checking.then(done, done);
    }
    return checking;
  }

  /** Records that the platform has just answered a call made with `c` in its org and sandbox. */
  confirm(c: Credentials): void {
    if (c.serverOwned !== true) this.#remember(callerKey(c));
  }

  /** Upstream checks made so far. */
  get checks(): number {
    return this.#checks;
  }

  /** The keys confirmations are kept under (hashes), for inspection. */
  keys(): string[] {
    return [...this.#confirmed.keys()];
  }

  /** Another replica's confirmation, else the platform's answer. */
  async #check(c: Credentials, key: string): Promise<void> {
    // an unreachable shared store only costs the platform check
    const remaining = this.#ttlMs > 0 ? await this.#shared?.remainingMs(key).catch(() => 0) : undefined;
    if (remaining !== undefined && remaining > 0) return this.#record(key, remaining);
    this.#checks++;
    await this.flowService.listConnections(c, { limit: 1 });
    this.#remember(key);
  }

  #remember(key: string): void {
    this.#record(key, this.#ttlMs);
    if (this.#shared !== undefined && this.#ttlMs > 0)
      this.#shared.record(key, this.#ttlMs).catch((err: unknown) => {
        console.error(`caller confirmations: not shared (${err instanceof Error ? err.message : String(err)})`);
      });
  }

  #record(key: string, ttlMs: number): void {
    this.#confirmed.delete(key);
    if (this.#confirmed.size >= this.#max) this.#confirmed.delete(this.#confirmed.keys().next().value!);
    this.#confirmed.set(key, this.#now() + ttlMs);
  }
}
