import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { CREATE, PROFILE_CLASS, odataInput } from './dataflowFixtures.ts';

const ERRORS = 'userErrors { field code message }';
const ORG = 'B0UND5000000000000000000@AdobeOrg';
const SOMEWHERE = '00000000-0000-4000-8000-000000000000';

let stack: Stack;
let own: Platform;
let seeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack();
  own = await platform(stack.emulator.url, ORG, 'prod', 'bounds-test');
  seeded = await seedFlows(own, {
    flows: 1,
    prefix: 'Bounds',
    scheduleOf: () => ({ startTime: 1_800_000_000, frequency: 'hour', interval: 1 }),
  });
});
afterAll(() => stack.stop());
beforeEach(() => stack.clearRequests());

/** Runs a mutation as the test org's own caller; returns its payload and the upstream requests it made. */
async function mutate(field: string, query: string, variables: Record<string, unknown>) {
  await stack.clearRequests();
  const res = await stack.gql(query, variables, own.headers);
  expect(res.errors).toBeUndefined();
  return { payload: res.data[field], log: await stack.requests() };
}

const createWith = (overrides: Record<string, unknown>) =>
  mutate('createDataflow', CREATE, { input: odataInput(SOMEWHERE, overrides) });

const big = (n: number) => 'x'.repeat(n);

describe('createDataflow inputs are bounded before any upstream request', () => {
  const base = odataInput(SOMEWHERE);
  const cases: Array<[string, Record<string, unknown>, string[], string]> = [
    ['a 900 KB name', { name: big(900_000) }, ['input', 'name'], 'TOO_LONG'],
    ['a NUL in the name', { name: 'Customers\u0000' }, ['input', 'name'], 'BAD_CHARACTER'],
    ['a right-to-left override in the name', { name: 'Customers\u202Ecsv.exe' }, ['input', 'name'], 'BAD_CHARACTER'],
    ['an unpaired surrogate in the name', { name: 'Customers \ud800' }, ['input', 'name'], 'BAD_CHARACTER'],
    ['a description over 4,000 characters', { description: big(4_001) }, ['input', 'description'], 'TOO_LONG'],
    ['a bell in the description', { description: 'ding\u0007' }, ['input', 'description'], 'BAD_CHARACTER'],
    [
      'a line feed in a table name',
      { source: { ...base.source, tableName: 'Customers\nDROP' } },
      ['input', 'source', 'tableName'],
      'BAD_CHARACTER',
    ],
    [
      'a 2 KB source path',
      { source: { baseConnectionId: SOMEWHERE, path: `/${big(2_000)}` } },
      ['input', 'source', 'path'],
      'TOO_LONG',
    ],
    [
      '1,001 declared columns',
      {
        source: {
          ...base.source,
          columns: Array.from({ length: 1_001 }, (_, i) => ({ name: `c${i}`, type: 'STRING' })),
        },
      },
      ['input', 'source', 'columns'],
      'TOO_MANY',
    ],
    [
      'a control character in a source param',
      { source: { ...base.source, params: { filter: 'a\u0000b' } } },
      ['input', 'source', 'params', 'filter'],
      'BAD_CHARACTER',
    ],
    [
      '10,000 mappings all to _id',
      {
        mappings: Array.from({ length: 10_000 }, () => ({ sourceAttribute: 'CustomerID', destinationXdmPath: '_id' })),
      },
      ['input', 'mappings'],
      'TOO_MANY',
    ],
    [
      'a bidi isolate in a mapping destination',
      { mappings: [{ sourceAttribute: 'CustomerID', destinationXdmPath: '_id\u2066' }] },
      ['input', 'mappings', '0', 'destinationXdmPath'],
      'BAD_CHARACTER',
    ],
    [
      'a 300-character schema title',
      { target: { newSchema: { schema: { title: big(300), classId: PROFILE_CLASS }, datasetName: 'x' } } },
      ['input', 'target', 'newSchema', 'schema', 'title'],
      'TOO_LONG',
    ],
    [
      'an escape character in the dataset name',
      { target: { newSchema: { schema: { title: 'x', classId: PROFILE_CLASS }, datasetName: 'x\u001b[31m' } } },
      ['input', 'target', 'newSchema', 'datasetName'],
      'BAD_CHARACTER',
    ],
    [
      'an interval of a billion hours',
      { schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'HOUR', interval: 1_000_000_000 } },
      ['input', 'schedule', 'interval'],
      'OUT_OF_RANGE',
    ],
    [
      'an interval of 53 weeks',
      { schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'WEEK', interval: 53 } },
      ['input', 'schedule', 'interval'],
      'OUT_OF_RANGE',
    ],
    [
      'a start time in 1970',
      { schedule: { startTime: '1970-01-01T00:00:00Z', frequency: 'HOUR', interval: 1 } },
      ['input', 'schedule', 'startTime'],
      'OUT_OF_RANGE',
    ],
    [
      'a start time in 9999',
      { schedule: { startTime: '9999-01-01T00:00:00Z', frequency: 'HOUR', interval: 1 } },
      ['input', 'schedule', 'startTime'],
      'OUT_OF_RANGE',
    ],
  ];

  it.each(cases)('rejects %s at its input path and sends nothing upstream', async (_name, overrides, field, code) => {
    const { payload, log } = await createWith(overrides);
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field, code }));
    expect(payload.flow).toBeNull();
    expect(payload.steps).toEqual([]);
    expect(log).toEqual([]);
  });

  it('rejects a dry run out of bounds the same way', async () => {
    const { payload, log } = await mutate('createDataflow', CREATE, {
      input: { ...odataInput(SOMEWHERE, { name: 'dry\u0000run' }), dryRun: true },
    });
    expect(payload.userErrors).toEqual([expect.objectContaining({ field: ['input', 'name'], code: 'BAD_CHARACTER' })]);
    expect(log).toEqual([]);
  });

  it('rejects source params nested 100,000 levels deep as TOO_DEEP', async () => {
    const input = JSON.stringify({ input: odataInput(SOMEWHERE) }).replace(
      '"tableName":"Customers"',
      `"tableName":"Customers","params":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    await stack.clearRequests();
    const res = await fetch(stack.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...own.headers },
      body: `{"query":${JSON.stringify(CREATE)},"variables":${input}}`,
    });
    const json = (await res.json()) as any;
    expect(json.errors).toBeUndefined();
    expect(json.data.createDataflow.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'source', 'params'], code: 'TOO_DEEP' }),
    ]);
    expect(await stack.requests()).toEqual([]);
  });

  it('names at most 50 problems however many strings are bad', async () => {
    const columns = Array.from({ length: 900 }, (_, i) => ({ name: `c${i}\u0000`, type: 'STRING' }));
    const { payload, log } = await createWith({ source: { ...base.source, columns } });
    expect(payload.userErrors).toHaveLength(50);
    expect(payload.userErrors[0]).toMatchObject({ field: ['input', 'source', 'columns', '0', 'name'] });
    expect(log).toEqual([]);
  });
});

describe('the other mutations are bounded too', () => {
  const STREAM = `mutation($input: CreateStreamingDataflowInput!) { createStreamingDataflow(input: $input) { flow { id } steps { name } ${ERRORS} } }`;
  const UPDATE = `mutation($input: UpdateDataflowInput!) { updateDataflow(input: $input) { flow { id } ${ERRORS} } }`;
  const RUN = `mutation($input: RunDataflowInput!) { runDataflow(input: $input) { run { id } ${ERRORS} } }`;
  const DELETE = `mutation($id: ID!) { deleteDataflow(input: { id: $id }) { deletedFlowId ${ERRORS} } }`;
  const ENABLE = `mutation($id: ID!) { enableDataflow(input: { id: $id }) { flow { id } ${ERRORS} } }`;

  it('rejects a streaming dataflow whose name holds a NUL, sending nothing', async () => {
    const { payload, log } = await mutate('createStreamingDataflow', STREAM, {
      input: {
        name: 'Web\u0000events',
        target: { newDataset: { schemaId: 'https://ns.adobe.com/x', datasetName: 'Web events' } },
      },
    });
    expect(payload.userErrors).toEqual([expect.objectContaining({ field: ['input', 'name'], code: 'BAD_CHARACTER' })]);
    expect(log).toEqual([]);
  });

  it('rejects a rename with a right-to-left override, sending nothing', async () => {
    const flow = seeded.flows[0]!;
    const { payload, log } = await mutate('updateDataflow', UPDATE, {
      input: { id: flow.id, etag: '"1"', name: 'gnp.\u202Eexe' },
    });
    expect(payload.userErrors).toEqual([expect.objectContaining({ field: ['input', 'name'], code: 'BAD_CHARACTER' })]);
    expect(log).toEqual([]);
  });

  it('rejects a reschedule to every billion hours after reading the flow, writing nothing', async () => {
    const flow = seeded.flows[0]!;
    const { payload, log } = await mutate('updateDataflow', UPDATE, {
      input: { id: flow.id, etag: '"1"', schedule: { interval: 1_000_000_000 } },
    });
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'schedule', 'interval'], code: 'OUT_OF_RANGE' }),
    ]);
    expect(log.filter((r) => r.method !== 'GET' && !r.path.startsWith('/ims/'))).toEqual([]);
  });

  it('rejects a run whose delta column holds a control character, sending nothing', async () => {
    const { payload, log } = await mutate('runDataflow', RUN, { input: { id: SOMEWHERE, deltaColumn: 'Last\u0085' } });
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'deltaColumn'], code: 'BAD_CHARACTER' }),
    ]);
    expect(log).toEqual([]);
  });

  it.each([
    ['deleteDataflow', DELETE, big(2_000), 'TOO_LONG'],
    ['enableDataflow', ENABLE, `${SOMEWHERE}\u0000`, 'BAD_CHARACTER'],
  ])('rejects a bad id in %s, sending nothing', async (field, query, id, code) => {
    const { payload, log } = await mutate(field, query, { id });
    expect(payload.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code })]);
    expect(log).toEqual([]);
  });
});

describe('sendStreamingRecords bounds', () => {
  const SEND = `mutation($inletId: ID!, $records: [JSON!]!) { sendStreamingRecords(input: { inletId: $inletId, records: $records }) { batchId acceptedCount results { index } ${ERRORS} } }`;
  const send = async (records: unknown[]) => {
    await stack.clearRequests();
    const res = await stack.gql(SEND, { inletId: 'inlet-that-is-never-called', records }, own.headers);
    return { res, log: await stack.requests() };
  };

  it('answers 300,000 invalid records with one user error, not INTERNAL_SERVER_ERROR', async () => {
    const { res, log } = await send(Array.from({ length: 300_000 }, () => 1));
    expect(res.errors).toBeUndefined();
    expect(res.data.sendStreamingRecords).toMatchObject({ batchId: null, acceptedCount: 0, results: [] });
    expect(res.data.sendStreamingRecords.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'records'], code: 'TOO_MANY' }),
    ]);
    expect(log).toEqual([]);
  });

  it('refuses 300,000 empty records as more than a call may carry', async () => {
    const { res, log } = await send(Array.from({ length: 300_000 }, () => ({})));
    expect(res.errors).toBeUndefined();
    expect(res.data.sendStreamingRecords.userErrors).toEqual([
      expect.objectContaining({
        field: ['input', 'records'],
        code: 'TOO_MANY',
        message: expect.stringContaining('5000'),
      }),
    ]);
    expect(res.text.length).toBeLessThan(2_000);
    expect(log).toEqual([]);
  });

  it('names the first 50 of 4,000 invalid records and counts the rest', async () => {
    const { res, log } = await send(Array.from({ length: 4_000 }, () => 'not an object'));
    expect(res.errors).toBeUndefined();
    const errors = res.data.sendStreamingRecords.userErrors;
    expect(errors).toHaveLength(51);
    expect(errors[0]).toMatchObject({ field: ['input', 'records', '0'], code: 'INVALID' });
    expect(errors[50]).toMatchObject({ field: ['input', 'records'], message: expect.stringContaining('4000 records') });
    expect(log).toEqual([]);
  });

  /** A body built as text: a value nested this deep cannot go through JSON.stringify. */
  const sendRaw = async (recordsJson: string) => {
    await stack.clearRequests();
    const body = `{"query":${JSON.stringify(SEND)},"variables":{"inletId":"x","records":${recordsJson}}}`;
    const res = await fetch(stack.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...own.headers },
      body,
    });
    return { status: res.status, json: (await res.json()) as any, log: await stack.requests() };
  };

  it.each([65, 100_000])(
    'rejects a record nested %i levels deep as TOO_DEEP, not INTERNAL_SERVER_ERROR',
    async (depth) => {
      const deep = `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
      const { status, json, log } = await sendRaw(`[{}, ${deep}]`);
      expect(status).toBe(200);
      expect(json.errors).toBeUndefined();
      expect(json.data.sendStreamingRecords.userErrors).toEqual([
        expect.objectContaining({ field: ['input', 'records', '1'], code: 'TOO_DEEP' }),
      ]);
      expect(log).toEqual([]);
    },
  );

  it('rejects an inlet id with a control character before sending', async () => {
    await stack.clearRequests();
    const res = await stack.gql(SEND, { inletId: 'inlet\u0000', records: [{}] }, own.headers);
    expect(res.data.sendStreamingRecords.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'inletId'], code: 'BAD_CHARACTER' }),
    ]);
    expect(await stack.requests()).toEqual([]);
  });
});

describe('limits are configuration', () => {
  it('has documented defaults and names every bad variable at once', () => {
    expect(loadConfig({}).inputLimits).toEqual({
      maxNameLength: 256,
      maxDescriptionLength: 4_000,
      maxPathLength: 1_024,
      maxListItems: 1_000,
      maxStreamingRecords: 5_000,
      maxJsonDepth: 64,
      maxScheduleIntervalDays: 366,
      maxScheduleStartAgeDays: 3_650,
      maxScheduleStartLeadDays: 1_830,
    });
    expect(() => loadConfig({ INPUT_MAX_NAME_LENGTH: '0', STREAMING_MAX_RECORDS: 'many' })).toThrow(
      /INPUT_MAX_NAME_LENGTH="0"[^]*STREAMING_MAX_RECORDS="many"/,
    );
  });

  it('takes STREAMING_MAX_RECORDS and INPUT_MAX_NAME_LENGTH from the environment', async () => {
    const small = await startStack({ env: { STREAMING_MAX_RECORDS: '3', INPUT_MAX_NAME_LENGTH: '10' } });
    try {
      const sent = await small.gql(
        `mutation { sendStreamingRecords(input: { inletId: "x", records: [{}, {}, {}, {}] }) { ${ERRORS} } }`,
      );
      expect(sent.data.sendStreamingRecords.userErrors).toEqual([
        expect.objectContaining({ field: ['input', 'records'], code: 'TOO_MANY' }),
      ]);
      const created = await small.gql(CREATE, { input: odataInput(SOMEWHERE, { name: 'eleven char' }) });
      expect(created.data.createDataflow.userErrors).toContainEqual(
        expect.objectContaining({ field: ['input', 'name'], code: 'TOO_LONG' }),
      );
      expect((await small.requests()).filter((r) => !r.path.startsWith('/ims/'))).toEqual([]);
    } finally {
      await small.stop();
    }
  });
});
