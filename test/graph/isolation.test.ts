import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RequestLogEntry, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';

const ALPHA = 'ALPHA000000000000000000A@AdobeOrg';
const BETA = 'BETA0000000000000000000B@AdobeOrg';

let stack: Stack;
const orgs: Record<string, { p: Platform; seeded: SeededOrg }> = {};

beforeAll(async () => {
  stack = await startStack();
  const [alpha, beta] = await Promise.all([
    platform(stack.emulator.url, ALPHA, 'prod', 'alpha-client'),
    platform(stack.emulator.url, BETA, 'prod', 'beta-client'),
  ]);
  const [a, b] = await Promise.all([
    seedFlows(alpha, { flows: 12, schemas: 2, datasets: 4, mappingSets: 2, baseConnections: 3, prefix: 'Alpha' }),
    seedFlows(beta, { flows: 9, schemas: 3, datasets: 3, mappingSets: 3, baseConnections: 2, prefix: 'Beta' }),
  ]);
  orgs[ALPHA] = { p: alpha, seeded: a };
  orgs[BETA] = { p: beta, seeded: b };
});
afterAll(() => stack.stop());

const EVERYTHING = `{
  flows(first: 100) { totalCount nodes {
    id name flowSpec { name }
    sourceConnections { id baseConnection { id name connectionSpec { name } } }
    targetConnections { id dataset { id name schema { id title } } }
    mappingSet { id name targetSchema { id title } }
  } }
  baseConnections(first: 100) { nodes { id name flows { nodes { id } } } }
  datasets(first: 100) { nodes { id name flows { nodes { id } } } }
  schemas(first: 100) { nodes { id title datasets { nodes { id } } } }
  fleetHealth { total }
}`;

describe('two orgs queried at the same time', () => {
  it("each see only their own data, and every upstream call is made in the caller's org", async () => {
    // latency keeps many requests of both orgs in flight together
    await stack.control('PUT', '/__emulator/config', { latencyMs: 15 });
    await stack.clearRequests();
    const calls = Array.from({ length: 12 }, (_x, i) => (i % 2 === 0 ? ALPHA : BETA));
    let results;
    try {
      results = await Promise.all(calls.map((org) => stack.gql(EVERYTHING, {}, orgs[org]!.p.headers)));
    } finally {
      await stack.control('PUT', '/__emulator/config', { latencyMs: 0 });
    }
    const log: RequestLogEntry[] = await stack.requests();

    for (const [i, res] of results.entries()) {
      const org = calls[i]!;
      const own = orgs[org]!.seeded;
      const other = orgs[org === ALPHA ? BETA : ALPHA]!.seeded;
      expect(res.errors).toBeUndefined();
      const data = res.data;
      expect(data.flows.totalCount).toBe(own.flows.length);
      expect(new Set(data.flows.nodes.map((f: { id: string }) => f.id))).toEqual(new Set(own.flows.map((f) => f.id)));
      expect(data.baseConnections.nodes.map((b: { id: string }) => b.id).sort()).toEqual(
        [...own.baseConnectionIds].sort(),
      );
      expect(data.datasets.nodes.map((d: { id: string }) => d.id).sort()).toEqual([...own.datasetIds].sort());
      expect(data.schemas.nodes.map((s: { id: string }) => s.id).sort()).toEqual([...own.schemaIds].sort());
      expect(data.fleetHealth.total).toBe(own.flows.length);
      const prefix = org === ALPHA ? 'Alpha' : 'Beta';
      for (const f of data.flows.nodes) {
        expect(f.name.startsWith(prefix)).toBe(true);
        expect(f.targetConnections[0].dataset.name.startsWith(prefix)).toBe(true);
        expect(f.mappingSet.targetSchema.title.startsWith(prefix)).toBe(true);
      }
      for (const id of other.allIds()) expect(res.text).not.toContain(id);
    }

    // the requests of the two orgs overlapped in time
    const spans = (org: string) =>
      log.filter((e) => e.org === org).map((e) => [e.startedAt, e.startedAt + e.durationMs] as const);
    const alphaSpans = spans(ALPHA);
    const betaSpans = spans(BETA);
    expect(alphaSpans.some(([s, e]) => betaSpans.some(([s2, e2]) => s < e2 && s2 < e))).toBe(true);

    // every upstream call was made in one of the two orgs and names only ids of that org
    expect(log.every((e) => e.org === ALPHA || e.org === BETA)).toBe(true);
    for (const entry of log) {
      const text = `${entry.path} ${entry.query}`;
      for (const id of orgs[entry.org === ALPHA ? BETA : ALPHA]!.seeded.allIds()) {
        expect(text).not.toContain(id);
        expect(text).not.toContain(encodeURIComponent(id));
      }
      expect(entry.sandbox).toBe('prod');
    }
    for (const org of [ALPHA, BETA]) {
      const sources = orgs[org]!.seeded.flows.map((f) => f.sourceConnectionId);
      const multiGet = log.find(
        (e) => e.org === org && e.path.endsWith('/sourceConnections') && e.query.startsWith('property=id=='),
      );
      expect(multiGet?.query.slice('property=id=='.length).split(',').sort()).toEqual(sources.sort());
    }
  });

  it('see nothing of their own org in another sandbox', async () => {
    await stack.clearRequests();
    const res = await stack.gql(
      '{ flows { totalCount nodes { id } } datasets { nodes { id } } }',
      {},
      { ...orgs[ALPHA]!.p.headers, 'x-sandbox-name': 'dev' },
    );
    expect(res.data).toEqual({ flows: { totalCount: 0, nodes: [] }, datasets: { nodes: [] } });
    const log = await stack.requests();
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.org === ALPHA && e.sandbox === 'dev')).toBe(true);
  });
});
