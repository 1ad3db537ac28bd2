import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';
import { PERSONAL_DETAILS, PROFILE_CLASS, demoCounts, writes } from './dataflowFixtures.ts';

const CREATE_STREAMING = `mutation($input: CreateStreamingDataflowInput!) {
  createStreamingDataflow(input: $input) {
    userErrors { field code message }
    steps { name status resourceId }
    replayed inletId inletUrl
    flow { id flowSpec { id name } mappingSetId }
    baseConnection { id inlet { id url dataType authenticationRequired } }
    sourceConnection { id }
    targetConnection { id datasetId }
    dataset { id name }
    targetSchema { id title }
  }
}`;

const FS = '/data/foundation/flowservice';
let stack: Stack;
let rest: Platform;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  rest = await platform(stack.emulator.url, DEMO_ORG);
});
afterAll(() => stack.stop());
beforeEach(async () => {
  await stack.control('DELETE', '/__emulator/faults');
  await stack.clearRequests();
});

const target = {
  newSchema: {
    schema: { title: 'Web signups', classId: PROFILE_CLASS, fieldGroupIds: [PERSONAL_DETAILS] },
    datasetName: 'Web signups',
  },
};

describe('createStreamingDataflow (the HTTP API streaming tutorial as one mutation)', () => {
  it('creates the inlet, connections, dataset and an XDM flow, and the inlet accepts records into the dataset', async () => {
    const res = await stack.gql(CREATE_STREAMING, { input: { name: 'Web signups', target } });
    expect(res.errors).toBeUndefined();
    const out = res.data.createStreamingDataflow;
    expect(out.userErrors).toEqual([]);
    expect(out.inletId).toMatch(/^[0-9a-f]{64}$/);
    expect(out.inletUrl).toBe(`${stack.emulator.url}/collection/${out.inletId}`);
    expect(out.baseConnection.inlet).toEqual({
      id: out.inletId,
      url: out.inletUrl,
      dataType: 'XDM',
      authenticationRequired: false,
    });
    expect(out.flow.flowSpec.id).toBe('d8a6f005-7eaf-4153-983e-e8574508b877');
    const flow = (await rest.call('GET', `${FS}/flows/${out.flow.id}`)).items[0];
    expect(flow).toMatchObject({
      sourceConnectionIds: [out.sourceConnection.id],
      targetConnectionIds: [out.targetConnection.id],
      transformations: [],
    });
    expect(flow.scheduleParams).toBeUndefined();

    const schemaRef = { id: out.targetSchema.id, contentType: 'application/vnd.adobe.xed-full+json;version=1' };
    const message = {
      header: {
        schemaRef,
        imsOrgId: DEMO_ORG,
        datasetId: out.dataset.id,
        flowId: out.flow.id,
        source: { name: 'web' },
      },
      body: { xdmMeta: { schemaRef }, xdmEntity: { _id: 'u-1', personalEmail: { address: 'ada@example.com' } } },
    };
    const sent = await fetch(out.inletUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    expect(sent.status).toBe(200);
    const batches = await rest.call('GET', `/data/foundation/catalog/batches?dataSet=${out.dataset.id}&limit=10`);
    expect(Object.values(batches)).toContainEqual(expect.objectContaining({ recordCount: 1, status: 'success' }));
  });

  it('maps RAW data through a mapping set on the transformation flow spec', async () => {
    const res = await stack.gql(CREATE_STREAMING, {
      input: {
        name: 'Raw signups',
        dataType: 'RAW',
        target: { newSchema: { ...target.newSchema, datasetName: 'Raw signups' } },
        mappings: [
          { sourceAttribute: 'email', destinationXdmPath: 'personalEmail.address' },
          { sourceAttribute: 'id', destinationXdmPath: '_id' },
        ],
      },
    });
    const out = res.data.createStreamingDataflow;
    expect(out.userErrors).toEqual([]);
    expect(out.flow.flowSpec.id).toBe('c1a19761-d2c7-4702-b9fa-fe91f0613e81');
    expect(out.flow.mappingSetId).toMatch(/^[0-9a-f]{32}$/);
    expect(out.baseConnection.inlet.dataType).toBe('RAW');
  });

  it('rejects RAW data without mappings before any write', async () => {
    const res = await stack.gql(CREATE_STREAMING, { input: { name: 'Raw without mappings', dataType: 'RAW', target } });
    expect(res.data.createStreamingDataflow.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'mappings'], code: 'REQUIRED' }),
    ]);
    expect(writes(await stack.requests())).toEqual([]);
  });

  it('deletes the inlet and everything else it created when the flow write fails', async () => {
    const before = await demoCounts(stack);
    await stack.control('POST', '/__emulator/faults', { method: 'POST', path: '/flowservice/flows$', status: 500 });
    const out = (
      await stack.gql(CREATE_STREAMING, {
        input: { name: 'Doomed stream', target: { newSchema: { ...target.newSchema, datasetName: 'Doomed stream' } } },
      })
    ).data.createStreamingDataflow;
    expect(out.flow).toBeNull();
    expect(
      out.steps
        .filter((s: { status: string }) => s.status === 'ROLLED_BACK')
        .map((s: { name: string }) => s.name)
        .sort(),
    ).toEqual(['baseConnection', 'dataset', 'sourceConnection', 'targetConnection', 'targetSchema']);
    const after = await demoCounts(stack);
    expect({ ...after, runs: 0, batches: 0 }).toEqual({ ...before, runs: 0, batches: 0 });
    const state = await stack.control('GET', '/__emulator/state');
    expect(state.inlets).toBe(3 + 2);
  });
});

describe('a replayed idempotency key', () => {
  it('says in a user error that the dataflow of a replayed key was deleted since', async () => {
    const input = { name: 'Deleted stream', idempotencyKey: 'streaming-deleted-since-1', target };
    const first = (await stack.gql(CREATE_STREAMING, { input })).data.createStreamingDataflow;
    expect(first.userErrors).toEqual([]);
    await rest.call('DELETE', `${FS}/flows/${first.flow.id}`);
    await stack.clearRequests();

    const again = (await stack.gql(CREATE_STREAMING, { input })).data.createStreamingDataflow;
    expect(again).toMatchObject({ replayed: true, flow: null, baseConnection: { id: first.baseConnection.id } });
    expect(again.userErrors).toEqual([
      {
        field: ['input', 'idempotencyKey'],
        code: 'DELETED_SINCE',
        message: `The dataflow this idempotencyKey created was deleted since (flow ${first.flow.id}); use a new idempotencyKey to create it again`,
      },
    ]);
    const status = Object.fromEntries(again.steps.map((s: { name: string; status: string }) => [s.name, s.status]));
    expect(status).toEqual({
      baseConnection: 'DONE',
      inlet: 'DONE',
      sourceConnection: 'DONE',
      targetSchema: 'DONE',
      dataset: 'DONE',
      targetConnection: 'DONE',
      mappingSet: 'SKIPPED',
      flow: 'DELETED_SINCE',
    });
    expect(writes(await stack.requests())).toEqual([]);
  });
});
