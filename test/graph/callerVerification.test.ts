import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type GqlResult, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';
import { PERSONAL_DETAILS, PROFILE_CLASS } from '../orchestration/dataflowFixtures.ts';
import { onRoute, routeCounts } from './requestLog.ts';

const ORG = 'VERIFY00000000000000000A@AdobeOrg';
const OTHER_ORG = 'VERIFY00000000000000000B@AdobeOrg';
const CLOUD_STORAGE = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';
const S3 = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
const SPECS = `{ flowSpec(id: "${CLOUD_STORAGE}") { name } connectionSpec(id: "${S3}") { name } }`;
const SPEC_LIST = '{ connectionSpecs(first: 100) { nodes { name } } }';
const CHECK = 'GET flowService/connections';
const MADE_UP = 'eyJmade-up-token-naming-someone-else0000';
const TTL_SECONDS = 60;

const CREATE_STREAMING = `mutation($input: CreateStreamingDataflowInput!) {
  createStreamingDataflow(input: $input) { userErrors { field code message } replayed flow { id } }
}`;
const target = {
  newSchema: {
    schema: { title: 'Verified signups', classId: PROFILE_CLASS, fieldGroupIds: [PERSONAL_DETAILS] },
    datasetName: 'Verified signups',
  },
};

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { CALLER_VERIFICATION_TTL_SECONDS: String(TTL_SECONDS) } });
});
afterAll(() => stack.stop());
beforeEach(async () => {
  await stack.control('DELETE', '/__emulator/entitlements');
  await stack.control('DELETE', '/__emulator/holds');
  await stack.clearRequests();
});

/** A real caller of ORG in its own sandbox, one IMS client per name. */
const caller = (sandbox: string, clientId = 'verify-real', org = ORG): Promise<Platform> =>
  platform(stack.emulator.url, org, sandbox, clientId);

/** The same headers with a token the platform never issued. */
const madeUp = (real: Platform): Record<string, string> => ({ ...real.headers, authorization: `Bearer ${MADE_UP}` });

const codes = (res: GqlResult) => [...new Set((res.errors ?? []).map((e) => e.extensions?.code))];

function expectNoSpecs(res: GqlResult) {
  expect(res.text).not.toMatch(/CloudStorageToAEP|amazon-s3/);
}

describe('the spec cache answers only callers the platform confirmed', () => {
  it('gives a made-up token naming a warm org UNAUTHENTICATED and no specs, after one refused check', async () => {
    const real = await caller('warm');
    const warm = await stack.gql(SPECS, {}, real.headers);
    expect(warm.data).toEqual({ flowSpec: { name: 'CloudStorageToAEP' }, connectionSpec: { name: 'amazon-s3' } });
    expect((await stack.gql(SPEC_LIST, {}, real.headers)).errors).toBeUndefined();
    await stack.clearRequests();

    const res = await stack.gql(SPECS, {}, madeUp(real));
    expect(res.data).toEqual({ flowSpec: null, connectionSpec: null });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expectNoSpecs(res);
    const list = await stack.gql(SPEC_LIST, {}, madeUp(real));
    expect(list.data).toEqual({ connectionSpecs: null });
    expect(codes(list)).toEqual(['UNAUTHENTICATED']);
    expectNoSpecs(list);

    // one check per request (a refusal is not kept), and nothing but the check went upstream
    const log = (await stack.requests()).filter((e) => !e.path.startsWith('/ims'));
    expect(routeCounts(log)).toEqual({ [CHECK]: 2 });
    expect(log.every((e) => e.query === 'limit=1' && e.status === 401)).toBe(true);
  });

  it('gives a token not entitled to the org FORBIDDEN, as the gateway answers it 403025', async () => {
    const real = await caller('entitled');
    await stack.gql(SPECS, {}, real.headers);
    await stack.control('PUT', '/__emulator/entitlements', { clientId: 'verify-outsider', orgs: [OTHER_ORG] });
    const outsider = await caller('entitled', 'verify-outsider');
    const direct = await fetch(`${stack.emulator.url}/data/foundation/flowservice/connections?limit=1`, {
      headers: outsider.headers,
    });
    expect(direct.status).toBe(403);
    expect(await direct.json()).toEqual({ error_code: '403025', message: 'Profile is not valid' });

    const res = await stack.gql(SPECS, {}, outsider.headers);
    expect(res.data).toEqual({ flowSpec: null, connectionSpec: null });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expectNoSpecs(res);
    // in the org it is entitled to, the same client is served
    const own = await stack.gql(SPECS, {}, (await caller('entitled', 'verify-outsider', OTHER_ORG)).headers);
    expect(own.errors).toBeUndefined();
    expect(own.data.connectionSpec).toEqual({ name: 'amazon-s3' });
  });

  it.each([
    ['a made-up token starts the cold fetch first', true],
    ['a real caller starts the cold fetch first', false],
  ])("never lets a refused fetch answer another caller's concurrent read: %s", async (_label, madeUpFirst) => {
    const sandbox = madeUpFirst ? 'race-made-up-first' : 'race-real-first';
    const real = await caller(sandbox);
    await stack.control('POST', '/__emulator/holds', { path: 'connectionSpecs$', times: 2 });
    const [first, second] = madeUpFirst ? [madeUp(real), real.headers] : [real.headers, madeUp(real)];
    const firstRes = stack.gql(SPEC_LIST, {}, first);
    expect((await stack.control('POST', '/__emulator/holds/wait', { count: 1 })).held).toBe(1);
    const secondRes = stack.gql(SPEC_LIST, {}, second);
    // each caller's fetch is its own: the second does not wait on the first
    expect((await stack.control('POST', '/__emulator/holds/wait', { count: 2 })).held).toBe(2);
    await stack.control('POST', '/__emulator/holds/release');
    const [realRes, madeUpRes] = madeUpFirst ? [await secondRes, await firstRes] : [await firstRes, await secondRes];
    expect(realRes.errors).toBeUndefined();
    expect(realRes.data.connectionSpecs.nodes.map((n: { name: string }) => n.name)).toContain('amazon-s3');
    expect(madeUpRes.data).toEqual({ connectionSpecs: null });
    expect(codes(madeUpRes)).toEqual(['UNAUTHENTICATED']);
    expectNoSpecs(madeUpRes);
    const fetches = onRoute(await stack.requests(), 'GET flowService/connectionSpecs');
    expect(fetches.map((e) => e.status).sort()).toEqual([200, 401]);
  });

  it('checks each caller once per TTL: a caller whose own fetch filled the cache needs no check', async () => {
    const filler = await caller('ttl');
    const other = await caller('ttl', 'verify-second');
    const checksBefore = stack.api.deps.callers.checks;
    await stack.gql(SPECS, {}, filler.headers);
    for (let i = 0; i < 3; i++) {
      const res = await stack.gql(SPECS, {}, other.headers);
      expect(res.errors).toBeUndefined();
      expect(res.data.connectionSpec).toEqual({ name: 'amazon-s3' });
    }
    await stack.gql(SPECS, {}, filler.headers);
    const checks = () => stack.requests().then((log) => onRoute(log, CHECK));
    expect((await checks()).map((e) => [e.org, e.sandbox, e.query, e.status])).toEqual([[ORG, 'ttl', 'limit=1', 200]]);
    expect(stack.api.deps.callers.checks - checksBefore).toBe(1);

    // half a TTL later the confirmation holds; a whole TTL after that it has expired
    stack.advanceClock((TTL_SECONDS / 2) * 1000);
    await stack.gql(SPECS, {}, other.headers);
    expect(await checks()).toHaveLength(1);
    stack.advanceClock(TTL_SECONDS * 1000);
    await stack.gql(SPECS, {}, other.headers);
    await stack.gql(SPECS, {}, other.headers);
    expect(await checks()).toHaveLength(2);
    expect(stack.api.deps.callers.checks - checksBefore).toBe(2);
  });

  it('keeps confirmations under a hash of the credentials, never the token', async () => {
    const real = await caller('hashed', 'verify-hashed');
    const other = await caller('hashed', 'verify-hashed-2');
    await stack.gql(SPECS, {}, real.headers);
    await stack.gql(SPECS, {}, other.headers);
    const keys = stack.api.deps.callers.keys();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
    const tokens = [real, other].map((p) => p.headers.authorization!.replace('Bearer ', ''));
    for (const token of tokens) expect(JSON.stringify(keys)).not.toContain(token);
  });

  it('lets no refused caller push a confirmed org out of the cache', async () => {
    const real = await caller('kept');
    expect((await stack.gql(SPECS, {}, real.headers)).errors).toBeUndefined();
    // more refused org/sandbox pairs than the cache holds partitions (64)
    for (let i = 0; i < 65; i++) {
      const refused = await stack.gql(SPECS, {}, { ...madeUp(real), 'x-sandbox-name': `refused-${i}` });
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    }
    await stack.clearRequests();
    const again = await stack.gql(SPECS, {}, real.headers);
    expect(again.data.connectionSpec).toEqual({ name: 'amazon-s3' });
    expect((await stack.requests()).filter((e) => /Specs$/.test(e.path))).toEqual([]);
  });

  it("never checks the server's own credentials", async () => {
    const res = await stack.gql(SPECS, {}, { 'x-sandbox-name': 'anonymous' });
    expect(res.errors).toBeUndefined();
    await stack.gql(SPECS, {}, { 'x-sandbox-name': 'anonymous' });
    expect(onRoute(await stack.requests(), CHECK)).toEqual([]);
  });
});

describe('idempotency keys', () => {
  it('cannot be probed by a made-up token: a used key and a new one get the same refusal, and nothing is written', async () => {
    const real = await caller('idempotency');
    const used = { name: 'Probed signups', target, idempotencyKey: 'probe-used' };
    const first = await stack.gql(CREATE_STREAMING, { input: used }, real.headers);
    expect(first.errors).toBeUndefined();
    expect(first.data.createStreamingDataflow.userErrors).toEqual([]);
    await stack.clearRequests();

    const attempts = [
      { ...used, name: 'Another input' },
      { ...used },
      { ...used, name: 'Another input', idempotencyKey: 'probe-new' },
    ];
    const answers: GqlResult[] = [];
    for (const input of attempts) answers.push(await stack.gql(CREATE_STREAMING, { input }, madeUp(real)));
    for (const res of answers) {
      expect(res.data).toEqual({ createStreamingDataflow: null });
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.text).not.toContain('IDEMPOTENCY_KEY_REUSED');
      expect(res.errors!.map((e) => e.message)).toEqual(answers[0]!.errors!.map((e) => e.message));
    }
    const log = (await stack.requests()).filter((e) => !e.path.startsWith('/ims'));
    expect(routeCounts(log)).toEqual({ [CHECK]: 3 });

    // the key still guards the real caller's input
    const reused = await stack.gql(CREATE_STREAMING, { input: attempts[0] }, real.headers);
    expect(reused.data.createStreamingDataflow.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }),
    ]);
    const replay = await stack.gql(CREATE_STREAMING, { input: used }, real.headers);
    expect(replay.data.createStreamingDataflow).toMatchObject({
      replayed: true,
      flow: { id: first.data.createStreamingDataflow.flow.id },
    });
  });

  it('cannot be probed by a token not entitled to the org', async () => {
    const real = await caller('idempotency-outsider');
    const input = { name: 'Outsider signups', target, idempotencyKey: 'outsider-used' };
    expect((await stack.gql(CREATE_STREAMING, { input }, real.headers)).errors).toBeUndefined();
    await stack.control('PUT', '/__emulator/entitlements', { clientId: 'verify-outsider', orgs: [OTHER_ORG] });
    const outsider = await caller('idempotency-outsider', 'verify-outsider');
    const res = await stack.gql(CREATE_STREAMING, { input: { ...input, name: 'Other' } }, outsider.headers);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.text).not.toContain('IDEMPOTENCY_KEY_REUSED');
  });
});
