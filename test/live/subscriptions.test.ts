import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { ManualPollScheduler } from '../manualPollScheduler.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { parsePrometheusText, valueOf } from '../prometheusText.ts';
import { connect, subscribe, type Subscriber } from '../subscriber.ts';
import { runEventKey, type RunFinishedEvent } from '../../src/live/runEvents.ts';

const FS = '/data/foundation/flowservice';
const ORG_A = 'LIVEA0000000000000000001@AdobeOrg';
const ORG_B = 'LIVEB0000000000000000001@AdobeOrg';

const RUN_UPDATED = `subscription Runs($flowIds: [ID!], $statuses: [RunStatus!]) {
  flowRunUpdated(filter: { flowIds: $flowIds, statuses: $statuses }) { id flowId status completedAt flow { id name } }
}`;
const HEALTH_CHANGED = `subscription Health($flowIds: [ID!]) {
  flowHealthChanged(filter: { flowIds: $flowIds }) { flow { id name health } previous current }
}`;

let stack: Stack;
let scheduler: ManualPollScheduler;
let a: Platform;
let b: Platform;
let seededA: SeededOrg;
let seededB: SeededOrg;

beforeAll(async () => {
  scheduler = new ManualPollScheduler();
  stack = await startStack({
    env: {
      POLL_INTERVAL_MS: '15000',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
      MAX_WS_CONNECTIONS_PER_TENANT: '4',
      SUBSCRIPTION_HEALTH_MAX_FLOWS: '1',
    },
    server: { pollScheduler: scheduler },
  });
  [a, b] = await Promise.all([platform(stack.emulator.url, ORG_A), platform(stack.emulator.url, ORG_B)]);
  [seededA, seededB] = await Promise.all([
    seedFlows(a, {
      flows: 3,
      prefix: 'LiveA',
      runs: true,
      descriptionOf: (i) => (i === 2 ? '[emulator:fail]' : '[emulator:succeed]'),
    }),
    seedFlows(b, { flows: 1, prefix: 'LiveB', runs: true, descriptionOf: () => '[emulator:succeed]' }),
  ]);
});
afterAll(() => stack.stop());

const tenantOf = (p: Platform) => ({ org: p.org, sandbox: p.sandbox });
const hub = () => stack.api.live.hub;

/** Subscribes with `p`'s credentials and waits until the API has registered the subscriber. */
async function subscribed(p: Platform, query: string, variables: Record<string, unknown> = {}): Promise<Subscriber> {
  const before = hub().subscribers(tenantOf(p));
  const sub = subscribe(connect(stack.api.url, p.headers), query, variables);
  await hub().until(() => hub().subscribers(tenantOf(p)) > before);
  return sub;
}

async function runOf(p: Platform, flowId: string): Promise<{ id: string; status: string; completedAt: number }> {
  const runs = await p.call<{
    items: Array<{
      id: string;
      metrics: { statusSummary: { status: string }; durationSummary: { completedAtUTC: number } };
    }>;
  }>('GET', `${FS}/runs?property=flowId==${flowId}`);
  const run = runs.items[0]!;
  return {
    id: run.id,
    status: run.metrics.statusSummary.status,
    completedAt: run.metrics.durationSummary.completedAtUTC,
  };
}

function eventOf(p: Platform, flowId: string, runId: string, status: RunFinishedEvent['status']): RunFinishedEvent {
  return {
    org: p.org,
    sandbox: p.sandbox,
    key: runEventKey(runId, status),
    flowId,
    runId,
    status,
    finishedAt: Date.now(),
    source: 'webhook',
  };
}

describe('flowRunUpdated', () => {
  it("delivers a run's completion published on the bus, with linked fields read with the subscriber's credentials", async () => {
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    const flow = seededA.flows[0]!;
    const run = await runOf(a, flow.id);
    const sub = await subscribed(a, RUN_UPDATED, { flowIds: [flow.id] });
    await stack.api.runEvents.publish(eventOf(a, flow.id, run.id, 'success'));
    const result = await sub.next();
    expect(result.errors).toBeUndefined();
    expect(result.data.flowRunUpdated).toMatchObject({
      id: run.id,
      flowId: flow.id,
      status: 'SUCCESS',
      flow: { id: flow.id, name: flow.name },
    });
    expect(result.data.flowRunUpdated.completedAt).toEqual(expect.any(String));
    await sub.close();
  });

  it("never shows one org's events to another org's subscriber", async () => {
    await stack.control('POST', '/__emulator/runs/settle', {});
    const subB = await subscribed(b, RUN_UPDATED);
    const flowA = seededA.flows[1]!;
    const flowB = seededB.flows[0]!;
    const [runA, runB] = await Promise.all([runOf(a, flowA.id), runOf(b, flowB.id)]);
    await stack.api.runEvents.publish(eventOf(a, flowA.id, runA.id, 'success'));
    // an event of org A forged into org B's tenant does not resolve either: B's credentials cannot read A's run
    await stack.api.runEvents.publish({ ...eventOf(a, flowA.id, runA.id, 'success'), org: ORG_B });
    await stack.api.runEvents.publish(eventOf(b, flowB.id, runB.id, 'success'));
    const first = await subB.next();
    expect(first.data.flowRunUpdated).toMatchObject({ id: runB.id, flowId: flowB.id });
    await subB.close();
  });

  it('filters by status before reading the run', async () => {
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    const ok = seededA.flows[0]!;
    const failing = seededA.flows[2]!;
    const [okRun, failedRun] = await Promise.all([runOf(a, ok.id), runOf(a, failing.id)]);
    expect(failedRun.status).toBe('failed');
    const sub = await subscribed(a, RUN_UPDATED, { statuses: ['FAILED'] });
    await stack.api.runEvents.publish(eventOf(a, ok.id, okRun.id, 'success'));
    await stack.api.runEvents.publish(eventOf(a, failing.id, failedRun.id, 'failed'));
    expect((await sub.next()).data.flowRunUpdated).toMatchObject({ id: failedRun.id, status: 'FAILED' });
    await sub.close();
  });
});

describe('shared execution', () => {
  /** Upstream reads of run `runId` (by id or in a multi-get). */
  const runReads = async (runId: string) =>
    (await stack.requests()).filter((r) => r.method === 'GET' && (r.path.includes(runId) || r.query.includes(runId)))
      .length;

  it('answers subscribers of one document and credentials with one read and execution, and never across credentials or tenants', async () => {
    await stack.control('POST', '/__emulator/runs/settle', {});
    // org A under a second client's token: the same tenant, other credentials
    const otherA = await platform(stack.emulator.url, ORG_A, 'prod', 'graph-test-other-client');
    const flowA = seededA.flows[1]!;
    const flowB = seededB.flows[0]!;
    const [runA, runB] = await Promise.all([runOf(a, flowA.id), runOf(b, flowB.id)]);
    const same = [await subscribed(a, RUN_UPDATED), await subscribed(a, RUN_UPDATED)];
    const other = await subscribed(otherA, RUN_UPDATED);
    const subB = await subscribed(b, RUN_UPDATED);
    const readsBefore = await runReads(runA.id);

    await stack.api.runEvents.publish(eventOf(a, flowA.id, runA.id, 'success'));
    await stack.api.runEvents.publish(eventOf(b, flowB.id, runB.id, 'success'));
    for (const sub of [...same, other]) {
      const result = await sub.next();
      expect(result.errors).toBeUndefined();
      expect(result.data.flowRunUpdated).toMatchObject({ id: runA.id, flow: { id: flowA.id, name: flowA.name } });
    }
    // org B's subscriber, of the very same document, gets org B's event first: nothing of A's reached it
    expect((await subB.next()).data.flowRunUpdated).toMatchObject({ id: runB.id, flow: { id: flowB.id } });
    // A's run was read once per distinct credentials: the two subscribers on one token shared it, the other token read its own
    expect((await runReads(runA.id)) - readsBefore).toBe(2);
    await Promise.all([...same, other, subB].map((s) => s.close()));
  });
});

/** Runs listed by the poller (its only read of the platform), per org. */
async function pollReads(org: string): Promise<number> {
  const log = await stack.requests();
  return log.filter(
    (r) => r.method === 'GET' && r.path === `${FS}/runs` && r.org === org && r.query.includes('completedAtUTC>'),
  ).length;
}

describe('the run poller', () => {
  it('reports a finished run within one interval, with one poller per tenant however many subscribers', async () => {
    // a flow of its own, whose run has not finished yet
    const own = await seedFlows(a, {
      flows: 1,
      prefix: 'LivePoll',
      runs: true,
      descriptionOf: () => '[emulator:succeed]',
    });
    const flow = own.flows[0]!;
    const [s1, s2, s3] = [
      await subscribed(a, RUN_UPDATED, { flowIds: [flow.id] }),
      await subscribed(await platform(stack.emulator.url, ORG_A, 'prod', 'live-second'), RUN_UPDATED, {
        flowIds: [flow.id],
      }),
      await subscribed(a, RUN_UPDATED, { flowIds: [flow.id] }),
    ];
    expect(hub().pollers).toBe(1);
    expect(scheduler.active).toBe(1);
    await stack.clearRequests();
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    await scheduler.tick();
    expect(await pollReads(ORG_A)).toBe(1);
    const run = await runOf(a, flow.id);
    for (const sub of [s1, s2, s3])
      expect((await sub.next()).data.flowRunUpdated).toMatchObject({ id: run.id, status: 'SUCCESS' });

    // the next poll reads from the newest completion it saw, less the lookback; it finds the
    // run again but it was seen: nothing new is published
    const published = hub().poller(tenantOf(a))!.counters.published;
    const { completedAt } = run;
    await stack.clearRequests();
    await scheduler.tick();
    expect(hub().poller(tenantOf(a))!.counters.published).toBe(published);
    const [read] = (await stack.requests()).filter((r) => r.path === `${FS}/runs` && r.org === ORG_A);
    expect(read!.query).toContain(`metrics.durationSummary.completedAtUTC>${completedAt - 60_000}`);

    // the subscriber the poller read with leaves: the next poll reads with another's credentials
    await s1.close();
    await hub().until(() => hub().subscribers(tenantOf(a)) === 2);
    await a.call('POST', `${FS}/runs`, {
      flowId: flow.id,
      params: { startTime: 1, windowStartTime: 0, windowEndTime: 1 },
    });
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    await scheduler.tick();
    const second = await s2.next();
    expect(second.data.flowRunUpdated.id).not.toBe(run.id);
    expect((await s3.next()).data.flowRunUpdated.id).toBe(second.data.flowRunUpdated.id);

    await Promise.all([s2.close(), s3.close()]);
    await hub().until(() => hub().subscribers(tenantOf(a)) === 0);
    expect(hub().pollers).toBe(0);
    expect(scheduler.active).toBe(0);
    await stack.clearRequests();
    await scheduler.tick();
    expect(await pollReads(ORG_A)).toBe(0);
  });

  it('does not report again a run a webhook already reported', async () => {
    const own = await seedFlows(a, {
      flows: 2,
      prefix: 'LiveMerge',
      runs: true,
      descriptionOf: () => '[emulator:succeed]',
    });
    const sub = await subscribed(a, RUN_UPDATED, { flowIds: own.flows.map((f) => f.id) });
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    const [first, second] = await Promise.all(own.flows.map((f) => runOf(a, f.id)));
    // what the webhook receiver does with a delivery: first sighting, then publish
    const webhook = eventOf(a, own.flows[0]!.id, first!.id, 'success');
    expect(await stack.api.seenKeys.firstSighting(webhook.key, 60_000)).toBe(true);
    await stack.api.runEvents.publish(webhook);
    await scheduler.tick();
    const delivered = [(await sub.next()).data.flowRunUpdated.id, (await sub.next()).data.flowRunUpdated.id];
    expect(delivered).toEqual([first!.id, second!.id]);
    expect(hub().poller(tenantOf(a))!.counters.published).toBe(1);
    await sub.close();
  });
});

describe('flowHealthChanged', () => {
  it('flips a flow to FAILING when its run fails', async () => {
    const own = await seedFlows(a, {
      flows: 1,
      prefix: 'LiveHealth',
      runs: true,
      descriptionOf: () => '[emulator:fail]',
    });
    const flow = own.flows[0]!;
    const sub = await subscribed(a, HEALTH_CHANGED, { flowIds: [flow.id] });
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    await scheduler.tick();
    const result = await sub.next();
    expect(result.errors).toBeUndefined();
    expect(result.data.flowHealthChanged).toEqual({
      flow: { id: flow.id, name: flow.name, health: 'FAILING' },
      previous: 'NEVER_RUN',
      current: 'FAILING',
    });
    await sub.close();
  });
});

describe('flowHealthChanged, bounded', () => {
  it('forgets the least recently reported flow past SUBSCRIPTION_HEALTH_MAX_FLOWS and reports its next event with previous null', async () => {
    const own = await seedFlows(a, {
      flows: 2,
      prefix: 'LiveBound',
      runs: true,
      descriptionOf: () => '[emulator:fail]',
    });
    const [f1, f2] = own.flows as [(typeof own.flows)[0], (typeof own.flows)[0]];
    // the stack remembers one flow per subscription: preparing both already forgot f1, reporting f1 forgets f2
    const sub = await subscribed(a, HEALTH_CHANGED, { flowIds: [f1.id, f2.id] });
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    const [r1, r2] = await Promise.all([runOf(a, f1.id), runOf(a, f2.id)]);
    await stack.api.runEvents.publish(eventOf(a, f1.id, r1.id, 'failed'));
    await stack.api.runEvents.publish(eventOf(a, f2.id, r2.id, 'failed'));
    // unbounded, this one would not be reported: f1 was FAILING already
    await stack.api.runEvents.publish(eventOf(a, f1.id, r1.id, 'failed'));
    const changes = [];
    for (let i = 0; i < 3; i++) {
      const { data } = await sub.next();
      changes.push([data.flowHealthChanged.flow.id, data.flowHealthChanged.previous, data.flowHealthChanged.current]);
    }
    expect(changes).toEqual([
      [f1.id, null, 'FAILING'],
      [f2.id, null, 'FAILING'],
      [f1.id, null, 'FAILING'],
    ]);
    // the poller marks these runs seen (they came by the bus alone), so that later pollers of the tenant do not report them
    await scheduler.tick();
    await sub.close();
  });
});

describe('subscription limits and credentials', () => {
  const closeOf = (p: Platform | Record<string, string>, query = RUN_UPDATED) =>
    new Promise<{ code: number; reason: string }>((resolve) => {
      const client = connect(stack.api.url, 'headers' in p ? (p as Platform).headers : p);
      client.on('closed', (event) => {
        const e = event as { code: number; reason: string };
        resolve({ code: e.code, reason: e.reason });
      });
      subscribe(client, query);
    });

  it('refuses a token the platform does not know, without echoing it', async () => {
    const closed = await closeOf({ ...a.headers, authorization: 'Bearer not-a-real-token-0123456789' });
    expect(closed.code).toBe(4403);
    expect(closed.reason).toContain('401');
    expect(closed.reason).not.toContain('not-a-real-token');
  });

  it('refuses an org other than the server\u2019s without a token', async () => {
    const closed = await closeOf({ 'x-gw-ims-org-id': ORG_B });
    expect(closed.code).toBe(4403);
    expect(closed.reason).toContain('needs an Authorization header');
  });

  it('applies the depth limit and the per-connection bound, and serves only subscriptions', async () => {
    const client = connect(stack.api.url, a.headers);
    const deep = subscribe(
      client,
      `subscription { flowRunUpdated { flow { sourceConnections { baseConnection { connectionSpec { id } } } targetConnections { dataset { schema { datasets { nodes { flows { nodes { lastRun { flow { flowSpec { id } } } } } } } } } } } } }`,
    );
    await expect(deep.next()).rejects.toMatchObject([{ extensions: { code: 'QUERY_TOO_DEEP' } }]);
    const query = subscribe(client, '{ flows { totalCount } }');
    await expect(query.next()).rejects.toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
    const held = [subscribe(client, RUN_UPDATED), subscribe(client, RUN_UPDATED), subscribe(client, RUN_UPDATED)];
    await hub().until(() => hub().subscribers(tenantOf(a)) === 3);
    const fourth = subscribe(client, RUN_UPDATED);
    await expect(fourth.next()).rejects.toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
    await Promise.all(held.map((s) => s.close()));
    await hub().until(() => hub().subscribers(tenantOf(a)) === 0);
  });

  it('bounds the connections of one tenant', async () => {
    const held = Array.from({ length: 4 }, () => subscribe(connect(stack.api.url, b.headers), RUN_UPDATED));
    await hub().until(() => hub().subscribers(tenantOf(b)) === 4);
    const closed = await closeOf(b);
    expect(closed.code).toBe(4429);
    expect(closed.reason).toContain('MAX_WS_CONNECTIONS_PER_TENANT');
    await Promise.all(held.map((s) => s.close()));
    const subscriptions = stack.api.live.subscriptions;
    await subscriptions.until(() => subscriptions.connections(`${ORG_B}/prod`) === 0);
    // room again
    const again = subscribe(connect(stack.api.url, b.headers), RUN_UPDATED);
    await hub().until(() => hub().subscribers(tenantOf(b)) === 1);
    await again.close();
  });
});

describe('from the I/O Events webhook', () => {
  it("delivers a run's completion the emulator's webhook reports, and the poller does not report it again", async () => {
    const webhookUrl = new URL('/webhooks/io-events', stack.api.url).href;
    const registered = await stack.control('POST', '/__emulator/webhooks', {
      url: webhookUrl,
      clientId: 'ingestion-graph-test',
    });
    const own = await seedFlows(a, {
      flows: 1,
      prefix: 'LiveHook',
      runs: true,
      descriptionOf: () => '[emulator:fail]',
    });
    const flow = own.flows[0]!;
    const sub = await subscribed(a, RUN_UPDATED, { flowIds: [flow.id] });
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG_A });
    const result = await sub.next();
    const run = await runOf(a, flow.id);
    expect(result.data.flowRunUpdated).toMatchObject({ id: run.id, flowId: flow.id, status: 'FAILED' });
    expect((await stack.control('POST', '/__emulator/webhooks/wait', { timeoutMs: 20_000 })).idle).toBe(true);
    const published = hub().poller(tenantOf(a))!.counters.published;
    await scheduler.tick();
    expect(hub().poller(tenantOf(a))!.counters.published).toBe(published);
    await sub.close();
    await fetch(`${stack.emulator.url}/__emulator/webhooks/${registered.id}`, { method: 'DELETE' });
  });
});

describe('live metrics', () => {
  it('reports the connections, subscribers and pollers held now, and none once the last subscriber leaves', async () => {
    const gauges = async () => {
      const samples = parsePrometheusText(await (await fetch(stack.api.metricsUrl!)).text());
      return {
        connections: valueOf(samples, 'live_connections'),
        subscribers: valueOf(samples, 'live_subscribers'),
        pollers: valueOf(samples, 'live_pollers'),
      };
    };
    const { subscriptions } = stack.api.live;
    // what earlier tests opened has gone
    await subscriptions.until(() => subscriptions.connections() === 0);
    await hub().until(() => hub().totalSubscribers === 0);
    expect(await gauges()).toEqual({ connections: 0, subscribers: 0, pollers: 0 });
    const sub = await subscribed(a, RUN_UPDATED);
    await subscriptions.until(() => subscriptions.connections() === 1);
    expect(await gauges()).toEqual({ connections: 1, subscribers: 1, pollers: 1 });
    await sub.close();
    await subscriptions.until(() => subscriptions.connections() === 0);
    await hub().until(() => hub().totalSubscribers === 0);
    expect(await gauges()).toEqual({ connections: 0, subscribers: 0, pollers: 0 });
  });
});
