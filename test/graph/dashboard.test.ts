import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type RequestLogEntry, type Stack } from '../harness.ts';
import { finishRuns, listAll, platform, seedFlows, type SeededOrg } from '../platform.ts';
import { onRoute, routeCounts } from './requestLog.ts';

const DASHBOARD = `query Dashboard($n: Int) {
  flows(first: $n) {
    nodes {
      id
      flowSpec { name }
      sourceConnections { baseConnection { name connectionSpec { name } } }
      targetConnections { dataset { name schema { title } } }
      mappingSet { id }
      lastRun { status metrics { inputRecords outputRecords failedRecords } }
    }
  }
}`;

const RUN_STATUS: Record<string, string> = { success: 'SUCCESS', failed: 'FAILED' };

let stack: Stack;
let seeded: SeededOrg;
/** Raw flows as the Flow Service holds them, by id. */
let rawFlows: Map<string, { lastRunDetails?: { id: string; state: string } }>;

beforeAll(async () => {
  // the spec cache is off here so every query pays for its specs, whatever ran before it
  stack = await startStack({ env: { SPEC_CACHE_TTL_SECONDS: '0' } });
  const p = await platform(stack.emulator.url, DEMO_ORG);
  seeded = await seedFlows(p, { flows: 110, schemas: 3, datasets: 6, mappingSets: 6, baseConnections: 4, runs: true });
  await finishRuns(p, (method, path, body) => stack.control(method, path, body));
  rawFlows = new Map((await listAll(p, 'flows')).map((f) => [f.id, f]));
  await stack.gql('{ flows(first: 1) { nodes { id } } }'); // the server's IMS token, fetched once
}, 60_000);
afterAll(() => stack.stop());

async function run(query: string, variables?: Record<string, unknown>): Promise<{ data: any; log: RequestLogEntry[] }> {
  await stack.clearRequests();
  const res = await stack.gql(query, variables);
  expect(res.errors).toBeUndefined();
  return { data: res.data, log: await stack.requests() };
}

describe('the dashboard query', () => {
  // one request per route that has a multi-get, one per distinct schema (all three are
  // among the first 10 flows); mapping sets are not fetched, only their id is selected
  const perQuery = {
    'GET flowService/flows': 1,
    'GET flowService/flowSpecs': 1,
    'GET flowService/sourceConnections': 1,
    'GET flowService/targetConnections': 1,
    'GET flowService/connections': 1,
    'GET flowService/connectionSpecs': 1,
    'GET flowService/runs': 1,
    'GET catalog/dataSets/{ids}': 1,
    'GET schemaRegistry/tenant/schemas/{id}': 3,
  };

  it.each([10, 100])(
    'answers for %i flows with the same upstream requests: one per multi-get route, one per schema',
    async (n) => {
      const { data, log } = await run(DASHBOARD, { n });
      expect(routeCounts(log)).toEqual(perQuery);
      expect(data.flows.nodes).toHaveLength(n);
      const byId = new Map(seeded.flows.map((f) => [f.id, f]));
      for (const node of data.flows.nodes) {
        const flow = byId.get(node.id)!;
        const raw = rawFlows.get(node.id)!;
        expect(node).toEqual({
          id: flow.id,
          flowSpec: { name: 'CloudStorageToAEP' },
          sourceConnections: [
            {
              baseConnection: {
                name: `Seeded S3 ${seeded.baseConnectionIds.indexOf(flow.baseConnectionId)}`,
                connectionSpec: { name: 'amazon-s3' },
              },
            },
          ],
          targetConnections: [
            {
              dataset: {
                name: `Seeded dataset ${seeded.datasetIds.indexOf(flow.datasetId)}`,
                schema: { title: `Seeded schema ${seeded.schemaIds.indexOf(flow.schemaId)}` },
              },
            },
          ],
          mappingSet: { id: `${flow.mappingSetId}@0` },
          lastRun: {
            status: RUN_STATUS[raw.lastRunDetails!.state],
            metrics: {
              inputRecords: expect.any(Number),
              outputRecords: expect.any(Number),
              failedRecords: expect.any(Number),
            },
          },
        });
      }
    },
  );

  it('puts the ids of all 100 flows into one multi-get per resource', async () => {
    const { data, log } = await run(DASHBOARD, { n: 100 });
    const runIds = data.flows.nodes.map((f: { id: string }) => rawFlows.get(f.id)!.lastRunDetails!.id);
    const [runs] = onRoute(log, 'GET flowService/runs');
    expect(runs!.query).toBe(`property=id==${runIds.join(',')}`);
    const [sources] = onRoute(log, 'GET flowService/sourceConnections');
    expect(sources!.query.split(',')).toHaveLength(100);
    const schemaPaths = onRoute(log, 'GET schemaRegistry/tenant/schemas/{id}').map((e) =>
      decodeURIComponent(e.path.split('/').pop()!),
    );
    expect(schemaPaths.sort()).toEqual([...seeded.schemaIds].sort());
  });

  it('asks Catalog only for the dataset properties the query selects', async () => {
    const { log } = await run(DASHBOARD, { n: 10 });
    const [datasets] = onRoute(log, 'GET catalog/dataSets/{ids}');
    expect(new URLSearchParams(datasets!.query).get('properties')).toBe('name,schemaRef');
  });
});

describe('links without a multi-get', () => {
  it('fetches each mapping set and each schema once per query, all at the same time', async () => {
    await stack.control('PUT', '/__emulator/config', { latencyMs: 60 });
    try {
      const query = `{ flows(first: 100) { nodes {
        mappingSet { name targetSchema { title } }
        targetConnections { dataset { schema { title } } }
      } } }`;
      const { data, log } = await run(query);
      const mappingGets = onRoute(log, 'GET dataPrep/mappingSets/{id}');
      const schemaGets = onRoute(log, 'GET schemaRegistry/tenant/schemas/{id}');
      expect(mappingGets.map((e) => e.path.split('/').pop()).sort()).toEqual([...seeded.mappingSetIds].sort());
      expect(schemaGets).toHaveLength(seeded.schemaIds.length);
      // one wave: every request started before any of them ended
      for (const gets of [mappingGets, schemaGets]) {
        const lastStart = Math.max(...gets.map((e) => e.startedAt));
        const firstEnd = Math.min(...gets.map((e) => e.startedAt + e.durationMs));
        expect(lastStart).toBeLessThan(firstEnd);
      }
      const titles = new Set(data.flows.nodes.map((f: any) => f.mappingSet.targetSchema.title));
      expect(titles).toEqual(new Set(['Seeded schema 0', 'Seeded schema 1', 'Seeded schema 2']));
    } finally {
      await stack.control('PUT', '/__emulator/config', { latencyMs: 0 });
    }
  });
});

describe('links whose id is all the query selects', () => {
  it('are answered from the parent without any upstream request', async () => {
    const query = `{ flows(first: 100) { nodes {
      id
      flowSpec { id }
      sourceConnections { id }
      targetConnections { id dataset { id } schema { id } }
      sourceConnectionSpecs { id }
      mappingSet { id version }
      lastRun { id flowId }
    } } }`;
    const { data, log } = await run(query);
    expect(routeCounts(log)).toEqual({ 'GET flowService/flows': 1, 'GET flowService/targetConnections': 1 });
    const byId = new Map(seeded.flows.map((f) => [f.id, f]));
    for (const node of data.flows.nodes) {
      const flow = byId.get(node.id)!;
      expect(node).toEqual({
        id: flow.id,
        flowSpec: { id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876' },
        sourceConnections: [{ id: flow.sourceConnectionId }],
        targetConnections: [
          { id: flow.targetConnectionId, dataset: { id: flow.datasetId }, schema: { id: flow.schemaId } },
        ],
        sourceConnectionSpecs: [{ id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b' }],
        mappingSet: { id: `${flow.mappingSetId}@0`, version: 0 },
        lastRun: { id: rawFlows.get(flow.id)!.lastRunDetails!.id, flowId: flow.id },
      });
    }
  });

  it('leave the flow of a run and the base connection of a source unfetched', async () => {
    const flow = seeded.flows[0]!;
    const query = `query($flow: ID!, $source: ID!) {
      flowRuns(flowId: $flow) { nodes { flow { id } } }
      sourceConnection(id: $source) { baseConnection { id } connectionSpec { id } }
    }`;
    const { data, log } = await run(query, { flow: flow.id, source: flow.sourceConnectionId });
    expect(routeCounts(log)).toEqual({ 'GET flowService/runs': 1, 'GET flowService/sourceConnections': 1 });
    expect(data.flowRuns.nodes).toEqual([{ flow: { id: flow.id } }]);
    expect(data.sourceConnection).toEqual({
      baseConnection: { id: flow.baseConnectionId },
      connectionSpec: { id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b' },
    });
  });
});
