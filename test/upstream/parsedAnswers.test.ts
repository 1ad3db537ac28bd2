import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpTransport, UpstreamError } from '../../src/upstream/http.ts';
import type { UpstreamRequest } from '../../src/upstream/http.ts';
import { ParsedAnswers } from '../../src/upstream/parsedAnswers.ts';
import { UNVERIFIED_TENANT } from '../../src/upstream/tenantLimiter.ts';

/** What the server answers now, by path: a body's exact text (so a test controls the bytes). */
const bodies = new Map<string, string>();
let asked = 0;
let server: Server;
let base: string;
let answers: ParsedAnswers;
let transport: HttpTransport;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked++;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const accept = req.headers.accept ?? '';
      const text = bodies.get(`${path} ${accept}`) ?? bodies.get(path);
      if (text === undefined) res.writeHead(404, { 'content-type': 'application/json' }).end('{"title":"none"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  bodies.clear();
  asked = 0;
  answers = new ParsedAnswers({ maxBytes: 1_000, maxBytesPerTenant: 400 });
  transport = new HttpTransport({ parsedAnswers: answers, maxRetries: 0 });
});

afterEach(() => transport.close());

async function read(
  path: string,
  /** null: an unauthenticated call, which has no tenant */
  tenant: string | null = 'ORG@AdobeOrg/prod',
  extra: Partial<UpstreamRequest> = {},
): Promise<unknown> {
  const res = await transport.request({
    service: 'flowService',
    method: 'GET',
    url: `${base}${path}`,
    tenant: tenant ?? undefined,
    ...extra,
  });
  return res.body;
}

describe('parsed upstream answers', () => {
  it('reuses what the same bytes parsed to, frozen all the way down, while still asking the upstream every time', async () => {
    bodies.set('/flows', '{"items":[{"id":"a","tags":["x"],"run":{"n":1}}]}');
    const first = (await read('/flows')) as { items: Array<{ tags: string[]; run: { n: number } }> };
    const second = await read('/flows');
    expect(asked).toBe(2);
    expect(second).toBe(first);
    expect(first).toEqual({ items: [{ id: 'a', tags: ['x'], run: { n: 1 } }] });
    for (const part of [first, first.items, first.items[0], first.items[0]!.tags, first.items[0]!.run])
      expect(Object.isFrozen(part)).toBe(true);
    expect(() => {
      first.items[0]!.run.n = 2;
    }).toThrow(TypeError);
    expect(answers.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it('answers what the upstream sends now: changed bytes are parsed again and replace the kept answer', async () => {
    bodies.set('/flows', '{"name":"before"}');
    const before = await read('/flows');
    bodies.set('/flows', '{"name":"after!"}');
    const after = await read('/flows');
    expect(after).toEqual({ name: 'after!' });
    expect(await read('/flows')).toBe(after);
    // the same text again after a change is a new parse, not the older object
    bodies.set('/flows', '{"name":"before"}');
    const again = await read('/flows');
    expect(again).toEqual(before);
    expect(again).not.toBe(before);
    expect(answers.stats()).toMatchObject({ hits: 1, misses: 3, entries: 1 });
  });

  it('never hands one tenant what another tenant parsed, even for the same request and bytes', async () => {
    bodies.set('/flows', '{"items":[1,2,3]}');
    const a = await read('/flows', 'A@AdobeOrg/prod');
    const b = await read('/flows', 'B@AdobeOrg/prod');
    const aSandbox = await read('/flows', 'A@AdobeOrg/dev');
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    expect(aSandbox).not.toBe(a);
    expect(await read('/flows', 'A@AdobeOrg/prod')).toBe(a);
    expect(await read('/flows', 'B@AdobeOrg/prod')).toBe(b);
  });

  it('keeps nothing for callers the platform has not confirmed, unauthenticated calls and writes', async () => {
    bodies.set('/flows', '{"items":[]}');
    const unverified = await read('/flows', UNVERIFIED_TENANT);
    expect(await read('/flows', UNVERIFIED_TENANT)).not.toBe(unverified);
    expect(Object.isFrozen(unverified)).toBe(false);
    const anonymous = await read('/flows', null);
    expect(await read('/flows', null)).not.toBe(anonymous);
    const posted = await read('/flows', 'ORG@AdobeOrg/prod', { method: 'POST', body: {} });
    expect(Object.isFrozen(posted)).toBe(false);
    expect(await read('/flows', 'ORG@AdobeOrg/prod', { method: 'POST', body: {} })).not.toBe(posted);
    expect(answers.stats()).toMatchObject({ hits: 0, misses: 0, entries: 0 });
  });

  it('keys by the accept header too: two representations of one resource are kept side by side', async () => {
    bodies.set('/schemas/s application/vnd.adobe.xed-full+json', '{"full":true}');
    bodies.set('/schemas/s application/vnd.adobe.xed+json', '{"full":false}');
    const full = { headers: { accept: 'application/vnd.adobe.xed-full+json' } };
    const short = { headers: { accept: 'application/vnd.adobe.xed+json' } };
    const fullRead = await read('/schemas/s', 'T@AdobeOrg/prod', full);
    expect(fullRead).toEqual({ full: true });
    const shortRead = await read('/schemas/s', 'T@AdobeOrg/prod', short);
    expect(shortRead).toEqual({ full: false });
    expect(await read('/schemas/s', 'T@AdobeOrg/prod', full)).toBe(fullRead);
    expect(await read('/schemas/s', 'T@AdobeOrg/prod', short)).toBe(shortRead);
  });

  it('stays within its bytes: least recently used out first, per tenant and in all, and an answer past a tenant share never kept', async () => {
    // 100 bytes each: a tenant holds four (400), all tenants ten (1,000)
    const body = (n: number) => JSON.stringify({ n, pad: 'x'.repeat(100 - 16) });
    for (let i = 0; i < 5; i++) bodies.set(`/r${i}`, body(i));
    expect(Buffer.byteLength(body(0))).toBe(100);
    const t = 'T@AdobeOrg/prod';
    const kept = [];
    for (let i = 0; i < 4; i++) kept.push(await read(`/r${i}`, t));
    expect(answers.stats()).toMatchObject({ entries: 4, bytes: 400 });
    // r0 used again, so r1 is the least recently used when r4 comes
    expect(await read('/r0', t)).toBe(kept[0]);
    await read('/r4', t);
    expect(answers.stats()).toMatchObject({ entries: 4, bytes: 400 });
    expect(await read('/r1', t)).not.toBe(kept[1]);
    expect(await read('/r0', t)).toBe(kept[0]);

    // three more tenants of four answers each: the whole holds ten, the oldest of anyone's go
    for (const other of ['U', 'V', 'W']) for (let i = 0; i < 4; i++) await read(`/r${i}`, `${other}@AdobeOrg/prod`);
    expect(answers.stats()).toMatchObject({ entries: 10, bytes: 1_000 });

    bodies.set('/big', JSON.stringify({ pad: 'y'.repeat(500) }));
    const big = await read('/big', t);
    expect(await read('/big', t)).not.toBe(big);
    expect(Object.isFrozen(big)).toBe(false);
    expect(answers.stats().bytes).toBeLessThanOrEqual(1_000);
  });

  it('keeps nothing of an answer that is not valid JSON, and fails the call as before', async () => {
    bodies.set('/broken', '{"items": [');
    const err: unknown = await read('/broken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).message).toContain('not valid JSON');
    expect(answers.stats()).toMatchObject({ entries: 0 });
  });
});
