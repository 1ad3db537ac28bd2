import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunFinishedEvent } from '../../src/live/runEvents.ts';
import { RedisRunEventBus } from '../../src/redis/redisRunEventBus.ts';
import { RedisSeenKeys } from '../../src/redis/redisSeenKeys.ts';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';
import { redisServerInstalled, startRedis, type RedisServer } from '../redisServer.ts';
import { ManualPollScheduler } from '../manualPollScheduler.ts';
import { connect, subscribe } from '../subscriber.ts';

const ORG = 'IOPUBFAIL000000000000000@AdobeOrg';
const FS = '/data/foundation/flowservice';
const PREFIX = 'publish-failure-test:';

interface Attempt {
  attempt: number;
  status?: number;
  outcome: string;
}

describe.skipIf(!redisServerInstalled())('a webhook delivery whose publish fails', () => {
  let redis: RedisServer;
  let publisher: Redis;
  let subscriber: Redis;
  let seenStore: Redis;
  let bus: RedisRunEventBus;
  let stack: Stack;
  let p: Platform;
  let flowId: string;
  const got: RunFinishedEvent[] = [];
  // emulated time stands still but for the test's moves: retries come when the test says
  const frozen = Date.now();
  const scheduler = new ManualPollScheduler();

  beforeAll(async () => {
    redis = await startRedis();
    publisher = new Redis(redis.url, { lazyConnect: true });
    subscriber = new Redis(redis.url, { lazyConnect: true });
    seenStore = new Redis(redis.url, { lazyConnect: true });
    await Promise.all([publisher.connect(), subscriber.connect(), seenStore.connect()]);
    bus = new RedisRunEventBus(publisher, subscriber, PREFIX, () => undefined);
    stack = await startStack({
      emulator: { wallClock: () => frozen },
      env: { POLL_INTERVAL_MS: '15000' },
      server: { runEvents: bus, seenKeys: new RedisSeenKeys(seenStore, PREFIX), pollScheduler: scheduler },
    });
    p = await platform(stack.emulator.url, ORG);
    const { flows } = await seedFlows(p, {
      flows: 1,
      schemas: 1,
      baseConnections: 1,
      prefix: 'PubFail',
      descriptionOf: () => '[emulator:succeed]',
    });
    flowId = flows[0]!.id;
    bus.subscribe({ org: ORG, sandbox: 'prod' }, (e) => got.push(e));
    await bus.settled();
  });
  afterAll(async () => {
    await stack.stop();
    await bus.close();
    for (const c of [publisher, subscriber, seenStore]) c.disconnect();
    await redis.stop();
  });

  /** Starts an on-demand run of the flow at the emulator's frozen time and lets it finish. */
  async function finishRun(): Promise<{ id: string }> {
    const startTime = Math.floor(frozen / 1000);
    const run = await p.call<{ id: string }>('POST', `${FS}/runs`, {
      flowId,
      params: { startTime, windowStartTime: startTime - 3600, windowEndTime: startTime },
    });
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG });
    return run;
  }

  it('is answered 503 and not left marked seen: the retry publishes it, once', async () => {
    const url = new URL('/webhooks/io-events', stack.api.url).href;
    const reg = (await stack.control('POST', '/__emulator/webhooks', { url, clientId: 'ingestion-graph-test' })) as {
      id: string;
    };
    const wait = async () =>
      expect((await stack.control('POST', '/__emulator/webhooks/wait', { timeoutMs: 20_000 })).idle).toBe(true);
    const log = async () =>
      ((await stack.control('GET', `/__emulator/webhooks/${reg.id}`)) as { attempts: Attempt[] }).attempts;

    // the bus's connection to Redis is gone: a publish fails at once
    publisher.disconnect();
    const run = await finishRun();
    await wait();
    const first = await log();
    expect(first.map((a) => [a.attempt, a.status, a.outcome])).toEqual([[1, 503, 'retrying']]);
    expect(stack.api.ioEvents.counts.rejected.WEBHOOK_PUBLISH_FAILED).toBe(1);
    expect(got).toHaveLength(0);
    // neither the event id nor the run's outcome is left marked in Redis
    expect(await seenStore.keys(`${PREFIX}seen:*`)).toEqual([]);

    await publisher.connect();
    await stack.control('POST', '/__emulator/clock', { advanceMs: 60_000 });
    await wait();
    expect((await log()).map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 503, 'retrying'],
      [2, 200, 'delivered'],
    ]);
    // published over Redis: it reaches this listener once the subscriber connection hands it on
    while (got.length === 0) await new Promise((resolve) => subscriber.once('message', resolve));
    expect(got.map((e) => [e.runId, e.status])).toEqual([[run.id, 'success']]);
    expect(stack.api.ioEvents.counts).toMatchObject({ published: 1, duplicates: 0 });
    expect(stack.api.ioEvents.counts.rejected.WEBHOOK_PUBLISH_FAILED).toBe(1);
    await stack.control('DELETE', `/__emulator/webhooks/${reg.id}`);
  });

  it('found by the poller, is not left marked seen: the next poll publishes it, once', async () => {
    got.length = 0;
    const hub = stack.api.live.hub;
    const tenant = { org: ORG, sandbox: 'prod' };
    const sub = subscribe(connect(stack.api.url, p.headers), 'subscription { flowRunUpdated { id status } }');
    await hub.until(() => hub.subscribers(tenant) === 1);
    const poller = hub.poller(tenant)!;
    await bus.settled();

    publisher.disconnect();
    const run = await finishRun();
    await scheduler.tick();
    expect(poller.counters).toMatchObject({ polls: 1, published: 0 });
    expect(await seenStore.keys(`${PREFIX}seen:${run.id}:*`)).toEqual([]);

    await publisher.connect();
    await scheduler.tick();
    expect(poller.counters).toMatchObject({ polls: 2, published: 1 });
    expect((await sub.next()).data.flowRunUpdated).toEqual({ id: run.id, status: 'SUCCESS' });
    expect(got.map((e) => [e.runId, e.source])).toEqual([[run.id, 'poll']]);
    await sub.close();
  });
});
