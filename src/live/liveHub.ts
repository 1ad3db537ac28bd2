import { EventEmitter } from 'node:events';
import type { LiveConfig } from '../config.ts';
import type { Credentials } from '../upstream/credentials.ts';
import type { FlowServiceClient } from '../upstream/flowService/client.ts';
import { RunPoller, type PollScheduler } from './runPoller.ts';
import { untilChanged } from './untilChanged.ts';
import { tenantKey, type RunEventBus, type RunFinishedEvent, type SeenKeys, type Tenant } from './runEvents.ts';

export interface LiveHubOptions {
  bus: RunEventBus;
  seen: SeenKeys;
  config: LiveConfig;
  flowService: FlowServiceClient;
  scheduler: PollScheduler;
  now: () => number;
  /** The server's own credentials with a current token, for pollers reading for anonymous subscribers. */
  fresh: (c: Credentials) => Promise<Credentials>;
  /** Where the live machinery reports what it had to drop or could not do (the server's logger). */
  warn: (message: string) => void;
}

interface TenantEntry {
  tenant: Tenant;
  /** In the order they came: the poller reads with the longest connected. */
  subscribers: Map<number, Credentials>;
  poller: RunPoller | undefined;
  stopPolling: (() => void) | undefined;
}

/**
 * The subscribers of this replica, by tenant: each gets the bus's events of its tenant, and
 * each tenant with subscribers has one poller (none with POLL_INTERVAL_MS=0), which stops
 * when the tenant's last subscriber leaves.
 */
export class LiveHub {
  readonly #tenants = new Map<string, TenantEntry>();
  readonly #changes = new EventEmitter();
  #nextId = 0;

  constructor(readonly options: LiveHubOptions) {
    this.#changes.setMaxListeners(0);
  }

  /**
   * Counts a subscriber of `credentials`' tenant until the answer is called: the tenant is
   * polled while it has one, and the poller reads with the credentials of the longest connected.
   * Events reach subscribers through `listen`, once per listener however many subscribers it serves.
   */
  join(credentials: Credentials): () => void {
    const tenant = { org: credentials.orgId, sandbox: credentials.sandbox };
    const key = tenantKey(tenant);
    let entry = this.#tenants.get(key);
    if (entry === undefined) {
      entry = { tenant, subscribers: new Map(), poller: undefined, stopPolling: undefined };
      this.#tenants.set(key, entry);
    }
    const id = this.#nextId++;
    const { scope: _scope, ...kept } = credentials;
    entry.subscribers.set(id, kept);
    if (entry.poller === undefined && this.options.config.pollIntervalMs > 0) this.#startPolling(entry);
    this.#changes.emit('change');
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      entry.subscribers.delete(id);
      if (entry.subscribers.size === 0) {
        entry.stopPolling?.();
        if (this.#tenants.get(key) === entry) this.#tenants.delete(key);
      }
      this.#changes.emit('change');
    };
  }

  /** Calls `listener` with every later event of `tenant` (the bus's, webhook and poll alike); the answer stops it. */
  listen(tenant: Tenant, listener: (event: RunFinishedEvent) => void): () => void {
    return this.options.bus.subscribe(tenant, listener);
  }

  /** Subscribers of `tenant` on this replica. */
  subscribers(tenant: Tenant): number {
    return this.#tenants.get(tenantKey(tenant))?.subscribers.size ?? 0;
  }

  /** The poller of `tenant`, while it has one. */
  poller(tenant: Tenant): RunPoller | undefined {
    return this.#tenants.get(tenantKey(tenant))?.poller;
  }

  /** Subscribers of every tenant on this replica. */
  get totalSubscribers(): number {
    let n = 0;
    for (const t of this.#tenants.values()) n += t.subscribers.size;
    return n;
  }

  /** Pollers running on this replica. */
  get pollers(): number {
    return [...this.#tenants.values()].filter((t) => t.poller !== undefined).length;
  }

  /** Resolves once `condition` holds, checked at every arrival and departure of a subscriber. */
  until(condition: () => boolean): Promise<void> {
    return untilChanged(this.#changes, condition);
  }

  close(): void {
    for (const entry of this.#tenants.values()) entry.stopPolling?.();
    this.#tenants.clear();
  }

  #startPolling(entry: TenantEntry): void {
    const o = this.options;
    const poller = new RunPoller(entry.tenant, {
      flowService: o.flowService,
      bus: o.bus,
      seen: o.seen,
      config: o.config,
      now: o.now,
      warn: o.warn,
      candidates: () => [...entry.subscribers.values()],
      fresh: o.fresh,
    });
    entry.poller = poller;
    entry.stopPolling = o.scheduler.every(o.config.pollIntervalMs, () =>
      poller.poll().catch((err: unknown) => {
        o.warn(
          `run poller ${entry.tenant.org}/${entry.tenant.sandbox}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }),
    );
  }
}
