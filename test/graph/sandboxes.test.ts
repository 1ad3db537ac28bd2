import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';
import { routeCounts } from './requestLog.ts';

const ORG = 'SANDBOXES000000000000001@AdobeOrg';

let stack: Stack;
let own: Platform;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  await stack.control('PUT', '/__emulator/sandboxes', { org: ORG, sandboxes: ['prod', 'staging'] });
  own = await platform(stack.emulator.url, ORG, 'staging', 'sandboxes-test');
  await seedFlows(own, { flows: 1, schemas: 1 });
});
afterAll(() => stack.stop());

/** A query that reads from Flow Service, Catalog, Schema Registry and Data Prep, one root field each. */
const EVERY_SERVICE = `{
  flows { nodes { id } }
  datasets { nodes { id } }
  schemas { nodes { id } }
  mappingSet(id: "00000000000000000000000000000000") { id }
}`;

describe('a sandbox the org does not have', () => {
  it('is SANDBOX_NOT_FOUND naming the sandbox at each field, whichever service it reads, never empty data', async () => {
    await stack.clearRequests();
    const res = await stack.gql(EVERY_SERVICE, {}, { 'x-sandbox-name': 'nope' });
    expect(res.data).toEqual({ flows: null, datasets: null, schemas: null, mappingSet: null });
    const byField = Object.fromEntries(res.errors!.map((e) => [e.path![0], e]));
    expect(Object.keys(byField).sort()).toEqual(['datasets', 'flows', 'mappingSet', 'schemas']);
    const services = { flows: 'flowService', datasets: 'catalog', schemas: 'schemaRegistry', mappingSet: 'dataPrep' };
    for (const [field, service] of Object.entries(services)) {
      expect(byField[field]).toMatchObject({
        message: `${service} does not know the sandbox "nope" in this org (x-sandbox-name)`,
        extensions: { code: 'SANDBOX_NOT_FOUND', service, status: 404, sandbox: 'nope' },
      });
      expect(byField[field]!.extensions!['upstreamCode']).toMatch(/^[A-Z]+-2100-404$/);
    }
    // refused at the door: one request per service, nothing retried
    expect(routeCounts((await stack.requests()).filter((e) => e.path.startsWith('/data/')))).toEqual({
      'GET flowService/flows': 1,
      'GET catalog/dataSets': 1,
      'GET schemaRegistry/tenant/schemas': 1,
      'GET dataPrep/mappingSets/{id}': 1,
    });
  });

  it('answers a sandbox the demo org has (dev) with its empty data and no error', async () => {
    const res = await stack.gql(EVERY_SERVICE, {}, { 'x-sandbox-name': 'dev' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      flows: { nodes: [] },
      datasets: { nodes: [] },
      schemas: { nodes: [] },
      mappingSet: null,
    });
  });

  it('is SANDBOX_NOT_FOUND for a pass-through caller of an org whose sandboxes were declared', async () => {
    const known = await stack.gql('{ flows { nodes { id } } }', {}, own.headers);
    expect(known.errors).toBeUndefined();
    expect(known.data.flows.nodes).toHaveLength(1);
    const res = await stack.gql(
      '{ flows { nodes { id } } datasets { nodes { id } } }',
      {},
      { ...own.headers, 'x-sandbox-name': 'prod2' },
    );
    expect(res.data).toEqual({ flows: null, datasets: null });
    expect(res.errors!.map((e) => [e.path![0], e.extensions!['code'], e.extensions!['sandbox']]).sort()).toEqual([
      ['datasets', 'SANDBOX_NOT_FOUND', 'prod2'],
      ['flows', 'SANDBOX_NOT_FOUND', 'prod2'],
    ]);
  });
});

describe('the emulator’s sandboxes', () => {
  const call = async (p: Platform, method: string, path: string, sandbox: string, body?: unknown) => {
    const res = await fetch(stack.emulator.url + path, {
      method,
      headers: {
        ...p.headers,
        'x-sandbox-name': sandbox,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const SERVICES: Array<[string, string, string, unknown?]> = [
    ['Flow Service', 'GET', '/data/foundation/flowservice/flows'],
    ['Catalog', 'GET', '/data/foundation/catalog/dataSets'],
    ['Schema Registry', 'GET', '/data/foundation/schemaregistry/tenant/schemas'],
    ['Data Prep', 'GET', '/data/foundation/conversion/mappingSets'],
    [
      'Observability Insights',
      'POST',
      '/data/infrastructure/observability/insights/metrics',
      {
        start: '2026-11-01T00:00:00Z',
        end: '2026-11-02T00:00:00Z',
        granularity: 'day',
        metrics: [{ name: 'timeseries.ingestion.dataset.recordsuccess.count' }],
      },
    ],
  ];

  it.each(SERVICES)(
    '%s answers 404 with its own 2100-404 code for a sandbox the org does not have',
    async (_name, method, path, body) => {
      const unknown = await call(own, method, path, 'nope', body);
      expect(unknown.status).toBe(404);
      expect(JSON.stringify(unknown.body)).toMatch(/[A-Z]+-2100-404/);
      expect(JSON.stringify(unknown.body)).toContain('Sandbox nope not found');
      const known = await call(own, method, path, 'staging', body);
      expect(known.status).not.toBe(404);
    },
  );

  it('lists the declared sandboxes, adds one to a declared org, and leaves an undeclared org open', async () => {
    expect(await stack.control('GET', '/__emulator/sandboxes')).toMatchObject({
      [DEMO_ORG]: ['dev', 'prod'],
      [ORG]: ['prod', 'staging'],
    });
    await stack.control('POST', '/__emulator/sandboxes', { org: ORG, sandbox: 'qa' });
    expect((await call(own, 'GET', '/data/foundation/flowservice/flows', 'qa')).status).toBe(200);
    const open = await platform(stack.emulator.url, 'OPENSANDBOXES00000000001@AdobeOrg', 'anything-goes');
    expect((await call(open, 'GET', '/data/foundation/catalog/dataSets', 'anything-goes')).status).toBe(200);
    expect(await stack.control('PUT', '/__emulator/sandboxes', { org: ORG, sandboxes: ['Not A Name'] })).toEqual({
      error: 'sandboxes must be a non-empty list of sandbox names (lowercase letters, digits and "-")',
    });
  });
});
