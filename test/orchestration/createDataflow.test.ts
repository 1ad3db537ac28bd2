import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';
import {
  CREATE,
  PERSONAL_DETAILS,
  PROFILE_CLASS,
  baseConnectionOf,
  demoCounts,
  odataInput,
  writes,
} from './dataflowFixtures.ts';

const FS = '/data/foundation/flowservice';
let stack: Stack;
let rest: Platform;
let odata: string;
let azureFiles: string;
let serviceCloud: string;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  rest = await platform(stack.emulator.url, DEMO_ORG);
  [odata, azureFiles, serviceCloud] = await Promise.all([
    baseConnectionOf(stack, 'generic-odata'),
    baseConnectionOf(stack, 'azure-file-storage'),
    baseConnectionOf(stack, 'salesforce-service-cloud'),
  ]);
});
afterAll(() => stack.stop());
beforeEach(async () => {
  await stack.control('DELETE', '/__emulator/faults');
  await stack.clearRequests();
});

const create = (input: Record<string, unknown>) => stack.gql(CREATE, { input });

describe('the founding tutorials, each as one mutation', () => {
  it('creates Generic OData on CRMToAEP with Copy and Mapping, exactly as the tutorial calls would', async () => {
    const res = await create(odataInput(odata));
    expect(res.errors).toBeUndefined();
    const out = res.data.createDataflow;
    expect(out.userErrors).toEqual([]);
    expect(out.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual([
      'flowSpec:DONE',
      'sourceConnection:DONE',
      'targetSchema:DONE',
      'dataset:DONE',
      'targetConnection:DONE',
      'mappingSet:DONE',
      'flow:DONE',
    ]);
    expect(out.flow.flowSpec.name).toBe('CRMToAEP');

    const flow = (await rest.call('GET', `${FS}/flows/${out.flow.id}`)).items[0];
    expect(flow.flowSpec.id).toBe('14518937-270c-4525-bdec-c2ba7cce3860');
    expect(flow.state).toBe('enabled');
    expect(flow.transformations).toEqual([
      {
        name: 'Copy',
        params: { deltaColumn: { name: 'LastModified', dateFormat: 'yyyy-MM-ddTHH:mm:ssZ', timezone: 'UTC' } },
      },
      { name: 'Mapping', params: { mappingId: out.mappingSet.mappingSetId, mappingVersion: 0 } },
    ]);
    expect(flow.scheduleParams).toEqual({
      startTime: Date.parse('2026-12-01T00:00:00Z') / 1000,
      frequency: 'hour',
      interval: 1,
    });
    const source = (await rest.call('GET', `${FS}/sourceConnections/${out.sourceConnection.id}`)).items[0];
    expect(source).toMatchObject({
      baseConnectionId: odata,
      data: { format: 'tabular' },
      params: { tableName: 'Customers' },
      connectionSpec: { id: '8e6b41a8-d998-4545-ad7d-c6a9fff406c3' },
    });
    const target = (await rest.call('GET', `${FS}/targetConnections/${out.targetConnection.id}`)).items[0];
    expect(target).toMatchObject({
      params: { dataSetId: out.dataset.id },
      data: { schema: { id: out.targetSchema.id } },
      connectionSpec: { id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c' },
    });
    const dataset = await rest.call('GET', `/data/foundation/catalog/dataSets/${out.dataset.id}`);
    expect(dataset[out.dataset.id].schemaRef.id).toBe(out.targetSchema.id);
    const mapping = await rest.call('GET', `/data/foundation/conversion/mappingSets/${out.mappingSet.mappingSetId}`);
    expect(
      mapping.mappings.map((m: { sourceAttribute: string; destinationXdmPath: string }) => [
        m.sourceAttribute,
        m.destinationXdmPath,
      ]),
    ).toEqual([
      ['CustomerID', '_id'],
      ['ContactName', 'person.name.fullName'],
      ['Email', 'personalEmail.address'],
    ]);
  });

  it('creates Azure File Storage delimited on CloudStorageToAEP into an existing dataset', async () => {
    const datasets = await stack.gql(`{ datasets(first: 1) { nodes { id schemaId } } }`);
    const ds = datasets.data.datasets.nodes[0];
    const res = await create({
      name: 'Azure file loyalty export',
      source: { baseConnectionId: azureFiles, format: 'DELIMITED', path: '/exports/loyalty.csv' },
      target: { existingDataset: { datasetId: ds.id } },
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'DAY', interval: 1, backfill: true },
    });
    const out = res.data.createDataflow;
    expect(out.userErrors).toEqual([]);
    expect(out.flow.flowSpec.name).toBe('CloudStorageToAEP');
    expect(out.steps.find((s: { name: string }) => s.name === 'dataset')).toMatchObject({
      status: 'SKIPPED',
      resourceId: ds.id,
    });
    const source = (await rest.call('GET', `${FS}/sourceConnections/${out.sourceConnection.id}`)).items[0];
    expect(source).toMatchObject({
      data: { format: 'delimited' },
      params: { path: '/exports/loyalty.csv' },
      connectionSpec: { id: 'be5ec48c-5b78-49d5-b8fa-7c89ec4569b8' },
    });
    const flow = (await rest.call('GET', `${FS}/flows/${out.flow.id}`)).items[0];
    expect(flow.scheduleParams).toMatchObject({ frequency: 'day', interval: 1, backfill: true });
    expect(flow.targetConnectionIds).toEqual([out.targetConnection.id]);
    expect(writes(await stack.requests()).filter((w) => w.includes('dataSets') || w.includes('schemas'))).toEqual([]);
  });

  it('creates Salesforce Service Cloud tabular on CRMToAEP into a new dataset of an existing schema', async () => {
    const schemas = await stack.gql(`{ schemas(first: 10) { nodes { id title classId } } }`);
    const profile = schemas.data.schemas.nodes.find((s: { classId: string }) => s.classId === PROFILE_CLASS);
    const res = await create({
      name: 'Service Cloud contacts',
      source: { baseConnectionId: serviceCloud, tableName: 'Contact' },
      target: { newDataset: { schemaId: profile.id, datasetName: 'Service Cloud contacts' } },
      mappings: [{ sourceAttribute: 'Id', destinationXdmPath: '_id' }],
      deltaColumn: { name: 'LastModifiedDate', dateFormat: 'yyyy-MM-ddTHH:mm:ssZ', timezone: 'GMT' },
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'MINUTE', interval: 15 },
    });
    const out = res.data.createDataflow;
    expect(out.userErrors).toEqual([]);
    expect(out.dataset.schemaId).toBe(profile.id);
    const source = (await rest.call('GET', `${FS}/sourceConnections/${out.sourceConnection.id}`)).items[0];
    expect(source).toMatchObject({
      data: { format: 'tabular' },
      params: { tableName: 'Contact' },
      connectionSpec: { id: 'cb66ab34-8619-49cb-96d1-39b37ede86ea' },
    });
  });
});

describe('validation before any write', () => {
  const cases: Array<[string, (base: string) => Record<string, unknown>, string[], string]> = [
    [
      'an unknown base connection',
      () => odataInput('00000000-0000-4000-8000-000000000000'),
      ['input', 'source', 'baseConnectionId'],
      'NOT_FOUND',
    ],
    [
      'a minute schedule under 15',
      (b) => odataInput(b, { schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'MINUTE', interval: 5 } }),
      ['input', 'schedule', 'interval'],
      'INVALID',
    ],
    [
      'a run-once schedule with an interval',
      (b) => odataInput(b, { schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'ONCE', interval: 15 } }),
      ['input', 'schedule'],
      'INVALID',
    ],
    [
      'a recurring schedule without an interval',
      (b) => odataInput(b, { schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'DAY' } }),
      ['input', 'schedule', 'interval'],
      'INVALID',
    ],
    [
      'a file format on a table source',
      (b) => odataInput(b, { source: { ...odataInput(b).source, format: 'PARQUET' } }),
      ['input', 'source', 'format'],
      'INVALID',
    ],
    [
      'a table source without a table',
      (b) => odataInput(b, { source: { baseConnectionId: b } }),
      ['input', 'source', 'tableName'],
      'REQUIRED',
    ],
    [
      'a missing Copy delta column on CRMToAEP',
      (b) => odataInput(b, { deltaColumn: null }),
      ['input', 'deltaColumn'],
      'REQUIRED',
    ],
    [
      'a mapping to a field the schema lacks',
      (b) => odataInput(b, { mappings: [{ sourceAttribute: 'Email', destinationXdmPath: 'loyalty.points' }] }),
      ['input', 'mappings', '0', 'destinationXdmPath'],
      'UNKNOWN_FIELD',
    ],
    [
      'a mapping from an undeclared column',
      (b) => odataInput(b, { mappings: [{ sourceAttribute: 'Phone', destinationXdmPath: '_id' }] }),
      ['input', 'mappings', '0', 'sourceAttribute'],
      'UNKNOWN_FIELD',
    ],
    [
      'a flow spec that does not accept the source',
      (b) => odataInput(b, { flowSpecId: '9753525b-82c7-4dce-8a9b-5ccfce2b9876' }),
      ['input', 'flowSpecId'],
      'NOT_ACCEPTED',
    ],
    [
      'an unknown class for the new schema',
      (b) =>
        odataInput(b, {
          target: {
            newSchema: {
              schema: { title: 'x', classId: 'https://ns.adobe.com/xdm/context/nothing' },
              datasetName: 'x',
            },
          },
        }),
      ['input', 'target', 'newSchema', 'schema', 'classId'],
      'NOT_FOUND',
    ],
    [
      'a new dataset without a name',
      (b) =>
        odataInput(b, { target: { newSchema: { schema: { title: 'x', classId: PROFILE_CLASS }, datasetName: ' ' } } }),
      ['input', 'target', 'newSchema', 'datasetName'],
      'REQUIRED',
    ],
    [
      'a dataset whose schema differs from the one named',
      () => ({}),
      ['input', 'target', 'existingDataset', 'schemaId'],
      'SCHEMA_MISMATCH',
    ],
  ];

  it.each(cases)(
    'rejects %s with a user error at its input path and writes nothing',
    async (_name, build, field, code) => {
      let input = build(odata);
      if (code === 'SCHEMA_MISMATCH') {
        const ds = (await stack.gql(`{ datasets(first: 1) { nodes { id } } }`)).data.datasets.nodes[0];
        input = odataInput(odata, {
          target: { existingDataset: { datasetId: ds.id, schemaId: 'https://ns.adobe.com/acme/schemas/other' } },
        });
        await stack.clearRequests();
      }
      const res = await create(input);
      expect(res.errors).toBeUndefined();
      expect(res.data.createDataflow.userErrors).toContainEqual(expect.objectContaining({ field, code }));
      expect(res.data.createDataflow.flow).toBeNull();
      expect(writes(await stack.requests())).toEqual([]);
    },
  );

  it('refuses two target modes at once as a @oneOf input, before any upstream request', async () => {
    await stack.clearRequests();
    const res = await create(
      odataInput(odata, {
        target: {
          existingDataset: { datasetId: 'abc' },
          newSchema: { schema: { title: 'x', classId: PROFILE_CLASS }, datasetName: 'x' },
        },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('DataflowTargetInput');
    expect(res.errors?.[0]?.message).toContain('Exactly one key must be specified');
    expect(await stack.requests()).toEqual([]);
  });

  it('reports every problem of an input at once', async () => {
    const res = await create(
      odataInput(odata, {
        schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'MINUTE', interval: 1 },
        deltaColumn: null,
        mappings: [{ sourceAttribute: 'Email', destinationXdmPath: 'nope' }],
      }),
    );
    const fields = res.data.createDataflow.userErrors.map((e: { field: string[] }) => e.field.join('.'));
    expect(fields).toEqual(
      expect.arrayContaining(['input.schedule.interval', 'input.deltaColumn', 'input.mappings.0.destinationXdmPath']),
    );
  });

  it('returns the plan of a dry run with the requests it would send, writing nothing', async () => {
    const res = await stack.gql(CREATE, { input: { ...odataInput(odata), dryRun: true } });
    const steps = res.data.createDataflow.steps;
    expect(steps.map((s: { status: string }) => s.status)).toEqual([
      'PLANNED',
      'PLANNED',
      'PLANNED',
      'PLANNED',
      'PLANNED',
      'PLANNED',
      'PLANNED',
    ]);
    expect(steps.find((s: { name: string }) => s.name === 'targetSchema').request.allOf).toEqual([
      { $ref: PROFILE_CLASS },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' },
      { $ref: PERSONAL_DETAILS },
    ]);
    expect(steps.find((s: { name: string }) => s.name === 'flow').request.transformations[0].name).toBe('Copy');
    expect(writes(await stack.requests())).toEqual([]);
  });
});

describe('failure after a write', () => {
  const WRITE_STEPS: Array<[string, string]> = [
    ['sourceConnection', '/flowservice/sourceConnections$'],
    ['targetSchema', '/schemaregistry/tenant/schemas$'],
    ['dataset', '/catalog/dataSets$'],
    ['targetConnection', '/flowservice/targetConnections$'],
    ['mappingSet', '/conversion/mappingSets$'],
    ['flow', '/flowservice/flows$'],
  ];

  it.each(WRITE_STEPS)('rolls back everything the call created when the %s write fails', async (step, path) => {
    const before = await demoCounts(stack);
    await stack.control('POST', '/__emulator/faults', { method: 'POST', path, status: 500, times: 1 });
    const res = await create(odataInput(odata, { name: `Rollback at ${step}` }));
    const out = res.data.createDataflow;
    expect(out.flow).toBeNull();
    expect(out.userErrors).toEqual([expect.objectContaining({ code: 'UPSTREAM_FAILED' })]);
    expect(out.steps.find((s: { name: string }) => s.name === step).status).toBe('FAILED');
    const after = await demoCounts(stack);
    const leftBehind = out.steps.filter((s: { status: string }) => s.status === 'LEFT_BEHIND');
    // only the mapping set can outlive a rollback (Data Prep has no delete), and then it is named;
    // it is written only once the source connection and the dataset exist, beside the target connection
    expect(leftBehind.map((s: { name: string }) => s.name)).toEqual(
      step === 'flow' || step === 'targetConnection' ? ['mappingSet'] : [],
    );
    expect({ ...after, runs: 0, batches: 0 }).toEqual({
      ...before,
      runs: 0,
      batches: 0,
      mappingSets: before['mappingSets']! + leftBehind.length,
    });
    for (const s of out.steps.filter((x: { status: string }) => x.status === 'ROLLED_BACK'))
      expect(s.resourceId).toBeTruthy();
  });

  it('lets a retry with the same idempotency key reuse the mapping set a failed attempt left behind', async () => {
    const ds = (await stack.gql(`{ datasets(first: 20) { nodes { id schemaId } } }`)).data.datasets.nodes.find(
      (d: { schemaId: string }) => d.schemaId.includes('/schemas/'),
    );
    const input = odataInput(odata, {
      name: 'Retry after failure',
      idempotencyKey: 'retry-after-failure',
      target: { existingDataset: { datasetId: ds.id } },
      mappings: [{ sourceAttribute: 'CustomerID', destinationXdmPath: '_id' }],
    });
    await stack.control('POST', '/__emulator/faults', {
      method: 'POST',
      path: '/flowservice/flows$',
      status: 503,
      times: 3,
    });
    const first = (await create(input)).data.createDataflow;
    const left = first.steps.find((s: { name: string }) => s.name === 'mappingSet');
    expect(left.status).toBe('LEFT_BEHIND');
    await stack.clearRequests();
    const second = (await create(input)).data.createDataflow;
    expect(second.userErrors).toEqual([]);
    expect(second.steps.find((s: { name: string }) => s.name === 'mappingSet')).toMatchObject({
      status: 'SKIPPED',
      resourceId: left.resourceId,
    });
    expect(second.mappingSet.mappingSetId).toBe(left.resourceId);
    expect(writes(await stack.requests()).filter((w) => w.includes('mappingSets'))).toEqual([]);
  });
});

describe('idempotency', () => {
  it('makes one set of writes for concurrent calls with the same key, and every call gets the same result', async () => {
    const input = odataInput(odata, { name: 'Concurrent retries', idempotencyKey: 'concurrent-1' });
    const results = await Promise.all(Array.from({ length: 5 }, () => create(input)));
    const flows = new Set(results.map((r) => r.data.createDataflow.flow.id));
    expect(flows.size).toBe(1);
    expect(results.filter((r) => r.data.createDataflow.replayed)).toHaveLength(4);
    const posts = writes(await stack.requests()).filter((w) => w === 'POST /data/foundation/flowservice/flows');
    expect(posts).toHaveLength(1);
  });

  it('answers a later retry from the record, without writing', async () => {
    const input = odataInput(odata, { name: 'Later retry', idempotencyKey: 'later-1' });
    const first = (await create(input)).data.createDataflow;
    await stack.clearRequests();
    const again = (await create(input)).data.createDataflow;
    expect(again).toMatchObject({
      replayed: true,
      flow: { id: first.flow.id, name: 'Later retry' },
      dataset: { id: first.dataset.id },
    });
    expect(writes(await stack.requests())).toEqual([]);
  });

  it('says in a user error that the dataflow of a replayed key was deleted since, and which steps it affects', async () => {
    const input = odataInput(odata, { name: 'Deleted since', idempotencyKey: 'deleted-since-1' });
    const first = (await create(input)).data.createDataflow;
    expect(first.userErrors).toEqual([]);
    const deleted = await stack.gql(
      'mutation($id: ID!) { deleteDataflow(input: { id: $id, deleteCreatedResources: true }) { deletedFlowId userErrors { code } } }',
      { id: first.flow.id },
    );
    expect(deleted.data.deleteDataflow).toEqual({ deletedFlowId: first.flow.id, userErrors: [] });
    await stack.clearRequests();

    const again = (await create(input)).data.createDataflow;
    expect(again.replayed).toBe(true);
    expect(again.flow).toBeNull();
    expect(again.sourceConnection).toBeNull();
    expect(again.targetConnection).toBeNull();
    expect(again.userErrors).toEqual([
      {
        field: ['input', 'idempotencyKey'],
        code: 'DELETED_SINCE',
        message:
          `The dataflow this idempotencyKey created was deleted since (flow ${first.flow.id}, ` +
          `sourceConnection ${first.sourceConnection.id}, targetConnection ${first.targetConnection.id}); ` +
          'use a new idempotencyKey to create it again',
      },
    ]);
    const status = Object.fromEntries(again.steps.map((s: { name: string; status: string }) => [s.name, s.status]));
    expect(status).toEqual({
      flowSpec: 'DONE',
      sourceConnection: 'DELETED_SINCE',
      targetSchema: 'DONE',
      dataset: 'DONE',
      targetConnection: 'DELETED_SINCE',
      mappingSet: 'DONE',
      flow: 'DELETED_SINCE',
    });
    expect(again.steps.find((s: { name: string }) => s.name === 'flow')).toMatchObject({
      resourceId: first.flow.id,
      error: 'deleted since the first call with this idempotencyKey',
    });
    expect(writes(await stack.requests())).toEqual([]);
  });

  it('refuses the same key with a different input', async () => {
    await create(odataInput(odata, { name: 'Key owner', idempotencyKey: 'owned-1' }));
    await stack.clearRequests();
    const res = (await create(odataInput(odata, { name: 'Someone else', idempotencyKey: 'owned-1' }))).data
      .createDataflow;
    expect(res.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }),
    ]);
    expect(writes(await stack.requests())).toEqual([]);
  });
});

describe('the payload', () => {
  it('shows the created resources and their links without reading them back', async () => {
    const res = await create(odataInput(odata, { name: 'Primed payload' }));
    const out = res.data.createDataflow;
    expect(out.flow.sourceConnections[0]).toMatchObject({
      id: out.sourceConnection.id,
      tableName: 'Customers',
      baseConnection: { id: odata },
    });
    expect(out.flow.targetConnections[0]).toMatchObject({
      id: out.targetConnection.id,
      datasetId: out.dataset.id,
      schemaId: out.targetSchema.id,
    });
    const log = await stack.requests();
    const firstWrite = log.findIndex((r) => r.method !== 'GET');
    expect(log.slice(firstWrite).filter((r) => r.method === 'GET')).toEqual([]);
  });
});
