import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';

const ORG = 'CURSORBIND00000000000000A@AdobeOrg';
const PREFIX = 'cursorbind';

let stack: Stack;
let org: Platform;

beforeAll(async () => {
  stack = await startStack();
  org = await platform(stack.emulator.url, ORG);
  await seedFlows(org, { flows: 7, schemas: 1, datasets: 3, mappingSets: 1, baseConnections: 1, prefix: PREFIX });
}, 60_000);
afterAll(() => stack.stop());

const gql = (query: string, variables?: Record<string, unknown>) => stack.gql(query, variables, org.headers);

const FLOWS = `query($after: String, $filter: FlowFilter, $orderBy: FlowOrderBy) {
  flows(first: 3, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id name }
  }
}`;

const DATASETS = `query($after: String, $filter: DatasetFilter) {
  datasets(first: 2, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } nodes { id } }
}`;

/** The endCursor of the first page of `query` under `variables`. */
async function firstCursor(query: string, field: string, variables: Record<string, unknown>): Promise<string> {
  const res = await gql(query, variables);
  expect(res.errors).toBeUndefined();
  const cursor = res.data[field].pageInfo.endCursor as string | null;
  expect(cursor).toEqual(expect.any(String));
  return cursor!;
}

/** Asks `query` with a cursor made under other arguments: refused, and nothing is asked of the upstream. */
async function expectRefused(query: string, field: string, variables: Record<string, unknown>) {
  await stack.clearRequests();
  const res = await gql(query, variables);
  expect(res.data).toEqual({ [field]: null });
  expect(res.errors).toEqual([
    expect.objectContaining({
      path: [field],
      extensions: { code: 'BAD_USER_INPUT', field: 'after', requestId: expect.any(String) },
    }),
  ]);
  expect(res.errors![0]!.message).toMatch(/^after: .*made for other filter\/order arguments/);
  expect(await stack.requests()).toEqual([]);
}

describe('a cursor is bound to the list arguments that made it', () => {
  it.each([
    ['a state filter, reused with no filter', { filter: { state: 'ENABLED' } }, {}],
    ['no filter, reused with a state filter', {}, { filter: { state: 'ENABLED' } }],
    [
      'a name filter, reused with another name filter',
      { filter: { nameContains: PREFIX } },
      { filter: { nameContains: 'flow' } },
    ],
    [
      'name ascending, reused under created descending',
      { orderBy: { field: 'NAME', direction: 'ASC' } },
      { orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
    ],
    [
      'created descending (the default), reused under name descending',
      {},
      { orderBy: { field: 'NAME', direction: 'DESC' } },
    ],
    [
      'a health filter (fleet read), reused with another health',
      { filter: { health: 'NEVER_RUN' } },
      { filter: { health: 'LATE' } },
    ],
    [
      'a health filter, reused with another order',
      { filter: { health: 'NEVER_RUN' } },
      { filter: { health: 'NEVER_RUN' }, orderBy: { field: 'NAME', direction: 'ASC' } },
    ],
  ])('flows: a cursor made under %s is refused', async (_what, made, reused) => {
    const after = await firstCursor(FLOWS, 'flows', made);
    await expectRefused(FLOWS, 'flows', { ...reused, after });
  });

  it('datasets: a cursor made under a name filter is refused without it', async () => {
    const after = await firstCursor(DATASETS, 'datasets', { filter: { nameContains: PREFIX } });
    await expectRefused(DATASETS, 'datasets', { after });
  });

  it.each([
    ['no arguments', {}],
    ['a state filter', { filter: { state: 'ENABLED' } }],
    ['a state filter given with its unset members', { filter: { state: 'ENABLED', nameContains: null } }],
    ['name ascending', { orderBy: { field: 'NAME', direction: 'ASC' } }],
    [
      'a health filter and name descending',
      { filter: { health: 'NEVER_RUN' }, orderBy: { field: 'NAME', direction: 'DESC' } },
    ],
  ])('flows: with the same arguments (%s) the next pages follow on', async (_what, args) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res = await gql(FLOWS, { ...args, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.flows.nodes.map((n: { id: string }) => n.id));
      if (!res.data.flows.pageInfo.hasNextPage) break;
      after = res.data.flows.pageInfo.endCursor;
    }
    expect(after).not.toBeNull();
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('datasets: with the same filter the next page follows on', async () => {
    const variables = { filter: { nameContains: PREFIX } };
    const first = await gql(DATASETS, variables);
    const next = await gql(DATASETS, { ...variables, after: first.data.datasets.pageInfo.endCursor });
    expect(next.errors).toBeUndefined();
    const ids = [...first.data.datasets.nodes, ...next.data.datasets.nodes].map((n: { id: string }) => n.id);
    expect(new Set(ids).size).toBe(3);
  });
});
