import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';
import { platform, seedFlows, type Platform } from './platform.ts';

const ORG = 'COMPRESS0000000000000000@AdobeOrg';
const BIG = '{ flows(first: 20) { nodes { id name description state createdAt } } }';
const SMALL = '{ flows(first: 1) { totalCount } }';

/** The raw answer: undici's request does not decode it. */
async function post(stack: Stack, headers: Record<string, string>, query: string, caller: Platform) {
  const res = await request(stack.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...caller.headers, ...headers },
    body: JSON.stringify({ query }),
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

describe('compression', () => {
  let stack: Stack;
  let org: Platform;
  let plain: string;
  beforeAll(async () => {
    stack = await startStack();
    org = await platform(stack.emulator.url, ORG);
    await seedFlows(org, { flows: 20, schemas: 1, baseConnections: 1, prefix: 'Compressed' });
    const res = await post(stack, { 'accept-encoding': 'identity' }, BIG, org);
    plain = res.body.toString('utf8');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.length).toBeGreaterThan(1024);
  }, 60_000);
  afterAll(() => stack.stop());

  it('sends an answer over 1 KB gzip-compressed to a client that accepts gzip, saying Vary: Accept-Encoding', async () => {
    const res = await post(stack, { 'accept-encoding': 'gzip' }, BIG, org);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(String(res.headers['vary'])).toMatch(/accept-encoding/i);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(plain) / 2);
    expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).toEqual(JSON.parse(plain));
  });

  it('sends it br-compressed to a client that prefers br', async () => {
    const res = await post(stack, { 'accept-encoding': 'gzip;q=0.5, br' }, BIG, org);
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(res.body).toString('utf8'))).toEqual(JSON.parse(plain));
  });

  it('leaves an answer under 1 KB, and any answer to a client that accepts no compression, as it is', async () => {
    const small = await post(stack, { 'accept-encoding': 'gzip, br' }, SMALL, org);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ data: { flows: { totalCount: 20 } } });
    const none = await post(stack, {}, BIG, org);
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.toString('utf8')).toBe(plain);
  });

  it('compresses nothing with COMPRESSION_ENABLED=false', async () => {
    const off = await startStack({ env: { COMPRESSION_ENABLED: 'false' } });
    try {
      const caller = await platform(off.emulator.url, ORG);
      await seedFlows(caller, { flows: 20, schemas: 1, baseConnections: 1, prefix: 'Compressed' });
      const res = await post(off, { 'accept-encoding': 'gzip, br' }, BIG, caller);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.length).toBeGreaterThan(1024);
    } finally {
      await off.stop();
    }
  }, 60_000);
});
