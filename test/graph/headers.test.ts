import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';

const QUERY = JSON.stringify({ query: '{ flows(first: 1) { nodes { id } } }' });

/** POSTs the query with headers exactly as given, repeats included (fetch would join them). */
function postRaw(url: string, headers: Array<[string, string]>): Promise<{ status: number; body: any }> {
  // given as an array, headers are sent as they are: nothing is added, not even host
  const raw = [
    ['host', new URL(url).host],
    ['content-type', 'application/json'],
    ['content-length', String(Buffer.byteLength(QUERY))],
    ...headers,
  ].flat();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: raw }, (res) => {
      let text = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', reject);
    req.end(QUERY);
  });
}

describe('caller headers', () => {
  let stack: Stack;
  let caller: Platform;
  let other: Platform;
  beforeAll(async () => {
    stack = await startStack();
    caller = await platform(stack.emulator.url, 'HEADERS00000000000000001@AdobeOrg');
    other = await platform(stack.emulator.url, 'HEADERS00000000000000002@AdobeOrg', 'prod', 'other-client');
  });
  afterAll(() => stack.stop());

  const passThrough = (): Array<[string, string]> => Object.entries(caller.headers);

  it('serves a caller whose headers each come once', async () => {
    const res = await postRaw(stack.api.url, passThrough());
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it.each(['authorization', 'x-api-key', 'x-gw-ims-org-id', 'x-sandbox-name'])(
    'refuses a repeated %s with DUPLICATE_HEADER and no upstream request',
    async (name) => {
      await stack.clearRequests();
      const res = await postRaw(stack.api.url, [...passThrough(), [name, other.headers[name]!]]);
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions).toEqual({
        code: 'DUPLICATE_HEADER',
        header: name,
        requestId: expect.any(String),
      });
      expect(res.body.errors[0].message).toBe(`${name}: sent 2 times; send it once`);
      expect(await stack.requests()).toEqual([]);
    },
  );

  it.each(['authorization', 'x-api-key', 'x-gw-ims-org-id', 'x-sandbox-name'])(
    'refuses comma-joined values of %s with DUPLICATE_HEADER and no upstream request',
    async (name) => {
      await stack.clearRequests();
      const headers = passThrough().map(([k, v]): [string, string] =>
        k === name ? [k, `${v}, ${other.headers[name]!}`] : [k, v],
      );
      const res = await postRaw(stack.api.url, headers);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toEqual({
        code: 'DUPLICATE_HEADER',
        header: name,
        requestId: expect.any(String),
      });
      expect(await stack.requests()).toEqual([]);
    },
  );

  it('refuses a repeated org id from a caller without a token too', async () => {
    await stack.clearRequests();
    const res = await postRaw(stack.api.url, [
      ['x-gw-ims-org-id', caller.org],
      ['x-gw-ims-org-id', other.org],
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('DUPLICATE_HEADER');
    expect(await stack.requests()).toEqual([]);
  });

  it.each([
    ['12 KB long', `${'A'.repeat(12_000)}@AdobeOrg`],
    ['a path', '../../../etc/passwd@AdobeOrg'],
    ['Latin-1', '\u00c4BC0000000000000000000@AdobeOrg'],
    ['without @AdobeOrg', 'HEADERS00000000000000001'],
    ['with an empty id', '@AdobeOrg'],
    ['with another suffix', 'HEADERS00000000000000001@Example'],
    ['with a space', 'HEADERS 0000000000000001@AdobeOrg'],
  ])('refuses an org id %s with INVALID_HEADER and no upstream request', async (_what, orgId) => {
    await stack.clearRequests();
    for (const headers of [
      passThrough().map(([k, v]): [string, string] => [k, k === 'x-gw-ims-org-id' ? orgId : v]),
      [['x-gw-ims-org-id', orgId] as [string, string]],
    ]) {
      const res = await postRaw(stack.api.url, headers);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toEqual({
        code: 'INVALID_HEADER',
        header: 'x-gw-ims-org-id',
        requestId: expect.any(String),
      });
      // the value itself is never echoed
      expect(res.body.errors[0].message).toBe(
        'x-gw-ims-org-id: must be an IMS org id: up to 64 ASCII letters and digits followed by @AdobeOrg',
      );
    }
    expect(await stack.requests()).toEqual([]);
  });
});
