import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createDataSet, createProfileSchema } from '../schemaFixtures.ts';

const CAT = '/data/foundation/catalog';
const METRICS = '/data/infrastructure/observability/insights/metrics';
const RECORDS = 'timeseries.ingestion.dataset.recordsuccess.count';

let t: TestEmulator;
let call: Call;
let a: string;
let b: string;

async function landBatch(dataSetId: string, completed: string, recordCount: number, size: number): Promise<void> {
  const created = await call('POST', `${CAT}/batches`, { body: { datasetId: dataSetId } });
  const id = (created.body[0] as string).replace('@/batches/', '');
  const res = await call('PATCH', `${CAT}/batches/${id}`, {
    body: { status: 'success', recordCount, failedRecordCount: 0, size, completed: Date.parse(completed) },
  });
  expect(res.status).toBe(200);
}

const body = (metrics: unknown[], extra: Record<string, unknown> = {}) => ({
  start: '2020-07-14T00:00:00.000Z',
  end: '2020-07-16T00:00:00.000Z',
  granularity: 'day',
  metrics,
  ...extra,
});

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  const schema = await createProfileSchema(call, 'Metered');
  [a, b] = await Promise.all([createDataSet(call, schema.$id, 'A'), createDataSet(call, schema.$id, 'B')]);
  await landBatch(a, '2020-07-14T08:00:00Z', 44, 1000);
  await landBatch(a, '2020-07-15T08:00:00Z', 46, 2000);
  await landBatch(b, '2020-07-15T09:00:00Z', 10, 500);
  await landBatch(b, '2020-07-01T09:00:00Z', 1, 100);
});
afterAll(() => t.stop());

describe('POST /metrics (Observability Insights V2)', () => {
  it('answers one series per dataset with groupBy, keyed by bucket start, in the guide’s shape', async () => {
    const filters = [{ name: 'dataSetId', value: `${a}|${b}`, groupBy: true }];
    const res = await call('POST', METRICS, { body: body([{ name: RECORDS, filters, aggregator: 'sum' }]) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      metricResponses: [
        {
          metric: RECORDS,
          filters,
          datapoints: [
            { groupBy: { dataSetId: a }, dps: { '2020-07-14T00:00:00Z': 44, '2020-07-15T00:00:00Z': 46 } },
            { groupBy: { dataSetId: b }, dps: { '2020-07-15T00:00:00Z': 10 } },
          ],
          granularity: 'DAY',
        },
      ],
    });
  });

  it('aggregates the datasets of a filter without groupBy, and sizes cumulatively under .size', async () => {
    const filters = [{ name: 'dataSetId', value: `${a}|${b}`, groupBy: false }];
    const res = await call('POST', METRICS, {
      body: body([
        { name: RECORDS, filters, aggregator: 'sum' },
        { name: 'timeseries.ingestion.dataset.size', filters: [{ name: 'dataSetId', value: b }], aggregator: 'sum' },
      ]),
    });
    expect(res.status).toBe(200);
    expect(res.body.metricResponses[0].datapoints).toEqual([
      { groupBy: {}, dps: { '2020-07-14T00:00:00Z': 44, '2020-07-15T00:00:00Z': 56 } },
    ]);
    // dataset b had 100 bytes before the window
    expect(res.body.metricResponses[1].datapoints).toEqual([{ groupBy: {}, dps: { '2020-07-15T00:00:00Z': 600 } }]);
  });

  it('refuses a start after the end, an unknown metric and a missing aggregator with INSGHT-1000-400', async () => {
    const bad = [
      body([{ name: RECORDS, aggregator: 'sum' }], { start: '2020-07-17T00:00:00Z' }),
      body([{ name: 'timeseries.nothing.count', aggregator: 'sum' }]),
      body([{ name: RECORDS }]),
    ];
    for (const payload of bad) {
      const res = await call('POST', METRICS, { body: payload });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        type: 'http://ns.adobe.com/aep/errors/INSGHT-1000-400',
        status: 400,
        report: { tenantInfo: { sandboxName: 'prod' } },
        'error-chain': [{ serviceId: 'INSGHT', errorCode: 'INSGHT-1000-400' }],
      });
    }
    const first = await call('POST', METRICS, { body: bad[0] });
    expect(first.body.title).toBe('Bad Request - Start date cannot be after end date.');
  });
});
