import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';
import { examples, fill, readme } from './readmeExamples.ts';

const all = examples(readme);
let stack: Stack;
const results: Record<string, unknown> = {};

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
});
afterAll(() => stack.stop());

describe('the README examples', () => {
  it('has an example of every mutation', () => {
    const mutations = [
      'createDataflow',
      'updateDataflow',
      'enableDataflow',
      'disableDataflow',
      'runDataflow',
      'deleteDataflow',
      'createStreamingDataflow',
      'sendStreamingRecords',
      'createBaseConnection',
      'updateBaseConnection',
      'deleteBaseConnection',
    ];
    for (const m of mutations)
      expect(
        all.some((e) => e.query.includes(`${m}(`)),
        m,
      ).toBe(true);
  });

  // in README order: later examples use what earlier ones created
  it.each(all.map((e) => [e.name, e] as const))(
    'runs %s against the demo data without errors',
    async (_name, example) => {
      const variables = example.variables === undefined ? undefined : JSON.parse(fill(example.variables, results));
      const res = await stack.gql(fill(example.query, results), variables);
      expect(res.errors).toBeUndefined();
      for (const [root, value] of Object.entries(res.data)) {
        const userErrors = (value as { userErrors?: unknown[] } | null)?.userErrors;
        if (userErrors !== undefined) expect(userErrors, root).toEqual([]);
        results[root] = value;
      }
    },
  );
});
