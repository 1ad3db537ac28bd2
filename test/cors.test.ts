import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { CORS_ALLOWED_HEADERS, originAllowed } from '../src/cors.ts';
import { startStack, type Stack } from './harness.ts';
import { chromiumAvailable, useChromium } from './browser.ts';

const APP = 'https://app.example.com';
const FLOW_COUNT = '{ flows(first: 1) { totalCount } }';

function preflight(url: string, origin: string, headers = 'content-type, x-sandbox-name'): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });
}

describe('CORS_ORIGINS', () => {
  it('allows any port of the loopback hosts over the embedded emulator, and no origin against a real Platform', () => {
    const embedded = loadConfig({}).cors;
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'https://localhost', 'http://[::1]:8080'])
      expect(originAllowed(embedded, origin), origin).toBe(true);
    for (const origin of ['http://localhost.example.com', 'https://app.example.com', 'null', 'file://'])
      expect(originAllowed(embedded, origin), origin).toBe(false);
    const real = loadConfig({
      PLATFORM_URL: 'https://platform.example.com',
      STREAMING_URL: 'https://dcs.example.com',
      IMS_URL: 'https://ims.example.com',
      IMS_CLIENT_ID: 'id',
      IMS_CLIENT_SECRET: 'secret',
      IMS_ORG_ID: 'ABC@AdobeOrg',
    }).cors;
    expect(originAllowed(real, 'http://localhost:5173')).toBe(false);
    expect(originAllowed(real, APP)).toBe(false);
  });

  it('reads exact origins, "localhost", "*" and "none"', () => {
    const listed = loadConfig({ CORS_ORIGINS: `${APP}/, http://localhost:4200` }).cors;
    expect(originAllowed(listed, APP)).toBe(true);
    expect(originAllowed(listed, 'http://localhost:4200')).toBe(true);
    expect(originAllowed(listed, 'http://localhost:4201')).toBe(false);
    expect(originAllowed(listed, 'https://other.example.com')).toBe(false);
    expect(originAllowed(loadConfig({ CORS_ORIGINS: 'localhost' }).cors, 'http://localhost:1')).toBe(true);
    expect(originAllowed(loadConfig({ CORS_ORIGINS: '*' }).cors, 'https://any.example.org')).toBe(true);
    expect(originAllowed(loadConfig({ CORS_ORIGINS: 'none' }).cors, 'http://localhost:5173')).toBe(false);
    expect(loadConfig({ CORS_MAX_AGE_SECONDS: '60' }).cors.maxAgeSeconds).toBe(60);
    expect(loadConfig({}).cors.maxAgeSeconds).toBe(600);
  });

  it('names every entry that is not an origin', () => {
    let problems: string[] = [];
    try {
      loadConfig({ CORS_ORIGINS: 'https://app.example.com/path, app.example.com, ftp://files.example.com' });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems = err.problems;
    }
    expect(problems).toEqual([
      'CORS_ORIGINS: "https://app.example.com/path" is not an origin (scheme://host[:port], no path), "localhost", "*" or "none"',
      'CORS_ORIGINS: "app.example.com" is not an origin (scheme://host[:port], no path), "localhost", "*" or "none"',
      'CORS_ORIGINS: "ftp://files.example.com" is not an origin (scheme://host[:port], no path), "localhost", "*" or "none"',
    ]);
  });
});

describe('CORS over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { CORS_ORIGINS: APP } });
  });
  afterAll(() => stack.stop());

  it('answers a preflight from an allowed origin with the methods and every caller header the API reads', async () => {
    const res = await preflight(stack.api.url, APP, 'authorization, x-api-key, x-gw-ims-org-id, x-sandbox-name');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(res.headers.get('access-control-allow-headers')?.split(',')).toEqual(CORS_ALLOWED_HEADERS);
    expect(CORS_ALLOWED_HEADERS).toEqual(
      expect.arrayContaining([
        'authorization',
        'x-api-key',
        'x-gw-ims-org-id',
        'x-sandbox-name',
        'content-type',
        'apollo-require-preflight',
      ]),
    );
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toMatch(/origin/i);
    expect(await res.text()).toBe('');
  });

  it('refuses a preflight from another origin with 403 and no Access-Control-Allow-* header', async () => {
    const res = await preflight(stack.api.url, 'https://evil.example.com');
    expect(res.status).toBe(403);
    expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'Origin https://evil.example.com may not call this API from a browser; add it to CORS_ORIGINS',
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
  });

  it('lets an allowed origin read the answer, and gives another origin no Access-Control-Allow-Origin', async () => {
    const call = (origin: string) =>
      fetch(stack.api.url, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    const allowed = await call(APP);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await allowed.json()).toEqual({ data: { __typename: 'Query' } });
    const other = await call('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("keeps Apollo's CSRF prevention for simple requests, even from an allowed origin", async () => {
    const url = `${stack.api.url}?query=${encodeURIComponent('{ __typename }')}`;
    const simple = await fetch(url, { headers: { origin: APP } });
    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/CSRF/);
    const preflighted = await fetch(url, { headers: { origin: APP, 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(preflighted.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('adds no CORS headers to an answer without an Origin (a server-side caller)', async () => {
    const res = await fetch(stack.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/** A static page on its own origin (127.0.0.1, port 0): another origin than the API's. */
async function startPageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>frontend</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(!chromiumAvailable('the CORS browser tests'))('CORS in headless Chromium', () => {
  let stack: Stack;
  let allowed: { server: Server; origin: string };
  let denied: { server: Server; origin: string };
  beforeAll(async () => {
    allowed = await startPageServer();
    denied = await startPageServer();
    stack = await startStack({ emulator: { demo: true }, env: { CORS_ORIGINS: allowed.origin } });
  });
  const inContext = useChromium();
  afterAll(async () => {
    await stack.stop();
    allowed.server.close();
    denied.server.close();
  });

  /** Opens a page of `origin` and has it fetch the API (a JSON POST with a tenant header: preflighted). */
  async function fetchFrom(origin: string): Promise<{ status?: number; body?: unknown; error?: string }> {
    return inContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, query }) => {
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-sandbox-name': 'prod' },
              body: JSON.stringify({ query }),
            });
            return { status: res.status, body: await res.json() };
          } catch (err) {
            return { error: String(err) };
          }
        },
        { url: stack.api.url, query: FLOW_COUNT },
      );
    });
  }

  it('lets a page of an allowed origin call the API and read the answer', async () => {
    const expected = await stack.gql(FLOW_COUNT);
    expect(expected.data.flows.totalCount).toBeGreaterThan(0);
    expect(await fetchFrom(allowed.origin)).toEqual({ status: 200, body: { data: expected.data } });
  });

  it('stops a page of another origin at the preflight: the operation never runs', async () => {
    await stack.clearRequests();
    const result = await fetchFrom(denied.origin);
    expect(result).toEqual({ error: 'TypeError: Failed to fetch' });
    // the POST never reached the API: no upstream call was made for it
    expect(await stack.requests()).toEqual([]);
  });
});
