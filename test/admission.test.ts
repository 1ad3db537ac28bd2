import { readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateObjects, WeightedGate } from '../src/admission.ts';
import { startStack, type Stack } from './harness.ts';

const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

function estimate(query: string, variables: Record<string, unknown> = {}): number {
  const op = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return estimateObjects(schema, op.selectionSet, schema.getQueryType()!, {}, variables);
}

describe('the estimate of an operation', () => {
  it('counts one object per linked field of a single flow', () => {
    expect(
      estimate('query($id: ID!) { flow(id: $id) { id name sourceConnections { id baseConnection { id } } } }', {
        id: 'f',
      }),
    ).toBe(3);
  });

  it('multiplies what is below a page by its size, from a variable or the schema default', () => {
    expect(estimate('query($n: Int!) { flows(first: $n) { nodes { id flowSpec { name } } } }', { n: 100 })).toBe(201);
    expect(estimate('{ flows { nodes { id } } }')).toBe(21);
  });
});

describe('the gate', () => {
  it('admits in arrival order, and a light operation does not overtake a waiting heavy one', async () => {
    const gate = new WeightedGate(80);
    const order: string[] = [];
    const held = await Promise.all(Array.from({ length: 8 }, () => gate.acquire(500)));
    const heavy = gate.acquire(500).then((release) => (order.push('heavy'), release));
    const light = gate.acquire(1).then((release) => (order.push('light'), release));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    held[0]!();
    (await heavy)();
    (await light)();
    expect(order).toEqual(['heavy', 'light']);
  });
});

describe('operations through the API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ emulator: { demo: true }, env: { MAX_OBJECTS_IN_FLIGHT: '80' } });
  });
  afterAll(() => stack.stop());

  it('runs at most eight heavy operations at once and queues the next until one is done', async () => {
    await stack.gql('{ flows(first: 1) { nodes { id } } }');
    await stack.control('PUT', '/__emulator/config', { latencyMs: 40 });
    await stack.clearRequests();
    let results;
    try {
      results = await Promise.all(
        Array.from({ length: 9 }, () => stack.gql('{ flows(first: 30) { nodes { id name } } }')),
      );
    } finally {
      await stack.control('PUT', '/__emulator/config', { latencyMs: 0 });
    }
    for (const res of results) expect(res.data.flows.nodes).toHaveLength(30);
    const lists = (await stack.requests()).filter(
      (r) => r.method === 'GET' && r.path === '/data/foundation/flowservice/flows',
    );
    expect(lists).toHaveLength(9);
    const inFlight = (t: number) => lists.filter((r) => r.startedAt <= t && t < r.startedAt + r.durationMs).length;
    expect(Math.max(...lists.map((r) => inFlight(r.startedAt)))).toBe(8);
    const last = [...lists].sort((a, b) => a.startedAt - b.startedAt)[8]!;
    expect(lists.some((r) => r.startedAt + r.durationMs <= last.startedAt)).toBe(true);
  });
});
