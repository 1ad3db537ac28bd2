import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from './emulatorHarness.ts';

const FLOWS = '/data/foundation/flowservice/flows';

let t: TestEmulator;
let call: Call;

beforeEach(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  await t.raw('DELETE', '/__emulator/requests');
});
afterEach(() => t.stop());

const hold = (rule: unknown) => t.raw('POST', '/__emulator/holds', { body: rule });
const wait = async (body: unknown) => (await t.raw('POST', '/__emulator/holds/wait', { body })).body.held as number;

describe('a held request whose caller goes away', () => {
  it('stops waiting at once and is logged with status 499', async () => {
    await hold({ path: `^${FLOWS}$` });
    const caller = new AbortController();
    const token = await t.token();
    const answer = fetch(t.url + FLOWS, {
      headers: {
        authorization: `Bearer ${token}`,
        'x-api-key': 'test-client',
        'x-gw-ims-org-id': DOC_ORG,
        'x-sandbox-name': 'prod',
      },
      signal: caller.signal,
    }).catch(() => 'aborted');
    expect(await wait({ count: 1 })).toBe(1);
    caller.abort();
    expect(await answer).toBe('aborted');
    expect(await wait({ atMost: 0 })).toBe(0);
    expect((await t.requests()).filter((r) => r.path === FLOWS).map((r) => r.status)).toEqual([499]);
    expect((await t.raw('POST', '/__emulator/holds/release')).body).toEqual({ released: 0 });
  });

  it('refuses a wait for a negative or fractional number', async () => {
    expect((await t.raw('POST', '/__emulator/holds/wait', { body: { atMost: -1 } })).status).toBe(400);
    expect((await t.raw('POST', '/__emulator/holds/wait', { body: { atMost: 0.5 } })).status).toBe(400);
  });
});

describe('fault headers', () => {
  it('are sent with the fault answer', async () => {
    const fault = { path: `^${FLOWS}$`, status: 429, headers: { 'retry-after': '7' } };
    expect((await t.raw('POST', '/__emulator/faults', { body: fault })).status).toBe(201);
    const res = await call('GET', FLOWS);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('must be strings', async () => {
    const fault = { path: 'x', status: 500, headers: { 'retry-after': 7 } };
    expect((await t.raw('POST', '/__emulator/faults', { body: fault })).status).toBe(400);
  });
});

describe('in-flight counts', () => {
  it('count the requests of each org in flight now and at most since the last reset', async () => {
    await hold({ path: `^${FLOWS}$`, times: 2 });
    const answers = [call('GET', FLOWS), call('GET', FLOWS)];
    expect(await wait({ count: 2 })).toBe(2);
    expect((await t.raw('GET', '/__emulator/inflight')).body).toEqual({
      current: { [DOC_ORG]: 2 },
      peak: { [DOC_ORG]: 2 },
    });
    await t.raw('POST', '/__emulator/holds/release');
    await Promise.all(answers);
    expect((await t.raw('GET', '/__emulator/inflight')).body).toEqual({ current: {}, peak: { [DOC_ORG]: 2 } });
    expect((await t.raw('DELETE', '/__emulator/inflight')).status).toBe(204);
    expect((await t.raw('GET', '/__emulator/inflight')).body).toEqual({ current: {}, peak: {} });
  });
});
