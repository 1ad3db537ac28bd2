import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { onRoute, routeCounts } from './requestLog.ts';

const ORG = 'PAGING00000000000000000A@AdobeOrg';

let stack: Stack;
let org: Platform;
let seeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  org = await platform(stack.emulator.url, ORG);
  seeded = await seedFlows(org, { flows: 150, schemas: 3, datasets: 27, mappingSets: 3, baseConnections: 2 });
}, 60_000);
afterAll(() => stack.stop());

/** A query in the seeded org (pass-through credentials). */
const gql = (query: string, variables?: Record<string, unknown>) => stack.gql(query, variables, org.headers);

const FLOW_PAGE = `query($first: Int, $after: String) {
  flows(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } }
}`;

describe('flows(first:)', () => {
  it('returns 20 flows when first is not given, with totalCount counting all 150', async () => {
    const res = await gql('{ flows { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.nodes).toHaveLength(20);
    expect(res.data.flows.totalCount).toBe(150);
    expect(res.data.flows.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
  });

  it.each([101, -1])(
    'rejects first: %i with BAD_USER_INPUT naming first, before asking the upstream',
    async (first) => {
      await stack.clearRequests();
      const res = await gql(FLOW_PAGE, { first });
      expect(res.data).toEqual({ flows: null });
      expect(res.errors).toEqual([
        expect.objectContaining({
          path: ['flows'],
          extensions: { code: 'BAD_USER_INPUT', field: 'first', requestId: expect.any(String) },
        }),
      ]);
      expect(res.errors![0]!.message).toMatch(/^first: /);
      expect(await stack.requests()).toEqual([]);
    },
  );

  it('serves first: 100, the maximum', async () => {
    const res = await gql(FLOW_PAGE, { first: 100 });
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.edges).toHaveLength(100);
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['JSON of another shape', Buffer.from('{"page":2}').toString('base64url')],
    ['a negative offset', Buffer.from('{"p":null,"o":-3}').toString('base64url')],
  ])('rejects an after that is %s with BAD_USER_INPUT naming after', async (_what, after) => {
    const res = await gql(FLOW_PAGE, { first: 5, after });
    expect(res.data).toEqual({ flows: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['flows'],
        extensions: { code: 'BAD_USER_INPUT', field: 'after', requestId: expect.any(String) },
      }),
    ]);
  });
});

describe('following pageInfo.endCursor', () => {
  async function pageThrough(first: number) {
    await stack.clearRequests();
    const pages: any[] = [];
    let after: string | null = null;
    do {
      const res = await gql(FLOW_PAGE, { first, after });
      expect(res.errors).toBeUndefined();
      const page = res.data.flows;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null && pages.length < 20);
    const ids = pages.flatMap((p) => p.edges.map((e: { node: { id: string } }) => e.node.id));
    const flowRequests = onRoute(await stack.requests(), 'GET flowService/flows').filter(
      (e) => !e.query.includes('count=true'),
    );
    return { pages, ids, flowRequests };
  }

  it('gives each of 150 flows exactly once, 20 at a time, newest first', async () => {
    const { pages, ids } = await pageThrough(20);
    expect(pages.map((p) => p.edges.length)).toEqual([20, 20, 20, 20, 20, 20, 20, 10]);
    expect(ids).toHaveLength(150);
    expect(new Set(ids)).toEqual(new Set(seeded.flows.map((f) => f.id)));
    expect(pages.at(-1).pageInfo.hasNextPage).toBe(false);
    expect(pages.every((p) => p.totalCount === 150)).toBe(true);
  });

  it('resumes every page from the upstream continuation token, never re-reading earlier flows', async () => {
    const { flowRequests } = await pageThrough(20);
    expect(flowRequests).toHaveLength(8);
    expect(flowRequests[0]!.query).not.toContain('continuationToken');
    expect(new URLSearchParams(flowRequests[0]!.query).get('limit')).toBe('20');
    for (const later of flowRequests.slice(1)) expect(later.query).toContain('continuationToken=');
  });

  it('crosses the upstream page boundary at first: 100 and gives the remaining 50', async () => {
    const { pages, ids, flowRequests } = await pageThrough(100);
    expect(pages.map((p) => p.edges.length)).toEqual([100, 50]);
    expect(new Set(ids).size).toBe(150);
    expect(flowRequests).toHaveLength(2);
  });

  it('pages datasets by Catalog offset: each page starts where the last one ended', async () => {
    await stack.clearRequests();
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: any = await gql(
        'query($after: String) { datasets(first: 10, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.datasets.nodes.map((d: { id: string }) => d.id));
      after = res.data.datasets.pageInfo.hasNextPage ? res.data.datasets.pageInfo.endCursor : null;
      pages++;
    } while (after !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(27);
    expect(new Set(seen)).toEqual(new Set(seeded.datasetIds));
    const starts = onRoute(await stack.requests(), 'GET catalog/dataSets').map((e) =>
      new URLSearchParams(e.query).get('start'),
    );
    expect(starts).toEqual(['0', '10', '20']);
  });

  it('pages the runs of a flow across upstream pages', async () => {
    // demo flows carry long run histories; the server's own credentials read the demo org
    const busiest = await stack.gql('{ flows(first: 100) { nodes { id runs(first: 0) { totalCount } } } }');
    const flow = busiest.data.flows.nodes.reduce((a: any, b: any) => (b.runs.totalCount > a.runs.totalCount ? b : a));
    expect(flow.runs.totalCount).toBeGreaterThan(100);
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const res: any = await stack.gql(
        'query($id: ID!, $after: String) { flowRuns(flowId: $id, first: 100, after: $after) { nodes { id flowId } pageInfo { hasNextPage endCursor } } }',
        { id: flow.id, after },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.flowRuns.nodes.every((r: { flowId: string }) => r.flowId === flow.id)).toBe(true);
      ids.push(...res.data.flowRuns.nodes.map((r: { id: string }) => r.id));
      after = res.data.flowRuns.pageInfo.hasNextPage ? res.data.flowRuns.pageInfo.endCursor : null;
    } while (after !== null);
    expect(ids).toHaveLength(flow.runs.totalCount);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('totalCount', () => {
  it('is asked of the upstream only when selected', async () => {
    await stack.clearRequests();
    await gql('{ flows(first: 5) { nodes { id } } }');
    expect(routeCounts(await stack.requests())).toEqual({ 'GET flowService/flows': 1 });
    await stack.clearRequests();
    const res = await gql('{ flows(first: 5) { totalCount } }');
    expect(res.data.flows.totalCount).toBe(150);
    const counts = onRoute(await stack.requests(), 'GET flowService/flows').filter((e) => e.query === 'count=true');
    expect(counts).toHaveLength(1);
  });
});
