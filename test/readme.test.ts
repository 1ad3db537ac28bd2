import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';

interface Example {
  name: string;
  query: string;
  variables: string | undefined;
}

/** Every ```graphql block of the README, with the ```json block right after it as its variables. */
function examples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const out: Example[] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== 'graphql') return;
    const next = blocks[i + 1];
    const name = /^(query|mutation)\s+(\w+)/m.exec(b.body)?.[2] ?? `example ${out.length + 1}`;
    out.push({ name, query: b.body, variables: next?.lang === 'json' ? next.body : undefined });
  });
  return out;
}

/** `{{root.path}}` stands for a value of an earlier example's result. */
function fill(text: string, results: Record<string, unknown>): string {
  return text.replace(/\{\{([\w.]+)\}\}/g, (_m, path: string) => {
    const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], results);
    if (value === undefined || value === null) throw new Error(`README placeholder {{${path}}} has no value`);
    return (typeof value === 'string' ? value : JSON.stringify(value)).replaceAll('"', '\\"');
  });
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
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
