import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { recordBatch } from '../../src/emulator/catalog/batches.ts';
import type { RunDto } from '../../src/upstream/flowService/types.ts';
import { listAll, platform, restSnapshot, type Platform, type RestSnapshot } from '../platform.ts';
import { routeCounts } from './requestLog.ts';

let stack: Stack;
let p: Platform;
let raw: RestSnapshot;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  p = await platform(stack.emulator.url, DEMO_ORG);
  raw = await restSnapshot(p);
});
afterAll(() => stack.stop());

async function query(q: string, variables?: Record<string, unknown>) {
  const res = await stack.gql(q, variables);
  expect(res.errors).toBeUndefined();
  return res.data;
}

const ids = (nodes: Array<{ id: string }>) => nodes.map((n) => n.id).sort();
const runsOf = (flowId: string) =>
  listAll<RunDto>(p, 'runs', [`flowId==${flowId}`]).then((runs) => runs.sort((a, b) => b.createdAt - a.createdAt));
const datasetOfTarget = (targetId: string) => raw.targets.find((t) => t.id === targetId)!.params!.dataSetId!;
const flowsIntoDataset = (datasetId: string) =>
  raw.flows.filter((f) => f.targetConnectionIds.some((t) => datasetOfTarget(t) === datasetId));

describe('links of a flow', () => {
  it('lead to its flow spec, connections, source specs and mapping set', async () => {
    const f = raw.flows.find((x) => x.transformations.some((t) => t.name === 'Mapping'))!;
    const mapping = f.transformations.find((t) => t.name === 'Mapping')!.params as Record<string, unknown>;
    const data = await query(
      `query($id: ID!) { flow(id: $id) {
        flowSpec { id name }
        sourceConnections { id name }
        targetConnections { id name }
        sourceConnectionSpecs { id }
        mappingSet { id mappingSetId version targetSchemaId }
        mappingSetId mappingSetVersion
      } }`,
      { id: f.id },
    );
    expect(data.flow).toEqual({
      flowSpec: { id: f.flowSpec.id, name: raw.flowSpecs.find((s) => s.id === f.flowSpec.id)!.name },
      sourceConnections: f.sourceConnectionIds.map((id) => ({ id, name: raw.sources.find((s) => s.id === id)!.name })),
      targetConnections: f.targetConnectionIds.map((id) => ({ id, name: raw.targets.find((t) => t.id === id)!.name })),
      sourceConnectionSpecs: f.inheritedAttributes.sourceConnections.map((s) => ({ id: s.connectionSpec.id })),
      mappingSet: {
        id: `${String(mapping['mappingId'])}@${Number(mapping['mappingVersion'])}`,
        mappingSetId: mapping['mappingId'],
        version: Number(mapping['mappingVersion']),
        targetSchemaId: expect.stringContaining('https://ns.adobe.com/'),
      },
      mappingSetId: mapping['mappingId'],
      mappingSetVersion: Number(mapping['mappingVersion']),
    });
  });

  it('lead to its runs, its last run, its last successful run and its failures since', async () => {
    const f = raw.flows.find((x) => x.lastRunDetails?.state === 'failed' && x.state === 'enabled')!;
    const runs = await runsOf(f.id);
    const lastSuccess = runs.find((r) => r.metrics.statusSummary.status === 'success');
    const lastGood = runs.findIndex((r) => ['success', 'partialSuccess'].includes(r.metrics.statusSummary.status));
    const failuresSince = runs
      .slice(0, lastGood === -1 ? runs.length : lastGood)
      .filter((r) => r.metrics.statusSummary.status === 'failed').length;
    const lastRun = runs.find((r) => r.id === f.lastRunDetails!.id)!;
    const data = await query(
      `query($id: ID!) { flow(id: $id) {
        runs(first: 3) { totalCount nodes { id } }
        lastRun { id status }
        lastSuccessfulRun { id status }
        consecutiveFailures
        errorSummary { code message }
      } }`,
      { id: f.id },
    );
    expect(data.flow).toEqual({
      runs: { totalCount: runs.length, nodes: runs.slice(0, 3).map((r) => ({ id: r.id })) },
      lastRun: { id: f.lastRunDetails!.id, status: 'FAILED' },
      lastSuccessfulRun: lastSuccess === undefined ? null : { id: lastSuccess.id, status: 'SUCCESS' },
      consecutiveFailures: failuresSince,
      errorSummary: (lastRun.metrics.statusSummary.errors ?? []).map((e) => ({ code: e.code, message: e.message })),
    });
    expect(data.flow.consecutiveFailures).toBeGreaterThan(0);
    expect(data.flow.errorSummary.length).toBeGreaterThan(0);
  });
});

describe('links of a run', () => {
  it('lead to its flow and to the batches it wrote, with their dataset', async () => {
    const f = raw.flows.find((x) => x.lastRunDetails?.state === 'success')!;
    const run = (await runsOf(f.id)).find((r) => r.id === f.lastRunDetails!.id)!;
    const batchIds = run.activities.flatMap((a) => a.targetInfo ?? []).flatMap((t) => t.reference.ids);
    expect(batchIds.length).toBeGreaterThan(0);
    const data = await query(
      'query($id: ID!) { flowRun(id: $id) { flow { id name } batchIds batches { id status dataset { id name } } } }',
      { id: run.id },
    );
    const datasetId = datasetOfTarget(f.targetConnectionIds[0]!);
    expect(data.flowRun).toEqual({
      flow: { id: f.id, name: f.name },
      batchIds,
      batches: batchIds.map((id) => ({
        id,
        status: 'SUCCESS',
        dataset: { id: datasetId, name: raw.datasets[datasetId]!.name },
      })),
    });
  });
});

describe('links of specs', () => {
  it('lead from a connection spec to the flow specs accepting it, and back', async () => {
    const s3 = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
    const data = await query(
      `{ connectionSpec(id: "${s3}") { flowSpecs { id name sourceConnectionSpecs { id } targetConnectionSpecs { name } } } }`,
    );
    const accepting = raw.flowSpecs.filter(
      (f) => f.sourceConnectionSpecIds.includes(s3) || f.targetConnectionSpecIds.includes(s3),
    );
    expect(ids(data.connectionSpec.flowSpecs)).toEqual(ids(accepting));
    for (const fs of data.connectionSpec.flowSpecs) {
      expect(fs.sourceConnectionSpecs.map((s: { id: string }) => s.id)).toContain(s3);
      expect(fs.targetConnectionSpecs).toEqual([{ name: 'datalake' }]);
    }
  });
});

describe('links of connections', () => {
  it('lead from a base connection to its spec, its sources and the flows reading through it', async () => {
    const base = raw.connections.find((c) => raw.sources.filter((s) => s.baseConnectionId === c.id).length > 1)!;
    const sources = raw.sources.filter((s) => s.baseConnectionId === base.id);
    const flows = raw.flows.filter((f) => f.sourceConnectionIds.some((id) => sources.some((s) => s.id === id)));
    const data = await query(
      'query($id: ID!) { baseConnection(id: $id) { connectionSpec { id name } sourceConnections { totalCount nodes { id } } flows { totalCount nodes { id } } } }',
      { id: base.id },
    );
    expect(data.baseConnection.connectionSpec.id).toBe(base.connectionSpec.id);
    expect(ids(data.baseConnection.sourceConnections.nodes)).toEqual(ids(sources));
    expect(data.baseConnection.flows.totalCount).toBe(flows.length);
    expect(ids(data.baseConnection.flows.nodes)).toEqual(ids(flows));
  });

  it('lead from source and target connections to their base connection, spec, dataset and schemas', async () => {
    const f = raw.flows.find(
      (x) => raw.sources.find((s) => s.id === x.sourceConnectionIds[0])?.baseConnectionId !== undefined,
    )!;
    const source = raw.sources.find((s) => s.id === f.sourceConnectionIds[0])!;
    const target = raw.targets.find((t) => t.id === f.targetConnectionIds[0])!;
    const data = await query(
      `query($s: ID!, $t: ID!) {
        sourceConnection(id: $s) { baseConnection { id name } connectionSpec { id } }
        targetConnection(id: $t) { connectionSpec { name } dataset { id name } schema { id title } }
      }`,
      { s: source.id, t: target.id },
    );
    expect(data.sourceConnection).toEqual({
      baseConnection: {
        id: source.baseConnectionId,
        name: raw.connections.find((c) => c.id === source.baseConnectionId)!.name,
      },
      connectionSpec: { id: source.connectionSpec.id },
    });
    expect(data.targetConnection).toEqual({
      connectionSpec: { name: 'datalake' },
      dataset: { id: target.params!.dataSetId, name: raw.datasets[target.params!.dataSetId!]!.name },
      schema: { id: target.data!.schema!.id, title: expect.any(String) },
    });
  });

  it('lead from a source connection to the schema describing its data', async () => {
    const base = raw.sources.find(
      (s) => s.baseConnectionId !== undefined && s.connectionSpec.id === 'ecadc60c-7455-4d87-84dc-2a0e293d997b',
    )!;
    const schemaId = Object.values(raw.datasets)[0]!.schemaRef!.id;
    const created = await p.call<{ id: string }>('POST', '/data/foundation/flowservice/sourceConnections', {
      name: 'Described source',
      baseConnectionId: base.baseConnectionId,
      data: { format: 'json', schema: { id: schemaId, version: 'application/vnd.adobe.xed-full+json;version=1' } },
      params: { path: '/described/data.json', type: 'file' },
      connectionSpec: base.connectionSpec,
    });
    const data = await query(
      'query($id: ID!) { sourceConnection(id: $id) { format sourceSchemaId sourceSchema { id title } } }',
      { id: created.id },
    );
    expect(data.sourceConnection).toEqual({
      format: 'JSON',
      sourceSchemaId: schemaId,
      sourceSchema: { id: schemaId, title: expect.any(String) },
    });
  });
});

describe('links of Catalog objects', () => {
  it('lead from a dataset to its schema, its batches, its last batch and the flows writing into it', async () => {
    const datasetId = Object.keys(raw.datasets).find((id) => flowsIntoDataset(id).length > 1)!;
    const [batches, last] = await Promise.all([
      p.call<Record<string, { status: string }>>(
        'GET',
        `/data/foundation/catalog/batches?dataSet=${datasetId}&limit=2&orderBy=desc:created`,
      ),
      p.call<Record<string, { lastBatchId: string; lastBatchStatus: string }>>(
        'GET',
        `/data/foundation/catalog/lastBatches?dataSetId=${datasetId}`,
      ),
    ]);
    const newest = Object.entries(batches);
    const data = await query(
      `query($id: ID!) { dataset(id: $id) {
        schema { id }
        batches(first: 2) { nodes { id status dataset { id } } }
        lastBatch { id }
        lastBatchStatus
        flows { totalCount nodes { id } }
      } }`,
      { id: datasetId },
    );
    expect(data.dataset).toEqual({
      schema: { id: raw.datasets[datasetId]!.schemaRef!.id },
      batches: {
        nodes: newest
          .slice(0, 2)
          .map(([id, b]) => ({ id, status: b.status.toUpperCase(), dataset: { id: datasetId } })),
      },
      lastBatch: { id: last[datasetId]!.lastBatchId },
      lastBatchStatus: last[datasetId]!.lastBatchStatus.toUpperCase(),
      flows: { totalCount: flowsIntoDataset(datasetId).length, nodes: expect.any(Array) },
    });
    expect(ids(data.dataset.flows.nodes)).toEqual(ids(flowsIntoDataset(datasetId)));
  });

  it('give a batch its errors with the rows Catalog names, a row or a range each', async () => {
    const schemaRef = Object.values(raw.datasets)[0]!.schemaRef!;
    const [ref] = await p.call<string[]>('POST', '/data/foundation/catalog/dataSets', {
      name: 'Batch errors',
      schemaRef,
    });
    const dataSetId = ref!.replace('@/dataSets/', '');
    const errors = [{ code: 'INGEST-1212-400', rows: ['1-2', '5'], description: 'Encountered 3 errors in the data.' }];
    const runtime = stack.emulator.runtime;
    recordBatch(runtime, runtime.store.partition(DEMO_ORG, 'prod'), {
      dataSetId,
      status: 'failed',
      recordCount: 0,
      failedRecordCount: 3,
      size: 0,
      errors,
    });
    const data = await query(
      'query($id: ID!) { dataset(id: $id) { lastBatch { errors { code description rows } } } }',
      {
        id: dataSetId,
      },
    );
    expect(data.dataset.lastBatch.errors).toEqual(errors);
    // the snapshot the other tests compare with has no such dataset
    await p.call('DELETE', `/data/foundation/catalog/dataSets/${dataSetId}`);
  });

  it('lead from schemas to their datasets, listing Catalog once for all of them', async () => {
    const bySchema = new Map<string, string[]>();
    for (const [id, d] of Object.entries(raw.datasets))
      bySchema.set(d.schemaRef!.id, [...(bySchema.get(d.schemaRef!.id) ?? []), id]);
    await stack.clearRequests();
    const data = await query(
      '{ schemas(first: 100) { nodes { id datasets(first: 100) { totalCount nodes { id name description createdAt } } } } }',
    );
    expect(data.schemas.nodes.length).toBeGreaterThan(1);
    for (const schema of data.schemas.nodes) {
      const expected = bySchema.get(schema.id) ?? [];
      expect(ids(schema.datasets.nodes)).toEqual([...expected].sort());
      expect(schema.datasets.totalCount).toBe(expected.length);
      for (const d of schema.datasets.nodes) {
        const rawSet = raw.datasets[d.id]!;
        expect(d).toEqual({
          id: d.id,
          name: rawSet.name,
          description: rawSet.description ?? null,
          createdAt: new Date(rawSet.created).toISOString(),
        });
      }
    }
    expect(routeCounts(await stack.requests())['GET catalog/dataSets']).toBe(1);
  });
});

describe('links of a mapping set', () => {
  it('lead to its target schema and its validation by Data Prep', async () => {
    const f = raw.flows.find((x) => x.transformations.some((t) => t.name === 'Mapping'))!;
    const mappingId = (f.transformations.find((t) => t.name === 'Mapping')!.params as Record<string, unknown>)[
      'mappingId'
    ];
    const data = await query(
      'query($id: ID!) { mappingSet(id: $id) { targetSchemaId targetSchema { id title } validation { valid errors { code } } } }',
      { id: mappingId },
    );
    expect(data.mappingSet).toEqual({
      targetSchemaId: expect.any(String),
      targetSchema: { id: data.mappingSet.targetSchemaId, title: expect.any(String) },
      validation: { valid: true, errors: [] },
    });
  });
});
