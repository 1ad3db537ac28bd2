import PQueue from 'p-queue';

/**
 * Caps the upstream calls of one tenant (org + sandbox) in flight at once, over the pools
 * every tenant shares: a tenant that fans out waits for its own slots and leaves the rest
 * of the pool to the others. Waiting is first come, first served within a tenant.
 */
export class TenantLimiter {
  readonly #queues = new Map<string, PQueue>();

  /** `concurrency`: calls of one tenant in flight at once; 0 = no cap. */
  constructor(readonly concurrency: number) {}

  /**
   * Runs `task` once the tenant has a free slot and holds the slot until it settles. The
   * signal ends only the wait (rejecting with its reason): a task that has started runs to
   * its end, so a write that cannot be cancelled still counts against the cap.
   */
  async run<T>(tenant: string | undefined, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (tenant === undefined || this.concurrency === 0) {
      signal?.throwIfAborted();
      return task();
    }
    const queue = this.#queue(tenant);
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
      const created = new PQueue({ concurrency: this.concurrency });
      // an idle tenant costs nothing: its queue is made again on its next call
      created.on('idle', () => {
        if (this.#queues.get(tenant) === created) this.#queues.delete(tenant);
      });
      this.#queues.set(tenant, created);
      queue = created;
    }
    return queue;
  }
}
