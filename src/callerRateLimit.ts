import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config, RateLimitConfig } from './config.ts';
import { passThroughCredentials } from './context.ts';
import { callerKey, type ConfirmedCallers } from './upstream/confirmedCallers.ts';

/**
 * Whom a request is counted against, from its headers alone (no body read, no upstream
 * call): a pass-through caller the platform has confirmed (`ConfirmedCallers`) under the
 * hash of its credentials; anyone else (no credentials, headers that do not parse, a token
 * not confirmed yet) under its remote address, so made-up tokens share one budget.
 */
export function rateLimitKey(config: Config, confirmed: ConfirmedCallers, req: IncomingMessage): string {
  try {
    const c = passThroughCredentials(config, req.headersDistinct);
    if (c !== undefined) {
      const key = callerKey(c);
      if (confirmed.hasKey(key)) return `caller:${key}`;
    }
  } catch {
    // refused later, with its coded error, by context creation
  }
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number };

export interface RateLimitCounters {
  /** Requests let through, and how many of them waited in their caller's queue first. */
  admitted: number;
  queued: number;
  /** Requests waiting now, all callers together. */
  waiting: number;
  /** Requests refused (their caller's queue was full). */
  refused: number;
  /** Waiting requests whose client went away before their turn. */
  abandoned: number;
}

interface Waiter {
  settle: (admission: Admission) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface CallerQueue {
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  draining: boolean;
}

/**
 * Requests per caller per window, counted by a rate-limiter-flexible store (in memory
 * here; a `RateLimiterRedis` shares the counts between replicas), with a queue per caller
 * in front of it: a request over its caller's limit waits for the caller's next window, in
 * arrival order, up to `queue` waiting; one more is refused. A closed-loop client that
 * sends again as soon as it is answered therefore gets at most `requests` answers per
 * window, however fast it sends, and its CPU share stays what those requests cost.
 * A store that fails lets requests through: the limiter must not take the API down.
 */
export class CallerRateLimiter {
  readonly #store: RateLimiterAbstract;
  readonly #queues = new Map<string, CallerQueue>();
  readonly #counters: RateLimitCounters = { admitted: 0, queued: 0, waiting: 0, refused: 0, abandoned: 0 };
  #closed = false;

  constructor(
    readonly config: RateLimitConfig,
    store?: RateLimiterAbstract,
  ) {
    this.#store = store ?? new RateLimiterMemory({ points: config.requests, duration: config.windowMs / 1000 });
  }

  /**
   * Resolves once the request of `key` may go on, or with the time after which its caller
   * may send again when refused. A signal that aborts while the request waits takes it out
   * of the queue (resolving as refused).
   */
  async admit(key: string, signal?: AbortSignal): Promise<Admission> {
    if (this.#closed) return { admitted: false, retryAfterMs: this.config.windowMs };
    let queue = this.#queues.get(key);
    if (queue === undefined || queue.waiters.length === 0) {
      const waitMs = await this.#take(key);
      if (waitMs === 0) {
        this.#counters.admitted++;
        return { admitted: true };
      }
      queue = this.#queue(key);
      this.#arm(key, queue, waitMs);
    }
    if (queue.waiters.length >= this.config.queue) {
      this.#counters.refused++;
      // the queue ahead drains `requests` per window
      const windowsAhead = Math.floor(queue.waiters.length / this.config.requests);
      return { admitted: false, retryAfterMs: (await this.#msBeforeNext(key)) + windowsAhead * this.config.windowMs };
    }
    return new Promise<Admission>((resolve) => {
      const waiter: Waiter = {
        settle: (admission) => {
          waiter.signal?.removeEventListener('abort', waiter.onAbort);
          resolve(admission);
        },
        signal,
        onAbort: () => {
          const at = queue.waiters.indexOf(waiter);
          if (at < 0) return;
          queue.waiters.splice(at, 1);
          this.#counters.waiting--;
          this.#counters.abandoned++;
          this.#forgetIfIdle(key, queue);
          waiter.settle({ admitted: false, retryAfterMs: 0 });
        },
      };
      queue.waiters.push(waiter);
      this.#counters.waiting++;
      this.#counters.queued++;
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      if (signal?.aborted === true) waiter.onAbort();
    });
  }

  /** Starts `key` afresh (its count and its queue's wait): for an operator lifting a limit, and for tests. */
  async forget(key: string): Promise<void> {
    await this.#store.delete(key);
    const queue = this.#queues.get(key);
    if (queue !== undefined) {
      clearTimeout(queue.timer);
      queue.timer = undefined;
      await this.#drain(key, queue);
    }
  }

  counters(): RateLimitCounters {
    return { ...this.#counters };
  }

  /** Refuses every waiting request and every later one. */
  close(): void {
    this.#closed = true;
    for (const [key, queue] of this.#queues) {
      clearTimeout(queue.timer);
      for (const waiter of queue.waiters.splice(0)) {
        this.#counters.waiting--;
        this.#counters.refused++;
        waiter.settle({ admitted: false, retryAfterMs: this.config.windowMs });
      }
      this.#queues.delete(key);
    }
  }

  /** Takes one request from `key`'s window: 0 when it fits, else the ms until the next window. */
  async #take(key: string): Promise<number> {
    try {
      await this.#store.consume(key, 1);
      return 0;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
      return 0;
    }
  }

  async #msBeforeNext(key: string): Promise<number> {
    try {
      return Math.max(0, (await this.#store.get(key))?.msBeforeNext ?? 0);
    } catch {
      return 0;
    }
  }

  #queue(key: string): CallerQueue {
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = { waiters: [], timer: undefined, draining: false };
      this.#queues.set(key, queue);
    }
    return queue;
  }

  #arm(key: string, queue: CallerQueue, waitMs: number): void {
    if (queue.timer !== undefined || queue.draining) return;
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.#drain(key, queue);
    }, waitMs);
  }

  /** Lets waiting requests through in order while the window has room, then waits for the next. */
  async #drain(key: string, queue: CallerQueue): Promise<void> {
    if (queue.draining) return;
    queue.draining = true;
    try {
      while (queue.waiters.length > 0 && !this.#closed) {
        const waitMs = await this.#take(key);
        if (waitMs > 0) {
          queue.draining = false;
          this.#arm(key, queue, waitMs);
          return;
        }
        const waiter = queue.waiters.shift();
        if (waiter === undefined) break; // abandoned meanwhile: the request it took is lost
        this.#counters.waiting--;
        this.#counters.admitted++;
        waiter.settle({ admitted: true });
      }
    } finally {
      queue.draining = false;
    }
    this.#forgetIfIdle(key, queue);
  }

  #forgetIfIdle(key: string, queue: CallerQueue): void {
    if (queue.waiters.length === 0 && queue.timer === undefined && !queue.draining && this.#queues.get(key) === queue)
      this.#queues.delete(key);
  }
}
