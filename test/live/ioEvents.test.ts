import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID, loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { DEFAULT_RECIPIENT_CLIENT_ID } from '../../src/emulator/ioEvents/webhookRoutes.ts';
import type { RunFinishedEvent } from '../../src/live/runEvents.ts';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';

const ORG = 'IOEVENTS0000000000000000@AdobeOrg';
const CLIENT_ID = 'ingestion-graph-test';
const FS = '/data/foundation/flowservice';

let stack: Stack;
let org: Platform;
let flowIds: { succeed: string; fail: string };
let webhookUrl: string;
const seen: RunFinishedEvent[] = [];

interface Attempt {
  eventId: string;
  eventCode: string;
  attempt: number;
  duplicate: boolean;
  status?: number;
  outcome: string;
  headers: Record<string, string>;
  body: string;
}

beforeAll(async () => {
  stack = await startStack();
  webhookUrl = new URL('/webhooks/io-events', stack.api.url).href;
  stack.api.runEvents.subscribe({ org: ORG, sandbox: 'prod' }, (e) => seen.push(e));
  org = await platform(stack.emulator.url, ORG);
  const seeded = await seedFlows(org, {
    flows: 2,
    schemas: 1,
    baseConnections: 1,
    prefix: 'Events',
    descriptionOf: (i) => (i === 0 ? '[emulator:succeed]' : '[emulator:fail]'),
  });
  flowIds = { succeed: seeded.flows[0]!.id, fail: seeded.flows[1]!.id };
});

afterAll(async () => {
  await stack.stop();
});

afterEach(async () => {
  await stack.control('DELETE', '/__emulator/webhooks');
  await stack.control('DELETE', '/__emulator/faults');
  seen.length = 0;
});

async function register(body: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.control('POST', '/__emulator/webhooks', { url: webhookUrl, clientId: CLIENT_ID, ...body });
  expect(res.id, JSON.stringify(res)).toEqual(expect.any(String));
  return res.id as string;
}

/** Starts an on-demand run of `flowId` and returns its id. */
async function startRun(flowId: string): Promise<string> {
  const startTime = Math.floor(Date.now() / 1000);
  const run = await org.call<{ id: string }>('POST', `${FS}/runs`, {
    flowId,
    params: { startTime, windowStartTime: startTime - 3600, windowEndTime: startTime },
  });
  return run.id;
}

/** Finishes the org's runs now and waits until every delivery due is made. */
async function settle(): Promise<void> {
  await stack.control('POST', '/__emulator/runs/settle', { org: ORG });
  await idle();
}

async function idle(): Promise<void> {
  const waited = await stack.control('POST', '/__emulator/webhooks/wait', { timeoutMs: 20_000 });
  expect(waited.idle).toBe(true);
}

async function attempts(id: string): Promise<Attempt[]> {
  return ((await stack.control('GET', `/__emulator/webhooks/${id}`)) as { attempts: Attempt[] }).attempts;
}

async function post(headers: Record<string, string>, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(webhookUrl, { method: 'POST', headers, body });
  return { status: res.status, json: await res.json() };
}

describe('the emulator registers a webhook', () => {
  it('after the webhook echoes the challenge, and lists and removes it', async () => {
    const before = stack.api.ioEvents.counts.challenges;
    const id = await register({ eventCodes: ['sources_flow_run_failure'] });
    expect(stack.api.ioEvents.counts.challenges).toBe(before + 1);
    const list = await stack.control('GET', '/__emulator/webhooks');
    expect(list).toEqual([
      expect.objectContaining({ id, url: webhookUrl, clientId: CLIENT_ID, eventCodes: ['sources_flow_run_failure'] }),
    ]);
    const res = await fetch(`${stack.emulator.url}/__emulator/webhooks/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await stack.control('GET', '/__emulator/webhooks')).toEqual([]);
  });

  it('refuses a webhook that does not echo the challenge, or is not there', async () => {
    const health = new URL('/health', stack.api.url).href;
    const refused = await stack.control('POST', '/__emulator/webhooks', { url: health });
    expect(refused.error).toMatch(/failed the challenge handshake: its answer does not hold the challenge/);
    const missing = await stack.control('POST', '/__emulator/webhooks', {
      url: new URL('/nowhere', stack.api.url).href,
    });
    expect(missing.error).toMatch(/failed the challenge handshake: it answered 404/);
    expect(await stack.control('GET', '/__emulator/webhooks')).toEqual([]);
  });

  it('refuses a bad registration, naming the field', async () => {
    const bad = await stack.control('POST', '/__emulator/webhooks', { url: webhookUrl, duplicateRate: 2 });
    expect(bad.error).toBe('duplicateRate must be a number from 0 to 1');
    const code = await stack.control('POST', '/__emulator/webhooks', { url: webhookUrl, eventCodes: ['nope'] });
    expect(code.error).toMatch(/^eventCodes\[0\]: "nope" is not one of/);
  });

  it('names the API demo client as the recipient when the registration names none', () => {
    expect(DEFAULT_RECIPIENT_CLIENT_ID).toBe(DEMO_CLIENT_ID);
  });
});

describe('the API receives I/O Events', () => {
  it('answers the challenge and refuses a handshake without one', async () => {
    const ok = await fetch(`${webhookUrl}?challenge=8ec8d794-e0ab-42df-9017-e3dada8e84f7`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: '8ec8d794-e0ab-42df-9017-e3dada8e84f7' });
    const none = await fetch(webhookUrl);
    expect(none.status).toBe(400);
    expect(((await none.json()) as { code: string }).code).toBe('WEBHOOK_BAD_CHALLENGE');
  });

  it('publishes a run finished on demand on the bus, with its tenant, once', async () => {
    await register();
    const elsewhere: RunFinishedEvent[] = [];
    const unsubscribe = stack.api.runEvents.subscribe(
      { org: 'ELSEWHERE000000000000000@AdobeOrg', sandbox: 'prod' },
      (e) => elsewhere.push(e),
    );
    const succeeded = await startRun(flowIds.succeed);
    const failed = await startRun(flowIds.fail);
    await settle();
    expect(seen.map(({ finishedAt: _f, receivedAt: _r, ...e }) => e)).toEqual([
      {
        org: ORG,
        sandbox: 'prod',
        key: `${succeeded}:success`,
        flowId: flowIds.succeed,
        runId: succeeded,
        status: 'success',
        source: 'webhook',
      },
      {
        org: ORG,
        sandbox: 'prod',
        key: `${failed}:failed`,
        flowId: flowIds.fail,
        runId: failed,
        status: 'failed',
        source: 'webhook',
      },
    ]);
    const run = await org.call<{ items: Array<{ metrics: { durationSummary: { completedAtUTC: number } } }> }>(
      'GET',
      `${FS}/runs/${succeeded}`,
    );
    expect(seen[0]!.finishedAt).toBe(run.items[0]!.metrics.durationSummary.completedAtUTC);
    // the delivery's arrival on the API's clock, for latency measured from there
    expect(seen.map((e) => typeof e.receivedAt)).toEqual(['number', 'number']);
    expect(elsewhere).toEqual([]);
    unsubscribe();
  });

  it('publishes a scheduled run when it finishes', async () => {
    await register();
    const hourly = await seedFlows(org, {
      flows: 1,
      schemas: 1,
      baseConnections: 1,
      prefix: 'Scheduled',
      scheduleOf: () => ({ startTime: Math.floor(Date.now() / 1000) - 7_200, frequency: 'hour', interval: 1 }),
    });
    await settle();
    const flowId = hourly.flows[0]!.id;
    expect(seen.filter((e) => e.flowId === flowId)).toEqual([expect.objectContaining({ flowId, source: 'webhook' })]);
    await org.call('POST', `${FS}/flows/${flowId}/action?op=disable`);
  });

  it('delivers the documented payload, signed with both keys the emulator serves', async () => {
    const id = await register();
    const runId = await startRun(flowIds.fail);
    await settle();
    const [attempt] = await attempts(id);
    const body = JSON.parse(attempt!.body);
    expect(body).toMatchObject({
      event_id: attempt!.eventId,
      recipient_client_id: CLIENT_ID,
      event: {
        id: runId,
        flowId: flowIds.fail,
        imsOrgId: ORG,
        sandboxName: 'prod',
        metrics: { statusSummary: { status: 'failed' } },
        header: {
          _adobeio: {
            imsOrgId: ORG,
            providerMetadata: 'platform_notifications',
            eventCode: 'sources_flow_run_failure',
          },
        },
      },
    });
    const h = attempt!.headers;
    expect(h['x-adobe-public-key1-path']).toMatch(/^\/prod\/keys\/pub-key-[0-9a-f-]{36}\.pem$/);
    expect(h['x-adobe-public-key2-path']).not.toBe(h['x-adobe-public-key1-path']);
    for (const n of [1, 2]) {
      const res = await fetch(stack.emulator.url + h[`x-adobe-public-key${n}-path`]!);
      expect(await res.text()).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect(h[`x-adobe-digital-signature-${n}`]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    }
  });

  it('refuses forged, unsigned and wrongly keyed deliveries, and none reaches the bus', async () => {
    const id = await register();
    await startRun(flowIds.succeed);
    await settle();
    expect(seen).toHaveLength(1);
    const [delivered] = await attempts(id);
    const { headers, body } = delivered!;
    const forgedBody = body.replace(flowIds.succeed, flowIds.fail).replace(delivered!.eventId, 'another-event-id');
    const forged = await post(headers, forgedBody);
    expect(forged).toEqual({
      status: 401,
      json: { code: 'WEBHOOK_BAD_SIGNATURE', message: expect.stringMatching(/does not verify/) },
    });

    const unsigned = Object.fromEntries(
      Object.entries(headers).filter(([k]) => !k.startsWith('x-adobe-digital-signature')),
    );
    const noSignature = await post(unsigned, forgedBody);
    expect(noSignature.status).toBe(401);
    expect(noSignature.json.code).toBe('WEBHOOK_UNSIGNED');

    for (const path of [
      '//elsewhere.example/prod/keys/pub-key-1.pem',
      '/prod/keys/../../pub-key-1.pem',
      'https://elsewhere.example/prod/keys/pub-key-1.pem',
    ]) {
      const outside = await post({ ...headers, 'x-adobe-public-key1-path': path }, body);
      expect(outside.status, path).toBe(401);
      expect(outside.json.code).toBe('WEBHOOK_BAD_KEY_PATH');
    }
    const unknownKey = await post(
      {
        ...headers,
        'x-adobe-public-key1-path': '/prod/keys/pub-key-unknown.pem',
        'x-adobe-public-key2-path': '/prod/keys/pub-key-unknown2.pem',
      },
      forgedBody,
    );
    expect(unknownKey.status).toBe(401);
    expect(unknownKey.json.code).toBe('WEBHOOK_BAD_SIGNATURE');

    // as I/O Events documents it, one verifying signature of the two suffices (a key can be rotated)
    for (const n of [1, 2]) {
      const oneForged = await post(
        { ...headers, [`x-adobe-digital-signature-${n}`]: headers['x-adobe-digital-signature-' + (3 - n)]! },
        body,
      );
      expect(oneForged, `signature ${n} forged`).toEqual({ status: 200, json: { duplicate: true } });
    }
    const bothForged = await post(
      {
        ...headers,
        'x-adobe-digital-signature-1': headers['x-adobe-digital-signature-2']!,
        'x-adobe-digital-signature-2': headers['x-adobe-digital-signature-1']!,
      },
      body,
    );
    expect(bothForged.status).toBe(401);

    const malformed = await post(headers, '{"event_id":');
    expect(malformed.status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('refuses an event for another recipient, which the emulator does not retry', async () => {
    const other = await register({ clientId: 'someone-else' });
    await startRun(flowIds.succeed);
    await settle();
    const [attempt, ...more] = await attempts(other);
    expect(more).toEqual([]);
    expect(attempt).toMatchObject({ status: 400, outcome: 'dropped' });
    expect(seen).toEqual([]);
    expect(stack.api.ioEvents.counts.rejected.WEBHOOK_WRONG_RECIPIENT).toBeGreaterThanOrEqual(1);
  });

  it('refuses a body over the bound', async () => {
    const res = await post(
      {
        'content-type': 'application/json',
        'x-adobe-digital-signature-1': 'a',
        'x-adobe-digital-signature-2': 'b',
        'x-adobe-public-key1-path': '/prod/keys/pub-key-a.pem',
        'x-adobe-public-key2-path': '/prod/keys/pub-key-b.pem',
      },
      'x'.repeat(262_145),
    );
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('WEBHOOK_BODY_TOO_LARGE');
  });

  it('absorbs duplicate deliveries and replays: one bus event per run', async () => {
    const id = await register({ duplicateRate: 1 });
    const runId = await startRun(flowIds.succeed);
    const duplicatesBefore = stack.api.ioEvents.counts.duplicates;
    await settle();
    const log = await attempts(id);
    expect(log.map((a) => [a.eventId, a.duplicate, a.status])).toEqual([
      [log[0]!.eventId, false, 200],
      [log[0]!.eventId, true, 200],
    ]);
    const replay = await post(log[0]!.headers, log[0]!.body);
    expect(replay).toEqual({ status: 200, json: { duplicate: true } });
    expect(seen.map((e) => e.runId)).toEqual([runId]);
    expect(stack.api.ioEvents.counts.duplicates).toBe(duplicatesBefore + 2);
  });

  it('sends every other event twice at duplicateRate 0.5', async () => {
    const id = await register({ duplicateRate: 0.5 });
    for (let i = 0; i < 4; i++) await startRun(flowIds.succeed);
    await settle();
    const log = await attempts(id);
    expect(log.map((a) => a.duplicate)).toEqual([false, false, true, false, false, true]);
    expect(seen).toHaveLength(4);
  });

  it('delivers the events due at once newest first with reorder', async () => {
    await register({ reorder: true });
    const runs = [await startRun(flowIds.succeed), await startRun(flowIds.succeed), await startRun(flowIds.fail)];
    await settle();
    expect(seen.map((e) => e.runId)).toEqual([...runs].reverse());
  });

  it('fetches the keys once for many deliveries', async () => {
    await register();
    await startRun(flowIds.succeed);
    await settle();
    const fetches = stack.api.ioEvents.keys.fetches;
    const state = await stack.control('GET', '/__emulator/state');
    for (let i = 0; i < 3; i++) await startRun(flowIds.succeed);
    await settle();
    expect(seen).toHaveLength(4);
    const after = await stack.control('GET', '/__emulator/state');
    expect(stack.api.ioEvents.keys.fetches).toBe(fetches);
    expect(after.webhooks.keyRequests).toBe(state.webhooks.keyRequests);

    // past IO_EVENTS_KEY_CACHE_TTL_SECONDS (3600) on the API's clock, both keys are fetched again, once
    stack.advanceClock(3_600_001);
    for (let i = 0; i < 2; i++) await startRun(flowIds.succeed);
    await settle();
    expect(seen).toHaveLength(6);
    expect(stack.api.ioEvents.keys.fetches).toBe(fetches + 2);
  });
});

describe('delivery retries', () => {
  it('retry after 1, then 2 more minutes of emulated time while the receiver fails, then deliver once', async () => {
    // a fresh API: its key cache is empty, so the failing key origin makes it answer 503; emulated
    // time stands still but for the test's moves, however slow the machine
    const frozen = Date.now();
    const fresh = await startStack({ emulator: { wallClock: () => frozen } });
    try {
      const p = await platform(fresh.emulator.url, ORG);
      const { flows } = await seedFlows(p, {
        flows: 1,
        schemas: 1,
        baseConnections: 1,
        prefix: 'Retry',
        descriptionOf: () => '[emulator:succeed]',
      });
      const got: RunFinishedEvent[] = [];
      fresh.api.runEvents.subscribe({ org: ORG, sandbox: 'prod' }, (e) => got.push(e));
      const url = new URL('/webhooks/io-events', fresh.api.url).href;
      const reg = await fresh.control('POST', '/__emulator/webhooks', { url, clientId: CLIENT_ID });
      // both keys fail for the first two attempts
      await fresh.control('POST', '/__emulator/faults', { method: 'GET', path: '^/prod/keys/', status: 500, times: 4 });
      const startTime = Math.floor(Date.now() / 1000);
      await p.call('POST', `${FS}/runs`, {
        flowId: flows[0]!.id,
        params: { startTime, windowStartTime: startTime - 3600, windowEndTime: startTime },
      });
      await fresh.control('POST', '/__emulator/runs/settle', { org: ORG });
      const wait = async () =>
        expect((await fresh.control('POST', '/__emulator/webhooks/wait', { timeoutMs: 20_000 })).idle).toBe(true);
      const log = async () =>
        ((await fresh.control('GET', `/__emulator/webhooks/${reg.id}`)) as { attempts: Attempt[] }).attempts;
      await wait();
      expect((await log()).map((a) => [a.attempt, a.status, a.outcome])).toEqual([[1, 503, 'retrying']]);

      await fresh.control('POST', '/__emulator/clock', { advanceMs: 59_000 });
      await wait();
      expect(await log()).toHaveLength(1);
      await fresh.control('POST', '/__emulator/clock', { advanceMs: 1_000 });
      await wait();
      expect((await log()).map((a) => [a.attempt, a.status, a.outcome])).toEqual([
        [1, 503, 'retrying'],
        [2, 503, 'retrying'],
      ]);
      // the second retry waits twice as long
      await fresh.control('POST', '/__emulator/clock', { advanceMs: 60_000 });
      await wait();
      expect(await log()).toHaveLength(2);
      await fresh.control('POST', '/__emulator/clock', { advanceMs: 60_000 });
      await wait();
      const final = await log();
      expect(final.map((a) => [a.attempt, a.status, a.outcome, a.headers['x-adobe-retry-count']])).toEqual([
        [1, 503, 'retrying', undefined],
        [2, 503, 'retrying', '1'],
        [3, 200, 'delivered', '2'],
      ]);
      expect(got).toHaveLength(1);
      expect(fresh.api.ioEvents.counts.rejected.WEBHOOK_KEY_UNAVAILABLE).toBe(2);
      // two failed fetches per failed attempt (failures are not cached), then each key once
      expect(fresh.api.ioEvents.keys.fetches).toBe(6);
    } finally {
      await fresh.stop();
    }
  });
});

describe('over the embedded emulator', () => {
  it('the API registers its own webhook, as the demo client, and receives every finished run', async () => {
    const api = await startServer(loadConfig({ PORT: '0', EMULATOR_PORT: '0', EMULATOR_DEMO: 'false' }));
    try {
      const emulatorUrl = api.emulatorUrl!;
      expect(api.emulator!.runtime.webhooks.list()).toEqual([
        expect.objectContaining({ url: new URL('/webhooks/io-events', api.url).href, clientId: DEMO_CLIENT_ID }),
      ]);
      const got: RunFinishedEvent[] = [];
      api.runEvents.subscribe({ org: ORG, sandbox: 'prod' }, (e) => got.push(e));
      const p = await platform(emulatorUrl, ORG);
      const { flows } = await seedFlows(p, {
        flows: 1,
        schemas: 1,
        baseConnections: 1,
        runs: true,
        descriptionOf: () => '[emulator:fail]',
      });
      await fetch(`${emulatorUrl}/__emulator/runs/settle`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ org: ORG }),
      });
      const waited = await fetch(`${emulatorUrl}/__emulator/webhooks/wait`, { method: 'POST' });
      expect(((await waited.json()) as { idle: boolean }).idle).toBe(true);
      expect(got).toEqual([expect.objectContaining({ flowId: flows[0]!.id, status: 'failed', source: 'webhook' })]);
    } finally {
      await api.stop();
    }
  });
});
