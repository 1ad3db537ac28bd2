import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { CREATE, baseConnectionOf, demoCounts, odataInput, writes } from './dataflowFixtures.ts';

const IMS = '/ims/token/v3';

/** The upstream requests of one createDataflow over the demo, IMS aside. */
async function requestsOfCreate(stack: Stack, input: Record<string, unknown>) {
  await stack.clearRequests();
  const res = await stack.gql(CREATE, { input });
  const log = (await stack.requests()).filter((r) => r.path !== IMS);
  return { res, log };
}

describe('a createDataflow that runs out of its upstream budget', () => {
  let needed: number;
  let stack: Stack;
  beforeAll(async () => {
    const probe = await startStack({ emulator: { demo: true } });
    try {
      const { res, log } = await requestsOfCreate(probe, odataInput(await baseConnectionOf(probe, 'generic-odata')));
      expect(res.data.createDataflow.userErrors).toEqual([]);
      needed = log.length;
    } finally {
      await probe.stop();
    }
    // one request short: the last write is never sent
    stack = await startStack({
      emulator: { demo: true },
      env: { MAX_UPSTREAM_REQUESTS_PER_OPERATION: String(needed - 1) },
    });
  });
  afterAll(() => stack.stop());

  it('undoes what it created, beyond the budget, and names the call it did not send', async () => {
    const input = odataInput(await baseConnectionOf(stack, 'generic-odata'));
    const before = await demoCounts(stack);
    const { res, log } = await requestsOfCreate(stack, input);
    const payload = res.data.createDataflow;
    expect(payload.flow).toBeNull();
    expect(payload.userErrors).toHaveLength(1);
    expect(payload.userErrors[0].message).toContain(
      `The operation has made the ${needed - 1} upstream requests it may: flowService POST flows was not sent`,
    );
    const status = Object.fromEntries(payload.steps.map((s: { name: string; status: string }) => [s.name, s.status]));
    expect(status).toMatchObject({
      sourceConnection: 'ROLLED_BACK',
      targetSchema: 'ROLLED_BACK',
      dataset: 'ROLLED_BACK',
      targetConnection: 'ROLLED_BACK',
      mappingSet: 'LEFT_BEHIND',
      flow: 'FAILED',
    });
    // the four deletes are sent past the budget: a write is never left half undone
    const deletes = writes(log).filter((w) => w.startsWith('DELETE '));
    expect(deletes).toHaveLength(4);
    expect(log).toHaveLength(needed - 1 + deletes.length);
    expect(writes(log)).not.toContain('POST /data/foundation/flowservice/flows');
    expect(await demoCounts(stack)).toEqual({ ...before, mappingSets: before['mappingSets']! + 1 });
  });
});
