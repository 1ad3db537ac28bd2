import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createSubscriptionClient,
  FlowRunUpdatedDocument,
  GraphQLResponseError,
  type FlowRunUpdatedSubscription,
  type FlowRunUpdatedSubscriptionVariables,
} from 'ingestion-graph/client';
import { startStack, type Stack } from './harness.ts';
import { platform, seedFlows, type Platform } from './platform.ts';
import { examples, readme } from './readmeExamples.ts';
import { readFileSync } from 'node:fs';

const ORG = 'CLIENTSUB000000000000000@AdobeOrg';
const FS = '/data/foundation/flowservice';

let stack: Stack;
let p: Platform;

beforeAll(async () => {
  // no poller: the run's completion comes through the emulator's I/O Events webhook alone
  stack = await startStack({ env: { POLL_INTERVAL_MS: '0' } });
  p = await platform(stack.emulator.url, ORG);
  await stack.control('POST', '/__emulator/webhooks', {
    url: new URL('/webhooks/io-events', stack.api.url).href,
    clientId: 'ingestion-graph-test',
  });
});
afterAll(() => stack.stop());

const tenant = () => ({ org: ORG, sandbox: 'prod' });

describe('typed subscriptions (ingestion-graph/client createSubscriptionClient)', () => {
  it('is generated from the README’s FlowRunUpdated example, unchanged', () => {
    const operation = readFileSync(new URL('../client/operations/FlowRunUpdated.graphql', import.meta.url), 'utf8');
    expect(examples(readme).find((e) => e.name === 'FlowRunUpdated')?.query).toBe(operation);
  });

  it('delivers a failed run reported by the webhook, typed by the document, and completes when the loop is left', async () => {
    const { flows } = await seedFlows(p, {
      flows: 2,
      prefix: 'ClientSub',
      runs: true,
      descriptionOf: (i) => (i === 0 ? '[emulator:fail]' : '[emulator:succeed]'),
    });
    const failing = flows[0]!;
    const client = createSubscriptionClient({ url: stack.api.url, headers: p.headers, webSocketImpl: WebSocket });
    const variables: FlowRunUpdatedSubscriptionVariables = { statuses: ['FAILED'] };
    const events = client.subscribe(FlowRunUpdatedDocument, variables);
    // the first next() opens the socket and subscribes; the run finishes once the API holds the subscriber
    const first = events.next();
    await stack.api.live.hub.until(() => stack.api.live.hub.subscribers(tenant()) === 1);
    await stack.control('POST', '/__emulator/runs/settle', { org: ORG });
    const step = await first;
    expect(step.done).toBe(false);
    const value = step.value as FlowRunUpdatedSubscription;
    expectTypeOf(step.value).toEqualTypeOf<FlowRunUpdatedSubscription | void>();
    expectTypeOf(value.flowRunUpdated.flow).exclude<null>().toHaveProperty('health');
    // the succeeding flow's run was filtered out: the failed one is the first event
    expect(value.flowRunUpdated).toMatchObject({
      flowId: failing.id,
      status: 'FAILED',
      flow: { id: failing.id, name: failing.name, health: 'FAILING' },
    });
    expect(value.flowRunUpdated.errors.length).toBeGreaterThan(0);
    const runs = await p.call<{ items: Array<{ id: string }> }>('GET', `${FS}/runs?property=flowId==${failing.id}`);
    expect(runs.items.map((r) => r.id)).toContain(value.flowRunUpdated.id);

    await events.return();
    await stack.api.live.hub.until(() => stack.api.live.hub.subscribers(tenant()) === 0);
    await client.dispose();
  });

  it('ends with a GraphQLResponseError when the API refuses the subscription, and an Error on refused credentials', async () => {
    const client = createSubscriptionClient({ url: stack.api.url, headers: p.headers, webSocketImpl: WebSocket });
    const tooMany = client.subscribe(FlowRunUpdatedDocument, {
      flowIds: Array.from({ length: 1_001 }, (_, i) => `f${i}`),
    });
    const refused = await tooMany.next().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLResponseError);
    expect((refused as GraphQLResponseError).errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await client.dispose();

    const stranger = createSubscriptionClient({
      url: stack.api.url,
      headers: { ...p.headers, authorization: 'Bearer not-a-real-token-0123456789' },
      webSocketImpl: WebSocket,
      client: { retryAttempts: 0 },
    });
    const closed = await stranger
      .subscribe(FlowRunUpdatedDocument)
      .next()
      .catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(Error);
    expect((closed as Error).message).toContain('4403');
    expect((closed as Error).message).not.toContain('not-a-real-token');
    await stranger.dispose();
  });
});

/** Never called: the compiler (`npm run typecheck`) checks what a caller may and may not write. */
export function typedSubscriptionsOnly(url: string) {
  const client = createSubscriptionClient({ url });
  // @ts-expect-error statuses are RunStatus values
  void client.subscribe(FlowRunUpdatedDocument, { statuses: ['BROKEN'] });
  void (async () => {
    for await (const event of client.subscribe(FlowRunUpdatedDocument)) {
      // @ts-expect-error FlowRunUpdated does not select a run's activities
      void event.flowRunUpdated.activities;
    }
  })();
}
