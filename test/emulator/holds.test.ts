import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from './emulatorHarness.ts';

const FLOWS = '/data/foundation/flowservice/flows';
const CONNECTIONS = '/data/foundation/flowservice/connections';

let t: TestEmulator;
let call: Call;

beforeEach(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  await t.raw('DELETE', '/__emulator/requests');
});
afterEach(() => t.stop());

const hold = (rule: unknown) => t.raw('POST', '/__emulator/holds', { body: rule });
const waitHeld = async (count: number) =>
  (await t.raw('POST', '/__emulator/holds/wait', { body: { count } })).body.held as number;

describe('holds', () => {
  it('holds a matching request until released, then answers it as usual, while others pass', async () => {
    expect((await hold({ path: 'flows$', method: 'get' })).status).toBe(201);
    const held = call('GET', FLOWS);
    expect(await waitHeld(1)).toBe(1);
    // the held request is not answered yet: a later one overtakes it
    expect((await call('GET', CONNECTIONS)).status).toBe(200);
    expect((await t.requests()).map((e) => e.path)).toEqual([CONNECTIONS]);
    expect((await t.raw('POST', '/__emulator/holds/release')).body).toEqual({ released: 1 });
    expect((await held).status).toBe(200);
    expect((await t.requests()).map((e) => e.path)).toEqual([CONNECTIONS, FLOWS]);
  });

  it('holds before the gateway: a refused token is refused only once released', async () => {
    await hold({ path: 'flows$' });
    const refused = call('GET', FLOWS, { headers: { authorization: 'Bearer eyJmade-up' } });
    expect(await waitHeld(1)).toBe(1);
    expect(await t.requests()).toEqual([]);
    await t.raw('POST', '/__emulator/holds/release');
    expect((await refused).status).toBe(401);
  });

  it('honours times and skip, and lists rules and held requests', async () => {
    await hold({ path: 'flows$', times: 1, skip: 1 });
    expect((await call('GET', FLOWS)).status).toBe(200);
    const second = call('GET', FLOWS);
    expect(await waitHeld(1)).toBe(1);
    expect((await call('GET', FLOWS)).status).toBe(200);
    const listed = (await t.raw('GET', '/__emulator/holds')).body;
    expect(listed).toEqual({ held: 1, rules: [expect.objectContaining({ path: 'flows$', times: 0, skip: 0 })] });
    expect((await t.raw('DELETE', '/__emulator/holds')).status).toBe(204);
    expect((await second).status).toBe(200);
    expect((await t.raw('GET', '/__emulator/holds')).body).toEqual({ held: 0, rules: [] });
  });

  it('answers a wait with the number held when fewer than asked are held by its timeout', async () => {
    const res = await t.raw('POST', '/__emulator/holds/wait', { body: { count: 1, timeoutMs: 0 } });
    expect(res.body).toEqual({ held: 0 });
  });

  it.each([
    ['no path', {}],
    ['a bad regular expression', { path: '(' }],
    ['negative times', { path: 'flows', times: -1 }],
  ])('rejects a hold with %s with 400', async (_label, rule) => {
    expect((await hold(rule)).status).toBe(400);
  });

  it.each([[{ count: 0 }], [{ count: 1, timeoutMs: 60_000 }]])('rejects a wait of %j with 400', async (body) => {
    expect((await t.raw('POST', '/__emulator/holds/wait', { body })).status).toBe(400);
  });
});
