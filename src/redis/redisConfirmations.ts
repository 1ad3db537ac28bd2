import type { Redis } from 'ioredis';
import type { ConfirmationStore } from '../upstream/callerVerifier.ts';

/** Caller confirmations shared by the replicas, under the caller's hash (never a token), each with its TTL. */
export class RedisConfirmations implements ConfirmationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async remainingMs(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.#key(key)));
  }

  async record(key: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.#key(key), '1', 'PX', ttlMs);
  }

  #key(key: string): string {
    return `${this.prefix}caller:${key}`;
  }
}
