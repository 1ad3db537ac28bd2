import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowListReads, startStack, type Stack } from '../harness.ts';
import type { FlowDto } from '../../src/upstream/flowService/types.ts';
import { listAll, platform, seedFlows, type Platform } from '../platform.ts';

/** flows(filter: { nameContains }) over fleets larger than an upstream page: Flow Service cannot filter on names. */
const SPARSE_ORG = 'NAMESEARCH00000000000000A@AdobeOrg';
const BROAD_ORG = 'NAMESEARCH00000000000000B@AdobeOrg';
const TIED_ORG = 'NAMESEARCH00000000000000C@AdobeOrg';
const FS = '/data/foundation/flowservice';
const FLEET = 250;
/** Every 25th flow is a needle: 10 in the fleet, about 4 in any page of 100. */
const nameOf = (i: number) => (i % 25 === 0 ? `Needle flow ${i}` : `Hay flow ${i}`);

let stack: Stack;
let sparse: Platform;
let broad: Platform;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: false } });
  [sparse, broad] = await Promise.all([
    platform(stack.emulator.url, SPARSE_ORG),
    platform(stack.emulator.url, BROAD_ORG),
  ]);
  await Promise.all([
    seedFlows(sparse, { flows: FLEET, schemas: 1, baseConnections: 1, nameOf }),
    seedFlows(broad, { flows: FLEET, schemas: 1, baseConnections: 1, nameOf }),
  ]);
});
afterAll(() => stack.stop());

const SEARCH = `query ($first: Int, $after: String, $name: String) {
  flows(first: $first, after: $after, filter: { nameContains: $name }) {
    totalCount
    nodes { id name }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const SEARCH_NO_COUNT = SEARCH.replace('totalCount', '');

interface Page {
  totalCount?: number;
  nodes: Array<{ id: string; name: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

async function search(p: Platform, variables: Record<string, unknown>, query = SEARCH): Promise<Page> {
  const res = await stack.gql(query, variables, p.headers);
  expect(res.errors).toBeUndefined();
  return res.data.flows as Page;
}

/** The API's order: newest first, flows created in the same millisecond by id. */
async function newestFirst(p: Platform): Promise<FlowDto[]> {
  return (await listAll<FlowDto>(p, 'flows')).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
}

describe('flows(filter: { nameContains }) over a fleet', () => {
  it('finds sparse matches by reading the fleet in parallel createdAt ranges, not page after page, and counts them', async () => {
    const needles = (await newestFirst(sparse)).filter((f) => f.name.startsWith('Needle'));
    expect(needles).toHaveLength(10);
    await stack.clearRequests();
    const page = await search(sparse, { first: 100, name: 'nEEDLE' });
    expect(page.nodes.map((n) => n.id)).toEqual(needles.map((f) => f.id));
    expect(page.totalCount).toBe(10);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const reads = flowListReads(await stack.requests(), SPARSE_ORG);
    expect(reads.filter((e) => e.query.includes('continuationToken'))).toEqual([]);
    expect(reads.filter((e) => e.query.includes('createdAt>=')).length).toBeGreaterThanOrEqual(1);
  });

  it('pages through sparse matches with flows created, renamed and deleted between pages, each untouched match once', async () => {
    const before = (await newestFirst(sparse)).filter((f) => f.name.startsWith('Needle'));
    // about 4 needles lie in any upstream page of 100: the first page is read from the fleet whole, or from one page
    const first = await search(sparse, { first: 5, name: 'needle' }, SEARCH_NO_COUNT);
    expect(first.nodes.map((n) => n.id)).toEqual(before.slice(0, 5).map((f) => f.id));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    // between pages: an unseen needle deleted, an unseen one renamed away, a new needle created (newer than all)
    const [deleted, renamed] = [before[6]!, before[8]!];
    await sparse.call('DELETE', `${FS}/flows/${deleted.id}`);
    const current = await sparse.call<{ items: Array<{ etag: string }> }>('GET', `${FS}/flows/${renamed.id}`);
    await sparse.call('PATCH', `${FS}/flows/${renamed.id}`, [{ op: 'replace', path: '/name', value: 'Hay now' }], {
      'if-match': current.items[0]!.etag,
    });
    const created = await seedFlows(sparse, {
      flows: 1,
      schemas: 1,
      baseConnections: 1,
      prefix: 'Late',
      nameOf: () => 'Needle flow, late',
    });

    const second = await search(sparse, { first: 5, after: first.pageInfo.endCursor, name: 'needle' });
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const gone = new Set([deleted.id, renamed.id]);
    expect(second.nodes.map((n) => n.id)).toEqual(
      before
        .slice(5)
        .filter((f) => !gone.has(f.id))
        .map((f) => f.id),
    );
    // the count is of the fleet now: the new needle counts, though it sorts before the cursor
    expect(second.totalCount).toBe(10 - 2 + 1);
    expect(second.nodes.map((n) => n.id)).not.toContain(created.flows[0]!.id);
  });

  it('answers a broad match from the first upstream page, then continues by sort key over the fleet read whole', async () => {
    const fleet = await newestFirst(broad);
    await stack.clearRequests();
    const first = await search(broad, { first: 10, name: 'FLOW' }, SEARCH_NO_COUNT);
    expect(first.nodes.map((n) => n.id)).toEqual(fleet.slice(0, 10).map((f) => f.id));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // one upstream read: the first page, newest first
    const reads = flowListReads(await stack.requests(), BROAD_ORG);
    expect(reads.map((e) => e.query)).toEqual([expect.stringContaining('orderby=-createdAt')]);
    expect(reads[0]!.query).toContain('limit=100');

    // a flow created between pages is newer than the cursor; a seen one deleted changes nothing after it
    await broad.call('DELETE', `${FS}/flows/${fleet[3]!.id}`);
    await seedFlows(broad, { flows: 1, schemas: 1, baseConnections: 1, prefix: 'Late' });
    const second = await search(broad, { first: 10, after: first.pageInfo.endCursor, name: 'FLOW' });
    expect(second.nodes.map((n) => n.id)).toEqual(fleet.slice(10, 20).map((f) => f.id));
    expect(second.totalCount).toBe(FLEET - 1 + 1);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('counts the matches of the fleet when the first page is answered from one upstream page', async () => {
    const page = await search(broad, { first: 3, name: 'needle' });
    const needles = (await newestFirst(broad)).filter((f) => f.name.startsWith('Needle'));
    expect(page.nodes.map((n) => n.id)).toEqual(needles.slice(0, 3).map((f) => f.id));
    expect(page.totalCount).toBe(needles.length);
  });

  it('reads the fleet whole when flows of the last match’s instant may lie past the upstream page', async () => {
    const tied = await platform(stack.emulator.url, TIED_ORG);
    // the emulator's clock all but stopped: 130 flows share one createdAt, more than a page
    await stack.control('PUT', '/__emulator/config', { timeScale: 1e-9 });
    try {
      await seedFlows(tied, { flows: 130, schemas: 1, baseConnections: 1 });
    } finally {
      await stack.control('PUT', '/__emulator/config', { timeScale: 1 });
    }
    const fleet = await newestFirst(tied);
    expect(new Set(fleet.map((f) => f.createdAt)).size).toBe(1);
    await stack.clearRequests();
    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Page = await search(tied, { first: 10, after, name: 'flow' }, SEARCH_NO_COUNT);
      ids.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // in the API's order (ties by id), each flow once: not the upstream's order of equal instants
    expect(ids).toEqual(fleet.map((f) => f.id));
    const reads = flowListReads(await stack.requests(), TIED_ORG);
    expect(reads.some((e) => e.query.includes('continuationToken'))).toBe(true);
  });

  it('says more may follow when the first upstream page holds exactly the matches asked for', async () => {
    const exact = await platform(stack.emulator.url, 'NAMESEARCH00000000000000E@AdobeOrg');
    // one flow per emulated second, oldest first: needles at 20 (past the first upstream page) and 60, 100 and 140 (in it)
    await seedFlows(exact, {
      flows: 150,
      schemas: 1,
      baseConnections: 1,
      nameOf: (i) => ([20, 60, 100, 140].includes(i) ? `Needle flow ${i}` : `Hay flow ${i}`),
      beforeFlow: async () => {
        await stack.control('POST', '/__emulator/clock', { advanceMs: 1000 });
      },
    });
    await stack.clearRequests();
    const page = await search(exact, { first: 3, name: 'needle' }, SEARCH_NO_COUNT);
    expect(page.nodes.map((n) => n.name)).toEqual(['Needle flow 140', 'Needle flow 100', 'Needle flow 60']);
    // answered from the one upstream page, whose three matches are all it has: the fourth lies in a later one
    expect(flowListReads(await stack.requests(), exact.org)).toHaveLength(1);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await search(exact, { first: 3, after: page.pageInfo.endCursor, name: 'needle' });
    expect(rest.nodes.map((n) => n.name)).toEqual(['Needle flow 20']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.totalCount).toBe(4);
  });

  it('answers a fleet of one upstream page from that page, with its count', async () => {
    const small = await platform(stack.emulator.url, 'NAMESEARCH00000000000000D@AdobeOrg');
    await seedFlows(small, { flows: 30, schemas: 1, baseConnections: 1, nameOf });
    await stack.clearRequests();
    const page = await search(small, { first: 100, name: 'needle' });
    expect(page.nodes.map((n) => n.name).sort()).toEqual(['Needle flow 0', 'Needle flow 25']);
    expect(page.totalCount).toBe(2);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });
});
