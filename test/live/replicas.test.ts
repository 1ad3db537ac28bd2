import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackConfig, startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';
import { redisServerInstalled, startRedis, type RedisServer } from '../redisServer.ts';
import { connect, subscribe } from '../subscriber.ts';
import { CREATE, baseConnectionOf, odataInput } from '../orchestration/dataflowFixtures.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { runEventKey } from '../../src/live/runEvents.ts';
import type { RedisRunEventBus } from '../../src/redis/redisRunEventBus.ts';
import { RedisIdempotencyStore } from '../../src/redis/redisIdempotencyStore.ts';

const FS = '/data/foundation/flowservice';
const ORG = 'LIVER0000000000000000001@AdobeOrg';
const PREFIX = 'replicas-test:';

describe.skipIf(!redisServerInstalled())('two replicas on one Redis', () => {
  let redis: RedisServer;
  let client: Redis;
  let stack: Stack;
  let replicaB: RunningServer;
  let p: Platform;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX, POLL_INTERVAL_MS: '0' };
    stack = await startStack({ emulator: { demo: true }, env });
    replicaB = await startServer(stackConfig(stack.emulator.url, env));
    p = await platform(stack.emulator.url, ORG);
  });
  afterAll(async () => {
    await replicaB.stop();
    await stack.stop();
    client.disconnect();
    await redis.stop();
  });

  const gqlOn = async (api: RunningServer, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data: any; errors?: unknown[] };
  };

  it('delivers an event published on replica A to a subscriber on replica B', async () => {
    const { flows } = await seedFlows(p, { flows: 1, prefix: 'Replica', runs: true });
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG });
    const runs = await p.call<{ items: Array<{ id: string }> }>('GET', `${FS}/runs?property=flowId==${flows[0]!.id}`);
    const runId = runs.items[0]!.id;
    const sub = subscribe(connect(replicaB.url, p.headers), 'subscription { flowRunUpdated { id flow { name } } }');
    const tenant = { org: ORG, sandbox: 'prod' };
    await replicaB.live.hub.until(() => replicaB.live.hub.subscribers(tenant) === 1);
    await (replicaB.runEvents as RedisRunEventBus).settled();
    expect(stack.api.live.hub.subscribers(tenant)).toBe(0);
    await stack.api.runEvents.publish({
      ...tenant,
      key: runEventKey(runId, 'success'),
      flowId: flows[0]!.id,
      runId,
      status: 'success',
      finishedAt: Date.now(),
      source: 'webhook',
    });
    const result = await sub.next();
    expect(result.data).toEqual({ flowRunUpdated: { id: runId, flow: { name: flows[0]!.name } } });
    await sub.close();
  });

  it('counts a key as first seen on one replica only', async () => {
    const key = runEventKey('replica-seen-run', 'failed');
    expect(await stack.api.seenKeys.firstSighting(key, 60_000)).toBe(true);
    expect(await replicaB.seenKeys.firstSighting(key, 60_000)).toBe(false);
    expect(await stack.api.seenKeys.firstSighting(key, 60_000)).toBe(false);
  });

  it("trusts another replica's confirmation of a caller instead of asking the platform again", async () => {
    const caller = await platform(stack.emulator.url, ORG, 'prod', 'replica-confirmed-caller');
    const [checksA, checksB] = [stack.api.deps.callers.checks, replicaB.deps.callers.checks];
    for (const api of [stack.api, replicaB]) {
      const sub = subscribe(connect(api.url, caller.headers), 'subscription { flowRunUpdated { id } }');
      await api.live.hub.until(() => api.live.hub.subscribers({ org: ORG, sandbox: 'prod' }) === 1);
      await sub.close();
      await api.live.hub.until(() => api.live.hub.subscribers({ org: ORG, sandbox: 'prod' }) === 0);
    }
    expect(stack.api.deps.callers.checks - checksA).toBe(1);
    expect(replicaB.deps.callers.checks - checksB).toBe(0);
    // under the caller's hash, never its token, and with a TTL
    const keys = await client.keys(`${PREFIX}caller:*`);
    expect(keys.length).toBeGreaterThan(0);
    const token = caller.headers['authorization']!.replace('Bearer ', '');
    for (const key of keys) {
      expect(key).not.toContain(token);
      expect(await client.pttl(key)).toBeGreaterThan(0);
    }
  });

  it('creates exactly one flow for 50 concurrent createDataflow calls with one key over both replicas', async () => {
    const odata = await baseConnectionOf(stack, 'generic-odata');
    const input = odataInput(odata, { name: 'Replicated create', idempotencyKey: 'replicas-one-key' });
    await stack.clearRequests();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_x, i) => gqlOn(i % 2 === 0 ? stack.api : replicaB, CREATE, { input })),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const flowIds = new Set(results.map((r) => r.data.createDataflow.flow.id as string));
    expect(flowIds.size).toBe(1);
    const log = await stack.requests();
    expect(log.filter((r) => r.method === 'POST' && r.path === `${FS}/flows`)).toHaveLength(1);
    const flows = await stack.gql(`{ flows(first: 100) { nodes { name } } }`);
    expect(flows.data.flows.nodes.filter((f: { name: string }) => f.name === 'Replicated create')).toHaveLength(1);
    // every idempotency record is namespaced and expires
    const keys = await client.keys(`${PREFIX}idempotency:*`);
    expect(keys).toHaveLength(1);
    expect(await client.pttl(keys[0]!)).toBeGreaterThan(0);
  });
});

describe.skipIf(!redisServerInstalled())('the Redis idempotency store', () => {
  let redis: RedisServer;
  let client: Redis;
  let store: RedisIdempotencyStore;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    store = new RedisIdempotencyStore(client, 'store-test:');
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('lets one of many concurrent claims win and answers the others the pending record', async () => {
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim('k1', 'fp', 60_000)));
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    for (const c of claims.filter((x) => !x.claimed))
      expect(c).toEqual({ claimed: false, record: { state: 'pending', fingerprint: 'fp' } });
  });

  it('hands a failed attempt its leftovers on a retry with the same input, and refuses another input', async () => {
    await store.put('k2', { fingerprint: 'fp', state: 'failed', leftovers: { dataset: 'ds1' } }, 60_000);
    expect(await store.claim('k2', 'other', 60_000)).toEqual({
      claimed: false,
      record: { fingerprint: 'fp', state: 'failed', leftovers: { dataset: 'ds1' } },
    });
    expect(await store.claim('k2', 'fp', 60_000)).toEqual({ claimed: true, leftovers: { dataset: 'ds1' } });
    expect(await store.get('k2')).toEqual({ fingerprint: 'fp', state: 'pending', leftovers: { dataset: 'ds1' } });
    await store.put('k2', { fingerprint: 'fp', state: 'succeeded', result: { ids: [], n: 1.5 } }, 60_000);
    expect(await store.get('k2')).toEqual({ fingerprint: 'fp', state: 'succeeded', result: { ids: [], n: 1.5 } });
    expect(await store.claim('k2', 'fp', 60_000)).toMatchObject({ claimed: false, record: { state: 'succeeded' } });
    await store.release('k2');
    expect(await store.get('k2')).toBeUndefined();
  });
});
