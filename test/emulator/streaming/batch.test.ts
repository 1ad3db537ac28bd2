import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createHttpApiDataflow, jane, xdmMessage, type HttpApiDataflow } from './httpApiDataflow.ts';

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
  flow = await createHttpApiDataflow(call);
});

const batchPath = () => `/collection/batch/${flow.inletId}`;
const batchesOf = async (dataSetId: string) =>
  Object.values(
    (await call('GET', '/data/foundation/catalog/batches', { query: { dataSet: dataSetId } })).body as Record<
      string,
      any
    >,
  );

describe('POST /collection/batch/{inletId}', () => {
  it('answers 207 with one response per message, in order, for mixed good and bad messages', async () => {
    const malformed = { header: { datasetId: flow.dataSetId }, body: {} };
    const wrongOrg = xdmMessage(flow, jane, { imsOrgId: 'OTHER0000000000000000000@AdobeOrg' });
    const res = await t.raw('POST', batchPath(), {
      body: { messages: [xdmMessage(flow, jane), malformed, xdmMessage(flow, { ...jane, _id: 'john-2' }), wrongOrg] },
    });
    expect(res.status).toBe(207);
    const { batchId } = res.body;
    expect(batchId).toMatch(/^\d{13}:\d+:\d+$/);
    expect(res.body).toEqual({
      inletId: flow.inletId,
      batchId,
      receivedTimeMs: expect.any(Number),
      responses: [
        { xactionId: `${batchId}:0` },
        {
          statusCode: 400,
          message: `inletId: [${flow.inletId}] imsOrgId: [${DOC_ORG}] Message has unknown xdm format`,
          xactionId: `${batchId}:1`,
        },
        { xactionId: `${batchId}:2` },
        {
          statusCode: 400,
          message: `inletId: [${flow.inletId}] imsOrgId: [${DOC_ORG}] Message has an absent or wrong ims org in the header`,
          xactionId: `${batchId}:3`,
        },
      ],
    });
    const batches = await batchesOf(flow.dataSetId);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ status: 'success', recordCount: 2, failedRecordCount: 0 });
  });

  it('answers 207 even when every message is rejected, and lands nothing', async () => {
    const res = await t.raw('POST', batchPath(), { body: { messages: [{}, { header: {} }] } });
    expect(res.status).toBe(207);
    expect(res.body.responses.map((r: any) => r.statusCode)).toEqual([400, 400]);
    expect(await batchesOf(flow.dataSetId)).toEqual([]);
  });

  it('counts records that fail schema validation as failed records of the batch', async () => {
    const res = await t.raw('POST', batchPath(), {
      body: { messages: [xdmMessage(flow, jane), xdmMessage(flow, { ...jane, person: { gender: 'robot' } })] },
    });
    expect(res.status).toBe(207);
    expect(res.body.responses).toEqual([{ xactionId: expect.any(String) }, { xactionId: expect.any(String) }]);
    const [batch] = await batchesOf(flow.dataSetId);
    expect(batch).toMatchObject({ status: 'success', recordCount: 1, failedRecordCount: 1 });
    expect(batch.errors).toEqual([
      { code: 'XDM_VALIDATION_FAILED', rows: ['2'], description: '#/person/gender: robot is not a valid enum value' },
    ]);
  });

  it('rejects syncValidation, which only the single-message route supports', async () => {
    const res = await t.raw('POST', batchPath(), {
      query: { syncValidation: 'true' },
      body: { messages: [xdmMessage(flow, jane)] },
    });
    expect(res.status).toBe(400);
    expect(res.body.report.message).toContain('syncValidation is only supported on the single message route');
    expect(await batchesOf(flow.dataSetId)).toEqual([]);
  });

  it('takes syncValidation=false, which asks for what the batch route does anyway', async () => {
    const res = await t.raw('POST', batchPath(), {
      query: { syncValidation: 'false' },
      body: { messages: [xdmMessage(flow, jane)] },
    });
    expect(res.status).toBe(207);
    expect(res.body.responses).toEqual([{ xactionId: expect.any(String) }]);
  });

  it('rejects a body without a messages array', async () => {
    const res = await t.raw('POST', batchPath(), { body: xdmMessage(flow, jane) });
    expect(res.status).toBe(400);
    expect(res.body.type).toContain('data-collection-service');
  });

  it('answers 413 above 1 MB', async () => {
    const messages = Array.from({ length: 12 }, (_, i) =>
      xdmMessage(flow, { ...jane, _id: `${i}-${'x'.repeat(100_000)}` }),
    );
    const res = await t.raw('POST', batchPath(), { body: { messages } });
    expect(res.status).toBe(413);
    expect(await batchesOf(flow.dataSetId)).toEqual([]);
  });

  it('answers 404 for an unknown inlet', async () => {
    const res = await t.raw('POST', `/collection/batch/${'a'.repeat(64)}`, {
      body: { messages: [xdmMessage(flow, jane)] },
    });
    expect(res.status).toBe(404);
  });
});
