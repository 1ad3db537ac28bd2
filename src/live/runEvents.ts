/**
 * Finished source flow runs, as the API learns of them: from an I/O Events webhook or from the
 * poller that stands in when no webhook arrives. Both publish here; subscriptions read from here.
 */

/** Where an event belongs: a subscriber sees only its own tenant's events. */
export interface Tenant {
  org: string;
  sandbox: string;
}

export interface RunFinishedEvent extends Tenant {
  /**
   * What makes two reports of one outcome the same event, whichever path brought them:
   * `${runId}:${status}`. The webhook's own event id is de-duplicated before publishing.
   */
  key: string;
  flowId: string;
  runId: string;
  status: 'success' | 'failed';
  /** Epoch milliseconds at which the run finished, as the Platform reports it. */
  finishedAt: number;
  source: 'webhook' | 'poll';
  /** Epoch milliseconds at which this API learnt of it: the webhook delivery's arrival, or the poll's answer. */
  receivedAt?: number;
}

export function runEventKey(runId: string, status: RunFinishedEvent['status']): string {
  return `${runId}:${status}`;
}

/**
 * Fans events out to this process's subscribers; an implementation over Redis pub/sub makes an
 * event published on one replica reach subscribers on every replica.
 */
export interface RunEventBus {
  publish(event: RunFinishedEvent): Promise<void>;
  /** Calls `listener` for every later event of `tenant`; the answer unsubscribes. */
  subscribe(tenant: Tenant, listener: (event: RunFinishedEvent) => void): () => void;
  close(): Promise<void>;
}

/** Remembers what was seen, for at-least-once deliveries and for merging webhook and poll events. */
export interface SeenKeys {
  /** True the first time `key` is offered within `ttlMs`; false for every repeat. Atomic. */
  firstSighting(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets `key`, so that its next offer is a first sighting again (what was marked and then not published). */
  forget(key: string): Promise<void>;
}

/** A tenant as a map key. */
export const tenantKey = (t: Tenant): string => `${t.org}\u0000${t.sandbox}`;

export class MemoryRunEventBus implements RunEventBus {
  readonly #listeners = new Map<string, Set<(event: RunFinishedEvent) => void>>();

  async publish(event: RunFinishedEvent): Promise<void> {
    for (const listener of this.#listeners.get(tenantKey(event)) ?? []) listener(event);
  }

  subscribe(tenant: Tenant, listener: (event: RunFinishedEvent) => void): () => void {
    const key = tenantKey(tenant);
    let set = this.#listeners.get(key);
    if (set === undefined) this.#listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(key);
    };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}

export class MemorySeenKeys implements SeenKeys {
  readonly #expiries = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 100_000,
  ) {}

  async firstSighting(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const expiresAt = this.#expiries.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.#expiries.delete(key);
    if (this.#expiries.size >= this.maxEntries) this.#expiries.delete(this.#expiries.keys().next().value!);
    this.#expiries.set(key, now + ttlMs);
    return true;
  }

  async forget(key: string): Promise<void> {
    this.#expiries.delete(key);
  }
}
