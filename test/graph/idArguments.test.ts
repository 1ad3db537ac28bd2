import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type SeededOrg } from '../platform.ts';
import { routeCounts } from './requestLog.ts';
import { connect, subscribe } from '../subscriber.ts';

const SANDBOX = 'id-arguments';
const HEADERS = { 'x-sandbox-name': SANDBOX };

let stack: Stack;
let seeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  seeded = await seedFlows(await platform(stack.emulator.url, DEMO_ORG, SANDBOX, 'id-arguments-test'), {
    flows: 1,
    schemas: 1,
  });
});
afterAll(() => stack.stop());
afterEach(() => stack.control('DELETE', '/__emulator/faults'));

/** The upstream requests the API made (IMS token requests aside). */
async function platformRequests(): Promise<Record<string, number>> {
  return routeCounts((await stack.requests()).filter((e) => e.path.startsWith('/data/')));
}

async function ask(query: string) {
  await stack.clearRequests();
  const res = await stack.gql(query, {}, HEADERS);
  return { res, requests: await platformRequests() };
}

const MALFORMED: Array<[string, string, RegExp]> = [
  ['flow(id: "") { id }', 'id', /must not be empty/],
  [`flow(id: "${'a'.repeat(1025)}") { id }`, 'id', /1025 characters long; at most 1024/],
  ['flow(id: "../connections") { id }', 'id', /not a Platform id/],
  ['flowRun(id: "a b") { id }', 'id', /not a Platform id/],
  ['flowRuns(flowId: "") { nodes { id } }', 'flowId', /must not be empty/],
  ['baseConnection(id: "x?y=1") { id }', 'id', /not a Platform id/],
  ['sourceConnection(id: "") { id }', 'id', /must not be empty/],
  ['targetConnection(id: "%2e%2e") { id }', 'id', /not a Platform id/],
  ['connectionSpec(id: "") { id }', 'id', /must not be empty/],
  ['flowSpec(id: "a/b") { id }', 'id', /not a Platform id/],
  ['dataset(id: "a,b") { id }', 'id', /not a Platform id/],
  ['batch(id: "") { id }', 'id', /must not be empty/],
  ['schema(id: "https://ns.adobe.com/x/schemas/1?x") { title }', 'id', /not a Platform id/],
  ['mappingSet(id: "abc@x") { id }', 'id', /not a Platform id/],
  ['testBaseConnection(id: "") { reachable }', 'id', /must not be empty/],
];

describe('malformed id arguments', () => {
  it.each(MALFORMED)(
    '%s is a BAD_USER_INPUT naming the argument, with no upstream request',
    async (field, arg, reason) => {
      const { res, requests } = await ask(`{ ${field} }`);
      expect(res.errors).toHaveLength(1);
      const [error] = res.errors!;
      expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: arg });
      expect(error!.message).toMatch(new RegExp(`^${arg}: `));
      expect(error!.message).toMatch(reason);
      expect(error!.path).toEqual([field.split('(')[0]]);
      expect(requests).toEqual({});
    },
  );

  it('lets well-formed ids through: a schema $id, an altId and a versioned mapping set id', async () => {
    const schemaId = seeded.schemaIds[0]!;
    const altId = `_${schemaId.split('/')[3]}.schemas.${schemaId.split('/').at(-1)}`;
    const mappingSetId = seeded.flows[0]!.mappingSetId;
    const { res } = await ask(
      `{ a: schema(id: "${schemaId}") { id } b: schema(id: "${altId}") { id } m: mappingSet(id: "${mappingSetId}@0") { version } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: { id: schemaId }, b: { id: schemaId }, m: { version: 0 } });
  });
});

describe('flowRuns of a flow that does not exist', () => {
  it('is a NOT_FOUND at the field, after one run list and one flow multi-get', async () => {
    const { res, requests } = await ask('{ flowRuns(flowId: "nope") { nodes { id } } }');
    expect(res.data).toEqual({ flowRuns: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['flowRuns'],
        message: 'flowId: no dataflow has the id "nope" in this sandbox',
        extensions: expect.objectContaining({ code: 'NOT_FOUND', field: 'flowId' }),
      }),
    ]);
    expect(requests).toEqual({ 'GET flowService/runs': 1, 'GET flowService/flows': 1 });
  });

  it('answers an empty list for an existing flow with no runs', async () => {
    const { res, requests } = await ask(`{ flowRuns(flowId: "${seeded.flows[0]!.id}") { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ flowRuns: { nodes: [] } });
    expect(requests).toEqual({ 'GET flowService/runs': 1, 'GET flowService/flows': 1 });
  });
});

describe('upstream failures', () => {
  const fault = (f: Record<string, unknown>) => stack.control('POST', '/__emulator/faults', { times: 10, ...f });

  it('name the service and the operation in the message, never the REST path', async () => {
    await fault({ method: 'GET', path: '^/data/foundation/flowservice/flows$', status: 500 });
    const { res } = await ask(`{ flow(id: "${seeded.flows[0]!.id}") { id } }`);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', service: 'flowService', status: 500 });
    expect(res.errors![0]!.message).toBe('flowService answered HTTP 500 to GET flows');
    expect(res.errors![0]!.message).not.toContain('/');
  });

  it('turn an unknown sandbox (FLOW-2100-404) into SANDBOX_NOT_FOUND rather than empty data', async () => {
    await fault({
      method: 'GET',
      path: '^/data/foundation/flowservice/flows$',
      status: 404,
      body: { type: 'https://ns.adobe.com/aep/errors/FLOW-2100-404', title: 'Sandbox not found', status: 404 },
    });
    const { res } = await ask('{ flows { nodes { id } } }');
    expect(res.data).toEqual({ flows: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['flows'],
        message: `flowService does not know the sandbox "${SANDBOX}" in this org (x-sandbox-name)`,
        extensions: expect.objectContaining({ code: 'SANDBOX_NOT_FOUND', service: 'flowService', sandbox: SANDBOX }),
      }),
    ]);
  });
});

/** Every mutation (and query) taking an `input` with ids, each with one malformed id. */
const MALFORMED_INPUTS: Array<[string, string, Record<string, unknown>, string[], string, RegExp]> = [
  ['enableDataflow', 'EnableDataflowInput', { id: '' }, ['input', 'id'], 'REQUIRED', /must not be empty/],
  ['disableDataflow', 'DisableDataflowInput', { id: '../x' }, ['input', 'id'], 'INVALID', /not a Platform id/],
  ['runDataflow', 'RunDataflowInput', { id: 'a b' }, ['input', 'id'], 'INVALID', /not a Platform id/],
  // an emoji is valid text, only not an id; U+061C is a bidi mark, refused in every input string
  ['runDataflow', 'RunDataflowInput', { id: 'flow\u{1f600}' }, ['input', 'id'], 'INVALID', /not a Platform id/],
  ['runDataflow', 'RunDataflowInput', { id: 'flow\u061c' }, ['input', 'id'], 'BAD_CHARACTER', /not a Platform id/],
  [
    'deleteDataflow',
    'DeleteDataflowInput',
    { id: 'flow\u202e' },
    ['input', 'id'],
    'BAD_CHARACTER',
    /not a Platform id/,
  ],
  ['deleteDataflow', 'DeleteDataflowInput', { id: 'x?y=1' }, ['input', 'id'], 'INVALID', /not a Platform id/],
  [
    'updateDataflow',
    'UpdateDataflowInput',
    { id: 'a;b', etag: '"1"', name: 'n' },
    ['input', 'id'],
    'INVALID',
    /not a Platform id/,
  ],
  [
    'updateBaseConnection',
    'UpdateBaseConnectionInput',
    { id: '%2e%2e', etag: '"1"', name: 'n' },
    ['input', 'id'],
    'INVALID',
    /not a Platform id/,
  ],
  ['deleteBaseConnection', 'DeleteBaseConnectionInput', { id: '' }, ['input', 'id'], 'REQUIRED', /must not be empty/],
  [
    'createBaseConnection',
    'CreateBaseConnectionInput',
    { name: 'n', connectionSpecId: 'a/b', auth: { specName: 'Access Key', params: {} } },
    ['input', 'connectionSpecId'],
    'INVALID',
    /not a Platform id/,
  ],
  [
    'sendStreamingRecords',
    'SendStreamingRecordsInput',
    { inletId: 'a,b', records: [{}] },
    ['input', 'inletId'],
    'INVALID',
    /not a Platform id/,
  ],
  [
    'createDataflow',
    'CreateDataflowInput',
    {
      name: 'n',
      source: { baseConnectionId: '../connections' },
      target: { existingDataset: { datasetId: '000000000000000000000000' } },
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'ONCE' },
    },
    ['input', 'source', 'baseConnectionId'],
    'INVALID',
    /not a Platform id/,
  ],
  [
    'createDataflow',
    'CreateDataflowInput',
    {
      name: 'n',
      source: { baseConnectionId: '00000000-0000-0000-0000-000000000000' },
      target: {
        newSchema: {
          schema: { title: 't', classId: 'https://ns.adobe.com/xdm/context/profile', fieldGroupIds: ['ok', 'not ok'] },
          datasetName: 'd',
        },
      },
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'ONCE' },
    },
    ['input', 'target', 'newSchema', 'schema', 'fieldGroupIds', '1'],
    'INVALID',
    /not a Platform id/,
  ],
  [
    'createStreamingDataflow',
    'CreateStreamingDataflowInput',
    { name: 'n', target: { existingDataset: { datasetId: '' } } },
    ['input', 'target', 'existingDataset', 'datasetId'],
    'REQUIRED',
    /must not be empty/,
  ],
];

describe('malformed ids in a mutation input', () => {
  it.each(MALFORMED_INPUTS)(
    '%s: an id in the input is a user error naming its input path, with no upstream request',
    async (mutation, type, input, field, code, reason) => {
      await stack.clearRequests();
      const res = await stack.gql(
        `mutation($input: ${type}!) { ${mutation}(input: $input) { userErrors { field code message } } }`,
        { input },
        HEADERS,
      );
      expect(res.errors).toBeUndefined();
      const errors = res.data[mutation].userErrors;
      expect(errors).toEqual([{ field, code, message: expect.stringMatching(reason) }]);
      expect(errors[0].message).toMatch(new RegExp(`^${field.filter((f) => !/^\d+$/.test(f)).at(-1)} `));
      expect(await platformRequests()).toEqual({});
      expect((await stack.requests()).filter((e) => e.method !== 'GET')).toEqual([]);
    },
  );

  it('answers alike once the operation is compiled (COMPILE_OPERATIONS_AFTER)', async () => {
    const query =
      'mutation($input: EnableDataflowInput!) { enableDataflow(input: $input) { flow { id } userErrors { field code } } }';
    for (let i = 0; i < 4; i++) {
      const res = await stack.gql(query, { input: { id: 'a b' } }, HEADERS);
      expect(res.data).toEqual({
        enableDataflow: { flow: null, userErrors: [{ field: ['input', 'id'], code: 'INVALID' }] },
      });
    }
  });

  it('is checked in a query input too (suggestMappings.schemaId)', async () => {
    await stack.clearRequests();
    const res = await stack.gql(
      'query($input: SuggestMappingsInput!) { suggestMappings(input: $input) { userErrors { field code message } } }',
      { input: { schemaId: 'https://ns.adobe.com/x/schemas/1?x', columns: [{ name: 'a', type: 'STRING' }] } },
      HEADERS,
    );
    expect(res.data.suggestMappings.userErrors).toEqual([
      {
        field: ['input', 'schemaId'],
        code: 'INVALID',
        message: expect.stringMatching(/^schemaId is not a Platform id/),
      },
    ]);
    expect(await platformRequests()).toEqual({});
  });
});

/** Every list filter with ids, each with one malformed id at its argument path. */
const MALFORMED_FILTERS: Array<[string, string, RegExp]> = [
  ['flows(filter: { datasetId: "../x" }) { nodes { id } }', 'filter.datasetId', /not a Platform id/],
  ['flows(filter: { flowSpecId: "" }) { nodes { id } }', 'filter.flowSpecId', /must not be empty/],
  [
    'flows(filter: { sourceConnectionSpecId: "a b" }) { nodes { id } }',
    'filter.sourceConnectionSpecId',
    /not a Platform id/,
  ],
  ['flows(filter: { baseConnectionId: "x?y=1" }) { nodes { id } }', 'filter.baseConnectionId', /not a Platform id/],
  ['fleetHealth(filter: { datasetId: "a,b" }) { total }', 'filter.datasetId', /not a Platform id/],
  [
    'baseConnections(filter: { connectionSpecId: "%2e%2e" }) { nodes { id } }',
    'filter.connectionSpecId',
    /not a Platform id/,
  ],
  [
    'sourceConnections(filter: { baseConnectionId: "" }) { nodes { id } }',
    'filter.baseConnectionId',
    /must not be empty/,
  ],
  [
    'sourceConnections(filter: { connectionSpecId: "a/b" }) { nodes { id } }',
    'filter.connectionSpecId',
    /not a Platform id/,
  ],
  ['targetConnections(filter: { datasetId: "a b" }) { nodes { id } }', 'filter.datasetId', /not a Platform id/],
  [
    'targetConnections(filter: { connectionSpecId: "" }) { nodes { id } }',
    'filter.connectionSpecId',
    /must not be empty/,
  ],
  [
    'datasets(filter: { schemaId: "https://ns.adobe.com/x/schemas/1?x" }) { nodes { id } }',
    'filter.schemaId',
    /not a Platform id/,
  ],
  [`schemas(filter: { classId: "${'a'.repeat(1025)}" }) { nodes { id } }`, 'filter.classId', /1025 characters long/],
];

describe('malformed ids in a list filter', () => {
  it.each(MALFORMED_FILTERS)(
    '%s is a BAD_USER_INPUT naming the filter field, with no upstream request',
    async (field, arg, reason) => {
      const { res, requests } = await ask(`{ ${field} }`);
      expect(res.errors).toHaveLength(1);
      const [error] = res.errors!;
      expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: arg });
      expect(error!.message).toMatch(new RegExp(`^${arg.replaceAll('.', '\\.')}: `));
      expect(error!.message).toMatch(reason);
      expect(error!.path).toEqual([field.split('(')[0]]);
      expect(res.data).toEqual({ [field.split('(')[0]!]: null });
      expect(requests).toEqual({});
    },
  );

  it('is checked in a variable too, with the other root fields answered', async () => {
    await stack.clearRequests();
    const res = await stack.gql(
      'query($f: DatasetFilter) { datasets(filter: $f) { nodes { id } } flowSpecs { nodes { id } } }',
      { f: { schemaId: 'a b' } },
      HEADERS,
    );
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['datasets'],
        extensions: expect.objectContaining({ field: 'filter.schemaId' }),
      }),
    ]);
    expect(res.data.datasets).toBeNull();
    expect(res.data.flowSpecs.nodes.length).toBeGreaterThan(0);
    expect(Object.keys(await platformRequests()).filter((r) => r.includes('catalog'))).toEqual([]);
  });

  it('lets well-formed filter ids through', async () => {
    const flow = seeded.flows[0]!;
    const { res } = await ask(
      `{ flows(filter: { datasetId: "${flow.datasetId}" }) { nodes { id } } datasets(filter: { schemaId: "${seeded.schemaIds[0]!}" }) { nodes { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.nodes).toEqual([{ id: flow.id }]);
    expect(Array.isArray(res.data.datasets.nodes)).toBe(true);
  });

  it.each([
    ['flowRunUpdated(filter: { flowIds: ["ok", "a b"] }) { id }', 'filter.flowIds.1'],
    ['flowHealthChanged(filter: { flowIds: [""] }) { current }', 'filter.flowIds.0'],
  ])('in a subscription, %s is a BAD_USER_INPUT before any upstream request', async (field, arg) => {
    await stack.clearRequests();
    const sub = subscribe(connect(stack.api.url, HEADERS), `subscription { ${field} }`);
    try {
      const result = await sub.next();
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: arg }) }),
      ]);
    } finally {
      await sub.close();
    }
    expect(await platformRequests()).toEqual({});
  });
});
