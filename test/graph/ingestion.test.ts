import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type RequestLogEntry, type Stack } from '../harness.ts';
import { finishRuns, platform, seedFlows, type Platform } from '../platform.ts';

const ORG = 'INGESTIONMETRICS00000001@AdobeOrg';
const SR = '/data/foundation/schemaregistry';
const CATALOG = '/data/foundation/catalog';
const METRICS = '/data/infrastructure/observability/insights/metrics';
const PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
const FULL = 'application/vnd.adobe.xed-full+json;version=1';

let stack: Stack;
let rest: Platform;
let schemaId: string;

const metricsRequests = (log: RequestLogEntry[]) => log.filter((r) => r.method === 'POST' && r.path === METRICS);

async function createDataset(name: string): Promise<string> {
  const refs = await rest.call<string[]>('POST', `${CATALOG}/dataSets`, {
    name,
    schemaRef: { id: schemaId, contentType: FULL },
  });
  return refs[0]!.replace('@/dataSets/', '');
}

/** A batch that finished at `completed` with these counts, written through Catalog like any ingestion client. */
async function landBatch(
  datasetId: string,
  completed: string,
  counts: { records: number; failed?: number; bytes: number; status?: string },
): Promise<void> {
  const refs = await rest.call<string[]>('POST', `${CATALOG}/batches`, {
    datasetId,
    inputFormat: { format: 'json' },
  });
  const batchId = refs[0]!.replace('@/batches/', '');
  await rest.call('PATCH', `${CATALOG}/batches/${batchId}`, {
    status: counts.status ?? 'success',
    recordCount: counts.records,
    failedRecordCount: counts.failed ?? 0,
    size: counts.bytes,
    started: Date.parse(completed) - 60_000,
    completed: Date.parse(completed),
  });
}

const INGESTION = `query ($id: ID!, $start: DateTime!, $end: DateTime!, $granularity: MetricGranularity!) {
  dataset(id: $id) {
    ingestion(start: $start, end: $end, granularity: $granularity) { at recordsIngested recordsFailed bytesIngested }
  }
}`;

async function ingestion(id: string, start: string, end: string, granularity: string) {
  return stack.gql(INGESTION, { id, start, end, granularity }, rest.headers);
}

let orders: string;
let events: string;

beforeAll(async () => {
  stack = await startStack();
  rest = await platform(stack.emulator.url, ORG);
  const schema = await rest.call<{ $id: string }>('POST', `${SR}/tenant/schemas`, {
    type: 'object',
    title: 'Metered profiles',
    description: 'Profiles whose ingestion is measured',
    allOf: [{ $ref: PROFILE_CLASS }],
  });
  schemaId = schema.$id;
  [orders, events] = await Promise.all([createDataset('Orders'), createDataset('Events')]);
  // 2026-03-02 is a Monday
  await landBatch(orders, '2026-03-02T10:15:00Z', { records: 100, failed: 5, bytes: 2048 });
  await landBatch(orders, '2026-03-02T23:59:59Z', { records: 50, bytes: 1000 });
  await landBatch(orders, '2026-03-03T01:00:00Z', { records: 7, failed: 3, bytes: 700, status: 'failed' });
  await landBatch(orders, '2026-03-10T12:00:00Z', { records: 1, bytes: 3_000_000_000 });
  await landBatch(events, '2026-03-02T11:00:00Z', { records: 9, bytes: 90 });
  // still loading: nothing ingested yet
  await rest.call('POST', `${CATALOG}/batches`, { datasetId: orders });
});
afterAll(() => stack.stop());
beforeEach(() => stack.clearRequests());

describe('Dataset.ingestion', () => {
  it('reports per day the records and bytes the dataset ingested, failed records apart', async () => {
    const res = await ingestion(orders, '2026-03-01T00:00:00Z', '2026-03-03T12:00:00Z', 'DAY');
    expect(res.errors).toBeUndefined();
    expect(res.data.dataset.ingestion).toEqual([
      { at: '2026-03-01T00:00:00.000Z', recordsIngested: 0, recordsFailed: 0, bytesIngested: 0 },
      { at: '2026-03-02T00:00:00.000Z', recordsIngested: 150, recordsFailed: 5, bytesIngested: 3048 },
      { at: '2026-03-03T00:00:00.000Z', recordsIngested: 7, recordsFailed: 3, bytesIngested: 700 },
    ]);
  });

  it('buckets by hour, ISO week and calendar month, each bucket whole', async () => {
    const hours = await ingestion(orders, '2026-03-02T10:30:00Z', '2026-03-02T12:00:00Z', 'HOUR');
    expect(
      hours.data.dataset.ingestion.map((p: { at: string; recordsIngested: number }) => [p.at, p.recordsIngested]),
    ).toEqual([
      ['2026-03-02T10:00:00.000Z', 100],
      ['2026-03-02T11:00:00.000Z', 0],
      ['2026-03-02T12:00:00.000Z', 0],
    ]);
    const weeks = await ingestion(orders, '2026-03-04T00:00:00Z', '2026-03-11T00:00:00Z', 'WEEK');
    expect(
      weeks.data.dataset.ingestion.map((p: { at: string; recordsIngested: number }) => [p.at, p.recordsIngested]),
    ).toEqual([
      ['2026-03-02T00:00:00.000Z', 157],
      ['2026-03-09T00:00:00.000Z', 1],
    ]);
    const months = await ingestion(orders, '2026-02-15T00:00:00Z', '2026-03-15T00:00:00Z', 'MONTH');
    expect(months.data.dataset.ingestion).toEqual([
      { at: '2026-02-01T00:00:00.000Z', recordsIngested: 0, recordsFailed: 0, bytesIngested: 0 },
      { at: '2026-03-01T00:00:00.000Z', recordsIngested: 158, recordsFailed: 8, bytesIngested: 3_000_003_748 },
    ]);
  });

  it('answers a window without data with a point of zeros per bucket', async () => {
    const res = await ingestion(orders, '2020-01-01T00:00:00Z', '2020-01-04T00:00:00Z', 'DAY');
    expect(res.errors).toBeUndefined();
    expect(res.data.dataset.ingestion).toHaveLength(4);
    for (const p of res.data.dataset.ingestion)
      expect([p.recordsIngested, p.recordsFailed, p.bytesIngested]).toEqual([0, 0, 0]);
    expect(metricsRequests(await stack.requests())).toHaveLength(1);
  });

  it('refuses an end before the start, naming the argument, without asking for metrics', async () => {
    const res = await ingestion(orders, '2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z', 'DAY');
    expect(res.data.dataset.ingestion).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'end' });
    expect(res.errors?.[0]?.path).toEqual(['dataset', 'ingestion']);
    expect(metricsRequests(await stack.requests())).toHaveLength(0);
  });

  it('refuses a window of more buckets than INGESTION_MAX_POINTS allows, without asking for metrics', async () => {
    const res = await ingestion(orders, '2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'HOUR');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'granularity' });
    expect(res.errors?.[0]?.message).toContain('more than the 1000 allowed');
    expect(metricsRequests(await stack.requests())).toHaveLength(0);
  });

  it('is null with an UPSTREAM_ERROR naming Observability Insights when the metrics request fails', async () => {
    await stack.control('POST', '/__emulator/faults', {
      method: 'POST',
      path: '/observability/insights/metrics$',
      status: 503,
      times: 5,
    });
    try {
      const res = await ingestion(orders, '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', 'DAY');
      expect(res.data.dataset.ingestion).toBeNull();
      expect(res.errors?.[0]?.path).toEqual(['dataset', 'ingestion']);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR' });
      expect(JSON.stringify(res.errors?.[0]?.extensions)).toContain('observability');
    } finally {
      await stack.control('DELETE', '/__emulator/faults');
    }
  });

  it('matches what the emulator ingested through streaming, record for record and byte for byte', async () => {
    const created = await stack.gql(
      `mutation ($input: CreateStreamingDataflowInput!) {
        createStreamingDataflow(input: $input) { userErrors { code message } inletId dataset { id } targetSchema { id } }
      }`,
      { input: { name: 'Metered stream', target: { newDataset: { schemaId, datasetName: 'Metered stream' } } } },
      rest.headers,
    );
    const out = created.data.createStreamingDataflow;
    expect(out.userErrors).toEqual([]);
    const record = (id: string) => ({
      header: { schemaRef: { id: out.targetSchema.id, contentType: FULL }, imsOrgId: ORG, datasetId: out.dataset.id },
      body: {
        xdmMeta: { schemaRef: { id: out.targetSchema.id, contentType: FULL } },
        xdmEntity: { _id: id, personID: `person-${id}` },
      },
    });
    const sent = await stack.gql(
      `mutation ($inletId: ID!, $records: [JSON!]!) { sendStreamingRecords(input: { inletId: $inletId, records: $records }) { acceptedCount } }`,
      { inletId: out.inletId, records: [record('a'), record('b'), record('c')] },
      rest.headers,
    );
    expect(sent.data.sendStreamingRecords.acceptedCount).toBe(3);
    const batches = Object.values(
      await rest.call<Record<string, { recordCount: number; size: number; completed: number }>>(
        'GET',
        `${CATALOG}/batches?dataSet=${out.dataset.id}&limit=100`,
      ),
    );
    expect(batches.length).toBeGreaterThan(0);
    const first = Math.min(...batches.map((b) => b.completed));
    const last = Math.max(...batches.map((b) => b.completed));
    const res = await ingestion(out.dataset.id, new Date(first).toISOString(), new Date(last).toISOString(), 'DAY');
    expect(res.errors).toBeUndefined();
    const points = res.data.dataset.ingestion as Array<{ recordsIngested: number; bytesIngested: number }>;
    expect(points.reduce((sum, p) => sum + p.recordsIngested, 0)).toBe(3);
    expect(points.reduce((sum, p) => sum + p.bytesIngested, 0)).toBe(batches.reduce((sum, b) => sum + b.size, 0));
  });
});

describe('Dataset.ingestion of datasets that dataflow runs wrote', () => {
  it('sums to the records, failed records and bytes of the Catalog batches the runs wrote', async () => {
    const org = await platform(stack.emulator.url, 'INGESTIONRUNS00000000001@AdobeOrg');
    const seeded = await seedFlows(org, { flows: 4, schemas: 1, datasets: 2, mappingSets: 1, runs: true });
    await finishRuns(org, (method, path, payload) => stack.control(method, path, payload));
    const batches = Object.values(
      await org.call<
        Record<
          string,
          {
            status: string;
            recordCount: number;
            failedRecordCount: number;
            size: number;
            completed: number;
            relatedObjects: Array<{ type: string; id: string }>;
          }
        >
      >('GET', `${CATALOG}/batches?limit=100`),
    );
    expect(batches.some((b) => b.recordCount > 0 && b.size > 0)).toBe(true);
    const start = new Date(Math.min(...batches.map((b) => b.completed))).toISOString();
    const end = new Date(Math.max(...batches.map((b) => b.completed))).toISOString();
    const res = await stack.gql(
      `query ($start: DateTime!, $end: DateTime!) {
        datasets(first: 100) { nodes { id ingestion(start: $start, end: $end, granularity: DAY) { recordsIngested recordsFailed bytesIngested } } }
      }`,
      { start, end },
      org.headers,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data.datasets.nodes as Array<{
      id: string;
      ingestion: Array<{ recordsIngested: number; recordsFailed: number; bytesIngested: number }>;
    }>;
    expect(nodes.map((n) => n.id).sort()).toEqual([...seeded.datasetIds].sort());
    for (const n of nodes) {
      const own = batches.filter((b) => b.relatedObjects.some((o) => o.type === 'dataSet' && o.id === n.id));
      const total = (pick: (p: (typeof n.ingestion)[number]) => number) => n.ingestion.reduce((a, p) => a + pick(p), 0);
      expect(total((p) => p.recordsIngested)).toBe(own.reduce((a, b) => a + b.recordCount, 0));
      expect(total((p) => p.recordsFailed)).toBe(own.reduce((a, b) => a + b.failedRecordCount, 0));
      expect(total((p) => p.bytesIngested)).toBe(own.reduce((a, b) => a + b.size, 0));
    }
  }, 60_000);
});

describe('Dataset.ingestion across a dashboard of datasets', () => {
  it('asks for the metrics of 100 datasets in one request per distinct window', async () => {
    const org = await platform(stack.emulator.url, 'INGESTIONDASHBOARD000001@AdobeOrg');
    const schema = await org.call<{ $id: string }>('POST', `${SR}/tenant/schemas`, {
      type: 'object',
      title: 'Dashboard profiles',
      description: 'One schema for a hundred datasets',
      allOf: [{ $ref: PROFILE_CLASS }],
    });
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const refs = await org.call<string[]>('POST', `${CATALOG}/dataSets`, {
        name: `Dashboard dataset ${i}`,
        schemaRef: { id: schema.$id, contentType: FULL },
      });
      ids.push(refs[0]!.replace('@/dataSets/', ''));
    }
    await org.call('POST', `${CATALOG}/batches`, { datasetId: ids[42] }).then(async (refs: string[]) => {
      await org.call('PATCH', `${CATALOG}/batches/${refs[0]!.replace('@/batches/', '')}`, {
        status: 'success',
        recordCount: 42,
        size: 4200,
        completed: Date.parse('2026-03-05T08:00:00Z'),
      });
    });
    await stack.clearRequests();
    const res = await stack.gql(
      `{
        datasets(first: 100) {
          nodes {
            id
            march: ingestion(start: "2026-03-01T00:00:00Z", end: "2026-03-31T00:00:00Z", granularity: MONTH) { recordsIngested bytesIngested }
            week: ingestion(start: "2026-03-02T00:00:00Z", end: "2026-03-08T00:00:00Z", granularity: DAY) { recordsIngested }
          }
        }
      }`,
      undefined,
      org.headers,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data.datasets.nodes as Array<{
      id: string;
      march: Array<{ recordsIngested: number; bytesIngested: number }>;
      week: Array<{ recordsIngested: number }>;
    }>;
    expect(nodes).toHaveLength(100);
    for (const n of nodes) {
      const expected = n.id === ids[42] ? 42 : 0;
      expect(n.march).toEqual([{ recordsIngested: expected, bytesIngested: expected * 100 }]);
      expect(n.week.map((p) => p.recordsIngested)).toEqual([0, 0, 0, expected, 0, 0, 0]);
    }
    const requests = metricsRequests(await stack.requests());
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r.org === 'INGESTIONDASHBOARD000001@AdobeOrg' && r.status === 200)).toBe(true);
  });
});
