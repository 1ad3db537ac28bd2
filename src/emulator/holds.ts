import { takeMatch, type RequestMatcher } from './requestMatch.ts';

interface Waiter {
  count: number;
  resolve: (held: number) => void;
}

/**
 * Requests held in transit, before the gateway, until a test releases them; then they are
 * served as usual. Lets a test order concurrent requests without timing: hold one, wait
 * until it is held, send another, release.
 */
export class RequestHolds {
  rules: RequestMatcher[] = [];
  #held: Array<() => void> = [];
  #waiters: Waiter[] = [];

  /** Requests held now. */
  get held(): number {
    return this.#held.length;
  }

  /** A promise that settles when this request is released, or undefined when no rule holds it. */
  take(method: string, path: string): Promise<void> | undefined {
    if (takeMatch(this.rules, method, path) === undefined) return undefined;
    const released = new Promise<void>((resolve) => this.#held.push(resolve));
    this.#waiters = this.#waiters.filter((w) => {
      if (this.#held.length < w.count) return true;
      w.resolve(this.#held.length);
      return false;
    });
    return released;
  }

  /** Resolves with the number held once at least `count` are, or after `timeoutMs` with fewer. */
  waitFor(count: number, timeoutMs: number): Promise<number> {
    if (this.#held.length >= count) return Promise.resolve(this.#held.length);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        count,
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

  /** Lets every held request go on; answers how many there were. */
  release(): number {
    const held = this.#held;
    this.#held = [];
    for (const resolve of held) resolve();
    return held.length;
  }

  /** Forgets every rule and releases every held request. */
  clear(): void {
    this.rules = [];
    this.release();
  }
}
