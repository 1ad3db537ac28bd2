import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { listAll, platform, type Platform } from '../platform.ts';
import { CREATE, PROFILE_CLASS, odataInput } from './dataflowFixtures.ts';

const ORG = 'AMB1GU0U5000000000000000@AdobeOrg';
const FS = '/data/foundation/flowservice';
const ODATA_SPEC = '8e6b41a8-d998-4545-ad7d-c6a9fff406c3';

let stack: Stack;
let own: Platform;
let odata: string;

/** Every resource id of the test org, per kind, as the REST APIs list them. */
async function restIds(): Promise<Record<string, string[]>> {
  const [flows, connections, sourceConnections, targetConnections, datasets, schemas, mappingSets] = await Promise.all([
    listAll<{ id: string }>(own, 'flows'),
    listAll<{ id: string }>(own, 'connections'),
    listAll<{ id: string }>(own, 'sourceConnections'),
    listAll<{ id: string }>(own, 'targetConnections'),
    own.call<Record<string, unknown>>('GET', '/data/foundation/catalog/dataSets?limit=100&properties=name'),
    own.call<{ results: Array<{ $id: string }> }>('GET', '/data/foundation/schemaregistry/tenant/schemas', undefined, {
      accept: 'application/vnd.adobe.xed-id+json',
    }),
    own.call<{ data: Array<{ id: string }> }>('GET', '/data/foundation/conversion/mappingSets?limit=100&start=0'),
  ]);
  return {
    flows: flows.map((f) => f.id).sort(),
    connections: connections.map((c) => c.id).sort(),
    sourceConnections: sourceConnections.map((s) => s.id).sort(),
    targetConnections: targetConnections.map((t) => t.id).sort(),
    datasets: Object.keys(datasets).sort(),
    schemas: schemas.results.map((s) => s.$id).sort(),
    mappingSets: mappingSets.data.map((m) => m.id).sort(),
  };
}

/** What `after` holds that `before` did not, per kind (kinds with nothing new left out). */
function added(before: Record<string, string[]>, after: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [kind, ids] of Object.entries(after)) {
    const fresh = ids.filter((id) => !before[kind]!.includes(id));
    if (fresh.length > 0) out[kind] = fresh;
  }
  return out;
}

const removedAny = (before: Record<string, string[]>, after: Record<string, string[]>) =>
  Object.entries(before).some(([kind, ids]) => ids.some((id) => !after[kind]!.includes(id)));

const fault = (f: Record<string, unknown>) => stack.control('POST', '/__emulator/faults', f);
const create = async (input: Record<string, unknown>) => {
  const res = await stack.gql(CREATE, { input }, own.headers);
  expect(res.errors).toBeUndefined();
  return res.data.createDataflow;
};
const stepOf = (out: { steps: Array<{ name: string }> }, name: string): any => out.steps.find((s) => s.name === name);
const posts = async (path: string) =>
  (await stack.requests()).filter((r) => r.method === 'POST' && r.path.endsWith(path));

beforeAll(async () => {
  stack = await startStack();
  own = await platform(stack.emulator.url, ORG, 'prod', 'ambiguous-writes-test');
  odata = (
    await own.call<{ id: string }>('POST', `${FS}/connections`, {
      name: 'Northwind OData',
      auth: { specName: 'Anonymous Authentication', params: { url: 'https://services.odata.org/V4/Northwind' } },
      connectionSpec: { id: ODATA_SPEC, version: '1.0' },
    })
  ).id;
});
afterAll(() => stack.stop());
beforeEach(async () => {
  await stack.control('DELETE', '/__emulator/faults');
  await stack.clearRequests();
});

const WRITES: Array<[string, string, string]> = [
  ['sourceConnection', '/flowservice/sourceConnections$', 'sourceConnections'],
  ['targetSchema', '/schemaregistry/tenant/schemas$', 'schemas'],
  ['dataset', '/catalog/dataSets$', 'dataSets'],
  ['targetConnection', '/flowservice/targetConnections$', 'targetConnections'],
  ['mappingSet', '/conversion/mappingSets$', 'mappingSets'],
  ['flow', '/flowservice/flows$', 'flows'],
];

describe('a write whose answer is lost after it was stored', () => {
  it.each(WRITES)(
    'finds the %s by its marker, goes on, and leaves exactly one of each resource',
    async (step, path, collection) => {
      const before = await restIds();
      await fault({ method: 'POST', path, reset: 'processed' });
      const out = await create(odataInput(odata, { name: `Lost answer at ${step}` }));
      expect(out.userErrors).toEqual([]);
      expect(stepOf(out, step)).toMatchObject({ status: 'DONE', error: expect.stringContaining('answer was lost') });
      expect(
        out.steps.every((s: { name: string; status: string }) => s.status === 'DONE' || s.name === 'flowSpec'),
      ).toBe(true);
      const after = await restIds();
      expect(removedAny(before, after)).toBe(false);
      expect(added(before, after)).toEqual({
        flows: [out.flow.id],
        sourceConnections: [out.sourceConnection.id],
        targetConnections: [out.targetConnection.id],
        datasets: [out.dataset.id],
        schemas: [out.targetSchema.id],
        mappingSets: [out.mappingSet.mappingSetId],
      });
      expect(stepOf(out, step).resourceId).toBeTruthy();
      // the write was not sent twice: the lookup settled it
      expect(await posts(`/${collection}`)).toHaveLength(1);
    },
  );

  it.each(WRITES.filter(([step]) => step !== 'flow' && step !== 'mappingSet'))(
    'rolls the found %s back with the rest when a later write fails',
    async (step, path) => {
      const before = await restIds();
      await fault({ method: 'POST', path, reset: 'processed' });
      await fault({ method: 'POST', path: '/flowservice/flows$', status: 500 });
      const out = await create(odataInput(odata, { name: `Lost answer then failure at ${step}` }));
      expect(out.flow).toBeNull();
      expect(out.userErrors).toEqual([expect.objectContaining({ code: 'UPSTREAM_FAILED' })]);
      expect(stepOf(out, step)).toMatchObject({ status: 'ROLLED_BACK', resourceId: expect.any(String) });
      const mappingSet = stepOf(out, 'mappingSet');
      expect(mappingSet.status).toBe('LEFT_BEHIND');
      const after = await restIds();
      expect(removedAny(before, after)).toBe(false);
      // only the mapping set outlives the rollback (Data Prep has no delete), and the payload names it
      expect(added(before, after)).toEqual({ mappingSets: [mappingSet.resourceId] });
    },
  );
});

describe('a compensating delete whose answer is lost', () => {
  it('is retried, finds the resource gone, and reports it rolled back', async () => {
    const before = await restIds();
    await fault({ method: 'POST', path: '/flowservice/flows$', status: 500 });
    await fault({ method: 'DELETE', path: '/flowservice/sourceConnections/', reset: 'processed' });
    const out = await create(odataInput(odata, { name: 'Lost delete answer' }));
    expect(out.flow).toBeNull();
    expect(stepOf(out, 'sourceConnection')).toMatchObject({ status: 'ROLLED_BACK', resourceId: expect.any(String) });
    const deletes = (await stack.requests()).filter(
      (r) => r.method === 'DELETE' && r.path.includes('/sourceConnections/'),
    );
    expect(deletes.map((r) => r.reset ?? r.status)).toEqual(['processed', 404]);
    const after = await restIds();
    expect(added(before, after)).toEqual({ mappingSets: [stepOf(out, 'mappingSet').resourceId] });
  });
});

describe('a write whose connection is closed before it was handled', () => {
  it('reports the dataset step FAILED as not created and rolls back the rest', async () => {
    const before = await restIds();
    await fault({ method: 'POST', path: '/catalog/dataSets$', reset: 'unprocessed' });
    const out = await create(odataInput(odata, { name: 'Closed before the dataset' }));
    expect(out.flow).toBeNull();
    expect(stepOf(out, 'dataset')).toMatchObject({
      status: 'FAILED',
      resourceId: null,
      error: expect.stringContaining('did not happen'),
    });
    expect(stepOf(out, 'targetSchema').status).toBe('ROLLED_BACK');
    expect(stepOf(out, 'sourceConnection').status).toBe('ROLLED_BACK');
    const after = await restIds();
    expect(added(before, after)).toEqual({});
    expect(removedAny(before, after)).toBe(false);
  });
});

describe('a flow whose outcome stays unknown', () => {
  it('deletes nothing it may stand on, and says so', async () => {
    const before = await restIds();
    await fault({ method: 'POST', path: '/flowservice/flows$', reset: 'processed' });
    // both lookups of the flow fail: during the step and again before compensation
    await fault({ method: 'GET', path: '/flowservice/flows$', status: 400, times: 2 });
    const out = await create(odataInput(odata, { name: 'Flow outcome unknown' }));
    expect(out.flow).toBeNull();
    expect(stepOf(out, 'flow')).toMatchObject({ status: 'FAILED', error: expect.stringContaining('still unknown') });
    for (const name of ['sourceConnection', 'targetSchema', 'dataset', 'targetConnection', 'mappingSet'])
      expect(stepOf(out, name)).toMatchObject({ status: 'LEFT_BEHIND', resourceId: expect.any(String) });
    const after = await restIds();
    const fresh = added(before, after);
    expect(fresh.flows).toHaveLength(1);
    // the flow that was stored stands on connections that still exist
    const flow = (await own.call('GET', `${FS}/flows/${fresh.flows![0]}`)).items[0];
    expect(after.sourceConnections).toEqual(expect.arrayContaining(flow.sourceConnectionIds));
    expect(after.targetConnections).toEqual(expect.arrayContaining(flow.targetConnectionIds));
    expect(flow.sourceConnectionIds).toEqual([stepOf(out, 'sourceConnection').resourceId]);
  });
});

describe('retries with the same idempotency key', () => {
  it.each([
    ['stored', 'processed'],
    ['never stored', 'unprocessed'],
  ])('settle a flow whose outcome stayed unknown and was %s, leaving one of each resource', async (_label, reset) => {
    const before = await restIds();
    const input = odataInput(odata, { name: `Unknown flow ${reset}`, idempotencyKey: `unknown-flow-${reset}` });
    await fault({ method: 'POST', path: '/flowservice/flows$', reset });
    await fault({ method: 'GET', path: '/flowservice/flows$', status: 400, times: 2 });
    const first = await create(input);
    expect(stepOf(first, 'flow').status).toBe('FAILED');
    expect(stepOf(first, 'sourceConnection').status).toBe('LEFT_BEHIND');
    await stack.clearRequests();
    const retry = await create(input);
    expect(retry.userErrors).toEqual([]);
    expect(retry.sourceConnection.id === stepOf(first, 'sourceConnection').resourceId).toBe(reset === 'processed');
    const after = await restIds();
    expect(removedAny(before, after)).toBe(false);
    expect(added(before, after)).toEqual({
      flows: [retry.flow.id],
      sourceConnections: [retry.sourceConnection.id],
      targetConnections: [retry.targetConnection.id],
      datasets: [retry.dataset.id],
      schemas: [retry.targetSchema.id],
      mappingSets: [retry.mappingSet.mappingSetId],
    });
    // adopted: nothing written again; settled: the orphans deleted, schema and mapping set reused
    const written = (await stack.requests()).filter((r) => r.method !== 'GET' && !r.path.startsWith('/ims/'));
    if (reset === 'processed') expect(written).toEqual([]);
    else
      expect(written.filter((r) => r.method === 'POST').map((r) => r.path.split('/').pop())).toEqual(
        expect.arrayContaining(['sourceConnections', 'dataSets', 'targetConnections', 'flows']),
      );
    expect(await posts('/mappingSets')).toHaveLength(0);
    expect(await posts('/schemas')).toHaveLength(0);
  });

  it('leaves one mapping set and one schema after three failed attempts and a success into a new schema', async () => {
    const before = await restIds();
    const input = odataInput(odata, {
      name: 'Three failures then success',
      idempotencyKey: 'three-failures-new-schema',
      target: {
        newSchema: {
          schema: { title: 'Retried customer profile', classId: PROFILE_CLASS },
          datasetName: 'Retried customers',
        },
      },
      mappings: [{ sourceAttribute: 'CustomerID', destinationXdmPath: '_id' }],
    });
    await fault({ method: 'POST', path: '/flowservice/flows$', status: 500, times: 3 });
    const attempts = [];
    for (let i = 0; i < 4; i++) attempts.push(await create(input));
    expect(attempts.slice(0, 3).map((a) => a.userErrors[0]?.code)).toEqual([
      'UPSTREAM_FAILED',
      'UPSTREAM_FAILED',
      'UPSTREAM_FAILED',
    ]);
    const [first, second] = attempts;
    expect(stepOf(first, 'targetSchema')).toMatchObject({
      status: 'LEFT_BEHIND',
      error: expect.stringContaining('kept'),
    });
    expect(stepOf(first, 'mappingSet').status).toBe('LEFT_BEHIND');
    expect(stepOf(second, 'targetSchema')).toMatchObject({
      status: 'SKIPPED',
      resourceId: stepOf(first, 'targetSchema').resourceId,
    });
    expect(stepOf(second, 'mappingSet')).toMatchObject({
      status: 'SKIPPED',
      resourceId: stepOf(first, 'mappingSet').resourceId,
    });
    const success = attempts[3];
    expect(success.userErrors).toEqual([]);
    expect(success.mappingSet.mappingSetId).toBe(stepOf(first, 'mappingSet').resourceId);
    expect(success.targetSchema.id).toBe(stepOf(first, 'targetSchema').resourceId);
    const after = await restIds();
    expect(removedAny(before, after)).toBe(false);
    expect(added(before, after)).toEqual({
      flows: [success.flow.id],
      sourceConnections: [success.sourceConnection.id],
      targetConnections: [success.targetConnection.id],
      datasets: [success.dataset.id],
      schemas: [success.targetSchema.id],
      mappingSets: [success.mappingSet.mappingSetId],
    });
    expect(await posts('/mappingSets')).toHaveLength(1);
    expect(await posts('/schemas')).toHaveLength(1);
  });
});

describe('createStreamingDataflow', () => {
  const STREAM = `mutation($input: CreateStreamingDataflowInput!) {
    createStreamingDataflow(input: $input) {
      flow { id } baseConnection { id } sourceConnection { id } targetConnection { id } dataset { id } targetSchema { id }
      inletId steps { name status resourceId error } userErrors { field code message }
    }
  }`;
  const input = (name: string) => ({
    name,
    target: {
      newSchema: { schema: { title: `${name} schema`, classId: PROFILE_CLASS }, datasetName: `${name} dataset` },
    },
  });

  it.each([
    ['baseConnection', '/flowservice/connections$'],
    ['sourceConnection', '/flowservice/sourceConnections$'],
    ['flow', '/flowservice/flows$'],
  ])('finds the %s whose answer was lost and leaves no orphan', async (step, path) => {
    const before = await restIds();
    await fault({ method: 'POST', path, reset: 'processed' });
    const res = await stack.gql(STREAM, { input: input(`Streaming lost ${step}`) }, own.headers);
    expect(res.errors).toBeUndefined();
    const out = res.data.createStreamingDataflow;
    expect(out.userErrors).toEqual([]);
    expect(out.inletId).toBeTruthy();
    expect(stepOf(out, step)).toMatchObject({ status: 'DONE', error: expect.stringContaining('answer was lost') });
    const after = await restIds();
    expect(removedAny(before, after)).toBe(false);
    expect(added(before, after)).toEqual({
      flows: [out.flow.id],
      connections: [out.baseConnection.id],
      sourceConnections: [out.sourceConnection.id],
      targetConnections: [out.targetConnection.id],
      datasets: [out.dataset.id],
      schemas: [out.targetSchema.id],
    });
  });
});

const CREATE_STREAMING = `mutation($input: CreateStreamingDataflowInput!) {
  createStreamingDataflow(input: $input) {
    userErrors { field code message }
    steps { name status resourceId error }
    flow { id } baseConnection { id } sourceConnection { id } targetConnection { id }
    dataset { id } targetSchema { id } inletId
  }
}`;

describe('createStreamingDataflow retried with the same idempotency key', () => {
  it.each([
    ['stored', 'processed'],
    ['never stored', 'unprocessed'],
  ])(
    'settles a flow whose outcome stayed unknown and was %s, inlet included, leaving one of each resource',
    async (_label, reset) => {
      const before = await restIds();
      const input = {
        name: `Streaming unknown ${reset}`,
        idempotencyKey: `streaming-unknown-${reset}`,
        target: {
          newSchema: {
            schema: { title: `Streaming unknown ${reset}`, classId: PROFILE_CLASS, fieldGroupIds: [] },
            datasetName: `Streaming unknown ${reset}`,
          },
        },
      };
      const createStreaming = async () => {
        const res = await stack.gql(CREATE_STREAMING, { input }, own.headers);
        expect(res.errors).toBeUndefined();
        return res.data.createStreamingDataflow;
      };
      await fault({ method: 'POST', path: '/flowservice/flows$', reset });
      await fault({ method: 'GET', path: '/flowservice/flows$', status: 400, times: 2 });
      const first = await createStreaming();
      expect(stepOf(first, 'flow').status).toBe('FAILED');
      for (const name of ['baseConnection', 'sourceConnection', 'targetConnection', 'dataset'])
        expect(stepOf(first, name)).toMatchObject({ status: 'LEFT_BEHIND', resourceId: expect.any(String) });
      const firstBase = stepOf(first, 'baseConnection').resourceId;

      await stack.clearRequests();
      const retry = await createStreaming();
      expect(retry.userErrors).toEqual([]);
      expect(retry.inletId).toEqual(expect.any(String));
      const after = await restIds();
      expect(removedAny(before, after)).toBe(false);
      // one inlet, one flow and one of each connection: the first attempt's, or the retry's alone
      expect(added(before, after)).toEqual({
        flows: [retry.flow.id],
        connections: [retry.baseConnection.id],
        sourceConnections: [retry.sourceConnection.id],
        targetConnections: [retry.targetConnection.id],
        datasets: [retry.dataset.id],
        schemas: [retry.targetSchema.id],
      });
      const log = await stack.requests();
      const written = log.filter((r) => r.method !== 'GET' && !r.path.startsWith('/ims/'));
      if (reset === 'processed') {
        // adopted: the flow was stored after all, nothing is written again
        expect(retry.baseConnection.id).toBe(firstBase);
        expect(written).toEqual([]);
        expect(stepOf(retry, 'baseConnection')).toMatchObject({
          status: 'SKIPPED',
          error: expect.stringMatching(/^adopted/),
        });
      } else {
        // settled: the orphaned inlet and connections deleted before anything new was made
        expect(retry.baseConnection.id).not.toBe(firstBase);
        const deletes = written.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').slice(-2, -1)[0]);
        expect(deletes).toEqual(['targetConnections', 'sourceConnections', 'connections', 'dataSets']);
        expect(written.some((r) => r.method === 'DELETE' && r.path.endsWith(`/connections/${firstBase}`))).toBe(true);
        expect(await posts('/schemas')).toHaveLength(0);
      }
    },
  );
});

describe('a lost answer on the lifecycle mutations', () => {
  const UPDATE = `mutation($input: UpdateDataflowInput!) {
    updateDataflow(input: $input) { flow { id name etag } userErrors { field code message } }
  }`;
  const RUN = `mutation($input: RunDataflowInput!) {
    runDataflow(input: $input) { run { id flowId } userErrors { field code message } }
  }`;
  const DELETE = `mutation($id: ID!) {
    deleteDataflow(input: { id: $id, deleteCreatedResources: true }) {
      deletedFlowId steps { name status resourceId error } userErrors { field code message }
    }
  }`;
  const mutate = async (query: string, variables: Record<string, unknown>, field: string) => {
    const res = await stack.gql(query, variables, own.headers);
    expect(res.errors).toBeUndefined();
    return res.data[field];
  };
  const restFlow = async (id: string) => (await own.call<{ items: any[] }>('GET', `${FS}/flows/${id}`)).items[0];
  const writesTo = async (path: string) =>
    (await stack.requests())
      .filter((r) => r.method !== 'GET' && r.path.includes(path))
      .map((r) => `${r.method} ${r.reset ?? r.status}`);

  it.each([
    ['applied', 'processed'],
    ['never applied', 'unprocessed'],
  ])('updateDataflow reads the flow back after a PATCH whose answer was lost and was %s', async (label, reset) => {
    const flow = (await create(odataInput(odata, { name: `Lost patch ${reset}` }))).flow;
    const { etag } = await restFlow(flow.id);
    await stack.clearRequests();
    await fault({ method: 'PATCH', path: `/flowservice/flows/${flow.id}$`, reset });
    const out = await mutate(UPDATE, { input: { id: flow.id, etag, name: `Renamed ${reset}` } }, 'updateDataflow');
    // sent once, never again: the flow as it is now tells what happened
    expect(await writesTo(`/flows/${flow.id}`)).toEqual([`PATCH ${reset}`]);
    const now = await restFlow(flow.id);
    if (label === 'applied') {
      expect(out.userErrors).toEqual([]);
      expect(out.flow).toMatchObject({ id: flow.id, name: `Renamed ${reset}`, etag: now.etag });
      expect(now.name).toBe(`Renamed ${reset}`);
    } else {
      expect(out.flow).toBeNull();
      expect(out.userErrors).toEqual([
        {
          field: ['input'],
          code: 'UPSTREAM_FAILED',
          message: expect.stringContaining(`still has etag ${etag}: nothing was written`),
        },
      ]);
      expect(now).toMatchObject({ name: `Lost patch ${reset}`, etag });
    }
  });

  it.each([
    ['started', 'processed'],
    ['never started', 'unprocessed'],
  ])('runDataflow looks the run up after a request whose answer was lost and %s', async (label, reset) => {
    const input = odataInput(odata, {
      name: `Lost run ${reset}`,
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'ONCE' },
    });
    const flow = (await create(input)).flow;
    const runsOf = async () =>
      (await listAll<{ id: string; flowId: string }>(own, 'runs')).filter((r) => r.flowId === flow.id);
    expect(await runsOf()).toEqual([]);
    await stack.clearRequests();
    await fault({ method: 'POST', path: '/flowservice/runs$', reset });
    const out = await mutate(
      RUN,
      { input: { id: flow.id, windowStart: '2026-01-01T00:00:00Z', windowEnd: '2026-01-02T00:00:00Z' } },
      'runDataflow',
    );
    expect(await writesTo('/flowservice/runs')).toEqual([`POST ${reset}`]);
    const runs = await runsOf();
    if (label === 'started') {
      expect(out.userErrors).toEqual([]);
      expect(runs).toHaveLength(1);
      expect(out.run).toEqual({ id: runs[0]!.id, flowId: flow.id });
    } else {
      expect(runs).toEqual([]);
      expect(out.run).toBeNull();
      expect(out.userErrors).toEqual([
        {
          field: ['input'],
          code: 'UPSTREAM_FAILED',
          message: expect.stringContaining('has no new run: none was started'),
        },
      ]);
    }
  });

  it('deleteDataflow whose DELETE answer was lost deletes the connections too and says the flow is gone', async () => {
    const created = await create(odataInput(odata, { name: 'Lost delete' }));
    const before = await restIds();
    await stack.clearRequests();
    await fault({ method: 'DELETE', path: `/flowservice/flows/${created.flow.id}$`, reset: 'processed' });
    const out = await mutate(DELETE, { id: created.flow.id }, 'deleteDataflow');
    expect(out.userErrors).toEqual([]);
    expect(out.deletedFlowId).toBe(created.flow.id);
    // the transport retried the DELETE, which found the flow gone
    expect(await writesTo(`/flows/${created.flow.id}`)).toEqual(['DELETE processed', 'DELETE 404']);
    expect(stepOf(out, 'flow')).toMatchObject({ status: 'SKIPPED', error: expect.stringMatching(/^gone/) });
    expect(stepOf(out, 'sourceConnection').status).toBe('DONE');
    expect(stepOf(out, 'targetConnection').status).toBe('DONE');
    const after = await restIds();
    // no orphans: the flow and both of its connections are gone, nothing else changed
    expect(added(before, after)).toEqual({});
    const removed = Object.fromEntries(
      Object.entries(before)
        .map(([kind, ids]) => [kind, ids.filter((id) => !after[kind]!.includes(id))] as const)
        .filter(([, ids]) => ids.length > 0),
    );
    expect(removed).toEqual({
      flows: [created.flow.id],
      sourceConnections: [created.sourceConnection.id],
      targetConnections: [created.targetConnection.id],
    });
  });
});
