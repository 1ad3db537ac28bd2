import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordBatch } from '../../../src/emulator/catalog/batches.ts';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createDataSet as createDataSetOf, createProfileSchema } from '../schemaFixtures.ts';

const CAT = '/data/foundation/catalog';

let t: TestEmulator;
let call: Call;
let dataSetId: string;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());
beforeEach(async () => {
  t.emu.reset();
  call = await t.platform();
  dataSetId = await createDataSet('events');
});

async function createDataSet(name: string): Promise<string> {
  const schema = await createProfileSchema(call, `${name} schema`);
  return createDataSetOf(call, schema.$id, name);
}

async function createBatch(body: Record<string, unknown>): Promise<string> {
  const res = await call('POST', `${CAT}/batches`, { body });
  expect(res.status).toBe(201);
  return (res.body[0] as string).replace('@/batches/', '');
}

describe('Catalog batches', () => {
  it('creates a loading batch for an existing dataset and reads it keyed by id', async () => {
    const id = await createBatch({ datasetId: dataSetId, inputFormat: { format: 'json' } });
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    const got = await call('GET', `${CAT}/batches/${id}`);
    expect(got.status).toBe(200);
    expect(got.body[id]).toMatchObject({
      status: 'loading',
      imsOrg: DOC_ORG,
      relatedObjects: [{ type: 'dataSet', id: dataSetId }],
      inputFormat: { format: 'json' },
      version: '1.0.0',
    });
    const ds = await call('GET', `${CAT}/dataSets/${dataSetId}`);
    expect(ds.body[dataSetId]).toMatchObject({ lastBatchId: id, lastBatchStatus: 'loading' });
  });

  it('accepts the dataset as a relatedObjects entry and refuses an unknown dataset', async () => {
    const id = await createBatch({ relatedObjects: [{ type: 'dataSet', id: dataSetId }] });
    expect((await call('GET', `${CAT}/batches/${id}`)).body[id].relatedObjects).toEqual([
      { type: 'dataSet', id: dataSetId },
    ]);
    const res = await call('POST', `${CAT}/batches`, { body: { datasetId: 'ffffffffffffffffffffffff' } });
    expect(res.status).toBe(400);
    expect(res.body.type).toMatch(/CAT-\d+-400$/);
  });

  it('patches the status, rejects a status outside the enum and answers 404 for an unknown batch', async () => {
    const id = await createBatch({ datasetId: dataSetId });
    const ok = await call('PATCH', `${CAT}/batches/${id}`, { body: { status: 'success' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual([`@/batches/${id}`]);
    expect((await call('GET', `${CAT}/batches/${id}`)).body[id]).toMatchObject({ status: 'success', version: '1.0.1' });
    expect((await call('GET', `${CAT}/dataSets/${dataSetId}`)).body[dataSetId].lastBatchStatus).toBe('success');
    expect((await call('PATCH', `${CAT}/batches/${id}`, { body: { status: 'done' } })).status).toBe(400);
    expect((await call('GET', `${CAT}/batches/01ARZ3NDEKTSV4RRFFQ69G5FAV`)).status).toBe(404);
  });

  it('filters batches by dataSet any-of, status and exclusive creation times', async () => {
    const other = await createDataSet('other');
    const a = await createBatch({ datasetId: dataSetId });
    const b = await createBatch({ datasetId: other });
    await call('PATCH', `${CAT}/batches/${b}`, { body: { status: 'failed' } });
    const keys = async (query: Record<string, string>) =>
      Object.keys((await call('GET', `${CAT}/batches`, { query })).body).sort();
    expect(await keys({ dataSet: dataSetId })).toEqual([a]);
    expect(await keys({ dataSet: `${dataSetId},${other}` })).toEqual([a, b].sort());
    expect(await keys({ status: 'failed' })).toEqual([b]);
    const created = (await call('GET', `${CAT}/batches/${a}`)).body[a].created as number;
    expect(await keys({ createdAfter: String(created), dataSet: dataSetId })).toEqual([]);
    expect(await keys({ createdAfter: String(created - 1), dataSet: dataSetId })).toEqual([a]);
    expect(await keys({ createdBefore: String(created), dataSet: dataSetId })).toEqual([]);
    const projected = await call('GET', `${CAT}/batches`, { query: { properties: 'status', orderBy: 'desc:status' } });
    expect(Object.values(projected.body)).toEqual([{ status: 'loading' }, { status: 'failed' }]);
    expect((await call('GET', `${CAT}/batches`, { query: { dataset: dataSetId } })).status).toBe(400);
  });

  it('multi-gets batches and applies the default cap of 20', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 22; i++) ids.push(await createBatch({ datasetId: dataSetId }));
    const res = await call('GET', `${CAT}/batches/${ids.join(',')}`);
    expect(Object.keys(res.body)).toHaveLength(20);
    const all = await call('GET', `${CAT}/batches/${ids.join(',')}`, { query: { limit: '100' } });
    expect(Object.keys(all.body)).toHaveLength(22);
  });

  it('answers lastBatches keyed by dataset id with the last, last successful and last failed batch', async () => {
    const empty = await createDataSet('never-written');
    const first = recordBatch(t.emu.runtime, t.emu.runtime.store.partition(DOC_ORG, 'prod'), {
      dataSetId,
      status: 'success',
      recordCount: 10,
      failedRecordCount: 0,
      size: 1024,
      flowId: 'f1',
      runId: 'r1',
      inputFormat: 'csv',
      startedAt: 1_000,
      completedAt: 2_000,
    });
    const failed = recordBatch(t.emu.runtime, t.emu.runtime.store.partition(DOC_ORG, 'prod'), {
      dataSetId,
      status: 'failed',
      recordCount: 0,
      failedRecordCount: 3,
      size: 0,
      errors: [{ code: 'INGEST-1212-400', rows: ['1-3'], description: 'bad rows' }],
    });
    const res = await call('GET', `${CAT}/lastBatches`, { query: { dataSetId: `${dataSetId},${empty}` } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual([dataSetId]);
    expect(res.body[dataSetId]).toMatchObject({
      lastBatchId: failed,
      lastBatchStatus: 'failed',
      lastSuccessfulBatchId: first,
      lastFailedBatchId: failed,
      imsOrg: DOC_ORG,
      sandboxId: '1bd86660-c5da-11e9-93d4-6d5fc3a66a8e',
    });
    const batch = (await call('GET', `${CAT}/batches/${first}`)).body[first];
    expect(batch).toMatchObject({
      recordCount: 10,
      size: 1024,
      started: 1_000,
      completed: 2_000,
      inputFormat: { format: 'csv' },
      tags: { flowId: ['f1'], runId: ['r1'] },
    });
    expect((await call('GET', `${CAT}/dataSets/${dataSetId}`)).body[dataSetId]).toMatchObject({
      lastBatchId: failed,
      lastBatchStatus: 'failed',
    });
    expect((await call('GET', `${CAT}/lastBatches`)).status).toBe(400);
  });

  it('takes the documented parameters of lastBatches and of the batch list', async () => {
    const other = await createDataSet('second');
    const part = t.emu.runtime.store.partition(DOC_ORG, 'prod');
    const ok = recordBatch(t.emu.runtime, part, {
      dataSetId,
      status: 'success',
      recordCount: 7,
      failedRecordCount: 0,
      size: 70,
    });
    recordBatch(t.emu.runtime, part, {
      dataSetId: other,
      status: 'failed',
      recordCount: 0,
      failedRecordCount: 2,
      size: 0,
    });
    const last = await call('GET', `${CAT}/lastBatches`, {
      query: {
        dataSetId: `${dataSetId},${other}`,
        lastBatchStatus: 'success',
        orderBy: 'desc:created',
        limit: '10',
        start: '0',
        properties: 'lastBatchId',
      },
    });
    expect(last.status).toBe(200);
    expect(last.body).toEqual({ [dataSetId]: { lastBatchId: ok } });
    const paged = await call('GET', `${CAT}/lastBatches`, {
      query: { dataSetId: `${dataSetId},${other}`, limit: '1' },
    });
    expect(Object.keys(paged.body)).toHaveLength(1);
    const byCounts = await call('GET', `${CAT}/batches`, {
      query: { recordCount: '7', failedRecordCount: '0', size: '70', limit: '100' },
    });
    expect(byCounts.status).toBe(200);
    expect(Object.keys(byCounts.body)).toEqual([ok]);
    for (const filter of ['started', 'completed'])
      expect((await call('GET', `${CAT}/batches`, { query: { [filter]: '1' } })).status).toBe(200);
  });

  it('keeps batches of another sandbox invisible', async () => {
    const id = await createBatch({ datasetId: dataSetId });
    const dev = await t.platform({ sandbox: 'dev' });
    expect((await dev('GET', `${CAT}/batches/${id}`)).status).toBe(404);
    expect((await dev('GET', `${CAT}/lastBatches`, { query: { dataSetId } })).body).toEqual({});
    expect((await dev('POST', `${CAT}/batches`, { body: { datasetId: dataSetId } })).status).toBe(400);
  });
});
