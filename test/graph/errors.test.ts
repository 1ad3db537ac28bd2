import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, SEEDED_SECRET, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { routeCounts } from './requestLog.ts';

const ORG = 'ERRORS00000000000000000A@AdobeOrg';

let stack: Stack;
let org: Platform;
let seeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  org = await platform(stack.emulator.url, ORG, 'prod', 'errors-test-client');
  seeded = await seedFlows(org, { flows: 3, schemas: 1, baseConnections: 2 });
});
afterAll(() => stack.stop());
afterEach(() => stack.control('DELETE', '/__emulator/faults'));

const fault = (f: Record<string, unknown>) => stack.control('POST', '/__emulator/faults', { times: 10, ...f });

const DASHBOARD = `{ flows(first: 3) { nodes {
  id name
  flowSpec { name }
  sourceConnections { baseConnection { name } }
  targetConnections { dataset { name schema { title } } }
  lastRun { status }
} } }`;

const EXTENSION_KEYS = ['code', 'operation', 'requestId', 'service', 'status', 'upstreamCode', 'upstreamRequestId'];

describe('one upstream failing', () => {
  it('nulls only the field it backs, with an UPSTREAM_ERROR located at that field', async () => {
    await fault({
      method: 'GET',
      path: '^/data/foundation/catalog/dataSets/',
      status: 500,
      body: { type: 'https://ns.adobe.com/aep/errors/CAT-1500-500', title: 'Catalog is down', status: 500 },
    });
    const res = await stack.gql(DASHBOARD);
    expect(res.status).toBe(200);
    const nodes = res.data.flows.nodes;
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node.name).toEqual(expect.any(String));
      expect(node.flowSpec).toEqual({ name: expect.any(String) });
      expect(node.sourceConnections[0].baseConnection).toEqual({ name: expect.any(String) });
      expect(node.targetConnections[0].dataset).toBeNull();
    }
    expect(res.errors).toHaveLength(3);
    res.errors!.forEach((err, i) => {
      expect(err.path).toEqual(['flows', 'nodes', i, 'targetConnections', 0, 'dataset']);
      expect(err.extensions).toEqual({
        code: 'UPSTREAM_ERROR',
        service: 'catalog',
        status: 500,
        upstreamCode: 'CAT-1500-500',
        operation: 'GET dataSets',
        upstreamRequestId: expect.any(String),
        requestId: expect.any(String),
      });
      expect(err.message).toContain('catalog answered HTTP 500');
    });
  });

  it('nulls a schema when the Schema Registry fails, keeping the dataset it belongs to', async () => {
    await fault({ method: 'GET', path: '^/data/foundation/schemaregistry/', status: 502 });
    const res = await stack.gql(DASHBOARD);
    for (const node of res.data.flows.nodes)
      expect(node.targetConnections[0].dataset).toEqual({ name: expect.any(String), schema: null });
    expect(res.errors!.length).toBeGreaterThan(0);
    for (const err of res.errors!) {
      expect(err.path!.slice(-2)).toEqual(['dataset', 'schema']);
      expect(err.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', service: 'schemaRegistry', status: 502 });
    }
  });

  it('nulls the error summary of a failing flow when its run cannot be read, keeping the flows', async () => {
    await fault({ method: 'GET', path: '^/data/foundation/flowservice/runs$', status: 503 });
    const res = await stack.gql('{ flows(first: 100) { nodes { id name health errorSummary { code } } } }');
    const nodes: Array<{ health: string; errorSummary: unknown }> = res.data.flows.nodes;
    // a failed last run needs its run read; the others answer [] without it
    expect(nodes.filter((f) => f.health === 'FAILING').every((f) => f.errorSummary === null)).toBe(true);
    expect(nodes.filter((f) => f.health === 'HEALTHY').every((f) => Array.isArray(f.errorSummary))).toBe(true);
    const nulled = nodes.flatMap((f, i) => (f.errorSummary === null ? [i] : []));
    expect(nulled.length).toBeGreaterThan(0);
    expect(res.errors!.map((e) => e.path)).toEqual(nulled.map((i) => ['flows', 'nodes', i, 'errorSummary']));
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', service: 'flowService', status: 503 });
  });

  it('nulls the spec lists of flow specs when connection specs cannot be read, rather than answering them empty', async () => {
    await fault({ method: 'GET', path: '^/data/foundation/flowservice/connectionSpecs$', status: 500 });
    // a sandbox of its own, so no cached spec answers for the failing service (the demo org declares its sandboxes)
    await stack.control('POST', '/__emulator/sandboxes', { org: DEMO_ORG, sandbox: 'spec-outage' });
    const res = await stack.gql(
      '{ flowSpecs { nodes { name sourceConnectionSpecs { name } } } }',
      {},
      { 'x-sandbox-name': 'spec-outage' },
    );
    expect(res.data.flowSpecs.nodes.length).toBeGreaterThan(0);
    for (const spec of res.data.flowSpecs.nodes)
      expect(spec).toEqual({ name: expect.any(String), sourceConnectionSpecs: null });
    expect(
      res.errors!.every(
        (e) => e.path!.at(-1) === 'sourceConnectionSpecs' && e.extensions!['code'] === 'UPSTREAM_ERROR',
      ),
    ).toBe(true);
  });

  it('nulls the whole list when the list itself fails, naming the Flow Service', async () => {
    await fault({
      method: 'GET',
      path: '^/data/foundation/flowservice/flows$',
      status: 400,
      body: { type: 'https://ns.adobe.com/aep/errors/FLOW-1451-400', title: 'Bad request', status: 400 },
    });
    const res = await stack.gql(DASHBOARD);
    expect(res.data).toEqual({ flows: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['flows'],
        extensions: expect.objectContaining({
          code: 'UPSTREAM_ERROR',
          service: 'flowService',
          status: 400,
          upstreamCode: 'FLOW-1451-400',
          operation: 'GET flows',
        }),
      }),
    ]);
  });

  it('keeps the datasets and schemas of a request when Flow Service fails, with one error at fleetHealth', async () => {
    await fault({
      path: '^/data/foundation/flowservice/',
      status: 503,
      body: { type: 'https://ns.adobe.com/aep/errors/FLOW-1503-503', title: 'Unavailable', status: 503 },
      times: 1000,
    });
    const res = await stack.gql(
      '{ datasets(first: 5) { nodes { id name } } schemas(first: 5) { nodes { id title } } fleetHealth { total } }',
      undefined,
      org.headers,
    );
    expect(res.data.fleetHealth).toBeNull();
    expect(res.data.datasets.nodes.map((d: { id: string }) => d.id).sort()).toEqual(
      [...seeded.datasetIds].sort().slice(0, 5),
    );
    expect(res.data.schemas.nodes.map((s: { id: string }) => s.id).sort()).toEqual([...seeded.schemaIds].sort());
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['fleetHealth'],
        locations: [expect.objectContaining({ line: 1 })],
        extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR', service: 'flowService', status: 503 }),
      }),
    ]);
  });
});

describe('upstream statuses keep their meaning', () => {
  it('answers UNAUTHENTICATED for a 401 and FORBIDDEN for a 403', async () => {
    await fault({
      path: '^/data/foundation/flowservice/runs',
      status: 401,
      body: { error_code: '401013', message: 'Oauth token is not valid' },
    });
    await fault({
      path: '^/data/foundation/flowservice/sourceConnections',
      status: 403,
      body: { error_code: '403025', message: 'Profile is not valid' },
    });
    const res = await stack.gql(DASHBOARD);
    const codes = new Map(res.errors!.map((e) => [e.path!.at(-1), e.extensions]));
    expect(codes.get('lastRun')).toMatchObject({
      code: 'UNAUTHENTICATED',
      service: 'flowService',
      status: 401,
      upstreamCode: '401013',
    });
    expect(codes.get('sourceConnections')).toMatchObject({
      code: 'FORBIDDEN',
      service: 'flowService',
      status: 403,
      upstreamCode: '403025',
    });
    expect(res.data.flows.nodes[0].name).toEqual(expect.any(String));
  });

  it('answers null without an error for lookups of things that do not exist', async () => {
    const res = await stack.gql(`{
      flow(id: "00000000-0000-0000-0000-000000000000") { id }
      flowRun(id: "00000000-0000-0000-0000-000000000000") { id }
      flowSpec(id: "00000000-0000-0000-0000-000000000000") { id }
      connectionSpec(id: "00000000-0000-0000-0000-000000000000") { id }
      baseConnection(id: "00000000-0000-0000-0000-000000000000") { id }
      sourceConnection(id: "00000000-0000-0000-0000-000000000000") { id }
      targetConnection(id: "00000000-0000-0000-0000-000000000000") { id }
      dataset(id: "000000000000000000000000") { id name }
      batch(id: "01AAAAAAAAAAAAAAAAAAAAAAAA") { id }
      schema(id: "https://ns.adobe.com/acme000000000000/schemas/00000000000000000000000000000000") { id }
      mappingSet(id: "00000000000000000000000000000000") { id }
    }`);
    expect(res.errors).toBeUndefined();
    expect(Object.values(res.data).every((v) => v === null)).toBe(true);
    expect(Object.keys(res.data)).toHaveLength(11);
  });
});

describe('what a response never carries', () => {
  it('never puts the caller token, api key or a raw header into an error, even when the upstream echoes them', async () => {
    const token = org.headers['authorization']!.replace('Bearer ', '');
    const echo = `rejected ${org.headers['authorization']} with x-api-key: ${org.headers['x-api-key']} (${token})`;
    await fault({
      path: '^/data/foundation/catalog/dataSets/',
      status: 500,
      body: { type: 'https://ns.adobe.com/aep/errors/CAT-1500-500', title: echo, detail: echo, status: 500 },
    });
    await fault({
      path: '^/data/foundation/flowservice/connections',
      status: 401,
      body: { error_code: '401013', message: echo },
    });
    const res = await stack.gql(DASHBOARD, {}, org.headers);
    expect(res.errors!.length).toBeGreaterThanOrEqual(2);
    for (const err of res.errors!) expect(Object.keys(err.extensions!).sort()).toEqual(EXTENSION_KEYS);
    expect(res.text).not.toContain(token);
    expect(res.text).not.toContain(org.headers['x-api-key']);
    expect(res.text.toLowerCase()).not.toContain('bearer');
  });

  it('never carries an upstream path or host, in a message or an extension, whatever the upstream echoes', async () => {
    const host = new URL(stack.emulator.url).host;
    const echo = (path: string) =>
      `No resource at ${stack.emulator.url}${path} (see ${path}?limit=1; served by ${stack.emulator.url})`;
    const flowId = seeded.flows[0]!.id;
    await fault({
      path: '^/data/foundation/catalog/dataSets/',
      status: 500,
      body: {
        type: 'https://ns.adobe.com/aep/errors/CAT-1500-500',
        title: 'down',
        detail: echo('/data/foundation/catalog/dataSets/x'),
        status: 500,
      },
    });
    await fault({ path: '^/data/foundation/flowservice/sourceConnections', reset: 'unprocessed' });
    await fault({
      method: 'POST',
      path: `^/data/foundation/flowservice/flows/${flowId}/action$`,
      status: 400,
      body: {
        type: 'https://ns.adobe.com/aep/errors/FLOW-1400-400',
        title: 'Bad',
        errorMessage: echo(`/data/foundation/flowservice/flows/${flowId}/action`),
        status: 400,
      },
    });
    const read = await stack.gql(DASHBOARD, {}, org.headers);
    const write = await stack.gql(
      'mutation($id: ID!) { disableDataflow(input: { id: $id }) { flow { id } userErrors { field code message } } }',
      { id: flowId },
      org.headers,
    );
    expect(read.errors!.map((e) => e.extensions!['code'])).toContain('UPSTREAM_ERROR');
    expect(
      read.errors!.filter((e) => e.path!.at(-1) === 'sourceConnections' && e.extensions!['status'] === null),
    ).not.toEqual([]);
    expect(write.data.disableDataflow.userErrors).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_REJECTED', message: expect.stringContaining('No resource at') }),
    ]);
    for (const res of [read, write]) {
      expect(res.text).not.toContain('/data/');
      expect(res.text).not.toContain(host);
      for (const err of res.errors ?? []) expect(err.extensions).not.toHaveProperty('path');
    }
  });

  it('never returns the secrets of a base connection, even from an upstream that sends them unmasked', async () => {
    const raw = await org.call<{ items: Array<{ auth: { params: Record<string, string> } }> }>(
      'GET',
      `/data/foundation/flowservice/connections/${seeded.baseConnectionIds[0]}`,
    );
    const connection = raw.items[0]!;
    expect(Object.keys(connection.auth.params)).toContain('s3SecretKey');
    connection.auth.params['s3SecretKey'] = SEEDED_SECRET;
    await fault({
      method: 'GET',
      path: '^/data/foundation/flowservice/connections$',
      status: 200,
      body: { items: [connection] },
    });
    const res = await stack.gql(
      `query($id: ID!) {
        baseConnections(first: 100) { nodes { id name description state etag authSpecName inlet { id url } connectionSpec { authSpecs { name spec requiredParams } } } }
        baseConnection(id: $id) { id name authSpecName inlet { id url } sourceConnections { nodes { params } } flows { nodes { transformations { params } } } }
      }`,
      { id: seeded.baseConnectionIds[0] },
      org.headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.baseConnections.nodes).toEqual([
      expect.objectContaining({ name: 'Seeded S3 0', authSpecName: 'Access Key' }),
    ]);
    expect(res.data.baseConnection).toEqual(
      expect.objectContaining({ name: 'Seeded S3 0', authSpecName: 'Access Key' }),
    );
    expect(res.text).not.toContain(SEEDED_SECRET);
  });
});

describe('requests the API refuses itself', () => {
  it('answers 400 BAD_USER_INPUT for a malformed sandbox name, without asking the upstream', async () => {
    await stack.clearRequests();
    const res = await stack.gql('{ flows { totalCount } }', {}, { 'x-sandbox-name': 'Not A Sandbox!' });
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([
      {
        message: expect.stringMatching(/^x-sandbox-name: /),
        extensions: { code: 'BAD_USER_INPUT', field: 'x-sandbox-name', requestId: expect.any(String) },
      },
    ]);
    expect(routeCounts(await stack.requests())).toEqual({});
  });
});

describe('an upstream that does not answer in time', () => {
  let slow: Stack;
  beforeAll(async () => {
    slow = await startStack({ env: { UPSTREAM_TIMEOUT_MS: '200' } });
    await seedFlows(await platform(slow.emulator.url, DEMO_ORG), { flows: 2, schemas: 1, baseConnections: 1 });
  });
  afterAll(() => slow.stop());

  it('nulls the field it backs with an UPSTREAM_ERROR that has no status', async () => {
    await slow.control('POST', '/__emulator/faults', {
      path: '^/data/foundation/catalog/dataSets/',
      status: 200,
      delayMs: 1_000,
      times: 3,
    });
    const res = await slow.gql('{ flows { nodes { name targetConnections { dataset { name } } } } }');
    expect(res.data.flows.nodes).toEqual([
      { name: expect.any(String), targetConnections: [{ dataset: null }] },
      { name: expect.any(String), targetConnections: [{ dataset: null }] },
    ]);
    expect(res.errors![0]!.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      service: 'catalog',
      status: null,
      upstreamCode: null,
      operation: 'GET dataSets',
      upstreamRequestId: null,
      requestId: expect.any(String),
    });
    expect(res.errors![0]!.message).toContain('catalog answered nothing');
  });
});
