import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowListReads, startStack, type Stack } from '../harness.ts';
import type { FlowDto } from '../../src/upstream/flowService/types.ts';
import { listAll, platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';

/** One org per test: each changes its own fleet. */
const HEALTH_ORG = 'FLEETSCAN000000000000000A@AdobeOrg';
const PAGING_ORG = 'FLEETSCAN000000000000000B@AdobeOrg';
const FS = '/data/foundation/flowservice';
/** More than two pages of 100, so the fleet is read in createdAt ranges. */
const FLEET = 250;

let stack: Stack;
let healthOrg: Platform;
let pagingOrg: Platform;
let healthSeeded: SeededOrg;
let pagingSeeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: false } });
  [healthOrg, pagingOrg] = await Promise.all([
    platform(stack.emulator.url, HEALTH_ORG),
    platform(stack.emulator.url, PAGING_ORG),
  ]);
  [healthSeeded, pagingSeeded] = await Promise.all([
    seedFlows(healthOrg, { flows: FLEET, schemas: 1, baseConnections: 1 }),
    seedFlows(pagingOrg, { flows: FLEET, schemas: 1, baseConnections: 1 }),
  ]);
});
afterAll(() => stack.stop());

const hold = (rule: Record<string, unknown>) => stack.control('POST', '/__emulator/holds', rule);
const waitHeld = async (count: number) =>
  ((await stack.control('POST', '/__emulator/holds/wait', { count })) as { held: number }).held;

/** Oldest first, as the emulator stores them. */
async function fleetOf(p: Platform): Promise<FlowDto[]> {
  return (await listAll<FlowDto>(p, 'flows')).sort((a, b) => a.createdAt - b.createdAt);
}

const FLEET_HEALTH = `query ($filter: FlowFilter) { fleetHealth(filter: $filter) { total byHealth { health count } } }`;

describe('fleetHealth at fleet scale', () => {
  it('reads the fleet in parallel createdAt ranges of one page each, and counts flows changed between its reads', async () => {
    const before = await fleetOf(healthOrg);
    expect(before).toHaveLength(FLEET);
    // the first round reads the oldest and the newest page: these two lie between them
    const [oldest, changed, deleted] = [before[0]!, before[120]!, before[130]!];

    // the first round (count, oldest page, newest flow) passes; every later read of /flows waits
    await hold({ method: 'GET', path: '/flows$', skip: 3, times: 1000 });
    await stack.clearRequests();
    const answer = stack.gql(FLEET_HEALTH, {}, healthOrg.headers);
    expect(await waitHeld(1)).toBeGreaterThanOrEqual(1);
    // between the first round and the range reads: one flow of the oldest page deleted, one
    // flow of a range disabled, one deleted, one created
    await healthOrg.call('DELETE', `${FS}/flows/${oldest.id}`);
    await healthOrg.call('POST', `${FS}/flows/${changed.id}/action?op=disable`);
    await healthOrg.call('DELETE', `${FS}/flows/${deleted.id}`);
    const created = await seedFlows(healthOrg, { flows: 1, schemas: 1, baseConnections: 1, prefix: 'Late' });
    // forgets the rule and lets the held reads go: reads sent from now on pass too
    await stack.control('DELETE', '/__emulator/holds');
    const res = await answer;
    expect(res.errors).toBeUndefined();

    // the oldest page was read before its flow went: it counts; the deleted range flow does
    // not, the created one does, the disabled one counts as disabled
    const counts = Object.fromEntries(
      res.data.fleetHealth.byHealth.map((h: { health: string; count: number }) => [h.health, h.count]),
    );
    expect(res.data.fleetHealth.total).toBe(FLEET);
    expect(counts).toEqual({ HEALTHY: 0, LATE: 0, FAILING: 0, DISABLED: 1, NEVER_RUN: FLEET - 1 });

    const reads = flowListReads(await stack.requests(), HEALTH_ORG);
    expect(reads.filter((e) => e.query.includes('continuationToken'))).toEqual([]);
    const ranges = reads.filter((e) => e.query.includes('createdAt>='));
    expect(reads.length).toBe(3 + ranges.length);
    // sized by the count: a few ranges past the oldest page, not one page after another
    expect(ranges.length).toBeGreaterThanOrEqual(2);
    expect(ranges.length).toBeLessThanOrEqual(Math.ceil(FLEET / 80) + 4);

    // the same question asked again sees the fleet as it is now
    const now = await fleetOf(healthOrg);
    const again = await stack.gql(FLEET_HEALTH, {}, healthOrg.headers);
    expect(again.data.fleetHealth.total).toBe(now.length);
    expect(now.map((f) => f.id)).toContain(created.flows[0]!.id);
    expect(now.map((f) => f.id)).not.toContain(oldest.id);
    expect(healthSeeded.flows).toHaveLength(FLEET);
  });
});

const HEALTH_PAGE = `query ($after: String) {
  flows(first: 100, after: $after, filter: { health: NEVER_RUN }) {
    totalCount
    nodes { id health }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

interface HealthPage {
  totalCount: number;
  nodes: Array<{ id: string; health: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

describe('flows filtered on health', () => {
  it('pages through the fleet with flows created, changed and deleted between and during pages, each untouched flow once', async () => {
    const page = async (after: string | null): Promise<HealthPage> => {
      const res = await stack.gql(HEALTH_PAGE, { after }, pagingOrg.headers);
      expect(res.errors).toBeUndefined();
      return res.data.flows as HealthPage;
    };
    const before = await fleetOf(pagingOrg);
    // the API's order: newest first, flows created in the same millisecond by id
    const newestFirst = [...before].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));

    const first = await page(null);
    expect(first.totalCount).toBe(FLEET);
    expect(first.nodes.map((n) => n.id)).toEqual(newestFirst.slice(0, 100).map((f) => f.id));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    // between pages: a seen flow and an unseen one deleted, an unseen one disabled, one created (newer than all)
    const seenDeleted = newestFirst[10]!;
    const unseenDeleted = newestFirst[120]!;
    const unseenDisabled = newestFirst[130]!;
    await pagingOrg.call('DELETE', `${FS}/flows/${seenDeleted.id}`);
    await pagingOrg.call('DELETE', `${FS}/flows/${unseenDeleted.id}`);
    await pagingOrg.call('POST', `${FS}/flows/${unseenDisabled.id}/action?op=disable`);
    const created = await seedFlows(pagingOrg, { flows: 1, schemas: 1, baseConnections: 1, prefix: 'Late' });

    // during the second page: its range reads wait while an unseen flow is deleted (the 110th
    // oldest: past the oldest page, which the first round reads before the change)
    const unseenDeletedDuring = newestFirst[140]!;
    await hold({ method: 'GET', path: '/flows$', skip: 3, times: 1000 });
    const pending = page(first.pageInfo.endCursor);
    expect(await waitHeld(1)).toBeGreaterThanOrEqual(1);
    await pagingOrg.call('DELETE', `${FS}/flows/${unseenDeletedDuring.id}`);
    await stack.control('DELETE', '/__emulator/holds');
    const second = await pending;
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    const last = await page(second.pageInfo.endCursor);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // the flows left now, less the disabled one; the one created after the first page counts
    expect(last.totalCount).toBe(FLEET - 3 - 1 + 1);

    const seen = [...first.nodes, ...second.nodes, ...last.nodes].map((n) => n.id);
    expect(new Set(seen).size).toBe(seen.length);
    const gone = new Set([unseenDeleted.id, unseenDisabled.id, unseenDeletedDuring.id]);
    expect(seen).toEqual(newestFirst.map((f) => f.id).filter((id) => !gone.has(id)));
    expect(seen).not.toContain(created.flows[0]!.id);
    expect(pagingSeeded.flows).toHaveLength(FLEET);
  });

  it('refuses a cursor it did not make, naming the argument', async () => {
    const res = await stack.gql(HEALTH_PAGE, { after: 'not-a-cursor' }, pagingOrg.headers);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(res.errors?.[0]?.message).toContain('after');
  });
});

/** Large enough that the span between the first round's pages is cut into ranges read from both ends. */
const WIDE_ORG = 'FLEETSCAN000000000000000C@AdobeOrg';
const WIDE_FLEET = 700;
/** Flows made in a few instants of more than a page each. */
const BUNCHED_ORG = 'FLEETSCAN000000000000000D@AdobeOrg';

/** What a drain of the fleet now says fleetHealth must answer: no flow has run, so enabled is NEVER_RUN. */
async function drainedHealth(p: Platform) {
  const now = await fleetOf(p);
  const disabled = now.filter((f) => f.state === 'disabled').length;
  return {
    total: now.length,
    counts: { HEALTHY: 0, LATE: 0, FAILING: 0, DISABLED: disabled, NEVER_RUN: now.length - disabled },
  };
}

async function fleetHealthOf(p: Platform) {
  const res = await stack.gql(FLEET_HEALTH, {}, p.headers);
  expect(res.errors).toBeUndefined();
  const byHealth = res.data.fleetHealth.byHealth as Array<{ health: string; count: number }>;
  return {
    total: res.data.fleetHealth.total as number,
    counts: Object.fromEntries(byHealth.map((h) => [h.health, h.count])),
  };
}

describe('fleetHealth over ranges read from both ends', () => {
  let wideOrg: Platform;
  beforeAll(async () => {
    wideOrg = await platform(stack.emulator.url, WIDE_ORG);
    await seedFlows(wideOrg, { flows: WIDE_FLEET, schemas: 1, baseConnections: 1 });
  });

  it('reads every page full but the last of each range, and counts flows changed between its reads', async () => {
    const before = await fleetOf(wideOrg);
    expect(before).toHaveLength(WIDE_FLEET);
    // outside the first round's oldest and newest pages
    const [deleted, changed] = [before[300]!, before[400]!];
    await hold({ method: 'GET', path: '/flows$', skip: 3, times: 1000 });
    await stack.clearRequests();
    const answer = stack.gql(FLEET_HEALTH, {}, wideOrg.headers);
    expect(await waitHeld(1)).toBeGreaterThanOrEqual(1);
    await wideOrg.call('DELETE', `${FS}/flows/${deleted.id}`);
    await wideOrg.call('POST', `${FS}/flows/${changed.id}/action?op=disable`);
    await seedFlows(wideOrg, { flows: 1, schemas: 1, baseConnections: 1, prefix: 'Late' });
    await stack.control('DELETE', '/__emulator/holds');
    const res = await answer;
    expect(res.errors).toBeUndefined();
    const reads = flowListReads(await stack.requests(), WIDE_ORG);
    expect(reads.filter((e) => e.query.includes('continuationToken'))).toEqual([]);
    const ranges = reads.filter((e) => e.query.includes('createdAt>='));
    expect(reads.length).toBe(3 + ranges.length);
    // both ends of a range read at once
    expect(ranges.some((e) => e.query.includes('orderby=-createdAt'))).toBe(true);
    // 7 pages hold the fleet: a range's first two pages overlap when it holds less than two
    // pages, and its last read may be short, but never twice the pages
    expect(reads.length).toBeLessThanOrEqual(2 * Math.ceil(WIDE_FLEET / 100));
    const expected = await drainedHealth(wideOrg);
    expect(expected).toEqual({ total: WIDE_FLEET, counts: expect.objectContaining({ DISABLED: 1 }) });
    expect(res.data.fleetHealth.total).toBe(expected.total);
    expect(
      Object.fromEntries(
        res.data.fleetHealth.byHealth.map((h: { health: string; count: number }) => [h.health, h.count]),
      ),
    ).toEqual(expected.counts);
  });

  it('reads flows created after its count, past what the count said, while the ranges wait', async () => {
    await hold({ method: 'GET', path: '/flows$', skip: 3, times: 1000 });
    const answer = stack.gql(FLEET_HEALTH, {}, wideOrg.headers);
    expect(await waitHeld(1)).toBeGreaterThanOrEqual(1);
    // the count said the fleet it had; now it holds two and a half pages more, all newer than the newest page read
    await seedFlows(wideOrg, { flows: 250, schemas: 1, baseConnections: 1, prefix: 'Later' });
    await stack.control('DELETE', '/__emulator/holds');
    const res = await answer;
    expect(res.errors).toBeUndefined();
    const expected = await drainedHealth(wideOrg);
    expect(expected.total).toBe(WIDE_FLEET + 250);
    expect(res.data.fleetHealth.total).toBe(expected.total);
    expect(await fleetHealthOf(wideOrg)).toEqual(expected);
  });
});

describe('fleetHealth over a fleet bunched in time', () => {
  it('reads instants of more than a page by their continuation tokens', async () => {
    const bunched = await platform(stack.emulator.url, BUNCHED_ORG);
    // the emulator's clock all but stopped: every flow seeded at once shares one createdAt
    await stack.control('PUT', '/__emulator/config', { timeScale: 1e-9 });
    try {
      for (const flows of [130, 40, 150, 20, 120]) {
        await seedFlows(bunched, { flows, schemas: 1, baseConnections: 1 });
        await stack.control('POST', '/__emulator/clock', { advanceMs: 7 });
      }
    } finally {
      await stack.control('PUT', '/__emulator/config', { timeScale: 1 });
    }
    const fleet = await fleetOf(bunched);
    expect(new Set(fleet.map((f) => f.createdAt)).size).toBe(5);
    await stack.clearRequests();
    expect(await fleetHealthOf(bunched)).toEqual(await drainedHealth(bunched));
    const reads = flowListReads(await stack.requests(), BUNCHED_ORG);
    expect(reads.filter((e) => e.query.includes('continuationToken')).length).toBeGreaterThan(0);
  });
});
