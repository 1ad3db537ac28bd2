import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FLOW_SPEC, FS, SPEC, flowCode } from './fixtures.ts';

let t: TestEmulator;
let call: Call;

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
});
afterAll(() => t.stop());

describe('connectionSpecs and flowSpecs', () => {
  it('lists every flow spec and finds CRMToAEP by a quoted name filter', async () => {
    const all = await call('GET', `${FS}/flowSpecs`);
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(5);
    const crm = await call('GET', `${FS}/flowSpecs`, { query: { property: 'name=="CRMToAEP"' } });
    expect(crm.body.items.map((s: { id: string }) => s.id)).toEqual([FLOW_SPEC.crm]);
    expect(crm.body.items[0].transformationSpecs.map((s: { name: string }) => s.name)).toEqual(['Copy', 'Mapping']);
  });

  it('multi-gets connection specs with property=id==a,b', async () => {
    const res = await call('GET', `${FS}/connectionSpecs`, { query: { property: `id==${SPEC.s3},${SPEC.odata}` } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { id: string }) => s.id).sort()).toEqual([SPEC.s3, SPEC.odata].sort());
  });

  it('gets one spec as an array of one and answers FLOW-1439-404 for an unknown id', async () => {
    const one = await call('GET', `${FS}/connectionSpecs/${SPEC.s3}`);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0].name).toBe('amazon-s3');
    const flow = await call('GET', `${FS}/flowSpecs/${FLOW_SPEC.cloudStorage}`);
    expect(flow.body.items[0].name).toBe('CloudStorageToAEP');
    const missing = await call('GET', `${FS}/flowSpecs/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(flowCode(missing.body)).toBe('FLOW-1439-404');
    expect(missing.body.report.id).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('is the same seed in every org and sandbox', async () => {
    const other = await t.platform({ org: 'OTHER0000000000000000000@AdobeOrg', sandbox: 'dev' });
    const a = await call('GET', `${FS}/connectionSpecs`);
    const b = await other('GET', `${FS}/connectionSpecs`);
    expect(b.body.items.map((s: { id: string }) => s.id)).toEqual(a.body.items.map((s: { id: string }) => s.id));
  });

  it('accepts only property on spec collections', async () => {
    const res = await call('GET', `${FS}/connectionSpecs`, { query: { limit: '10' } });
    expect(res.status).toBe(400);
    expect(flowCode(res.body)).toBe('FLOW-1451-400');
    expect(res.body.report['detailed-message']).toContain('limit');
  });
});
