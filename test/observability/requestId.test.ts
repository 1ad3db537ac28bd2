import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';
import { CapturedLog } from './capturedLog.ts';

const ORG = 'REQUESTID000000000000000@AdobeOrg';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const QUERY = 'query Ids { flows(first: 5) { nodes { name sourceConnections { baseConnection { name } } } } }';

const log = new CapturedLog();
let stack: Stack;
let caller: Platform;

/** POSTs a query with raw headers (repeated ones included) and returns the status, headers and body. */
async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(stack.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...caller.headers, ...headers },
    body,
  });
  return { status: res.status, requestId: res.headers.get('x-request-id'), json: (await res.json()) as any };
}

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'debug' }, server: { logDestination: log } });
  caller = await platform(stack.emulator.url, ORG, 'prod', 'request-id-client');
  await seedFlows(caller, { flows: 2, schemas: 1, baseConnections: 1, prefix: 'Ids' });
});
afterAll(() => stack.stop());
beforeEach(async () => {
  log.clear();
  await stack.clearRequests();
});

describe('request ids', () => {
  it("keeps the caller's x-request-id: answered, sent upstream with every request, on every log line", async () => {
    const res = await post(JSON.stringify({ query: QUERY }), { 'x-request-id': 'caller-id_01:abc.DEF' });
    expect(res.status).toBe(200);
    expect(res.requestId).toBe('caller-id_01:abc.DEF');
    const upstream = await stack.requests();
    expect(upstream.length).toBeGreaterThan(1);
    expect(upstream.map((r) => r.callerRequestId)).toEqual(upstream.map(() => 'caller-id_01:abc.DEF'));
    expect(log.lines.length).toBeGreaterThan(0);
    for (const line of log.entries()) expect(line.requestId).toBe('caller-id_01:abc.DEF');
  });

  it('makes one when the caller sends none, the same in the answer, upstream and the log', async () => {
    const res = await post(JSON.stringify({ query: QUERY }));
    expect(res.requestId).toMatch(UUID);
    const upstream = await stack.requests();
    expect(new Set(upstream.map((r) => r.callerRequestId))).toEqual(new Set([res.requestId]));
    expect(log.events('operation')[0]!.requestId).toBe(res.requestId);
  });

  it('makes a new one for each request', async () => {
    const a = await post(JSON.stringify({ query: QUERY }));
    const b = await post(JSON.stringify({ query: QUERY }));
    expect(a.requestId).not.toBe(b.requestId);
  });

  it.each([
    ['longer than REQUEST_ID_MAX_LENGTH (128)', 'a'.repeat(129)],
    ['with a space', 'two words'],
    ['with a quote', 'id"injected'],
    ['with non-ASCII characters', 'idé'],
  ])('replaces an x-request-id %s by a new one', async (_what, id) => {
    const res = await post(JSON.stringify({ query: QUERY }), { 'x-request-id': id });
    expect(res.requestId).toMatch(UUID);
    for (const r of await stack.requests()) expect(r.callerRequestId).toBe(res.requestId);
  });

  it('replaces an x-request-id sent twice', async () => {
    const res = await fetch(stack.api.url, {
      method: 'POST',
      headers: [
        ['content-type', 'application/json'],
        ['x-request-id', 'first-id'],
        ['x-request-id', 'second-id'],
      ],
      body: JSON.stringify({ query: '{ flows(first: 1) { totalCount } }' }),
    });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  it('keeps one of exactly 128 safe characters', async () => {
    const id = 'x'.repeat(120) + '-1234567';
    expect((await post(JSON.stringify({ query: QUERY }), { 'x-request-id': id })).requestId).toBe(id);
  });
});

describe("every error's extensions.requestId", () => {
  it('is on field errors, request errors and refusals of the body alike', async () => {
    const fieldError = await post(JSON.stringify({ query: '{ flows(first: 101) { totalCount } }' }), {
      'x-request-id': 'err-field',
    });
    expect(fieldError.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', requestId: 'err-field' });

    const unauthenticated = await post(JSON.stringify({ query: QUERY }), {
      'x-request-id': 'err-auth',
      authorization: 'Basic nope',
    });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.json.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'err-auth' });

    const invalid = await post('{ not json', { 'x-request-id': 'err-json' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'err-json' });

    const parse = await post(JSON.stringify({ query: '{ flows(' }), { 'x-request-id': 'err-parse' });
    expect(parse.json.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', requestId: 'err-parse' });

    const upstream = await stack.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: '^/data/foundation/flowservice/connections',
      status: 503,
      times: 10,
    });
    expect(upstream).toBeDefined();
    const failed = await post(JSON.stringify({ query: QUERY }), { 'x-request-id': 'err-upstream' });
    await stack.control('DELETE', '/__emulator/faults');
    expect(failed.json.errors.length).toBeGreaterThan(0);
    for (const e of failed.json.errors)
      expect(e.extensions).toMatchObject({
        code: 'UPSTREAM_ERROR',
        requestId: 'err-upstream',
        upstreamRequestId: expect.any(String),
      });
    expect(log.events('operation').map((l) => l.requestId)).toEqual([
      'err-field',
      'err-auth',
      'err-json',
      'err-parse',
      'err-upstream',
    ]);
  });

  it("is on Apollo's refusals of a body that is no GraphQL request, and noted on the operation line", async () => {
    const notString = await post(JSON.stringify({ query: 5 }), { 'x-request-id': 'err-shape' });
    expect(notString.status).toBe(400);
    expect(notString.json.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'err-shape' });
    const noQuery = await post(JSON.stringify({ variables: {} }), { 'x-request-id': 'err-noquery' });
    expect(noQuery.status).toBe(400);
    expect(noQuery.json.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'err-noquery' });
    expect(log.events('operation').map((l) => [l.requestId, l.errorCodes])).toEqual([
      ['err-shape', ['BAD_REQUEST']],
      ['err-noquery', ['BAD_REQUEST']],
    ]);
  });
});
