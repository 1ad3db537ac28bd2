import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createHttpApiDataflow, type HttpApiDataflow } from './httpApiDataflow.ts';

let t: TestEmulator;
let call: Call;
let flow: HttpApiDataflow;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

beforeEach(async () => {
  t.emu.reset();
  call = await t.platform();
  flow = await createHttpApiDataflow(call, {
    dataType: 'raw',
    mapping: [
      { source: 'id', destination: '_id' },
      { source: 'name.first', destination: 'person.name.firstName' },
      { source: 'email', destination: 'personalEmail.address' },
    ],
  });
});

const batchesOf = async () =>
  Object.values(
    (await call('GET', '/data/foundation/catalog/batches', { query: { dataSet: flow.dataSetId } })).body as Record<
      string,
      any
    >,
  );

describe('raw-data inlets', () => {
  it('map a raw JSON object through the flow mapping set into the flow dataset', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      headers: { 'x-adobe-flow-id': flow.flowId },
      body: { id: 42, name: { first: 'Jane' }, email: 'jane@example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.body.inletId).toBe(flow.inletId);
    const [batch] = await batchesOf();
    expect(batch).toMatchObject({
      status: 'success',
      recordCount: 1,
      failedRecordCount: 0,
      tags: { flowId: [flow.flowId] },
    });
  });

  it('take the flow id from the query as well', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      query: { 'x-adobe-flow-id': flow.flowId },
      body: { id: 'a', email: 'not-an-email' },
    });
    expect(res.status).toBe(200);
    const [batch] = await batchesOf();
    expect(batch).toMatchObject({ status: 'failed', failedRecordCount: 1 });
    expect(batch.errors[0].description).toBe('#/personalEmail/address: [not-an-email] is not a valid email address');
  });

  it('need the flow id', async () => {
    const res = await t.raw('POST', flow.inletPath, { body: { id: 42 } });
    expect(res.status).toBe(400);
    expect(res.body.report.message).toContain('x-adobe-flow-id');
    expect(await batchesOf()).toEqual([]);
  });

  it('reject a flow that does not run on the inlet', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      headers: { 'x-adobe-flow-id': '00000000-0000-4000-8000-000000000000' },
      body: { id: 42 },
    });
    expect(res.status).toBe(400);
    expect(res.body.report.message).toContain('does not belong to this inlet');
  });

  it('accept raw messages on the batch route', async () => {
    const res = await t.raw('POST', `/collection/batch/${flow.inletId}`, {
      headers: { 'x-adobe-flow-id': flow.flowId },
      body: { messages: [{ id: 1 }, 'not an object', { id: 2 }] },
    });
    expect(res.status).toBe(207);
    expect(res.body.responses.map((r: any) => r.statusCode ?? 200)).toEqual([200, 400, 200]);
    const [batch] = await batchesOf();
    expect(batch).toMatchObject({ recordCount: 2 });
  });
});
