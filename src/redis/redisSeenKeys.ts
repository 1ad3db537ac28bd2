import type { Redis } from 'ioredis';
import type { SeenKeys } from '../live/runEvents.ts';

/** Seen keys in Redis (`SET NX PX`): one sighting counts first across every replica. */
export class RedisSeenKeys implements SeenKeys {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async firstSighting(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}seen:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}seen:${key}`);
  }
}
