import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The transport's sense of time: what it reads to know how much of an operation's deadline
 * is left, and how it waits between attempts. Injected so that tests can see the waits a
 * `Retry-After` asks for without waiting them.
 */
export interface Timer {
  /** Milliseconds on a monotonic scale; only differences are meaningful. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemTimer: Timer = {
  now: () => performance.now(),
  async sleep(ms, signal) {
    try {
      await sleep(ms, undefined, { signal });
    } catch (err) {
      // timers/promises rejects with a generic AbortError; the reason says why (deadline, client gone)
      if (signal?.aborted === true) throw signal.reason;
      throw err;
    }
  },
};
