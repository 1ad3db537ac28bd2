import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from './harness.ts';
import { examples, fill, readme } from './readmeExamples.ts';
import { connect, subscribe } from './subscriber.ts';
import { runEventKey } from '../src/live/runEvents.ts';

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

  it.each(all.filter((e) => e.query.startsWith('subscription')).map((e) => [e.name, e] as const))(
    'delivers %s over WebSocket for a failed run of the demo data',
    async (_name, example) => {
      const res = await stack.gql(
        `{ flows(first: 100) { nodes { id runs(first: 5, filter: { status: FAILED }) { nodes { id } } } } }`,
      );
      const flow = res.data.flows.nodes.find((f: { runs: { nodes: unknown[] } }) => f.runs.nodes.length > 0);
      const runId = flow.runs.nodes[0].id as string;
      const tenant = { org: DEMO_ORG, sandbox: 'prod' };
      const hub = stack.api.live.hub;
      const sub = subscribe(connect(stack.api.url), example.query);
      await hub.until(() => hub.subscribers(tenant) === 1);
      await stack.api.runEvents.publish({
        ...tenant,
        key: runEventKey(runId, 'failed'),
        flowId: flow.id,
        runId,
        status: 'failed',
        finishedAt: Date.now(),
        source: 'webhook',
      });
      const result = await sub.next();
      expect(result.errors).toBeUndefined();
      expect(result.data).toMatchObject({ flowRunUpdated: { id: runId, flowId: flow.id, status: 'FAILED' } });
      await sub.close();
    },
  );

  // in README order: later examples use what earlier ones created
  it.each(all.filter((e) => !e.query.startsWith('subscription')).map((e) => [e.name, e] as const))(
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
