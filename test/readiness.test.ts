import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.ts';
import { startStack, type Stack } from './harness.ts';

// startStack's probe repeats only when a test says so (`readiness.refresh()`)

async function ready(stack: Stack): Promise<{ status: number; body: any }> {
  const res = await fetch(stack.api.url.replace('/graphql', '/ready'));
  return { status: res.status, body: await res.json() };
}

describe('/ready', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  it('answers 200 once the first probe reached the upstream and IMS, and from that probe, never probing per request', async () => {
    expect(await ready(stack)).toMatchObject({
      status: 200,
      body: {
        status: 'ready',
        targets: [
          { service: 'flowService', reachable: true },
          { service: 'ims', reachable: true },
        ],
      },
    });
    await stack.clearRequests();
    for (let i = 0; i < 5; i++) expect((await ready(stack)).status).toBe(200);
    expect(await stack.requests()).toEqual([]);
    await stack.api.readiness.refresh();
    expect((await stack.requests()).map((r) => r.path)).toContain('/data/foundation/flowservice/connectionSpecs');
  });

  it('answers 503 while IMS answers 5xx, and 200 again once it recovers', async () => {
    await stack.control('POST', '/__emulator/faults', { path: '^/ims/token/v3$', status: 503, times: 1 });
    await stack.api.readiness.refresh();
    expect(await ready(stack)).toMatchObject({
      status: 503,
      body: {
        status: 'unavailable',
        targets: [{ reachable: true }, { service: 'ims', reachable: false, detail: 'HTTP 503' }],
      },
    });
    // the API itself still answers what it can
    expect((await fetch(stack.api.url.replace('/graphql', '/health'))).status).toBe(200);
    await stack.api.readiness.refresh();
    expect((await ready(stack)).status).toBe(200);
  });

  it('answers 503 while IMS drops the connection', async () => {
    await stack.control('POST', '/__emulator/faults', { path: '^/ims/token/v3$', reset: 'unprocessed', times: 1 });
    await stack.api.readiness.refresh();
    expect(await ready(stack)).toMatchObject({
      status: 503,
      body: { status: 'unavailable', targets: [{ reachable: true }, { service: 'ims', reachable: false }] },
    });
    await stack.api.readiness.refresh();
    expect((await ready(stack)).status).toBe(200);
  });

  it('answers 503 while the upstream is down, and 200 once it is back on its port', async () => {
    const port = Number(new URL(stack.emulator.url).port);
    await stack.emulator.stop();
    let back: Emulator | undefined;
    try {
      await stack.api.readiness.refresh();
      expect(await ready(stack)).toMatchObject({
        status: 503,
        body: {
          targets: [{ reachable: false }, { reachable: false }],
        },
      });
      back = await startEmulator({ port, runScheduler: false });
      await stack.api.readiness.refresh();
      expect((await ready(stack)).status).toBe(200);
    } finally {
      await back?.stop();
    }
  });
});

describe('draining', () => {
  it('answers 503 on /ready from drain() on, while GraphQL and /health are still served', async () => {
    const stack = await startStack();
    try {
      stack.api.drain();
      expect(await ready(stack)).toMatchObject({ status: 503, body: { status: 'draining' } });
      // a probe that finds everything reachable does not end the drain
      await stack.api.readiness.refresh();
      expect((await ready(stack)).status).toBe(503);
      const res = await stack.gql('{ flows(first: 1) { totalCount } }');
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect((await fetch(stack.api.url.replace('/graphql', '/health'))).status).toBe(200);
    } finally {
      await stack.stop();
    }
  });

  it('lets an operation in flight finish when it stops, before stop() resolves', async () => {
    const stack = await startStack();
    try {
      // the server's IMS token first, so that the held request is the operation's own
      expect((await stack.gql('{ flows(first: 1) { totalCount } }')).errors).toBeUndefined();
      await stack.control('POST', '/__emulator/holds', { method: 'GET', path: 'flowservice/flows$', times: 1 });
      const pending = stack.gql('{ flows(first: 1) { totalCount } }');
      expect((await stack.control('POST', '/__emulator/holds/wait', { count: 1 })).held).toBe(1);
      let stopped = false;
      const stopping = stack.api.stop().then(() => (stopped = true));
      expect(stack.api.readiness.state().status).toBe('draining');
      // a round trip later the operation is still held, and stop() still waits for it
      expect(await stack.control('GET', '/__emulator/holds')).toBeDefined();
      expect(stopped).toBe(false);
      await stack.control('POST', '/__emulator/holds/release');
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      await stopping;
      expect(stopped).toBe(true);
    } finally {
      await stack.emulator.stop();
    }
  });
});
