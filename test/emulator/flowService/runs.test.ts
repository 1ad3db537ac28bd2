import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FS, cloudStorageChain, cloudStorageFlow, createOk, flowCode } from './fixtures.ts';

let t: TestEmulator;
let call: Call;
let chain: Awaited<ReturnType<typeof cloudStorageChain>>;
let onceFlow: string;

const window = { startTime: '1663735590', windowStartTime: '1651584991', windowEndTime: '1651585956' };

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  chain = await cloudStorageChain(t, call);
  onceFlow = (await createOk(call, 'flows', cloudStorageFlow(chain, { startTime: 1663735590, frequency: 'once' }))).id;
});
afterAll(() => t.stop());

describe('POST /runs', () => {
  it('starts an on-demand run of a once flow: 201 {id, etag}, then the run reads back scheduled with the params sent', async () => {
    const res = await call('POST', `${FS}/runs`, { body: { flowId: onceFlow, params: window } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['etag', 'id']);
    expect(res.headers.get('location')).toBe(`${FS}/runs/${res.body.id}`);
    const run = (await call('GET', `${FS}/runs/${res.body.id}`)).body.items[0];
    expect(run).toMatchObject({
      id: res.body.id,
      flowId: onceFlow,
      params: window,
      metrics: { statusSummary: { status: 'scheduled' } },
    });
    const listed = await call('GET', `${FS}/runs`, { query: { property: `flowId==${onceFlow}` } });
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(res.body.id);
  });

  it('requires flowId (FLOW-1446-400) naming an existing flow (FLOW-1430-400)', async () => {
    expect(flowCode((await call('POST', `${FS}/runs`, { body: { params: window } })).body)).toBe('FLOW-1446-400');
    expect(
      flowCode(
        (await call('POST', `${FS}/runs`, { body: { flowId: '44444444-4444-4444-8444-444444444444', params: window } }))
          .body,
      ),
    ).toBe('FLOW-1430-400');
  });

  it('refuses flows not scheduled once, and params the run spec requires', async () => {
    const { id: minuteFlow } = await createOk(call, 'flows', cloudStorageFlow(chain));
    const notOnce = await call('POST', `${FS}/runs`, { body: { flowId: minuteFlow, params: window } });
    expect(notOnce.status).toBe(400);
    expect(notOnce.body.report['detailed-message']).toContain('once');
    const noWindow = await call('POST', `${FS}/runs`, {
      body: { flowId: onceFlow, params: { startTime: '1663735590' } },
    });
    expect(noWindow.status).toBe(400);
    expect(noWindow.body.report['detailed-message']).toContain('windowStartTime');
  });

  it('answers FLOW-1439-404 for an unknown run and lists runs of several flows with flowId==a,b', async () => {
    expect(flowCode((await call('GET', `${FS}/runs/55555555-5555-4555-8555-555555555555`)).body)).toBe('FLOW-1439-404');
    const other = (await createOk(call, 'flows', cloudStorageFlow(chain, { startTime: 1663735590, frequency: 'once' })))
      .id;
    await createOk(call, 'runs', { flowId: other, params: window });
    const both = await call('GET', `${FS}/runs`, { query: { property: `flowId==${onceFlow},${other}` } });
    expect(new Set(both.body.items.map((r: { flowId: string }) => r.flowId))).toEqual(new Set([onceFlow, other]));
    const scheduled = await call('GET', `${FS}/runs`, {
      query: { property: [`flowId==${other}`, 'metrics.statusSummary.status==Scheduled'] },
    });
    expect(scheduled.body.items).toHaveLength(1);
  });
});
