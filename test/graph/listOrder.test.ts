import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RequestLogEntry, type Stack } from '../harness.ts';
import { finishRuns, platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { onRoute } from './requestLog.ts';

const ORG = 'LISTORDER000000000000000A@AdobeOrg';
const PREFIX = 'listorder';
const FS = '/data/foundation/flowservice';
const CATALOG = '/data/foundation/catalog';
const FULL = 'application/vnd.adobe.xed-full+json;version=1';
const S3 = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
/** Flow i is named NAMES[i]: name order (1, 3, 2, 0) is not creation order. */
const NAMES = ['d', 'a', 'c', 'b'].map((x) => `${PREFIX} flow ${x}`);

let stack: Stack;
let org: Platform;
let seeded: SeededOrg;
let extraBaseConnectionId: string;
let extraDatasetId: string;
const batchIds: string[] = [];
const runIds: string[] = [];
let runs: Platform;
let runFlowId: string;

const tick = () => stack.control('POST', '/__emulator/clock', { advanceMs: 1000 });
const gql = (query: string, variables?: Record<string, unknown>) => stack.gql(query, variables, org.headers);

beforeAll(async () => {
  stack = await startStack();
  org = await platform(stack.emulator.url, ORG);
  const far = Math.floor(Date.now() / 1000) + 30 * 86_400;
  seeded = await seedFlows(org, {
    flows: 4,
    schemas: 2,
    datasets: 2,
    baseConnections: 1,
    prefix: PREFIX,
    nameOf: (i) => NAMES[i]!,
    // one flow, its source and its target connection per emulated second: creation times differ
    beforeFlow: async () => {
      await tick();
    },
    scheduleOf: () => ({ startTime: far, frequency: 'once' }),
  });
  await tick();
  // named to sort before the seeded one, created after it
  extraBaseConnectionId = (
    await org.call<{ id: string }>('POST', `${FS}/connections`, {
      name: `${PREFIX} aardvark S3`,
      auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIAX', s3SecretKey: 'listorder-secret-0123456789' } },
      connectionSpec: { id: S3, version: '1.0' },
    })
  ).id;
  await tick();
  // a second dataset of schema 0, named to sort before the seeded one, created after it
  const refs = await org.call<string[]>('POST', `${CATALOG}/dataSets`, {
    name: `${PREFIX} aardvark dataset`,
    schemaRef: { id: seeded.schemaIds[0], contentType: FULL },
  });
  extraDatasetId = refs[0]!.replace('@/dataSets/', '');
  for (let i = 0; i < 3; i++) {
    await tick();
    const b = await org.call<string[]>('POST', `${CATALOG}/batches`, { datasetId: seeded.datasetIds[1] });
    batchIds.push(b[0]!.replace('@/batches/', ''));
  }
  // runs in a sandbox of their own, so that the flows above never run
  runs = await platform(stack.emulator.url, ORG, 'runs');
  const [flow] = (await seedFlows(runs, { flows: 1, prefix: `${PREFIX} runs` })).flows;
  runFlowId = flow!.id;
  for (let i = 0; i < 3; i++) {
    await tick();
    const start = Math.floor(Date.now() / 1000);
    const params = { startTime: start, windowStartTime: start - 3600, windowEndTime: start };
    runIds.push((await runs.call<{ id: string }>('POST', `${FS}/runs`, { flowId: runFlowId, params })).id);
  }
  // finished now, so no run changes while the tests read them
  await finishRuns(runs, (method, path, body) => stack.control(method, path, body));
  await tick();
  // the first batch changes last: update order (0, 2, 1) is not creation order
  await org.call('PATCH', `${CATALOG}/batches/${batchIds[0]}`, { status: 'success' });
}, 60_000);
afterAll(() => stack.stop());

type Direction = 'ASC' | 'DESC';
const DIRECTIONS: Direction[] = ['ASC', 'DESC'];

/** One GraphQL answer and the upstream requests it made. */
async function ask(query: string, variables?: Record<string, unknown>, as: Platform = org) {
  await stack.clearRequests();
  const res = await stack.gql(query, variables, as.headers);
  return { res, log: await stack.requests() };
}

/** The value of `param` in each request of `route`. */
const sent = (log: RequestLogEntry[], route: string, param: string) =>
  onRoute(log, route).map((e) => new URLSearchParams(e.query).get(param));

const ids = (nodes: Array<{ id: string }>) => nodes.map((n) => n.id);

/** Flow Service's own answer to `GET /<collection>?orderby=…`: the order the API must pass on. */
async function flowServiceOrder(
  collection: string,
  orderby: string,
  property: string[] = [],
  as: Platform = org,
): Promise<string[]> {
  const q = new URLSearchParams([['orderby', orderby], ...property.map((p): [string, string] => ['property', p])]);
  return ids((await as.call<{ items: Array<{ id: string }> }>('GET', `${FS}/${collection}?${q.toString()}`)).items);
}

/** Catalog's own answer to `GET /<collection>?orderBy=…` (a map in sort order). */
async function catalogOrder(collection: string, orderBy: string, filter: Record<string, string> = {}) {
  const q = new URLSearchParams({ orderBy, limit: '100', ...filter });
  return Object.keys(await org.call<Record<string, unknown>>('GET', `${CATALOG}/${collection}?${q.toString()}`));
}

/** The ids sorted on `value`, ties broken by id, in `direction`: the order of lists sorted by the API itself. */
function sortedHere<T extends { id: string }>(items: T[], value: (x: T) => string | number, direction: Direction) {
  return [...items]
    .sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (c !== 0) return direction === 'DESC' ? -c : c;
      return a.id < b.id ? -1 : 1;
    })
    .map((x) => x.id);
}

const FLOW_SERVICE_FIELDS = { CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt', NAME: 'name' } as const;
const orderby = (field: keyof typeof FLOW_SERVICE_FIELDS, direction: Direction) =>
  `${direction === 'DESC' ? '-' : ''}${FLOW_SERVICE_FIELDS[field]}`;

const FLOW_SERVICE_CASES = (['CREATED_AT', 'UPDATED_AT', 'NAME'] as const).flatMap((field) =>
  DIRECTIONS.map((direction) => ({ field, direction })),
);

describe('Flow Service lists pass orderBy on as orderby', () => {
  const ROOT = [
    ['flows', 'flows', 'FlowOrderBy'],
    ['baseConnections', 'connections', 'BaseConnectionOrderBy'],
    ['sourceConnections', 'sourceConnections', 'SourceConnectionOrderBy'],
    ['targetConnections', 'targetConnections', 'TargetConnectionOrderBy'],
  ] as const;
  describe.each(ROOT)('%s', (field, collection, input) => {
    it.each(FLOW_SERVICE_CASES)('by $field $direction', async ({ field: by, direction }) => {
      const { res, log } = await ask(
        `query($o: ${input}) { ${field}(first: 100, orderBy: $o) { nodes { id name createdAt } } }`,
        { o: { field: by, direction } },
      );
      expect(res.errors).toBeUndefined();
      const nodes = res.data[field].nodes as Array<{ id: string; name: string; createdAt: string }>;
      expect(sent(log, `GET flowService/${collection}`, 'orderby')).toEqual([orderby(by, direction)]);
      expect(ids(nodes)).toEqual(await flowServiceOrder(collection, orderby(by, direction)));
      expect(nodes.length).toBeGreaterThan(1);
      if (by === 'NAME') expect(nodes.map((n) => n.id)).toEqual(sortedHere(nodes, (n) => n.name, direction));
      if (by === 'CREATED_AT')
        expect(nodes.map((n) => n.id)).toEqual(sortedHere(nodes, (n) => Date.parse(n.createdAt), direction));
    });
  });

  it('flows default to newest created first, as before', async () => {
    const { res, log } = await ask('{ flows { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(sent(log, 'GET flowService/flows', 'orderby')).toEqual(['-createdAt']);
    expect(ids(res.data.flows.nodes)).toEqual([...seeded.flows].reverse().map((f) => f.id));
  });

  it('an explicit null orderBy is the default order', async () => {
    const { res, log } = await ask('{ baseConnections(orderBy: null) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(sent(log, 'GET flowService/connections', 'orderby')).toEqual(['-createdAt']);
    expect(ids(res.data.baseConnections.nodes)).toEqual([extraBaseConnectionId, seeded.baseConnectionIds[0]]);
  });

  it('the direction is ascending when only the field is given', async () => {
    const { res, log } = await ask('{ flows(orderBy: { field: NAME }) { nodes { name } } }');
    expect(res.errors).toBeUndefined();
    expect(sent(log, 'GET flowService/flows', 'orderby')).toEqual(['name']);
    expect(res.data.flows.nodes.map((n: { name: string }) => n.name)).toEqual([...NAMES].sort());
  });

  const RUNS = [
    [
      'flowRuns',
      'query($id: ID!, $o: FlowRunOrderBy) { flowRuns(flowId: $id, first: 100, orderBy: $o) { nodes { id } } }',
    ],
    [
      'Flow.runs',
      'query($id: ID!, $o: FlowRunOrderBy) { flow(id: $id) { runs(first: 100, orderBy: $o) { nodes { id } } } }',
    ],
  ] as const;
  describe.each(RUNS)('%s', (what, query) => {
    it.each(
      (['CREATED_AT', 'UPDATED_AT'] as const).flatMap((field) => DIRECTIONS.map((direction) => ({ field, direction }))),
    )('by $field $direction', async ({ field, direction }) => {
      const flowId = runFlowId;
      const { res, log } = await ask(query, { id: flowId, o: { field, direction } }, runs);
      expect(res.errors).toBeUndefined();
      const nodes = what === 'flowRuns' ? res.data.flowRuns.nodes : res.data.flow.runs.nodes;
      expect(sent(log, 'GET flowService/runs', 'orderby')).toEqual([orderby(field, direction)]);
      expect(ids(nodes)).toEqual(
        await flowServiceOrder('runs', orderby(field, direction), [`flowId==${flowId}`], runs),
      );
      if (field === 'CREATED_AT') expect(ids(nodes)).toEqual(direction === 'ASC' ? runIds : [...runIds].reverse());
    });
  });
});

describe('flows under a health filter (the fleet read) sort here by every field', () => {
  const FLOWS = `query($o: FlowOrderBy, $after: String, $first: Int) {
    flows(first: $first, after: $after, filter: { health: NEVER_RUN }, orderBy: $o) {
      pageInfo { hasNextPage endCursor } nodes { id name createdAt updatedAt health }
    }
  }`;
  it.each(FLOW_SERVICE_CASES)('by $field $direction, page by page', async ({ field, direction }) => {
    const all = await gql('{ flows(first: 100) { nodes { id name createdAt updatedAt health } } }');
    type Node = { id: string; name: string; createdAt: string; updatedAt: string; health: string };
    const never: Node[] = all.data.flows.nodes.filter((n: Node) => n.health === 'NEVER_RUN');
    expect(never.length).toBe(4);
    const value = (n: Node) =>
      field === 'NAME' ? n.name : Date.parse(field === 'CREATED_AT' ? n.createdAt : n.updatedAt);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res = await gql(FLOWS, { o: { field, direction }, after, first: 1 });
      expect(res.errors).toBeUndefined();
      seen.push(...ids(res.data.flows.nodes));
      if (!res.data.flows.pageInfo.hasNextPage) break;
      after = res.data.flows.pageInfo.endCursor;
    }
    expect(seen).toEqual(sortedHere(never, value, direction));
  });
});

describe('lists gathered from several reads sort here on the upstream field', () => {
  const flowsOf = (i: number[]) => i.map((k) => seeded.flows[k]!);
  type Audited = { id: string; name: string; createdAt: string; updatedAt: string };
  const byField: Record<'NAME' | 'CREATED_AT' | 'UPDATED_AT', (f: Audited) => string | number> = {
    NAME: (f) => f.name,
    CREATED_AT: (f) => Date.parse(f.createdAt),
    UPDATED_AT: (f) => Date.parse(f.updatedAt),
  };
  const NESTED = [
    [
      'BaseConnection.sourceConnections',
      'query($id: ID!, $o: SourceConnectionOrderBy) { baseConnection(id: $id) { list: sourceConnections(orderBy: $o) { nodes { id name createdAt updatedAt } } } }',
      () => seeded.baseConnectionIds[0]!,
      4,
    ],
    [
      'BaseConnection.flows',
      'query($id: ID!, $o: FlowOrderBy) { baseConnection(id: $id) { list: flows(orderBy: $o) { nodes { id name createdAt updatedAt } } } }',
      () => seeded.baseConnectionIds[0]!,
      4,
    ],
    [
      'Dataset.flows',
      'query($id: ID!, $o: FlowOrderBy) { dataset(id: $id) { list: flows(orderBy: $o) { nodes { id name createdAt updatedAt } } } }',
      () => seeded.datasetIds[0]!,
      2,
    ],
  ] as const;
  describe.each(NESTED)('%s', (_what, query, parent, size) => {
    it.each(FLOW_SERVICE_CASES)('by $field $direction', async ({ field, direction }) => {
      const { res } = await ask(query, { id: parent(), o: { field, direction } });
      expect(res.errors).toBeUndefined();
      const list = (res.data.baseConnection ?? res.data.dataset).list.nodes;
      expect(list).toHaveLength(size);
      expect(ids(list)).toEqual(sortedHere(list, byField[field], direction));
    });
  });

  it('Dataset.flows by name is not creation order', async () => {
    const res = await gql('query($id: ID!) { dataset(id: $id) { flows(orderBy: { field: NAME }) { nodes { id } } } }', {
      id: seeded.datasetIds[0],
    });
    expect(ids(res.data.dataset.flows.nodes)).toEqual(ids(flowsOf([2, 0])));
  });

  it('BaseConnection.flows default to newest created first', async () => {
    const res = await gql('query($id: ID!) { baseConnection(id: $id) { flows { nodes { id } } } }', {
      id: seeded.baseConnectionIds[0],
    });
    expect(ids(res.data.baseConnection.flows.nodes)).toEqual(ids(flowsOf([3, 2, 1, 0])));
  });

  it.each(
    (['CREATED_AT', 'UPDATED_AT', 'NAME'] as const).flatMap((field) =>
      DIRECTIONS.map((direction) => ({ field, direction })),
    ),
  )('XdmSchema.datasets by $field $direction', async ({ field, direction }) => {
    const res = await gql(
      // the selection leaves the sort field out: it is read anyway
      'query($id: ID!, $o: DatasetOrderBy) { schema(id: $id) { datasets(orderBy: $o) { nodes { id } } } }',
      { id: seeded.schemaIds[0], o: { field, direction } },
    );
    expect(res.errors).toBeUndefined();
    const full = await gql(
      'query($id: ID!) { schema(id: $id) { datasets { nodes { id name createdAt updatedAt } } } }',
      {
        id: seeded.schemaIds[0],
      },
    );
    const all = full.data.schema.datasets.nodes;
    expect(all).toHaveLength(2);
    expect(ids(res.data.schema.datasets.nodes)).toEqual(sortedHere(all, byField[field], direction));
    if (field === 'NAME')
      expect(ids(res.data.schema.datasets.nodes)).toEqual(
        direction === 'ASC' ? [extraDatasetId, seeded.datasetIds[0]] : [seeded.datasetIds[0], extraDatasetId],
      );
  });
});

describe('Catalog lists pass orderBy on as orderBy', () => {
  const CATALOG_FIELDS = { CREATED_AT: 'created', UPDATED_AT: 'updated', NAME: 'name' } as const;
  const catalogParam = (field: keyof typeof CATALOG_FIELDS, direction: Direction) =>
    `${direction === 'DESC' ? 'desc' : 'asc'}:${CATALOG_FIELDS[field]}`;

  it.each(FLOW_SERVICE_CASES)('datasets by $field $direction', async ({ field, direction }) => {
    const { res, log } = await ask(
      'query($o: DatasetOrderBy) { datasets(first: 100, orderBy: $o) { nodes { id name } } }',
      {
        o: { field, direction },
      },
    );
    expect(res.errors).toBeUndefined();
    expect(sent(log, 'GET catalog/dataSets', 'orderBy')).toEqual([catalogParam(field, direction)]);
    const nodes = res.data.datasets.nodes;
    expect(nodes).toHaveLength(3);
    expect(ids(nodes)).toEqual(await catalogOrder('dataSets', catalogParam(field, direction)));
    if (field === 'NAME')
      expect(ids(nodes)).toEqual(sortedHere(nodes as Array<{ id: string; name: string }>, (n) => n.name, direction));
  });

  it.each(
    (['CREATED_AT', 'UPDATED_AT'] as const).flatMap((field) => DIRECTIONS.map((direction) => ({ field, direction }))),
  )('Dataset.batches by $field $direction', async ({ field, direction }) => {
    const { res, log } = await ask(
      'query($id: ID!, $o: BatchOrderBy) { dataset(id: $id) { batches(first: 100, orderBy: $o) { nodes { id } } } }',
      { id: seeded.datasetIds[1], o: { field, direction } },
    );
    expect(res.errors).toBeUndefined();
    expect(sent(log, 'GET catalog/batches', 'orderBy')).toEqual([catalogParam(field, direction)]);
    const got = ids(res.data.dataset.batches.nodes);
    expect(got).toEqual(
      await catalogOrder('batches', catalogParam(field, direction), { dataSet: seeded.datasetIds[1]! }),
    );
    const ascending = field === 'CREATED_AT' ? batchIds : [batchIds[1]!, batchIds[2]!, batchIds[0]!];
    expect(got).toEqual(direction === 'ASC' ? ascending : [...ascending].reverse());
  });
});

describe('Schema Registry sorts schemas by title', () => {
  it.each(DIRECTIONS)('schemas by TITLE %s', async (direction) => {
    const { res, log } = await ask('query($o: SchemaOrderBy) { schemas(orderBy: $o) { nodes { title } } }', {
      o: { field: 'TITLE', direction },
    });
    expect(res.errors).toBeUndefined();
    expect(sent(log, 'GET schemaRegistry/tenant/schemas', 'orderby')).toEqual([
      direction === 'ASC' ? 'title' : '-title',
    ]);
    const titles = [`${PREFIX} schema 0`, `${PREFIX} schema 1`];
    expect(res.data.schemas.nodes.map((n: { title: string }) => n.title)).toEqual(
      direction === 'ASC' ? titles : [...titles].reverse(),
    );
  });
});

describe('a bad order is a coded error before any upstream request', () => {
  it.each([
    [
      'a field the list does not sort on',
      '{ flowRuns(flowId: "x", orderBy: { field: NAME }) { nodes { id } } }',
      'GRAPHQL_VALIDATION_FAILED',
      /NAME/,
    ],
    [
      'a schema field from another list',
      '{ schemas(orderBy: { field: CREATED_AT }) { nodes { id } } }',
      'GRAPHQL_VALIDATION_FAILED',
      /CREATED_AT/,
    ],
    [
      'a null direction',
      '{ flows(orderBy: { field: NAME, direction: null }) { nodes { id } } }',
      'GRAPHQL_VALIDATION_FAILED',
      /OrderDirection!.*found null/,
    ],
    ['no field', '{ datasets(orderBy: { direction: ASC }) { nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED', /field/],
  ])('%s', async (_what, query, code, message) => {
    const { res, log } = await ask(query);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(message),
        extensions: expect.objectContaining({ code }),
      }),
    ]);
    expect(log).toEqual([]);
  });

  it('a variable with a direction that does not exist', async () => {
    const { res, log } = await ask('query($o: FlowOrderBy) { flows(orderBy: $o) { nodes { id } } }', {
      o: { field: 'NAME', direction: 'SIDEWAYS' },
    });
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/\$o.*direction/),
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    expect(log).toEqual([]);
  });
});

describe('a cursor is bound to the order it was made under', () => {
  const CASES = [
    [
      'flows',
      'query($o: FlowOrderBy, $a: String) { list: flows(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } }',
      { field: 'NAME', direction: 'ASC' },
      false,
    ],
    [
      'flows under a health filter',
      'query($o: FlowOrderBy, $a: String) { list: flows(first: 1, after: $a, orderBy: $o, filter: { health: NEVER_RUN }) { pageInfo { endCursor } } }',
      { field: 'UPDATED_AT', direction: 'DESC' },
      false,
    ],
    [
      'flowRuns',
      'query($id: ID!, $o: FlowRunOrderBy, $a: String) { list: flowRuns(flowId: $id, first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } }',
      { field: 'CREATED_AT', direction: 'ASC' },
      true,
    ],
    [
      'baseConnections',
      'query($o: BaseConnectionOrderBy, $a: String) { list: baseConnections(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } }',
      { field: 'NAME', direction: 'DESC' },
      false,
    ],
    [
      'sourceConnections',
      'query($o: SourceConnectionOrderBy, $a: String) { list: sourceConnections(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } }',
      { field: 'UPDATED_AT', direction: 'ASC' },
      false,
    ],
    [
      'targetConnections',
      'query($o: TargetConnectionOrderBy, $a: String) { list: targetConnections(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } }',
      { field: 'CREATED_AT', direction: 'ASC' },
      false,
    ],
    [
      'datasets',
      'query($o: DatasetOrderBy, $a: String) { list: datasets(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } }',
      { field: 'NAME', direction: 'ASC' },
      false,
    ],
    [
      'schemas',
      'query($o: SchemaOrderBy, $a: String) { list: schemas(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } }',
      { field: 'TITLE', direction: 'DESC' },
      false,
    ],
  ] as const;
  it.each(CASES)('%s: a cursor of the default order is refused under another', async (_what, query, other, ofFlow) => {
    const as = ofFlow ? runs : org;
    const vars = ofFlow ? { id: runFlowId } : {};
    const first = await stack.gql(query, vars, as.headers);
    expect(first.errors).toBeUndefined();
    const a = first.data.list.pageInfo.endCursor as string;
    expect(a).toEqual(expect.any(String));
    const { res, log } = await ask(query, { ...vars, o: other, a }, as);
    expect(res.data).toEqual({ list: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['list'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
      }),
    ]);
    expect(res.errors![0]!.message).toMatch(/made for other filter\/order arguments/);
    expect(log).toEqual([]);
    // with the arguments it was made under, the cursor goes on
    const again = await stack.gql(query, { ...vars, a }, as.headers);
    expect(again.errors).toBeUndefined();
  });

  it.each([
    [
      'Dataset.batches',
      'query($id: ID!, $o: BatchOrderBy, $a: String) { dataset(id: $id) { list: batches(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } } }',
      () => seeded.datasetIds[1]!,
      { field: 'CREATED_AT', direction: 'ASC' },
      'dataset',
      'GET catalog/batches',
    ],
    [
      'Flow.runs',
      'query($id: ID!, $o: FlowRunOrderBy, $a: String) { flow(id: $id) { list: runs(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } } }',
      () => runFlowId,
      { field: 'UPDATED_AT', direction: 'DESC' },
      'flow',
      'GET flowService/runs',
    ],
    [
      'BaseConnection.sourceConnections',
      'query($id: ID!, $o: SourceConnectionOrderBy, $a: String) { baseConnection(id: $id) { list: sourceConnections(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } } }',
      () => seeded.baseConnectionIds[0]!,
      { field: 'NAME', direction: 'ASC' },
      'baseConnection',
      'GET flowService/sourceConnections',
    ],
    [
      'BaseConnection.flows',
      'query($id: ID!, $o: FlowOrderBy, $a: String) { baseConnection(id: $id) { list: flows(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } } }',
      () => seeded.baseConnectionIds[0]!,
      { field: 'NAME', direction: 'ASC' },
      'baseConnection',
      'GET flowService/sourceConnections',
    ],
    [
      'Dataset.flows',
      'query($id: ID!, $o: FlowOrderBy, $a: String) { dataset(id: $id) { list: flows(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } } }',
      () => seeded.datasetIds[0]!,
      { field: 'NAME', direction: 'DESC' },
      'dataset',
      'GET flowService/targetConnections',
    ],
    [
      'XdmSchema.datasets',
      'query($id: ID!, $o: DatasetOrderBy, $a: String) { schema(id: $id) { list: datasets(first: 1, after: $a, orderBy: $o) { pageInfo { endCursor } } } }',
      () => seeded.schemaIds[0]!,
      { field: 'NAME', direction: 'ASC' },
      'schema',
      'GET catalog/dataSets',
    ],
  ] as const)(
    '%s: a cursor of the default order is refused under another',
    async (_what, query, parent, other, root, listRoute) => {
      const as = root === 'flow' ? runs : org;
      const first = await stack.gql(query, { id: parent() }, as.headers);
      expect(first.errors).toBeUndefined();
      const a = first.data[root].list.pageInfo.endCursor as string;
      expect(a).toEqual(expect.any(String));
      const { res, log } = await ask(query, { id: parent(), o: other, a }, as);
      expect(res.data[root]).toEqual({ list: null });
      expect(res.errors).toEqual([
        expect.objectContaining({
          path: [root, 'list'],
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
        }),
      ]);
      expect(onRoute(log, listRoute)).toEqual([]);
    },
  );
});
