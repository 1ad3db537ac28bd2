import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startStack, type Stack } from './harness.ts';
import { platform } from './platform.ts';

const ORG = 'RATELIMIT000000000000001@AdobeOrg';
const READ = '{ flows(first: 1) { nodes { id } } }';
const ANONYMOUS = 'address:127.0.0.1';
/** Nothing refills during a test: every count below is the window's. */
const HOUR_MS = '3600000';

/** A raw POST, so that a body that is not JSON can be sent too. */
async function post(stack: Stack, body: string, headers: Record<string, string> = {}, signal?: AbortSignal) {
  const res = await fetch(stack.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as any };
}
const read = (stack: Stack, headers?: Record<string, string>) => post(stack, JSON.stringify({ query: READ }), headers);

describe('the rate limit of one caller', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        RATE_LIMIT_REQUESTS: '3',
        RATE_LIMIT_WINDOW_MS: HOUR_MS,
        RATE_LIMIT_QUEUE: '0',
        RATE_LIMIT_REJECT_DELAY_MS: '0',
      },
    });
  });
  afterAll(() => stack.stop());
  beforeEach(async () => {
    await stack.api.rateLimit!.forget(ANONYMOUS);
    await stack.clearRequests();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, before reading the body, with no upstream request', async () => {
    for (let i = 0; i < 3; i++) expect((await read(stack)).status).toBe(200);
    await stack.clearRequests();
    const before = stack.api.rateLimit!.counters();

    // not JSON: refused for the rate, never parsed
    const refused = await post(stack, 'not json {');
    expect(refused.status).toBe(429);
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.json.errors[0].message).toMatch(/Rate limit of 3 requests per 3600000 ms exceeded/);
    expect(Number(refused.retryAfter)).toBeGreaterThan(3000);
    expect(refused.json.errors[0].extensions.retryAfterSeconds).toBe(Number(refused.retryAfter));
    expect((await read(stack)).status).toBe(429);

    expect(await stack.requests()).toEqual([]);
    const after = stack.api.rateLimit!.counters();
    expect(after.refused - before.refused).toBe(2);
    expect(after.admitted - before.admitted).toBe(0);
    // the limit is on GraphQL requests only
    expect((await fetch(stack.api.url.replace('/graphql', '/health'))).status).toBe(200);
  });

  it('counts a confirmed pass-through caller on its own, and a made-up token against its address', async () => {
    const real = await platform(stack.emulator.url, ORG, 'own-budget');
    // its first request is not confirmed yet: it counts against the address, and its answer confirms it
    expect((await read(stack, real.headers)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await read(stack)).status).toBe(200);
    expect((await read(stack)).status).toBe(429);
    const madeUp = { ...real.headers, authorization: 'Bearer made-up-token-naming-the-org' };
    expect((await read(stack, madeUp)).status).toBe(429);

    for (let i = 0; i < 3; i++) expect((await read(stack, real.headers)).json.errors).toBeUndefined();
    const over = await read(stack, real.headers);
    expect(over.status).toBe(429);
    expect(over.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    // the upstream saw the caller's four answered reads and nothing of the refused ones
    const log = await stack.requests();
    expect(log.filter((r) => r.org === ORG)).toHaveLength(4);
    expect(log.filter((r) => r.org !== ORG && !r.path.startsWith('/ims'))).toHaveLength(2);
  });
});

describe('the queue of a caller over its limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        RATE_LIMIT_REQUESTS: '1',
        RATE_LIMIT_WINDOW_MS: HOUR_MS,
        RATE_LIMIT_QUEUE: '2',
        RATE_LIMIT_REJECT_DELAY_MS: '0',
      },
    });
  });
  afterAll(() => stack.stop());

  it('holds requests past the limit in order up to the queue, refuses the next, and drops one whose client left', async () => {
    const limiter = stack.api.rateLimit!;
    expect((await read(stack)).status).toBe(200);
    await stack.clearRequests();

    const second = read(stack);
    await vi.waitFor(() => expect(limiter.counters().waiting).toBe(1));
    const leaving = new AbortController();
    const third = post(stack, JSON.stringify({ query: READ }), {}, leaving.signal);
    await vi.waitFor(() => expect(limiter.counters().waiting).toBe(2));
    const fourth = await read(stack);
    expect(fourth.status).toBe(429);
    expect(fourth.json.errors[0].extensions.code).toBe('RATE_LIMITED');

    leaving.abort();
    await expect(third).rejects.toThrow();
    await vi.waitFor(() => expect(limiter.counters().waiting).toBe(1));
    expect(limiter.counters()).toMatchObject({ queued: 2, abandoned: 1, refused: 1 });
    expect(await stack.requests()).toEqual([]);

    // a new window: the one still waiting goes on; the one that left is never executed
    await limiter.forget(ANONYMOUS);
    const answered = await second;
    expect(answered.status).toBe(200);
    expect(answered.json.errors).toBeUndefined();
    expect(limiter.counters().waiting).toBe(0);
    const log = (await stack.requests()).filter((r) => !r.path.startsWith('/ims'));
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /data/foundation/flowservice/flows']);
  });
});

describe('rate limit configuration', () => {
  it('defaults to 100 requests per second per caller, 500 waiting, refusals held up to 1 s; 0 turns it off', () => {
    expect(loadConfig({}).rateLimit).toEqual({ requests: 100, windowMs: 1000, queue: 500, rejectDelayMs: 1000 });
    expect(loadConfig({ RATE_LIMIT_REQUESTS: '0' }).rateLimit.requests).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_WINDOW_MS: '5' })).toThrow(
      /RATE_LIMIT_WINDOW_MS="5": must be an integer from 10/,
    );
  });
});
