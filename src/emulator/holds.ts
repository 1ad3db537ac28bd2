import { takeMatch, type RequestMatcher } from './requestMatch.ts';

interface Waiter {
  /** True once the number held is what the waiter waits for. */
  ready: (held: number) => boolean;
  resolve: (held: number) => void;
}

/** How a held request ended its wait. */
export type HoldOutcome = 'released' | 'closed';

/**
 * Requests held in transit, before the gateway, until a test releases them; then they are
 * served as usual. Lets a test order concurrent requests without timing: hold one, wait
 * until it is held, send another, release.
 */
export class RequestHolds {
  rules: RequestMatcher[] = [];
  #held: Array<(outcome: HoldOutcome) => void> = [];
  #waiters: Waiter[] = [];

  /** Requests held now. */
  get held(): number {
    return this.#held.length;
  }

  /**
   * A promise that settles when this request is released, or with `closed` as soon as its
   * caller goes away (`closed` aborts); undefined when no rule holds it.
   */
  take(method: string, path: string, closed?: AbortSignal): Promise<HoldOutcome> | undefined {
    if (takeMatch(this.rules, method, path) === undefined) return undefined;
    const outcome = new Promise<HoldOutcome>((resolve) => {
      const settle = (how: HoldOutcome) => {
        closed?.removeEventListener('abort', onClose);
        resolve(how);
      };
      const onClose = () => {
        const i = this.#held.indexOf(settle);
        if (i < 0) return;
        this.#held.splice(i, 1);
        settle('closed');
        this.#notify();
      };
      this.#held.push(settle);
      closed?.addEventListener('abort', onClose, { once: true });
      if (closed?.aborted === true) onClose();
    });
    this.#notify();
    return outcome;
  }

  /** Resolves with the number held once at least `count` are, or after `timeoutMs` with fewer. */
  waitFor(count: number, timeoutMs: number): Promise<number> {
    return this.#until((held) => held >= count, timeoutMs);
  }

  /** Resolves with the number held once at most `count` are (held callers gone away), or after `timeoutMs`. */
  waitForAtMost(count: number, timeoutMs: number): Promise<number> {
    return this.#until((held) => held <= count, timeoutMs);
  }

  #until(ready: (held: number) => boolean, timeoutMs: number): Promise<number> {
    if (ready(this.#held.length)) return Promise.resolve(this.#held.length);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        ready,
        resolve: (held) => {
          clearTimeout(timer);
          resolve(held);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(this.#held.length);
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  #notify(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.ready(this.#held.length)) return true;
      w.resolve(this.#held.length);
      return false;
    });
  }

  /** Lets every held request go on; answers how many there were. */
  release(): number {
    const held = this.#held;
    this.#held = [];
    for (const settle of held) settle('released');
    this.#notify();
    return held.length;
  }

  /** Forgets every rule and releases every held request. */
  clear(): void {
    this.rules = [];
    this.release();
  }
}
