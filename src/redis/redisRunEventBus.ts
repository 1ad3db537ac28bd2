import type { Redis } from 'ioredis';
import type { RunEventBus, RunFinishedEvent, Tenant } from '../live/runEvents.ts';

type Listener = (event: RunFinishedEvent) => void;

/**
 * Run events over Redis pub/sub, one channel per tenant: what any replica publishes reaches
 * the subscribers of every replica, this one's included (through Redis, never directly, so
 * that every replica sees one order). A replica subscribes to a tenant's channel while it
 * has listeners for it.
 */
export class RedisRunEventBus implements RunEventBus {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly publisher: Redis,
    /** A connection of its own: once subscribed, it can do nothing else. */
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly warn: (message: string) => void,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const listeners = this.#listeners.get(channel);
      if (listeners === undefined) return;
      let event: RunFinishedEvent;
      try {
        event = JSON.parse(message) as RunFinishedEvent;
      } catch {
        this.warn(`run events: a message on ${channel} is not JSON; ignored`);
        return;
      }
      // one object for every listener: per-event work (contexts, verification) is shared by it
      for (const listener of [...listeners]) listener(event);
    });
  }

  async publish(event: RunFinishedEvent): Promise<void> {
    await this.publisher.publish(this.#channel(event), JSON.stringify(event));
  }

  subscribe(tenant: Tenant, listener: Listener): () => void {
    const channel = this.#channel(tenant);
    let set = this.#listeners.get(channel);
    if (set === undefined) {
      this.#listeners.set(channel, (set = new Set()));
      this.#track(this.subscriber.subscribe(channel));
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(channel) === set) {
        this.#listeners.delete(channel);
        this.#track(this.subscriber.unsubscribe(channel));
      }
    };
  }

  /** Resolves once Redis has confirmed every (un)subscription asked so far: events published after it reach them. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.settled();
  }

  #track(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => {
      this.warn(`run events: redis (un)subscribe failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #channel(t: Tenant): string {
    return `${this.prefix}run-events:${t.org}:${t.sandbox}`;
  }
}
