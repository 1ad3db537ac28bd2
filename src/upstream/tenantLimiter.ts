import PQueue from 'p-queue';

/**
 * The tenant of every pass-through caller the platform has not confirmed yet: they share
 * one small cap of their own, so a made-up token naming an org never uses that org's slots.
 * Never an `org/sandbox` key (it has no slash).
 */
export const UNVERIFIED_TENANT = '(unverified callers)';

/**
 * Caps the upstream calls of one tenant (org + sandbox) in flight at once, over the pools
 * every tenant shares: a tenant that fans out waits for its own slots and leaves the rest
 * of the pool to the others. Waiting is first come, first served within a tenant.
 */
export class TenantLimiter {
  readonly #queues = new Map<string, PQueue>();

  /**
   * `concurrency`: calls of one tenant in flight at once; 0 = no cap. `unverified`: calls
   * of `UNVERIFIED_TENANT` in flight at once, all such callers together (0 = no cap).
   */
  constructor(
    readonly concurrency: number,
    readonly unverified: number = concurrency,
  ) {}

  /**
   * Runs `task` once the tenant has a free slot and holds the slot until it settles. The
   * signal ends only the wait (rejecting with its reason): a task that has started runs to
   * its end, so a write that cannot be cancelled still counts against the cap.
   */
  async run<T>(tenant: string | undefined, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (tenant === undefined || this.#concurrencyOf(tenant) === 0) {
      signal?.throwIfAborted();
      return task();
    }
    const queue = this.#queue(tenant);
    // a free slot and nobody ahead: the task starts now, there is no wait for the signal to end
    if (queue.size === 0 && queue.pending < queue.concurrency) {
      signal?.throwIfAborted();
      return queue.add(task);
    }
    const waiting = new AbortController();
    const stopWaiting = () => waiting.abort(signal?.reason);
    signal?.addEventListener('abort', stopWaiting, { once: true });
    if (signal?.aborted === true) stopWaiting();
    try {
      return await queue.add(
        () => {
          signal?.removeEventListener('abort', stopWaiting);
          return task();
        },
        { signal: waiting.signal },
      );
    } finally {
      signal?.removeEventListener('abort', stopWaiting);
    }
  }

  #queue(tenant: string): PQueue {
    let queue = this.#queues.get(tenant);
    if (queue === undefined) {
      const created = new PQueue({ concurrency: this.#concurrencyOf(tenant) });
      // an idle tenant costs nothing: its queue is made again on its next call
      created.on('idle', () => {
        if (this.#queues.get(tenant) === created) this.#queues.delete(tenant);
      });
      this.#queues.set(tenant, created);
      queue = created;
    }
    return queue;
  }

  #concurrencyOf(tenant: string): number {
    return tenant === UNVERIFIED_TENANT ? this.unverified : this.concurrency;
  }
}
