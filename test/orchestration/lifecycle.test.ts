import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type RequestLogEntry, type Stack } from '../harness.ts';

const FS = '/data/foundation/flowservice';
const CATALOG = '/data/foundation/catalog';
const FULL = 'application/vnd.adobe.xed-full+json;version=1';
const ERRORS = 'userErrors { field code message }';

type Rest = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: T }>;

let stack: Stack;
let rest: Rest;

/** Test setup and checks through the emulator's REST API, as any Platform client would call it. */
async function restClient(url: string): Promise<Rest> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'lifecycle-test',
    client_secret: 's',
    scope: 'openid',
  });
  const token = (
    (await (
      await fetch(`${url}/ims/token/v3`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      })
    ).json()) as { access_token: string }
  ).access_token;
  const base = {
    authorization: `Bearer ${token}`,
    'x-api-key': 'lifecycle-test',
    'x-gw-ims-org-id': DEMO_ORG,
    'x-sandbox-name': 'prod',
  };
  return async (method, path, body, headers = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: { ...base, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  };
}

const MB = 1024 * 1024;

beforeAll(async () => {
  // bodies up to 4 MB, so that records over DCS's 1 MB per request can arrive over HTTP
  stack = await startStack({ emulator: { demo: true }, env: { MAX_REQUEST_BODY_BYTES: String(4 * MB) } });
  rest = await restClient(stack.emulator.url);
});
afterAll(() => stack.stop());

async function flowNamed(name: string): Promise<any> {
  const flow = (await rest('GET', `${FS}/flows?limit=100`)).body.items.find((f: any) => f.name === name);
  if (flow === undefined) throw new Error(`no demo flow named ${name}`);
  return flow;
}
const getFlow = async (id: string) => rest('GET', `${FS}/flows/${id}`);
const counts = async () =>
  ((await stack.control('GET', '/__emulator/state')).partitions as any[]).find((p) => p.org === DEMO_ORG).counts;
/** Upstream writes, leaving out the API fetching its own IMS token. */
const writes = (log: RequestLogEntry[]) =>
  log.filter((r) => r.method !== 'GET' && !r.path.startsWith('/ims/')).map((r) => `${r.method} ${r.path} ${r.status}`);

/** Runs a mutation after clearing the emulator's request log; returns its payload and what it sent upstream. */
async function mutate(field: string, query: string, variables: Record<string, unknown>) {
  await stack.clearRequests();
  const res = await stack.gql(query, variables);
  expect(res.errors).toBeUndefined();
  return { payload: res.data[field], log: await stack.requests() };
}

const UPDATE = `mutation($input: UpdateDataflowInput!) { updateDataflow(input: $input) { flow { id name etag description schedule { frequency interval } } ${ERRORS} } }`;

describe('updateDataflow', () => {
  it('renames and reschedules a flow with one PATCH carrying the caller etag', async () => {
    const flow = await flowNamed('S3 daily customer export → Profile');
    const { payload, log } = await mutate('updateDataflow', UPDATE, {
      input: {
        id: flow.id,
        etag: flow.etag,
        name: 'Customer export (2-hourly)',
        schedule: { frequency: 'HOUR', interval: 2 },
      },
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.flow).toMatchObject({
      id: flow.id,
      name: 'Customer export (2-hourly)',
      schedule: { frequency: 'HOUR', interval: 2 },
    });
    expect(payload.flow.etag).not.toBe(flow.etag);
    expect(writes(log)).toEqual([`PATCH ${FS}/flows/${flow.id} 200`]);
    const stored = (await getFlow(flow.id)).body.items[0];
    expect(stored).toMatchObject({
      name: 'Customer export (2-hourly)',
      etag: payload.flow.etag,
      scheduleParams: { frequency: 'hour', interval: 2 },
    });
    expect(stored.lastOperation.ops).toEqual([
      { op: 'replace', path: '/name', value: 'Customer export (2-hourly)' },
      { op: 'replace', path: '/scheduleParams/frequency', value: 'hour' },
      { op: 'replace', path: '/scheduleParams/interval', value: 2 },
    ]);
  });

  it('answers STALE_ETAG for an etag someone else made stale, and overwrites nothing', async () => {
    const flow = await flowNamed('Blob newsletter subscribers → Email subscribers');
    const other = await rest(
      'PATCH',
      `${FS}/flows/${flow.id}`,
      [{ op: 'replace', path: '/description', value: 'edited by a colleague' }],
      { 'if-match': flow.etag },
    );
    expect(other.status).toBe(200);
    const { payload, log } = await mutate('updateDataflow', UPDATE, {
      input: { id: flow.id, etag: flow.etag, description: 'my edit' },
    });
    expect(payload.flow).toBeNull();
    expect(payload.userErrors).toEqual([
      { field: ['input', 'etag'], code: 'STALE_ETAG', message: expect.stringContaining('Read the flow again') },
    ]);
    expect(writes(log)).toEqual([`PATCH ${FS}/flows/${flow.id} 412`]);
    expect((await getFlow(flow.id)).body.items[0]).toMatchObject({
      name: flow.name,
      description: 'edited by a colleague',
      etag: other.body.etag,
    });
  });

  const rejected: Array<[string, string, Record<string, unknown>, string[], string, string]> = [
    [
      'MINUTE with interval 5',
      'S3 clickstream → Web events',
      { schedule: { frequency: 'MINUTE', interval: 5 } },
      ['input', 'schedule', 'interval'],
      'INVALID',
      'must be >= 15 for frequency MINUTE',
    ],
    [
      'MINUTE keeping the hourly interval 1',
      'S3 clickstream → Web events',
      { schedule: { frequency: 'MINUTE' } },
      ['input', 'schedule', 'interval'],
      'INVALID',
      'must be >= 15',
    ],
    [
      'interval 0 on an hourly flow',
      'S3 clickstream → Web events',
      { schedule: { interval: 0 } },
      ['input', 'schedule', 'interval'],
      'INVALID',
      'must be >= 1',
    ],
    [
      'a periodic flow to ONCE',
      'S3 clickstream → Web events',
      { schedule: { frequency: 'ONCE' } },
      ['input', 'schedule', 'frequency'],
      'NOT_ALLOWED',
      'from or to ONCE',
    ],
    [
      'a run-once flow to HOUR',
      'Azure Files returns → Commerce orders',
      { schedule: { frequency: 'HOUR', interval: 1 } },
      ['input', 'schedule', 'frequency'],
      'NOT_ALLOWED',
      'from or to ONCE',
    ],
    [
      'an interval on a run-once flow',
      'Azure Files returns → Commerce orders',
      { schedule: { interval: 3 } },
      ['input', 'schedule', 'interval'],
      'NOT_ALLOWED',
      'no interval',
    ],
    [
      'a schedule on a streaming flow',
      'Web SDK events → Web events',
      { schedule: { interval: 3 } },
      ['input', 'schedule'],
      'NOT_ALLOWED',
      'has no schedule',
    ],
    ['no change at all', 'S3 clickstream → Web events', { schedule: {} }, ['input'], 'REQUIRED', 'Nothing to change'],
    ['an empty name', 'S3 clickstream → Web events', { name: ' ' }, ['input', 'name'], 'INVALID', 'must not be empty'],
  ];
  it.each(rejected)('rejects %s without sending a PATCH', async (_what, name, change, field, code, message) => {
    const flow = await flowNamed(name);
    const { payload, log } = await mutate('updateDataflow', UPDATE, {
      input: { id: flow.id, etag: flow.etag, ...change },
    });
    expect(payload).toEqual({ flow: null, userErrors: [{ field, code, message: expect.stringContaining(message) }] });
    expect(writes(log)).toEqual([]);
    expect((await getFlow(flow.id)).body.items[0].etag).toBe(flow.etag);
  });

  it('answers NOT_FOUND for an unknown flow', async () => {
    const { payload, log } = await mutate('updateDataflow', UPDATE, {
      input: { id: 'no-such-flow', etag: '"x"', name: 'x' },
    });
    expect(payload.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
    expect(writes(log)).toEqual([]);
  });
});

describe('enableDataflow / disableDataflow', () => {
  const STATE = (op: string) => `mutation($id: ID!) { ${op}(input: { id: $id }) { flow { id state } ${ERRORS} } }`;

  it('disables and enables a flow, writing only when the state changes', async () => {
    const flow = await flowNamed('Blob campaign responses → Web events');
    const action = (op: string) => `POST ${FS}/flows/${flow.id}/action 200 ${op}`;
    const actions = (log: RequestLogEntry[]) =>
      log
        .filter((r) => r.method !== 'GET' && !r.path.startsWith('/ims/'))
        .map((r) => `${r.method} ${r.path} ${r.status} ${new URLSearchParams(r.query).get('op')}`);
    for (const [op, state, sent] of [
      ['disableDataflow', 'DISABLED', [action('disable')]],
      ['disableDataflow', 'DISABLED', []],
      ['enableDataflow', 'ENABLED', [action('enable')]],
      ['enableDataflow', 'ENABLED', []],
    ] as const) {
      const { payload, log } = await mutate(op, STATE(op), { id: flow.id });
      expect(payload).toEqual({ flow: { id: flow.id, state }, userErrors: [] });
      expect(actions(log)).toEqual(sent);
      expect((await getFlow(flow.id)).body.items[0].state).toBe(state.toLowerCase());
    }
  });

  it('answers NOT_FOUND for an unknown flow', async () => {
    const { payload, log } = await mutate('disableDataflow', STATE('disableDataflow'), { id: 'no-such-flow' });
    expect(payload).toEqual({
      flow: null,
      userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }],
    });
    expect(writes(log)).toEqual([]);
  });
});

describe('runDataflow', () => {
  const RUN = `mutation($input: RunDataflowInput!) { runDataflow(input: $input) { run { id flowId status windowStart windowEnd } ${ERRORS} } }`;

  it('requests a run of a run-once flow with params in epoch seconds and returns it', async () => {
    const flow = await flowNamed('Azure Files returns → Commerce orders');
    const before = Math.floor(Date.now() / 1000);
    const { payload, log } = await mutate('runDataflow', RUN, { input: { id: flow.id } });
    expect(payload.userErrors).toEqual([]);
    expect(payload.run).toMatchObject({
      flowId: flow.id,
      status: 'SCHEDULED',
      windowStart: new Date(Number(flow.scheduleParams.startTime) * 1000).toISOString(),
    });
    expect(writes(log)).toEqual([`POST ${FS}/runs 201`]);
    const { params } = (await rest('GET', `${FS}/runs/${payload.run.id}`)).body.items[0];
    expect(params.windowStartTime).toBe(Number(flow.scheduleParams.startTime));
    expect(params.startTime).toBeGreaterThanOrEqual(before);
    expect(params.startTime).toBeLessThan(before + 60);
    expect(params.windowEndTime).toBe(params.startTime);
    expect(params.deltaColumn).toBeUndefined();
  });

  it('uses the window the caller gives', async () => {
    const flow = await flowNamed('Azure Files returns → Commerce orders');
    const { payload } = await mutate('runDataflow', RUN, {
      input: { id: flow.id, windowStart: '2025-01-01T00:00:00Z', windowEnd: '2025-01-02T00:00:00Z' },
    });
    expect(payload.run).toMatchObject({
      windowStart: '2025-01-01T00:00:00.000Z',
      windowEnd: '2025-01-02T00:00:00.000Z',
    });
    const { params } = (await rest('GET', `${FS}/runs/${payload.run.id}`)).body.items[0];
    expect([params.windowStartTime, params.windowEndTime]).toEqual([1735689600, 1735776000]);
  });

  const refused: Array<[string, string, Record<string, unknown>, string[], string, string]> = [
    [
      'a scheduled flow',
      'S3 loyalty points → Loyalty members',
      {},
      ['input', 'id'],
      'NOT_ALLOWED',
      'On-demand runs are for run-once dataflows',
    ],
    [
      'a streaming flow',
      'Web SDK events → Web events',
      {},
      ['input', 'id'],
      'NOT_ALLOWED',
      'does not support flow runs',
    ],
    [
      'a window that starts after it ends',
      'Azure Files returns → Commerce orders',
      { windowStart: '2025-02-01T00:00:00Z', windowEnd: '2025-01-01T00:00:00Z' },
      ['input', 'windowStart'],
      'INVALID',
      'after it ends',
    ],
    [
      'a deltaColumn for a file source',
      'Azure Files returns → Commerce orders',
      { deltaColumn: 'updated_at' },
      ['input', 'deltaColumn'],
      'INVALID',
      'table-source',
    ],
  ];
  it.each(refused)('refuses %s without a POST /runs', async (_what, name, extra, field, code, message) => {
    const flow = await flowNamed(name);
    const { payload, log } = await mutate('runDataflow', RUN, { input: { id: flow.id, ...extra } });
    expect(payload).toEqual({ run: null, userErrors: [{ field, code, message: expect.stringContaining(message) }] });
    expect(writes(log)).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown flow', async () => {
    const { payload, log } = await mutate('runDataflow', RUN, { input: { id: 'no-such-flow' } });
    expect(payload.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
    expect(writes(log)).toEqual([]);
  });
});

describe('deleteDataflow', () => {
  const DELETE = `mutation($id: ID!, $all: Boolean) { deleteDataflow(input: { id: $id, deleteCreatedResources: $all }) { deletedFlowId steps { name status resourceId error } ${ERRORS} } }`;

  it('deletes only the flow by default and keeps its connections', async () => {
    const flow = await flowNamed('Blob store visits → Store visits');
    const before = await counts();
    const { payload, log } = await mutate('deleteDataflow', DELETE, { id: flow.id });
    expect(payload.userErrors).toEqual([]);
    expect(payload.deletedFlowId).toBe(flow.id);
    expect(payload.steps).toContainEqual({ name: 'flow', status: 'DONE', resourceId: flow.id, error: null });
    expect(payload.steps).toContainEqual({
      name: 'sourceConnection',
      status: 'SKIPPED',
      resourceId: flow.sourceConnectionIds[0],
      error: 'kept: deleteCreatedResources is false',
    });
    expect(writes(log)).toEqual([`DELETE ${FS}/flows/${flow.id} 204`]);
    expect((await getFlow(flow.id)).status).toBe(404);
    expect((await rest('GET', `${FS}/sourceConnections/${flow.sourceConnectionIds[0]}`)).status).toBe(200);
    expect((await rest('GET', `${FS}/targetConnections/${flow.targetConnectionIds[0]}`)).status).toBe(200);
    expect(await counts()).toEqual({ ...before, flows: before.flows - 1 });
  });

  it('with deleteCreatedResources deletes the unshared connections only, and never the dataset, schema, base connection or mapping set', async () => {
    const flow = await flowNamed('Blob B2B contacts → B2B contacts');
    const [src] = (await rest('GET', `${FS}/sourceConnections/${flow.sourceConnectionIds[0]}`)).body.items;
    const [tgt] = (await rest('GET', `${FS}/targetConnections/${flow.targetConnectionIds[0]}`)).body.items;
    // A second flow shares the target connection, with a source connection of its own.
    const otherSrc = await rest('POST', `${FS}/sourceConnections`, {
      name: 'Second source',
      baseConnectionId: src.baseConnectionId,
      data: src.data,
      params: src.params,
      connectionSpec: src.connectionSpec,
    });
    const other = await rest('POST', `${FS}/flows`, {
      name: 'Shares the B2B target',
      flowSpec: flow.flowSpec,
      sourceConnectionIds: [otherSrc.body.id],
      targetConnectionIds: [tgt.id],
      transformations: flow.transformations,
      scheduleParams: { startTime: flow.scheduleParams.startTime, frequency: 'once' },
    });
    expect([otherSrc.status, other.status]).toEqual([201, 201]);
    const before = await counts();
    const { payload, log } = await mutate('deleteDataflow', DELETE, { id: flow.id, all: true });
    const mappingId = flow.transformations.find((t: any) => t.name === 'Mapping').params.mappingId;
    const baseId = flow.inheritedAttributes.sourceConnections[0].baseConnection.id;
    expect(payload.userErrors).toEqual([]);
    expect(payload.steps).toEqual([
      { name: 'flow', status: 'DONE', resourceId: flow.id, error: null },
      { name: 'sourceConnection', status: 'DONE', resourceId: src.id, error: null },
      {
        name: 'targetConnection',
        status: 'SKIPPED',
        resourceId: tgt.id,
        error: `kept: used by dataflow ${other.body.id}`,
      },
      {
        name: 'mappingSet',
        status: 'LEFT_BEHIND',
        resourceId: mappingId,
        error: expect.stringContaining('Data Prep has no delete endpoint'),
      },
      {
        name: 'dataset',
        status: 'SKIPPED',
        resourceId: tgt.params.dataSetId,
        error: 'kept: datasets and schemas are never deleted',
      },
      {
        name: 'targetSchema',
        status: 'SKIPPED',
        resourceId: tgt.data.schema.id,
        error: 'kept: datasets and schemas are never deleted',
      },
      {
        name: 'baseConnection',
        status: 'SKIPPED',
        resourceId: baseId,
        error: expect.stringContaining('base connections are never deleted'),
      },
    ]);
    expect(writes(log).sort()).toEqual(
      [`DELETE ${FS}/flows/${flow.id} 204`, `DELETE ${FS}/sourceConnections/${src.id} 204`].sort(),
    );
    expect(await counts()).toEqual({
      ...before,
      flows: before.flows - 1,
      sourceConnections: before.sourceConnections - 1,
    });
    expect((await getFlow(flow.id)).status).toBe(404);
    expect((await getFlow(other.body.id)).status).toBe(200);
    expect((await rest('GET', `${FS}/sourceConnections/${src.id}`)).status).toBe(404);
    expect((await rest('GET', `${FS}/targetConnections/${tgt.id}`)).status).toBe(200);
    expect((await rest('GET', `${FS}/connections/${baseId}`)).status).toBe(200);
    expect((await rest('GET', `${CATALOG}/dataSets/${tgt.params.dataSetId}`)).status).toBe(200);
  });

  it('reports a connection it could not delete as FAILED and still deletes the rest', async () => {
    const flow = await flowNamed('SFTP product reviews → Product reviews');
    await stack.control('POST', '/__emulator/faults', {
      method: 'DELETE',
      path: '/sourceConnections/',
      status: 500,
      times: 5,
    });
    const { payload } = await mutate('deleteDataflow', DELETE, { id: flow.id, all: true }).finally(() =>
      stack.control('DELETE', '/__emulator/faults'),
    );
    expect(payload.deletedFlowId).toBe(flow.id);
    expect(payload.steps.slice(0, 3)).toEqual([
      { name: 'flow', status: 'DONE', resourceId: flow.id, error: null },
      {
        name: 'sourceConnection',
        status: 'FAILED',
        resourceId: flow.sourceConnectionIds[0],
        error: expect.stringContaining('HTTP 500'),
      },
      { name: 'targetConnection', status: 'DONE', resourceId: flow.targetConnectionIds[0], error: null },
    ]);
    expect((await getFlow(flow.id)).status).toBe(404);
    expect((await rest('GET', `${FS}/sourceConnections/${flow.sourceConnectionIds[0]}`)).status).toBe(200);
    expect((await rest('GET', `${FS}/targetConnections/${flow.targetConnectionIds[0]}`)).status).toBe(404);
  });

  it('answers NOT_FOUND for an unknown flow and deletes nothing', async () => {
    const { payload, log } = await mutate('deleteDataflow', DELETE, { id: 'no-such-flow', all: true });
    expect(payload).toEqual({
      deletedFlowId: null,
      steps: [],
      userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }],
    });
    expect(writes(log)).toEqual([]);
  });
});

describe('sendStreamingRecords', () => {
  const SEND = `mutation($inletId: ID!, $records: [JSON!]!, $validate: Boolean) { sendStreamingRecords(input: { inletId: $inletId, records: $records, validate: $validate }) { batchId acceptedCount rejectedCount results { index accepted xactionId statusCode message } ${ERRORS} } }`;
  let inletId: string;
  let dataSetId: string;
  let message: (entity: Record<string, unknown>) => Record<string, unknown>;

  beforeAll(async () => {
    const flow = await flowNamed('Web SDK events → Web events');
    const baseId = flow.inheritedAttributes.sourceConnections[0].baseConnection.id;
    inletId = (await rest('GET', `${FS}/connections/${baseId}`)).body.items[0].auth.params.inletId;
    const [tgt] = (await rest('GET', `${FS}/targetConnections/${flow.targetConnectionIds[0]}`)).body.items;
    dataSetId = tgt.params.dataSetId;
    const schemaRef = { id: tgt.data.schema.id, contentType: FULL };
    message = (entity) => ({
      header: { schemaRef, imsOrgId: DEMO_ORG, datasetId: dataSetId, flowId: flow.id },
      body: { xdmMeta: { schemaRef }, xdmEntity: entity },
    });
  });
  const dataSet = async () =>
    Object.values((await rest('GET', `${CATALOG}/dataSets/${dataSetId}`)).body as Record<string, any>)[0];

  it('sends one batch and answers per record; the accepted records land as a Catalog batch of the dataset', async () => {
    const lastBefore = (await dataSet()).lastBatchId;
    const records = [
      message({ _id: 'evt-1', timestamp: '2026-01-05T10:00:00Z' }),
      { header: {}, body: {} },
      message({ _id: 'evt-2', timestamp: '2026-01-05T10:01:00Z' }),
    ];
    const { payload, log } = await mutate('sendStreamingRecords', SEND, { inletId, records });
    expect(payload).toMatchObject({ acceptedCount: 2, rejectedCount: 1, userErrors: [] });
    expect(payload.results).toEqual([
      { index: 0, accepted: true, xactionId: `${payload.batchId}:0`, statusCode: null, message: null },
      {
        index: 1,
        accepted: false,
        xactionId: `${payload.batchId}:1`,
        statusCode: 400,
        message: expect.stringContaining('Message has unknown xdm format'),
      },
      { index: 2, accepted: true, xactionId: `${payload.batchId}:2`, statusCode: null, message: null },
    ]);
    expect(writes(log)).toEqual([`POST /collection/batch/${inletId} 207`]);
    const { lastBatchId } = await dataSet();
    expect(lastBatchId).not.toBe(lastBefore);
    const batch = (await rest('GET', `${CATALOG}/batches/${lastBatchId}`)).body[lastBatchId];
    expect(batch).toMatchObject({
      status: 'success',
      recordCount: 2,
      failedRecordCount: 0,
      relatedObjects: expect.arrayContaining([{ type: 'dataSet', id: dataSetId }]),
    });
  });

  it('with validate sends each record with syncValidation and reports the schema violations', async () => {
    const records = [
      message({ _id: 'evt-3', timestamp: '2026-01-05T10:02:00Z' }),
      message({ _id: 'evt-4', timestamp: 'yesterday' }),
    ];
    const { payload, log } = await mutate('sendStreamingRecords', SEND, { inletId, records, validate: true });
    expect(payload).toMatchObject({ batchId: null, acceptedCount: 1, rejectedCount: 1, userErrors: [] });
    expect(payload.results).toEqual([
      { index: 0, accepted: true, xactionId: expect.any(String), statusCode: 200, message: null },
      {
        index: 1,
        accepted: false,
        xactionId: null,
        statusCode: 400,
        message: expect.stringContaining('#/timestamp: [yesterday] is not a valid date-time'),
      },
    ]);
    expect(
      log
        .filter((r) => r.method === 'POST')
        .map((r) => `${r.path}?${r.query} ${r.status}`)
        .sort(),
    ).toEqual([`/collection/${inletId}?syncValidation=true 200`, `/collection/${inletId}?syncValidation=true 400`]);
  });

  const refused: Array<[string, () => Record<string, unknown>, string[], string, string]> = [
    ['no records', () => ({ inletId, records: [] }), ['input', 'records'], 'INVALID', 'must not be empty'],
    [
      'a record that is not an object',
      () => ({ inletId, records: ['hello'] }),
      ['input', 'records', '0'],
      'INVALID',
      'must be a JSON object',
    ],
    [
      'more than 60 records to validate',
      () => ({ inletId, records: Array.from({ length: 61 }, (_, i) => message({ _id: `v-${i}` })), validate: true }),
      ['input', 'records'],
      'INVALID',
      'at most 60 records',
    ],
  ];
  it.each(refused)('refuses %s before sending anything', async (_what, vars, field, code, message) => {
    const { payload, log } = await mutate('sendStreamingRecords', SEND, vars());
    expect(payload).toEqual({
      batchId: null,
      acceptedCount: 0,
      rejectedCount: 0,
      results: [],
      userErrors: [{ field, code, message: expect.stringContaining(message) }],
    });
    expect(log.filter((r) => r.path.startsWith('/collection'))).toEqual([]);
  });

  /** Records of about 300 KB each: three fit in one 1 MB batch request, four do not. */
  const bigRecords = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) =>
      message({ _id: `${tag}-${i}`, timestamp: '2026-01-05T11:00:00Z', blob: String(i).repeat(300_000) }),
    );
  const batchCalls = (log: RequestLogEntry[]) => log.filter((r) => r.path.startsWith('/collection'));

  it('splits records over 1 MB into batch requests of at most 1 MB each and merges the results in order', async () => {
    const records = bigRecords(5, 'split');
    expect(Buffer.byteLength(JSON.stringify({ messages: records }))).toBeGreaterThan(1.4 * MB);
    const { payload, log } = await mutate('sendStreamingRecords', SEND, { inletId, records });
    expect(payload).toMatchObject({ batchId: null, acceptedCount: 5, rejectedCount: 0, userErrors: [] });
    // the emulator answers 413 above 1 MB: two 207s are two requests within it
    expect(writes(batchCalls(log))).toEqual([
      `POST /collection/batch/${inletId} 207`,
      `POST /collection/batch/${inletId} 207`,
    ]);
    // an xactionId is `<batch id>:<index in its request>`
    const ids = payload.results.map((r: { xactionId: string }) => {
      const at = r.xactionId.lastIndexOf(':');
      return [r.xactionId.slice(0, at), r.xactionId.slice(at + 1)];
    });
    expect(payload.results.map((r: { index: number; accepted: boolean }) => [r.index, r.accepted])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [i, true]),
    );
    // three records in the first request, two in the second, each numbered within its request
    expect(ids.map(([, n]: string[]) => n)).toEqual(['0', '1', '2', '0', '1']);
    expect(new Set(ids.slice(0, 3).map(([b]: string[]) => b)).size).toBe(1);
    expect(ids[3][0]).toBe(ids[4][0]);
    expect(ids[3][0]).not.toBe(ids[0][0]);
  });

  it('when a later request fails, keeps the results of the records sent and says the rest were not sent', async () => {
    await stack.control('POST', '/__emulator/faults', {
      method: 'POST',
      path: `^/collection/batch/${inletId}$`,
      skip: 1,
      times: 1,
      status: 400,
      body: { type: 'https://ns.adobe.com/aep/errors/DCVS-1106-400', title: 'Bad request', status: 400 },
    });
    const records = bigRecords(5, 'half');
    const { payload, log } = await mutate('sendStreamingRecords', SEND, { inletId, records });
    await stack.control('DELETE', '/__emulator/faults');
    expect(writes(batchCalls(log))).toEqual([
      `POST /collection/batch/${inletId} 207`,
      `POST /collection/batch/${inletId} 400`,
    ]);
    expect(payload).toMatchObject({ batchId: null, acceptedCount: 3, rejectedCount: 2 });
    expect(payload.results.slice(0, 3).every((r: { accepted: boolean }) => r.accepted)).toBe(true);
    expect(payload.results.slice(3)).toEqual(
      [3, 4].map((index) => ({
        index,
        accepted: false,
        xactionId: null,
        statusCode: null,
        message: 'Not sent: batch request 2 of 2 failed',
      })),
    );
    expect(payload.userErrors).toEqual([
      {
        field: ['input', 'records'],
        code: 'UPSTREAM_REJECTED',
        message: expect.stringContaining(
          'Batch request 2 of 2 (from record 3) failed, so records 3 to 4 were not sent; records 0 to 2 were sent and cannot be recalled',
        ),
      },
    ]);
  });

  it('refuses a record over 1 MB by itself before sending anything', async () => {
    const records = [
      message({ _id: 'small', timestamp: '2026-01-05T11:00:00Z' }),
      message({ _id: 'huge', blob: 'x'.repeat(1.1 * MB) }),
    ];
    const { payload, log } = await mutate('sendStreamingRecords', SEND, { inletId, records });
    expect(payload).toEqual({
      batchId: null,
      acceptedCount: 0,
      rejectedCount: 0,
      results: [],
      userErrors: [
        {
          field: ['input', 'records', '1'],
          code: 'INVALID',
          message: expect.stringContaining('over the 1 MB (1048576 bytes) DCS accepts per request'),
        },
      ],
    });
    expect(batchCalls(log)).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown inlet', async () => {
    const { payload } = await mutate('sendStreamingRecords', SEND, {
      inletId: 'f'.repeat(64),
      records: [message({ _id: 'x' })],
    });
    expect(payload.userErrors).toEqual([
      { field: ['input', 'inletId'], code: 'NOT_FOUND', message: expect.any(String) },
    ]);
  });
});
