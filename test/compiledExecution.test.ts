import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY } from '../bench/dashboard.ts';
import { startStack, type Stack } from './harness.ts';

/** The README's queries that stand alone: no mutation, no value taken from an earlier example. */
function readmeQueries(): Array<[name: string, query: string, variables: Record<string, unknown> | undefined]> {
  const markdown = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const out: Array<[string, string, Record<string, unknown> | undefined]> = [];
  blocks.forEach((b, i) => {
    const name = /^query\s+(\w+)/m.exec(b.body)?.[1];
    if (b.lang !== 'graphql' || name === undefined || b.body.includes('{{')) return;
    const next = blocks[i + 1];
    if (next?.lang === 'json' && next.body.includes('{{')) return;
    out.push([name, b.body, next?.lang === 'json' ? (JSON.parse(next.body) as Record<string, unknown>) : undefined]);
  });
  return out;
}

let stack: Stack;

/** Every request has its own id, and every upstream answer its own: all else must be equal. */
const withoutRequestIds = (text: string) => text.replaceAll(/"(upstreamRequestId|requestId)":"[^"]*"/g, '"$1":"…"');

beforeAll(async () => {
  // each operation runs once on graphql-js, then compiled; one clock reading for both
  const now = Date.parse('2026-06-01T12:00:00Z');
  stack = await startStack({
    emulator: { demo: true, wallClock: () => now },
    env: { COMPILE_OPERATIONS_AFTER: '1' },
    server: { now: () => now },
  });
});
afterAll(() => stack.stop());
afterEach(() => stack.control('DELETE', '/__emulator/faults'));

/** The first answer (graphql-js) and the second (compiled) of the same request, as sent. */
async function bothWays(query: string, variables?: Record<string, unknown>) {
  const before = { ...stack.api.execution };
  const first = await stack.gql(query, variables);
  const second = await stack.gql(query, variables);
  const ran = {
    graphqlJs: stack.api.execution.graphqlJsExecutions - before.graphqlJsExecutions,
    compiled: stack.api.execution.compiledExecutions - before.compiledExecutions,
  };
  return { first, second, ran };
}

describe('compiled execution', () => {
  const queries = readmeQueries();

  it('finds the README queries', () => {
    expect(queries.map(([name]) => name)).toEqual(expect.arrayContaining(['Dashboard', 'Fleet', 'OneFlow', 'Data']));
  });

  it.each(queries)('answers the README query %s byte for byte as graphql-js does', async (_name, query, variables) => {
    const { first, second, ran } = await bothWays(query, variables);
    expect(ran).toEqual({ graphqlJs: 1, compiled: 1 });
    expect(first.errors).toBeUndefined();
    expect(second.status).toBe(first.status);
    expect(withoutRequestIds(second.text)).toBe(withoutRequestIds(first.text));
  });

  it('answers the dashboard page of the benchmark byte for byte as graphql-js does', async () => {
    const { first, second, ran } = await bothWays(DASHBOARD_QUERY, { first: 10 });
    expect(ran).toEqual({ graphqlJs: 1, compiled: 1 });
    expect(first.status).toBe(200);
    expect(first.data.flows.nodes).toHaveLength(10);
    expect(withoutRequestIds(second.text)).toBe(withoutRequestIds(first.text));
  });

  it('nulls the same fields with the same errors when an upstream fails', async () => {
    await stack.control('POST', '/__emulator/faults', {
      times: 100,
      method: 'GET',
      path: '^/data/foundation/catalog/dataSets',
      status: 500,
      body: { type: 'https://ns.adobe.com/aep/errors/CAT-1500-500', title: 'Catalog is down', status: 500 },
    });
    await stack.control('POST', '/__emulator/faults', {
      times: 100,
      method: 'GET',
      path: '^/data/foundation/flowservice/sourceConnections',
      status: 502,
      body: { code: 'FLOW-502', message: 'bad gateway' },
    });
    const query = `{ flows(first: 4) { nodes { id name sourceConnections { id baseConnection { name } }
      targetConnections { dataset { name schema { title } } } lastRun { status } } } }`;
    const { first, second, ran } = await bothWays(query);
    expect(ran).toEqual({ graphqlJs: 1, compiled: 1 });
    // in the order of their paths, whichever upstream answered first
    expect(first.errors?.map((e) => e.path)).toEqual(
      [0, 1, 2, 3].flatMap((i) => [
        ['flows', 'nodes', i, 'sourceConnections'],
        ['flows', 'nodes', i, 'targetConnections', 0, 'dataset'],
      ]),
    );
    // every upstream answer has its own request id
    expect(withoutRequestIds(second.text)).toBe(withoutRequestIds(first.text));
  });

  it('refuses the same bad variables with the same errors', async () => {
    const query = 'query Page($first: Int!, $after: String) { flows(first: $first, after: $after) { nodes { id } } }';
    for (const variables of [{ first: 'ten' }, {}, { first: 5, after: 7 }]) {
      const { first, second } = await bothWays(query, variables);
      expect(first.status).toBe(400);
      expect(second.status).toBe(first.status);
      expect(withoutRequestIds(second.text)).toBe(withoutRequestIds(first.text));
    }
  });

  it('nulls the nearest nullable parent of a non-null field the upstream left out, with the same error', async () => {
    const id = '50ba7c7197abff99aaa1fa09';
    await stack.control('POST', '/__emulator/faults', {
      times: 100,
      method: 'GET',
      path: `^/data/foundation/catalog/dataSets/${id}`,
      status: 200,
      body: { [id]: { schemaRef: { id: 'x' } } },
    });
    const query = `{ dataset(id: "${id}") { id name } connectionSpecs(first: 1) { nodes { id } } }`;
    const { first, second, ran } = await bothWays(query);
    expect(ran).toEqual({ graphqlJs: 1, compiled: 1 });
    expect(first.data.dataset).toBeNull();
    expect(first.errors?.[0]?.path).toEqual(['dataset', 'name']);
    expect(first.data.connectionSpecs.nodes).toHaveLength(1);
    expect(withoutRequestIds(second.text)).toBe(withoutRequestIds(first.text));
  });
});
