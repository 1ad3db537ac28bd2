import { Clock } from '../../src/emulator/clock.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG } from '../../src/emulator/seed/demo.ts';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from './emulatorHarness.ts';

const FLOWS = '/data/foundation/flowservice/flows';
const CONNECTIONS = '/data/foundation/flowservice/connections';
const S3_CONNECTION = {
  name: 'S3',
  auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIA', s3SecretKey: 'secret' } },
  connectionSpec: { id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b', version: '1.0' },
};

let t: TestEmulator;
let call: Call;

beforeEach(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  await t.raw('DELETE', '/__emulator/requests');
});
afterEach(() => t.stop());

const addFault = (fault: unknown) => t.raw('POST', '/__emulator/faults', { body: fault });

describe('request log', () => {
  it('records method, path, decoded query, status, org, sandbox and timing of each service request, in order', async () => {
    await call('GET', FLOWS, { query: { property: 'name==a b' } });
    await call('GET', `${FLOWS}/missing`);
    await call('POST', CONNECTIONS, { body: S3_CONNECTION });

    const log = await t.requests();
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', FLOWS, 200],
      ['GET', `${FLOWS}/missing`, 404],
      ['POST', CONNECTIONS, 201],
    ]);
    expect(log[0]).toMatchObject({ query: 'property=name==a b', org: DOC_ORG, sandbox: 'prod' });
    for (const entry of log) {
      expect(typeof (entry as any).startedAt).toBe('number');
      expect((entry as any).durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('records gateway rejections with no org and is emptied by DELETE', async () => {
    await t.raw('GET', FLOWS);
    expect(await t.requests()).toEqual([expect.objectContaining({ status: 403, org: null, sandbox: null })]);
    expect((await t.raw('DELETE', '/__emulator/requests')).status).toBe(204);
    expect(await t.requests()).toEqual([]);
  });
});

describe('request log size', () => {
  it('keeps the most recent N requests, oldest first, and counts the ones it dropped', async () => {
    const small = await startTestEmulator({ requestLogSize: 3 });
    try {
      // one token request, then seven GETs: eight requests through a log of three
      const caller = await small.platform();
      for (let i = 0; i < 7; i++) await caller('GET', `${FLOWS}/missing-${i}`);
      expect((await small.requests()).map((e) => e.path)).toEqual([
        `${FLOWS}/missing-4`,
        `${FLOWS}/missing-5`,
        `${FLOWS}/missing-6`,
      ]);
      expect((await small.raw('GET', '/__emulator/state')).body.requestLog).toEqual({
        size: 3,
        capacity: 3,
        dropped: 5,
      });

      await small.raw('DELETE', '/__emulator/requests');
      await caller('GET', `${FLOWS}/after-clear`);
      expect((await small.requests()).map((e) => e.path)).toEqual([`${FLOWS}/after-clear`]);
      expect((await small.raw('GET', '/__emulator/state')).body.requestLog).toEqual({
        size: 1,
        capacity: 3,
        dropped: 0,
      });
    } finally {
      await small.stop();
    }
  });

  it('refuses a size below one', async () => {
    await expect(startTestEmulator({ requestLogSize: 0 })).rejects.toThrow(/request log size must be an integer >= 1/);
  });
});

describe('fault injection', () => {
  it('answers the injected status and body for `times` matching requests after skipping `skip`', async () => {
    const created = await addFault({
      path: '/flowservice/flows$',
      status: 503,
      body: { title: 'down' },
      times: 2,
      skip: 1,
    });
    expect(created.status).toBe(201);

    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('GET', FLOWS)).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
    const faulted = await call('GET', FLOWS);
    expect(faulted.status).toBe(200);
    expect((await t.requests()).map((e) => e.status)).toEqual([200, 503, 503, 200, 200]);
  });

  it('returns the injected body verbatim', async () => {
    await addFault({ path: 'flows', status: 429, body: { error_code: '429050', message: 'Too many requests' } });
    const res = await call('GET', FLOWS);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error_code: '429050', message: 'Too many requests' });
  });

  it('only hits requests of the given method', async () => {
    await addFault({ path: 'connections', method: 'post', status: 500 });
    expect((await call('GET', CONNECTIONS)).status).toBe(200);
    expect((await call('POST', CONNECTIONS, { body: S3_CONNECTION })).status).toBe(500);
    expect((await call('POST', CONNECTIONS, { body: S3_CONNECTION })).status).toBe(201);
  });

  it('delays a faulted response by delayMs, as the request log shows', async () => {
    await addFault({ path: 'flows', status: 504, delayMs: 150 });
    expect((await call('GET', FLOWS)).status).toBe(504);
    const [entry] = (await t.requests()) as any[];
    expect(entry.status).toBe(504);
    expect(entry.durationMs).toBeGreaterThanOrEqual(145);
  });

  it('lists pending faults and clears them with DELETE', async () => {
    await addFault({ path: 'flows', status: 500, times: 3 });
    const listed = await t.raw('GET', '/__emulator/faults');
    expect(listed.body).toEqual([expect.objectContaining({ path: 'flows', status: 500, times: 3 })]);
    expect((await t.raw('DELETE', '/__emulator/faults')).status).toBe(204);
    expect((await call('GET', FLOWS)).status).toBe(200);
  });

  it('stores a write and then closes the connection without answering with reset "processed"', async () => {
    await addFault({ path: 'connections$', method: 'POST', reset: 'processed' });
    await expect(call('POST', CONNECTIONS, { body: S3_CONNECTION })).rejects.toThrow();
    expect((await call('GET', CONNECTIONS, { query: { count: 'true' } })).body).toEqual({ count: 1 });
    expect((await t.requests())[0]).toMatchObject({
      method: 'POST',
      path: CONNECTIONS,
      status: 201,
      reset: 'processed',
    });
  });

  it('closes the connection before handling the request with reset "unprocessed"', async () => {
    await addFault({ path: 'connections$', method: 'POST', reset: 'unprocessed' });
    await expect(call('POST', CONNECTIONS, { body: S3_CONNECTION })).rejects.toThrow();
    expect((await call('GET', CONNECTIONS, { query: { count: 'true' } })).body).toEqual({ count: 0 });
    expect((await t.requests())[0]).toMatchObject({ method: 'POST', path: CONNECTIONS, reset: 'unprocessed' });
    expect((await call('POST', CONNECTIONS, { body: S3_CONNECTION })).status).toBe(201);
  });

  it.each([
    ['an unknown reset', { path: 'flows', reset: 'sometimes' }],
    ['no path', { status: 500 }],
    ['a bad regular expression', { path: '(', status: 500 }],
    ['no status', { path: 'flows' }],
    ['a status that is not HTTP', { path: 'flows', status: 42 }],
    ['negative times', { path: 'flows', status: 500, times: -1 }],
    ['fractional delayMs', { path: 'flows', status: 500, delayMs: 1.5 }],
    ['a non-numeric skip', { path: 'flows', status: 500, skip: 'one' }],
    ['a non-string method', { path: 'flows', status: 500, method: 7 }],
    ['an array body', [{ path: 'flows', status: 500 }]],
  ])('rejects a fault with %s with 400', async (_label, fault) => {
    const res = await addFault(fault);
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
    expect((await t.raw('GET', '/__emulator/faults')).body).toEqual([]);
  });

  it('rejects a control body that is not JSON with 400', async () => {
    const res = await t.raw('POST', '/__emulator/faults', {
      rawBody: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });
});

describe('config', () => {
  it('applies latencyMs to every service request, as durationMs in the log shows', async () => {
    const put = await t.raw('PUT', '/__emulator/config', { body: { latencyMs: 120 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ latencyMs: 120 });
    await call('GET', FLOWS);
    await t.raw('PUT', '/__emulator/config', { body: { latencyMs: 0 } });
    await call('GET', FLOWS);
    const log = (await t.requests()) as any[];
    const flows = log.filter((e) => e.path === FLOWS);
    // a timer never fires early: the delayed answer took at least the latency, whatever the machine's load
    expect(flows[0].durationMs).toBeGreaterThanOrEqual(119);
    expect((await t.raw('GET', '/__emulator/config')).body).toMatchObject({ latencyMs: 0 });
  });

  it('changes the emulated clock speed with timeScale', async () => {
    let wall = 1_000_000;
    const clock = new Clock(1, () => wall);
    const before = clock.now();
    clock.setTimeScale(3600);
    wall += 200;
    expect(clock.now() - before).toBe(3600 * 200);
    await t.raw('PUT', '/__emulator/config', { body: { timeScale: 3600 } });
    expect((await t.raw('GET', '/__emulator/config')).body).toMatchObject({ timeScale: 3600 });
    expect(t.emu.runtime.clock.timeScale).toBe(3600);
    await t.raw('PUT', '/__emulator/config', { body: { timeScale: 1 } });
  });

  it('moves the emulated clock forward at once with POST /__emulator/clock', async () => {
    const before = t.emu.runtime.clock.now();
    const res = await t.raw('POST', '/__emulator/clock', { body: { advanceMs: 86_400_000 } });
    expect(res.status).toBe(200);
    expect(res.body.now).toBeGreaterThanOrEqual(before + 86_400_000);
    expect((await t.raw('POST', '/__emulator/clock', { body: { advanceMs: -1 } })).status).toBe(400);
  });

  it.each([[{ latencyMs: -1 }], [{ latencyMs: 'slow' }], [{ timeScale: 0 }]])('rejects %j with 400', async (body) => {
    const res = await t.raw('PUT', '/__emulator/config', { body });
    expect(res.status).toBe(400);
  });
});

describe('state and reset', () => {
  it('counts resources per org and sandbox', async () => {
    await call('POST', CONNECTIONS, { body: S3_CONNECTION });
    await call('POST', CONNECTIONS, { body: S3_CONNECTION });
    const dev = await t.platform({ sandbox: 'dev' });
    await dev('POST', CONNECTIONS, { body: S3_CONNECTION });

    const state = (await t.raw('GET', '/__emulator/state')).body;
    const counts = (sandbox: string) =>
      state.partitions.find((p: any) => p.org === DOC_ORG && p.sandbox === sandbox)?.counts;
    expect(counts('prod')).toMatchObject({ connections: 2, flows: 0 });
    expect(counts('dev')).toMatchObject({ connections: 1 });
  });

  it('empties everything on reset, or reseeds the demo with {demo:true}', async () => {
    await call('POST', CONNECTIONS, { body: S3_CONNECTION });
    await addFault({ path: 'flows', status: 500 });

    const demo = await t.raw('POST', '/__emulator/reset', { body: { demo: true } });
    expect(demo.status).toBe(200);
    expect(demo.body.partitions).toEqual([expect.objectContaining({ org: DEMO_ORG, sandbox: 'prod' })]);
    expect(demo.body.partitions[0].counts.flows).toBeGreaterThanOrEqual(30);
    expect((await t.raw('GET', '/__emulator/faults')).body).toEqual([]);
    expect((await call('GET', CONNECTIONS, { query: { count: 'true' } })).body).toEqual({ count: 0 });

    const empty = await t.raw('POST', '/__emulator/reset', { body: { demo: false } });
    expect(empty.body.partitions).toEqual([]);
    const demoCaller = await t.platform({ org: DEMO_ORG });
    expect((await demoCaller('GET', FLOWS, { query: { count: 'true' } })).body).toEqual({ count: 0 });
  });

  it('answers 404 for an unknown control route', async () => {
    expect((await t.raw('GET', '/__emulator/nothing')).status).toBe(404);
  });
});
