import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import type { MappingSetDto } from '../../src/upstream/dataPrep/types.ts';
import type { RunDto } from '../../src/upstream/flowService/types.ts';
import { listAll, platform, restSnapshot, type Platform, type RestSnapshot } from '../platform.ts';
import { onRoute } from './requestLog.ts';

const S3 = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
const CLOUD_STORAGE = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';

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
const iso = (ms: number) => new Date(ms).toISOString();

describe('dataflows and runs', () => {
  it('flow(id) answers the flow as the Flow Service holds it', async () => {
    const f = raw.flows.find((x) => x.lastRunDetails !== undefined && x.scheduleParams !== undefined)!;
    const data = await query(
      'query($id: ID!) { flow(id: $id) { id name state etag createdAt updatedAt sandboxName flowSpecId sourceConnectionIds targetConnectionIds transformations { name params } schedule { frequency interval } } }',
      { id: f.id },
    );
    expect(data.flow).toEqual({
      id: f.id,
      name: f.name,
      state: f.state.toUpperCase(),
      etag: f.etag,
      createdAt: iso(f.createdAt),
      updatedAt: iso(f.updatedAt),
      sandboxName: 'prod',
      flowSpecId: f.flowSpec.id,
      sourceConnectionIds: f.sourceConnectionIds,
      targetConnectionIds: f.targetConnectionIds,
      transformations: f.transformations.map((t) => ({ name: t.name, params: t.params })),
      schedule: {
        frequency: String(f.scheduleParams!.frequency).toUpperCase(),
        interval: f.scheduleParams!.interval === undefined ? null : Number(f.scheduleParams!.interval),
      },
    });
  });

  it('flows(orderBy: {field: NAME}) lists the flows by name', async () => {
    const data = await query('{ flows(first: 100, orderBy: { field: NAME }) { nodes { name } } }');
    expect(data.flows.nodes.map((f: { name: string }) => f.name)).toEqual(
      raw.flows.map((f) => f.name).sort((a, b) => a.localeCompare(b)),
    );
  });

  it('flowRuns(flowId, filter) answers the runs of that flow with that status, newest first', async () => {
    const f = raw.flows.find((x) => x.lastRunDetails?.state === 'failed')!;
    const runs = await listAll<RunDto>(p, 'runs', [`flowId==${f.id}`]);
    const failed = runs
      .filter((r) => r.metrics.statusSummary.status === 'failed')
      .sort((a, b) => b.createdAt - a.createdAt);
    expect(failed.length).toBeGreaterThan(0);
    const data = await query(
      'query($id: ID!) { flowRuns(flowId: $id, first: 100, filter: { status: FAILED }) { totalCount nodes { id flowId status } } }',
      { id: f.id },
    );
    expect(data.flowRuns.totalCount).toBe(failed.length);
    expect(data.flowRuns.nodes).toEqual(
      failed.slice(0, 100).map((r) => ({ id: r.id, flowId: f.id, status: 'FAILED' })),
    );
  });

  it('flowRun(id) answers the run with its metrics and errors', async () => {
    const f = raw.flows.find((x) => x.lastRunDetails?.state === 'failed')!;
    const [run] = await listAll<RunDto>(p, 'runs', [`id==${f.lastRunDetails!.id}`]);
    const data = await query(
      'query($id: ID!) { flowRun(id: $id) { id flowId status startedAt completedAt durationMs metrics { inputRecords failedRecords } errors { code message } activities { name status } } }',
      { id: run!.id },
    );
    const m = run!.metrics;
    expect(data.flowRun).toEqual({
      id: run!.id,
      flowId: f.id,
      status: 'FAILED',
      startedAt: iso(m.durationSummary.startedAtUTC),
      completedAt: iso(m.durationSummary.completedAtUTC!),
      durationMs: m.durationSummary.completedAtUTC! - m.durationSummary.startedAtUTC,
      metrics: {
        inputRecords: m.recordSummary.inputRecordCount,
        failedRecords: m.recordSummary.failedRecordCount,
      },
      errors: (m.statusSummary.errors ?? []).map((e) => ({ code: e.code, message: e.message })),
      activities: run!.activities.map((a) => ({
        name: a.name,
        status: a.statusSummary.status.toUpperCase() === 'FAILED' ? 'FAILED' : 'SUCCESS',
      })),
    });
    expect(data.flowRun.errors.length).toBeGreaterThan(0);
  });
});

describe('specs', () => {
  it('connectionSpecs(filter) answers the source specs of a category whose name matches', async () => {
    const data = await query(
      '{ all: connectionSpecs(first: 100) { totalCount } some: connectionSpecs(first: 100, filter: { role: SOURCE, category: CLOUD_STORAGE, nameContains: "AZURE" }) { totalCount nodes { name label role category } } }',
    );
    expect(data.some.totalCount).toBe(data.some.nodes.length);
    expect(data.some.nodes.length).toBeGreaterThan(1);
    expect(data.some.totalCount).toBeLessThan(data.all.totalCount);
    for (const s of data.some.nodes) {
      expect(s).toMatchObject({ role: 'SOURCE', category: 'CLOUD_STORAGE' });
      expect(`${s.name} ${s.label}`.toLowerCase()).toContain('azure');
    }
  });

  it('connectionSpec(id) answers the spec with its auth specs', async () => {
    const data = await query(
      `{ connectionSpec(id: "${S3}") { id name label role sourceKind authSpecs { name requiredParams } } }`,
    );
    expect(data.connectionSpec).toEqual({
      id: S3,
      name: 'amazon-s3',
      label: 'Amazon S3',
      role: 'SOURCE',
      sourceKind: 'FILE',
      authSpecs: [{ name: 'Access Key', requiredParams: ['s3AccessKey', 's3SecretKey'] }],
    });
  });

  it('flowSpecs and flowSpec(id) answer the flow specs', async () => {
    const data = await query(
      `{ flowSpecs(first: 100) { totalCount nodes { id name } } flowSpec(id: "${CLOUD_STORAGE}") { id name runsSupported isStreaming targetConnectionSpecIds } }`,
    );
    expect(data.flowSpecs.totalCount).toBe(data.flowSpecs.nodes.length);
    expect(data.flowSpecs.nodes.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['CloudStorageToAEP', 'CRMToAEP']),
    );
    expect(data.flowSpec).toEqual({
      id: CLOUD_STORAGE,
      name: 'CloudStorageToAEP',
      runsSupported: true,
      isStreaming: false,
      targetConnectionSpecIds: ['c604ff05-7f1a-43c0-8e18-33bf874cb11c'],
    });
  });
});

describe('connections', () => {
  it('baseConnections(filter) and baseConnection(id) answer the base connections of a spec', async () => {
    const expected = raw.connections.filter((c) => c.connectionSpec.id === S3);
    expect(expected.length).toBeGreaterThan(0);
    const data = await query(
      `query($id: ID!) { baseConnections(first: 100, filter: { connectionSpecId: "${S3}" }) { totalCount nodes { id } } baseConnection(id: $id) { id name state connectionSpecId } }`,
      { id: expected[0]!.id },
    );
    expect(ids(data.baseConnections.nodes)).toEqual(ids(expected));
    expect(data.baseConnections.totalCount).toBe(expected.length);
    expect(data.baseConnection).toEqual({
      id: expected[0]!.id,
      name: expected[0]!.name,
      state: expected[0]!.state.toUpperCase(),
      connectionSpecId: S3,
    });
  });

  it('baseConnections(filter: nameContains) matches names in any case', async () => {
    const data = await query(
      '{ baseConnections(first: 100, filter: { nameContains: "SALESFORCE" }) { totalCount nodes { id } } }',
    );
    expect(ids(data.baseConnections.nodes)).toEqual(
      ids(raw.connections.filter((c) => c.name.toLowerCase().includes('salesforce'))),
    );
    expect(data.baseConnections.totalCount).toBeNull();
  });

  it('sourceConnections(filter) and sourceConnection(id) answer the sources of a base connection', async () => {
    const base = raw.sources.find((s) => s.baseConnectionId !== undefined)!.baseConnectionId!;
    const expected = raw.sources.filter((s) => s.baseConnectionId === base);
    const data = await query(
      'query($base: ID!, $id: ID!) { sourceConnections(first: 100, filter: { baseConnectionId: $base }) { totalCount nodes { id } } sourceConnection(id: $id) { id name baseConnectionId connectionSpecId } }',
      { base, id: expected[0]!.id },
    );
    expect(ids(data.sourceConnections.nodes)).toEqual(ids(expected));
    expect(data.sourceConnections.totalCount).toBe(expected.length);
    expect(data.sourceConnection).toEqual({
      id: expected[0]!.id,
      name: expected[0]!.name,
      baseConnectionId: base,
      connectionSpecId: expected[0]!.connectionSpec.id,
    });
  });

  it('targetConnections(filter) and targetConnection(id) answer the targets of a dataset', async () => {
    const dataset = raw.targets[0]!.params!.dataSetId!;
    const expected = raw.targets.filter((t) => t.params?.dataSetId === dataset);
    const data = await query(
      'query($ds: ID!, $id: ID!) { targetConnections(first: 100, filter: { datasetId: $ds }) { totalCount nodes { id } } targetConnection(id: $id) { id name datasetId schemaId } }',
      { ds: dataset, id: expected[0]!.id },
    );
    expect(ids(data.targetConnections.nodes)).toEqual(ids(expected));
    expect(data.targetConnection).toEqual({
      id: expected[0]!.id,
      name: expected[0]!.name,
      datasetId: dataset,
      schemaId: expected[0]!.data!.schema!.id,
    });
  });
});

describe('Catalog', () => {
  it('datasets(filter) answers the datasets whose name contains a text', async () => {
    const expected = Object.entries(raw.datasets).filter(([, d]) => d.name.toLowerCase().includes('profile'));
    expect(expected.length).toBeGreaterThan(0);
    const data = await query(
      '{ datasets(first: 100, filter: { nameContains: "Profile" }) { totalCount nodes { id name } } }',
    );
    expect(data.datasets.nodes.map((d: { id: string; name: string }) => [d.id, d.name]).sort()).toEqual(
      expected.map(([id, d]) => [id, d.name]).sort(),
    );
    expect(data.datasets.totalCount).toBeNull();
  });

  it('datasets(filter: schemaId) answers the datasets of that schema', async () => {
    const schemaId = Object.values(raw.datasets)[0]!.schemaRef!.id;
    const expected = Object.entries(raw.datasets)
      .filter(([, d]) => d.schemaRef?.id === schemaId)
      .map(([id]) => id);
    const data = await query(
      'query($s: ID!) { datasets(first: 100, filter: { schemaId: $s }) { nodes { id schemaId } } }',
      { s: schemaId },
    );
    expect(ids(data.datasets.nodes)).toEqual(expected.sort());
  });

  it('dataset(id) answers the dataset, asking Catalog only for the selected properties', async () => {
    const [id, d] = Object.entries(raw.datasets)[0]!;
    await stack.clearRequests();
    const data = await query('query($id: ID!) { dataset(id: $id) { id name description createdAt } }', { id });
    expect(data.dataset).toEqual({ id, name: d.name, description: d.description ?? null, createdAt: iso(d.created) });
    const [get] = onRoute(await stack.requests(), 'GET catalog/dataSets/{ids}');
    expect(new URLSearchParams(get!.query).get('properties')).toBe('created,description,name');
  });

  it('batch(id) answers a batch a run wrote', async () => {
    const f = raw.flows.find((x) => x.lastRunDetails?.state === 'success')!;
    const [run] = await listAll<RunDto>(p, 'runs', [`id==${f.lastRunDetails!.id}`]);
    const batchId = run!.activities.flatMap((a) => a.targetInfo ?? []).flatMap((t) => t.reference.ids)[0]!;
    const data = await query('query($id: ID!) { batch(id: $id) { id status datasetId recordCount } }', { id: batchId });
    expect(data.batch).toEqual({
      id: batchId,
      status: 'SUCCESS',
      datasetId: expect.any(String),
      recordCount: run!.metrics.recordSummary.outputRecordCount,
    });
  });
});

describe('Schema Registry and Data Prep', () => {
  it('schemas(filter) answers the tenant schemas whose title matches', async () => {
    const data = await query(
      '{ all: schemas(first: 100) { totalCount nodes { title } } some: schemas(first: 100, filter: { titleContains: "profile" }) { totalCount nodes { title } } }',
    );
    const expected = data.all.nodes
      .map((s: { title: string }) => s.title)
      .filter((t: string) => t.toLowerCase().includes('profile'));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(data.all.totalCount);
    expect(data.some.nodes.map((s: { title: string }) => s.title)).toEqual(expected);
  });

  it('schema(id) answers the same schema by its $id and by its altId', async () => {
    const schemaId = Object.values(raw.datasets)[0]!.schemaRef!.id;
    const full = await p.call(
      'GET',
      `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(schemaId)}`,
      undefined,
      { accept: 'application/vnd.adobe.xed+json; version=1' },
    );
    const byId = await query('query($id: ID!) { schema(id: $id) { id altId title version classId } }', {
      id: schemaId,
    });
    const byAltId = await query('query($id: ID!) { schema(id: $id) { id altId title version classId } }', {
      id: full['meta:altId'],
    });
    expect(byId.schema).toEqual({
      id: schemaId,
      altId: full['meta:altId'],
      title: full.title,
      version: full.version,
      classId: full['meta:class'],
    });
    expect(byAltId.schema).toEqual(byId.schema);
  });

  it('mappingSet(id, version) answers that version of the mapping set', async () => {
    const f = raw.flows.find((x) => x.transformations.some((t) => t.name === 'Mapping'))!;
    const mappingId = String(
      (f.transformations.find((t) => t.name === 'Mapping')!.params as Record<string, unknown>)['mappingId'],
    );
    const rawSet = await p.call<MappingSetDto>('GET', `/data/foundation/conversion/mappingSets/${mappingId}?version=0`);
    const data = await query(
      'query($id: ID!) { mappingSet(id: $id, version: 0) { id mappingSetId version status targetSchemaId mappings { source destination } } }',
      { id: mappingId },
    );
    expect(data.mappingSet).toEqual({
      id: `${mappingId}@0`,
      mappingSetId: mappingId,
      version: 0,
      status: rawSet.status,
      targetSchemaId: rawSet.outputSchema.schemaRef.id,
      mappings: rawSet.mappings.map((m) => ({
        source: m.source,
        destination: m.destination,
      })),
    });
  });
});
