import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { imsToken, platform, seedFlows } from '../platform.ts';
import { onRoute, routeCounts } from './requestLog.ts';

const OTHER_ORG = 'CALLER0000000000000000AA@AdobeOrg';
const FLOWS = '{ flows(first: 100) { nodes { id name } } }';

describe('server-to-server mode (ALLOW_ANONYMOUS=true)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ emulator: { demo: true } });
  });
  afterAll(() => stack.stop());

  it("serves a caller without credentials with the server's own token, org and default sandbox", async () => {
    await stack.clearRequests();
    const res = await stack.gql(FLOWS);
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.nodes).toHaveLength(36);
    const log = await stack.requests();
    expect(routeCounts(log)).toEqual({ 'POST /ims/token/v3': 1, 'GET flowService/flows': 1 });
    expect(onRoute(log, 'GET flowService/flows')[0]).toMatchObject({ org: DEMO_ORG, sandbox: 'prod', status: 200 });
  });

  it('uses the x-sandbox-name of a caller without credentials', async () => {
    await stack.clearRequests();
    const res = await stack.gql(FLOWS, {}, { 'x-sandbox-name': 'dev' });
    expect(res.data.flows.nodes).toEqual([]);
    expect(onRoute(await stack.requests(), 'GET flowService/flows')[0]).toMatchObject({
      org: DEMO_ORG,
      sandbox: 'dev',
    });
  });

  it("refuses a caller naming another org without a token, rather than answering with the server's org", async () => {
    await stack.clearRequests();
    const res = await stack.gql(FLOWS, {}, { 'x-gw-ims-org-id': OTHER_ORG });
    expect(res.status).toBe(401);
    expect(res.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED', requestId: expect.any(String) } }),
    ]);
    expect(await stack.requests()).toEqual([]);
  });

  it("forwards a caller's token, api key, org and sandbox, and fetches no token of its own", async () => {
    const caller = await platform(stack.emulator.url, OTHER_ORG, 'dev', 'caller-client');
    await seedFlows(caller, { flows: 2, schemas: 1, baseConnections: 1, prefix: 'Caller' });
    await stack.clearRequests();
    const res = await stack.gql(FLOWS, {}, caller.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.nodes.map((f: { name: string }) => f.name).sort()).toEqual([
      'Caller flow 000',
      'Caller flow 001',
    ]);
    // the emulator accepts a token only with the api key of the client it was issued to
    const log = await stack.requests();
    expect(routeCounts(log)).toEqual({ 'GET flowService/flows': 1 });
    expect(log[0]).toMatchObject({ org: OTHER_ORG, sandbox: 'dev', status: 200 });
  });

  it('answers UNAUTHENTICATED when the platform rejects the forwarded token', async () => {
    const res = await stack.gql(
      FLOWS,
      {},
      { authorization: 'Bearer not-a-token', 'x-api-key': 'caller-client', 'x-gw-ims-org-id': OTHER_ORG },
    );
    expect(res.data).toEqual({ flows: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['flows'],
        extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', service: 'flowService', status: 401 }),
      }),
    ]);
    expect(res.text).not.toContain('not-a-token');
  });

  it.each([
    ['without x-api-key', { authorization: 'Bearer abc', 'x-gw-ims-org-id': OTHER_ORG }],
    ['without x-gw-ims-org-id', { authorization: 'Bearer abc', 'x-api-key': 'k' }],
    [
      'with a non-bearer Authorization',
      { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'k', 'x-gw-ims-org-id': OTHER_ORG },
    ],
  ])('answers 401 UNAUTHENTICATED to a caller %s, without asking the upstream', async (_what, headers) => {
    await stack.clearRequests();
    const res = await stack.gql(FLOWS, {}, headers);
    expect(res.status).toBe(401);
    expect(res.errors).toEqual([
      {
        message: expect.not.stringContaining('Context creation failed'),
        extensions: { code: 'UNAUTHENTICATED', requestId: expect.any(String) },
      },
    ]);
    expect(await stack.requests()).toEqual([]);
  });
});

describe('pass-through only (ALLOW_ANONYMOUS=false)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ALLOW_ANONYMOUS: 'false' } });
  });
  afterAll(() => stack.stop());

  it('answers 401 UNAUTHENTICATED to a caller without credentials, asking nothing upstream', async () => {
    await stack.clearRequests();
    const res = await stack.gql(FLOWS);
    expect(res.status).toBe(401);
    expect(res.errors).toEqual([
      {
        message: expect.stringContaining('Authorization'),
        extensions: { code: 'UNAUTHENTICATED', requestId: expect.any(String) },
      },
    ]);
    expect(await stack.requests()).toEqual([]);
  });

  it('serves a caller that sends its own credentials', async () => {
    const caller = await platform(stack.emulator.url, DEMO_ORG, 'prod', 'own-client');
    await stack.clearRequests();
    const res = await stack.gql(FLOWS, {}, caller.headers);
    expect(res).toMatchObject({ status: 200, data: { flows: { nodes: [] } } });
    expect(res.errors).toBeUndefined();
    const log = await stack.requests();
    expect(routeCounts(log)).toEqual({ 'GET flowService/flows': 1 });
    expect(log[0]).toMatchObject({ org: DEMO_ORG, status: 200 });
  });
});

describe("the server's own IMS token", () => {
  let stack: Stack;
  // hour-long tokens, refreshed 60 s before they expire by the API's clock, which the test moves
  beforeAll(async () => {
    stack = await startStack({ emulator: { tokenTtlSeconds: 3600 } });
  });
  afterAll(() => stack.stop());

  const tokenFetches = async () => onRoute(await stack.requests(), 'POST /ims/token/v3').length;

  it('is fetched once for concurrent first callers', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => stack.gql(FLOWS)));
    for (const res of results) expect(res).toMatchObject({ status: 200, data: { flows: { nodes: [] } } });
    expect(await tokenFetches()).toBe(1);
  });

  it('is reused by later callers until shortly before it expires', async () => {
    await stack.clearRequests();
    for (let i = 0; i < 3; i++) expect((await stack.gql(FLOWS)).errors).toBeUndefined();
    expect(await tokenFetches()).toBe(0);
  });

  it('is refreshed once, for concurrent callers, when it nears expiry', async () => {
    stack.advanceClock(3_541_000);
    await stack.clearRequests();
    const results = await Promise.all(Array.from({ length: 8 }, () => stack.gql(FLOWS)));
    for (const res of results) expect(res.errors).toBeUndefined();
    expect(await tokenFetches()).toBe(1);
    const platformCalls = (await stack.requests()).filter((e) => e.path.startsWith('/data/'));
    expect(platformCalls.every((e) => e.status === 200)).toBe(true);
  });

  it('is fetched anew after the platform rejected it', async () => {
    await stack.control('POST', '/__emulator/faults', {
      path: '^/data/foundation/flowservice/flows$',
      status: 401,
      times: 1,
      body: { error_code: '401013', message: 'Oauth token is not valid' },
    });
    const rejected = await stack.gql(FLOWS);
    expect(rejected.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    await stack.clearRequests();
    expect((await stack.gql(FLOWS)).errors).toBeUndefined();
    expect(await tokenFetches()).toBe(1);
  });
});

describe('IMS failing to issue the server its token', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ emulator: { demo: true } });
  });
  afterAll(() => stack.stop());

  it('answers 502 UPSTREAM_ERROR naming IMS, without the client secret, and tries again on the next request', async () => {
    await stack.control('POST', '/__emulator/faults', {
      path: '^/ims/token/v3$',
      status: 400,
      times: 1,
      body: { error: 'invalid_client', error_description: 'client_secret test-secret-value is not valid' },
    });
    const res = await stack.gql(FLOWS);
    expect(res.status).toBe(502);
    expect(res.errors).toEqual([
      {
        message: expect.any(String),
        extensions: {
          code: 'UPSTREAM_ERROR',
          service: 'ims',
          status: 400,
          upstreamCode: 'invalid_client',
          operation: 'POST token v3',
          upstreamRequestId: expect.any(String),
          requestId: expect.any(String),
        },
      },
    ]);
    expect(res.text).not.toContain('test-secret-value');
    const retried = await stack.gql(FLOWS);
    expect(retried.errors).toBeUndefined();
  });

  it('is not needed by a caller that brings its own token', async () => {
    const own = await imsToken(stack.emulator.url, 'own-client');
    await stack.control('POST', '/__emulator/faults', { path: '^/ims/token/v3$', status: 500, times: 5 });
    await stack.clearRequests();
    const res = await stack.gql(
      FLOWS,
      {},
      { authorization: `Bearer ${own}`, 'x-api-key': 'own-client', 'x-gw-ims-org-id': DEMO_ORG },
    );
    expect(res.data.flows.nodes).toHaveLength(36);
    expect(routeCounts(await stack.requests())).toEqual({ 'GET flowService/flows': 1 });
    await stack.control('DELETE', '/__emulator/faults');
  });
});

describe('health and readiness', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  const get = async (path: string) => {
    const res = await fetch(stack.api.url.replace(/\/graphql$/, path));
    return { status: res.status, body: await res.json() };
  };

  it('answers /health and /ready with 200 without credentials or upstream calls', async () => {
    await stack.clearRequests();
    expect(await get('/health')).toEqual({ status: 200, body: { status: 'ok' } });
    // from the probe made at start: /ready itself asks nothing upstream
    expect(await get('/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await stack.requests()).toEqual([]);
  });

  it('answers 404 for other paths', async () => {
    expect((await get('/nope')).status).toBe(404);
  });
});
