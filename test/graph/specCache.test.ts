import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';
import { onRoute, routeCounts } from './requestLog.ts';

const OTHER_ORG = 'SPECS000000000000000000A@AdobeOrg';
const CLOUD_STORAGE = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';
const S3 = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
const SPECS = `{ flowSpec(id: "${CLOUD_STORAGE}") { name } connectionSpec(id: "${S3}") { name } }`;

let stack: Stack;
let other: Platform;

beforeAll(async () => {
  stack = await startStack({ env: { SPEC_CACHE_TTL_SECONDS: '300' } });
  other = await platform(stack.emulator.url, OTHER_ORG);
});
afterAll(() => stack.stop());

async function specRequests(query: string, headers?: Record<string, string>) {
  await stack.clearRequests();
  const res = await stack.gql(query, {}, headers);
  expect(res.errors).toBeUndefined();
  const log = await stack.requests();
  return {
    data: res.data,
    log: log.filter((e) => /\/(flowSpecs|connectionSpecs)$/.test(e.path)),
    counts: routeCounts(log),
  };
}

describe('the cross-request cache of connection specs and flow specs', () => {
  it('answers a second request of the same org and sandbox without asking the upstream', async () => {
    const first = await specRequests(SPECS, { 'x-sandbox-name': 'cached' });
    expect(first.data).toEqual({ flowSpec: { name: 'CloudStorageToAEP' }, connectionSpec: { name: 'amazon-s3' } });
    expect(first.log.map((e) => e.path.split('/').pop()).sort()).toEqual(['connectionSpecs', 'flowSpecs']);
    const second = await specRequests(SPECS, { 'x-sandbox-name': 'cached' });
    expect(second.data).toEqual(first.data);
    expect(second.log).toEqual([]);
  });

  it('keeps each org and sandbox apart: another one asks the upstream in its own name', async () => {
    await specRequests(SPECS, { 'x-sandbox-name': 'apart' });
    const sandbox = await specRequests(SPECS, { 'x-sandbox-name': 'apart-too' });
    expect(sandbox.log).toHaveLength(2);
    expect(sandbox.log.every((e) => e.org === DEMO_ORG && e.sandbox === 'apart-too')).toBe(true);
    const org = await specRequests(SPECS, { ...other.headers, 'x-sandbox-name': 'apart' });
    expect(org.log).toHaveLength(2);
    expect(org.log.every((e) => e.org === OTHER_ORG && e.sandbox === 'apart')).toBe(true);
  });

  it('asks the upstream again once the TTL has passed', async () => {
    await specRequests(SPECS, { 'x-sandbox-name': 'ttl' });
    expect((await specRequests(SPECS, { 'x-sandbox-name': 'ttl' })).log).toHaveLength(0);
    stack.advanceClock(300_001);
    expect((await specRequests(SPECS, { 'x-sandbox-name': 'ttl' })).log).toHaveLength(2);
  });

  it('shares one upstream request between concurrent requests that miss it', async () => {
    await stack.clearRequests();
    const query =
      '{ connectionSpecs(first: 10) { nodes { name sourceKind flowSpecs { name } } } flowSpecs { nodes { name sourceConnectionSpecs { name } } } }';
    const results = await Promise.all(
      Array.from({ length: 5 }, () => stack.gql(query, {}, { 'x-sandbox-name': 'concurrent' })),
    );
    for (const res of results) {
      expect(res.errors).toBeUndefined();
      expect(res.data.connectionSpecs.nodes).toHaveLength(10);
      expect(res.data.connectionSpecs.nodes[0].flowSpecs.length).toBeGreaterThan(0);
    }
    const log = (await stack.requests()).filter((e) => e.org !== null);
    expect(routeCounts(log)).toEqual({ 'GET flowService/connectionSpecs': 1, 'GET flowService/flowSpecs': 1 });
  });

  it('holds at most 64 orgs and sandboxes, forgetting the least recently used first', async () => {
    const sandboxes = Array.from({ length: 65 }, (_x, i) => `lru-${i}`);
    for (const sandbox of sandboxes) await stack.gql(SPECS, {}, { 'x-sandbox-name': sandbox });
    // lru-0 was pushed out by lru-64; lru-64 is still there
    expect((await specRequests(SPECS, { 'x-sandbox-name': 'lru-64' })).log).toHaveLength(0);
    const evicted = await specRequests(SPECS, { 'x-sandbox-name': 'lru-0' });
    expect(onRoute(evicted.log, 'GET flowService/flowSpecs')).toHaveLength(1);
  });
});
