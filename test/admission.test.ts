import { readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateObjects, WeightedGate } from '../src/admission.ts';

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
    // every admission that could happen has happened once the event loop has turned
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    held[0]!();
    (await heavy)();
    (await light)();
    expect(order).toEqual(['heavy', 'light']);
  });
});

describe('the gate under a full budget', () => {
  it('runs at most eight heavy operations at once and admits the ninth only when one is done', async () => {
    const gate = new WeightedGate(80);
    const admitted: number[] = [];
    const releases = Array.from({ length: 9 }, (_x, i) =>
      gate.acquire(10_000).then((release) => (admitted.push(i), release)),
    );
    await new Promise((r) => setImmediate(r));
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    (await releases[3]!)();
    await new Promise((r) => setImmediate(r));
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [i, release] of releases.entries()) if (i !== 3) (await release)();
  });
});
