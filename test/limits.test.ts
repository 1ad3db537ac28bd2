import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createCostEstimator, operationCost, TooManyNodesError, unsizedLists } from '../src/graph/cost.ts';
import { ABUSIVE, nest } from './abusiveQueries.ts';
import { startStack, type Stack } from './harness.ts';

const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
const estimator = createCostEstimator(schema, { ingestionMaxPoints: 1_000 });
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  operationCost(schema, estimator, parse(query), undefined, variables, 10_000);

describe('the cost of an operation', () => {
  it('gives every list that takes no first an assumed size', () => {
    expect(unsizedLists(schema)).toEqual([]);
  });

  it('counts one object per linked field of a single flow, and each unpaged list at its assumed size', () => {
    // flow 1, sourceConnections 5 x (itself 1 + baseConnection 1)
    expect(
      cost('query($id: ID!) { flow(id: $id) { id name sourceConnections { id baseConnection { id } } } }', { id: 'f' }),
    ).toBe(11);
  });

  it('multiplies what is below a page by its first, from a variable or the schema default', () => {
    expect(cost('query($n: Int!) { flows(first: $n) { nodes { id flowSpec { name } } } }', { n: 100 })).toBe(201);
    expect(cost('{ flows { nodes { id } } }')).toBe(21);
    // a first over the maximum page is an input error at execution; it weighs as a full page
    expect(cost('{ flows(first: 100000) { nodes { id } } }')).toBe(101);
  });

  it('weighs the nested spec lists by their sizes, so four levels of them cost more than any limit', () => {
    expect(cost('{ connectionSpec(id: "x") { flowSpecs { sourceConnectionSpecs { id } } } }')).toBe(1 + 20 * (1 + 100));
    expect(cost(ABUSIVE.specPingPong)).toBeGreaterThan(1e12);
  });

  it('weighs a time series by the buckets of its window, and a window past the bound as one item', () => {
    const series = (start: string, end: string, granularity: string) =>
      cost(
        `{ dataset(id: "d") { ingestion(start: "${start}", end: "${end}", granularity: ${granularity}) { at recordsIngested } } }`,
      );
    // dataset 1, nine DAY points of the guide's example window
    expect(series('2020-07-14T00:00:00Z', '2020-07-22T00:00:00Z', 'DAY')).toBe(1 + 9);
    expect(series('2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'HOUR')).toBe(1 + 1);
  });

  it('stops after its selection budget on fragments that spread each other exponentially', () => {
    const doc = parse(ABUSIVE.fragmentBomb);
    expect(() => operationCost(schema, estimator, doc, undefined, {}, 1_000)).toThrow(TooManyNodesError);
  });

  it('does not count introspection, which reads the static schema', () => {
    expect(cost('{ __schema { types { name fields { name type { name } } } } }')).toBe(0);
  });
});

describe('the limits as configuration', () => {
  it('have documented defaults, and a tenant budget within the global one', () => {
    const config = loadConfig({});
    expect(config.limits).toEqual({
      maxDepth: 12,
      maxAliases: 20,
      maxDirectives: 20,
      maxTokens: 2000,
      maxCost: 20_000,
      maxNodes: 5000,
    });
    expect(config.maxObjectsInFlightPerTenant).toBe(4000);
    expect(() => loadConfig({ MAX_OBJECTS_IN_FLIGHT_PER_TENANT: '9000', MAX_QUERY_DEPTH: '0' })).toThrow(
      /MAX_QUERY_DEPTH="0": must be an integer from 1 to 1000\n.*MAX_OBJECTS_IN_FLIGHT_PER_TENANT=9000: must be from 1 to MAX_OBJECTS_IN_FLIGHT \(8000\)/s,
    );
  });
});

describe('limits before execution', () => {
  let stack: Stack;
  let wide: Stack;
  beforeAll(async () => {
    [stack, wide] = await Promise.all([
      startStack({ emulator: { demo: true } }),
      // tokens and cost out of the way, to show the alias limit on its own
      startStack({ emulator: { demo: true }, env: { MAX_QUERY_TOKENS: '100000', MAX_QUERY_COST: '100000000' } }),
    ]);
    // the server's IMS token, fetched once: after it, a rejected query reaches no upstream at all
    for (const s of [stack, wide]) expect((await s.gql('{ flows(first: 1) { nodes { id } } }')).errors).toBeUndefined();
  });
  afterAll(async () => {
    await Promise.all([stack.stop(), wide.stop()]);
  });

  const rejected = async (s: Stack, query: string, code: string) => {
    await s.clearRequests();
    const res = await s.gql(query);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.map((e) => e.extensions?.['code'])).toEqual([code]);
    expect(await s.requests()).toEqual([]);
    return res.errors![0]!.message;
  };

  it('rejects ConnectionSpec.flowSpecs and FlowSpec.sourceConnectionSpecs nested four levels as too complex', async () => {
    expect(await rejected(stack, ABUSIVE.specPingPong, 'QUERY_TOO_COMPLEX')).toMatch(
      /^Cost limit of 20000 exceeded, found \d+/,
    );
  });

  it('rejects flow, sourceConnections, baseConnection, flows nested ten levels as too deep', async () => {
    expect(await rejected(stack, ABUSIVE.flowChain, 'QUERY_TOO_DEEP')).toBe(
      'Query depth limit of 12 exceeded, found 43.',
    );
  });

  it('rejects 24 fragments that each spread the next one twice without expanding them all', async () => {
    expect(await rejected(stack, ABUSIVE.fragmentBomb, 'QUERY_TOO_COMPLEX')).toMatch(
      /^Anonymous operation recursively requests too many selections\./,
    );
  });

  it('rejects 1,000 aliases of flows(first: 100) by their tokens, and by their aliases once tokens allow them', async () => {
    expect(await rejected(stack, ABUSIVE.aliases, 'TOO_MANY_TOKENS')).toBe(
      'Token limit of 2000 exceeded: the document is not parsed further.',
    );
    expect(await rejected(wide, ABUSIVE.aliases, 'TOO_MANY_ALIASES')).toBe('Aliases limit of 20 exceeded, found 1000.');
  });

  it('rejects first: 100 nested four levels as too complex', async () => {
    expect(await rejected(stack, ABUSIVE.nestedPages, 'QUERY_TOO_COMPLEX')).toMatch(/found 1\d{8}/);
  });

  it('rejects more directives than the limit', async () => {
    expect(await rejected(stack, ABUSIVE.directives, 'TOO_MANY_DIRECTIVES')).toBe(
      'Directives limit of 20 exceeded, found 30.',
    );
  });

  it('runs an operation at the depth, alias and cost limits', async () => {
    const aliases = Array.from({ length: 20 }, (_x, i) => `a${i}: flows(first: 1) { totalCount }`).join(' ');
    // depth 12: flow, then lastRun and flow five times, then id
    const deep = `flow(id: "none") { ${nest(5, 'lastRun { flow { ', 'id')} }`;
    // 1 + 100 x (nodes 1 + runs 1 + 98 x (node 1 + metrics 1)) = 19,801, with the 20 aliases and the deep flow 19,832
    const heavy = 'flows(first: 100) { nodes { runs(first: 98) { nodes { id metrics { outputRecords } } } } }';
    expect(cost(`{ ${aliases} ${heavy} ${deep} }`)).toBe(19_832);
    const res = await stack.gql(`{ ${aliases} ${heavy} ${deep} }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.a19.totalCount).toBeGreaterThan(0);
    expect(res.data.flow).toBeNull();
  });
});
