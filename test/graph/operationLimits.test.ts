import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RequestLogEntry, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';
import { RecordingTimer } from '../recordingTimer.ts';
import { routeCounts } from './requestLog.ts';

const FLOWS_PATH = '/data/foundation/flowservice/flows';

/** `n` aliases of `flows`, each its own upstream list request (a different page size each). */
const flowsAliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_x, i) => `a${i}: flows(first: ${i + 1}) { nodes { id } }`).join(' ')} }`;

/** A flow and `n` aliases of its (nullable) `runs`, each its own upstream list request. */
const runsAliases = (flowId: string, n: number) =>
  `{ flow(id: "${flowId}") { id ${Array.from({ length: n }, (_x, i) => `r${i}: runs(first: ${i + 1}) { nodes { id } }`).join(' ')} } }`;

const DATASET_READ = '{ dataset(id: "5f0c4e2a9c1d4b0018a7e001") { id } }';
/** A read the platform answers 200: it confirms the caller (a 404 does not). */
const CONFIRMING_READ = '{ flows(first: 1) { nodes { id } } }';

const ofOrg = (log: RequestLogEntry[], org: string) => log.filter((r) => r.org === org);
const codes = (errors: Array<{ extensions?: Record<string, any> }> | undefined) =>
  (errors ?? []).map((e) => e.extensions?.['code']);

describe('the upstream request budget of an operation', () => {
  let stack: Stack;
  let caller: Platform;
  let flowId: string;
  beforeAll(async () => {
    stack = await startStack({ env: { MAX_UPSTREAM_REQUESTS_PER_OPERATION: '4' } });
    caller = await platform(stack.emulator.url, 'BUDGET000000000000000001@AdobeOrg');
    flowId = (await seedFlows(caller, { flows: 1, runs: false })).flows[0]!.id;
  });
  afterAll(() => stack.stop());

  it('sends no more than the budget and gives each field left over a coded error', async () => {
    await stack.clearRequests();
    const res = await stack.gql(runsAliases(flowId, 5), {}, caller.headers);
    expect(res.status).toBe(200);
    expect(res.data.flow.id).toBe(flowId);
    const answered = Object.keys(res.data.flow).filter((k) => k.startsWith('r') && res.data.flow[k] !== null);
    expect(answered).toHaveLength(3);
    expect(codes(res.errors)).toEqual(['UPSTREAM_BUDGET_EXCEEDED', 'UPSTREAM_BUDGET_EXCEEDED']);
    for (const e of res.errors!) {
      expect(e.path).toHaveLength(2);
      expect(res.data.flow[e.path![1]!]).toBeNull();
      expect(e.extensions).toMatchObject({ service: 'flowService', method: 'GET', operation: 'GET runs' });
      expect(e.extensions).not.toHaveProperty('path');
      expect(e.message).toContain('4 upstream requests');
    }
    const log = ofOrg(await stack.requests(), caller.org);
    expect(log).toHaveLength(4);
    expect(routeCounts(log)).toEqual({ 'GET flowService/flows': 1, 'GET flowService/runs': 3 });
  });

  it('gives the next operation a budget of its own', async () => {
    await stack.clearRequests();
    const res = await stack.gql(flowsAliases(4), {}, caller.headers);
    expect(res.errors).toBeUndefined();
    expect(ofOrg(await stack.requests(), caller.org)).toHaveLength(4);
  });
});

describe('the deadline of an operation', () => {
  let stack: Stack;
  let caller: Platform;
  beforeAll(async () => {
    stack = await startStack({ env: { OPERATION_TIMEOUT_MS: '300', UPSTREAM_CONNECTIONS_PER_TENANT: '1' } });
    caller = await platform(stack.emulator.url, 'DEADLINE0000000000000001@AdobeOrg');
  });
  afterAll(() => stack.stop());

  it('cancels a call still unanswered at the deadline, and never sends the calls waiting for a slot', async () => {
    await stack.clearRequests();
    // the tenant has one slot: whichever of the three calls takes it is held, the others wait
    await stack.control('POST', '/__emulator/holds', { path: '^/data/', times: 1 });
    const query = '{ flow(id: "f-1") { id } dataset(id: "d-1") { id } schema(id: "s-1") { id } }';
    const res = await stack.gql(query, {}, caller.headers);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ flow: null, dataset: null, schema: null });
    expect(codes(res.errors)).toEqual(['OPERATION_TIMEOUT', 'OPERATION_TIMEOUT', 'OPERATION_TIMEOUT']);
    expect(res.errors!.map((e) => e.path![0]).sort()).toEqual(['dataset', 'flow', 'schema']);
    expect(res.errors![0]!.message).toContain('deadline of 300 ms');
    // the held call was cancelled: the emulator saw its caller go away
    expect((await stack.control('POST', '/__emulator/holds/wait', { atMost: 0 })).held).toBe(0);
    // a call cancelled while held never passed the gateway: the log knows it by its 499 only
    expect((await stack.requests()).map((r) => r.status)).toEqual([499]);
  });
});

describe('a client that goes away', () => {
  let stack: Stack;
  let caller: Platform;
  beforeAll(async () => {
    stack = await startStack({ env: { UPSTREAM_CONNECTIONS_PER_TENANT: '1' } });
    caller = await platform(stack.emulator.url, 'GONE00000000000000000001@AdobeOrg');
  });
  afterAll(() => stack.stop());

  it('cancels its call in flight and sends none of the calls still to come', async () => {
    await stack.clearRequests();
    await stack.control('POST', '/__emulator/holds', { method: 'GET', path: `^${FLOWS_PATH}$`, times: 1 });
    const client = new AbortController();
    const request = fetch(stack.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...caller.headers },
      body: JSON.stringify({ query: flowsAliases(5) }),
      signal: client.signal,
    }).then(
      () => 'answered',
      () => 'aborted',
    );
    expect((await stack.control('POST', '/__emulator/holds/wait', { count: 1 })).held).toBe(1);
    client.abort();
    expect(await request).toBe('aborted');
    expect((await stack.control('POST', '/__emulator/holds/wait', { atMost: 0 })).held).toBe(0);
    // the tenant has one slot, taken first come first served: a call of the aborted operation
    // still to be sent would go before this one
    const after = await stack.gql('{ flows(first: 1) { nodes { id } } }', {}, caller.headers);
    expect(after.errors).toBeUndefined();
    expect((await stack.requests()).map((r) => [r.path, r.status])).toEqual([
      [FLOWS_PATH, 499],
      [FLOWS_PATH, 200],
    ]);
  });
});

describe('Retry-After', () => {
  let stack: Stack;
  let caller: Platform;
  const timer = new RecordingTimer();
  beforeAll(async () => {
    stack = await startStack({ env: { OPERATION_TIMEOUT_MS: '30000' }, server: { timer } });
    caller = await platform(stack.emulator.url, 'RETRYAFTER00000000000001@AdobeOrg');
  });
  afterAll(() => stack.stop());

  const busy = (retryAfter: string, times: number) =>
    stack.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: `^${FLOWS_PATH}$`,
      status: 429,
      headers: { 'retry-after': retryAfter },
      body: { error_code: '429050', message: 'Too many requests' },
      times,
    });

  it('waits as long as the upstream asks before retrying, beyond the 2 s backoff cap', async () => {
    await stack.clearRequests();
    timer.waits.length = 0;
    await busy('5', 1);
    const res = await stack.gql('{ flows(first: 1) { nodes { id } } }', {}, caller.headers);
    expect(res.errors).toBeUndefined();
    expect(timer.waits).toEqual([5000]);
    expect(ofOrg(await stack.requests(), caller.org).map((r) => r.status)).toEqual([429, 200]);
  });

  it('fails at once, saying so, when the upstream asks for more than the deadline leaves', async () => {
    await stack.clearRequests();
    timer.waits.length = 0;
    await busy('120', 1);
    const res = await stack.gql('{ flows(first: 1) { nodes { id } } }', {}, caller.headers);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'RETRY_AFTER_EXCEEDS_DEADLINE',
      service: 'flowService',
      status: 429,
      retryAfterSeconds: 120,
    });
    expect(res.errors![0]!.message).toMatch(/retry after 120 s; the operation's deadline leaves \d+ ms/);
    expect(timer.waits).toEqual([]);
    expect(ofOrg(await stack.requests(), caller.org).map((r) => r.status)).toEqual([429]);
  });

  it('counts the waits against the deadline: a second wait that no longer fits fails fast', async () => {
    await stack.clearRequests();
    timer.waits.length = 0;
    await busy('20', 2);
    const res = await stack.gql('{ flows(first: 1) { nodes { id } } }', {}, caller.headers);
    expect(codes(res.errors)).toEqual(['RETRY_AFTER_EXCEEDS_DEADLINE']);
    expect(timer.waits).toEqual([20_000]);
    expect(ofOrg(await stack.requests(), caller.org).map((r) => r.status)).toEqual([429, 429]);
  });
});

describe('upstream concurrency per tenant', () => {
  let stack: Stack;
  let heavy: Platform;
  let cheap: Platform;
  beforeAll(async () => {
    stack = await startStack({ env: { UPSTREAM_CONNECTIONS_PER_TENANT: '2' } });
    heavy = await platform(stack.emulator.url, 'TENANTA00000000000000001@AdobeOrg');
    cheap = await platform(stack.emulator.url, 'TENANTB00000000000000001@AdobeOrg');
    // an answered call confirms each caller: until then its calls share the unverified callers' slot
    for (const c of [heavy, cheap]) expect((await stack.gql(CONFIRMING_READ, {}, c.headers)).errors).toBeUndefined();
  });
  afterAll(() => stack.stop());

  it('serves org B at once while org A has all its slots taken, and never lets A exceed them', async () => {
    await stack.clearRequests();
    await stack.control('DELETE', '/__emulator/inflight');
    // only A lists flows: every call A makes is held, B's read goes to Catalog
    await stack.control('POST', '/__emulator/holds', { method: 'GET', path: `^${FLOWS_PATH}$`, times: 100 });
    const heavyAnswer = stack.gql(flowsAliases(6), {}, heavy.headers);
    expect((await stack.control('POST', '/__emulator/holds/wait', { count: 2 })).held).toBe(2);

    const res = await stack.gql(DATASET_READ, {}, cheap.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ dataset: null });
    const during = await stack.control('GET', '/__emulator/inflight');
    expect(during.current).toEqual({ [heavy.org]: 2 });
    expect(during.peak).toEqual({ [heavy.org]: 2, [cheap.org]: 1 });
    expect((await stack.control('GET', '/__emulator/holds')).held).toBe(2);

    // no more holding: the two held go on, and A's other four follow two at a time
    await stack.control('DELETE', '/__emulator/holds');
    const heavyRes = await heavyAnswer;
    expect(heavyRes.errors).toBeUndefined();
    expect(Object.keys(heavyRes.data)).toHaveLength(6);
    expect((await stack.control('GET', '/__emulator/inflight')).peak[heavy.org]).toBe(2);
    expect(ofOrg(await stack.requests(), heavy.org)).toHaveLength(6);
  });
});

describe('upstream concurrency of callers the platform has not confirmed', () => {
  let stack: Stack;
  let real: Platform;
  beforeAll(async () => {
    stack = await startStack({ env: { UPSTREAM_CONNECTIONS_PER_TENANT: '2', UPSTREAM_CONNECTIONS_UNVERIFIED: '1' } });
    real = await platform(stack.emulator.url, 'TENANTC00000000000000001@AdobeOrg');
    expect((await stack.gql(CONFIRMING_READ, {}, real.headers)).errors).toBeUndefined();
  });
  afterAll(() => stack.stop());

  it("gives a made-up token naming org C the unverified callers' one slot, never one of C's", async () => {
    await stack.clearRequests();
    await stack.control('DELETE', '/__emulator/inflight');
    await stack.control('POST', '/__emulator/holds', { method: 'GET', path: `^${FLOWS_PATH}$`, times: 100 });
    const madeUp = { ...real.headers, authorization: 'Bearer made-up-token-naming-org-c' };
    const madeUpAnswer = stack.gql(flowsAliases(6), {}, madeUp);
    expect((await stack.control('POST', '/__emulator/holds/wait', { count: 1 })).held).toBe(1);

    // both of C's own slots are free beside the made-up token's one
    const realAnswer = stack.gql(flowsAliases(2), {}, real.headers);
    expect((await stack.control('POST', '/__emulator/holds/wait', { count: 3 })).held).toBe(3);
    expect((await stack.control('GET', '/__emulator/inflight')).current).toEqual({ [real.org]: 3 });

    await stack.control('DELETE', '/__emulator/holds');
    const realRes = await realAnswer;
    expect(realRes.errors).toBeUndefined();
    expect(Object.keys(realRes.data)).toHaveLength(2);
    const madeUpRes = await madeUpAnswer;
    expect(new Set(codes(madeUpRes.errors))).toEqual(new Set(['UNAUTHENTICATED']));
    // the made-up token's calls went one at a time: never more than one beside C's two
    expect((await stack.control('GET', '/__emulator/inflight')).peak[real.org]).toBe(3);
    // the platform refused every made-up call (unattributed 401s) and answered C's own two
    const log = await stack.requests();
    expect(ofOrg(log, real.org).map((r) => r.status)).toEqual([200, 200]);
    expect(log.filter((r) => r.org !== real.org).every((r) => r.status === 401)).toBe(true);
  });
});
