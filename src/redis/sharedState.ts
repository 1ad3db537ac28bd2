import { Redis } from 'ioredis';
import type { LiveConfig } from '../config.ts';
import type { IdempotencyStore } from '../orchestration/idempotency.ts';
import type { ConfirmationStore } from '../upstream/callerVerifier.ts';
import type { SeenKeys } from '../live/runEvents.ts';
import { RedisConfirmations } from './redisConfirmations.ts';
import { RedisIdempotencyStore } from './redisIdempotencyStore.ts';
import { RedisRunEventBus } from './redisRunEventBus.ts';
import { RedisSeenKeys } from './redisSeenKeys.ts';

/** What replicas share through Redis (REDIS_URL). */
export interface SharedState {
  idempotency: IdempotencyStore;
  runEvents: RedisRunEventBus;
  seenKeys: SeenKeys;
  confirmations: ConfirmationStore;
  close(): Promise<void>;
}

/** Connects to Redis (failing at start, not at the first request, when it cannot be reached). */
export async function connectSharedState(
  config: LiveConfig & { redisUrl: string },
  warn: (message: string) => void,
): Promise<SharedState> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true };
  const main = new Redis(config.redisUrl, options);
  const subscriber = new Redis(config.redisUrl, options);
  for (const client of [main, subscriber]) client.on('error', (err: Error) => warn(`redis: ${err.message}`));
  try {
    await Promise.all([main.connect(), subscriber.connect()]);
  } catch (err) {
    main.disconnect();
    subscriber.disconnect();
    // the URL may carry a password: name the failure, never the URL
    throw new Error(`REDIS_URL: cannot connect (${err instanceof Error ? err.message : String(err)})`);
  }
  const prefix = config.redisKeyPrefix;
  const runEvents = new RedisRunEventBus(main, subscriber, prefix, warn);
  return {
    idempotency: new RedisIdempotencyStore(main, prefix),
    runEvents,
    seenKeys: new RedisSeenKeys(main, prefix),
    confirmations: new RedisConfirmations(main, prefix),
    async close() {
      await runEvents.close();
      await Promise.allSettled([main.quit(), subscriber.quit()]);
    },
  };
}
