import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { platformHeaders } from '../../src/upstream/credentials.ts';
import type { Credentials } from '../../src/upstream/credentials.ts';
import { OperationLimitError } from '../../src/upstream/callScope.ts';
import { HttpTransport, UpstreamError } from '../../src/upstream/http.ts';
import type { RequestInfo } from '../../src/upstream/http.ts';
import { ImsTokenProvider } from '../../src/upstream/ims/tokenProvider.ts';
import { RecordingTimer } from '../recordingTimer.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}

const TOKEN = 'eyJ-secret-bearer-token-0123456789';
const CLIENT_SECRET = 'p8e-very-secret-client-secret';
const creds: Credentials = { accessToken: TOKEN, apiKey: 'client-id-1', orgId: 'ORG@AdobeOrg', sandbox: 'prod' };

let server: Server;
let base: string;
let seen: Seen[] = [];
let respond: (req: Seen) => Reply = () => ({ status: 200, body: {} });
let transport: HttpTransport;
let attempts: RequestInfo[] = [];
let timer: RecordingTimer;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      const reply = respond(entry);
      const send = () => {
        const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
        res
          .writeHead(reply.status, { ...(text === '' ? {} : { 'content-type': 'application/json' }), ...reply.headers })
          .end(text);
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs);
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
  seen = [];
  attempts = [];
  timer = new RecordingTimer();
  transport = new HttpTransport({
    retryBaseDelayMs: 1,
    maxRetryDelayMs: 50,
    timer,
    onRequest: (info) => attempts.push(info),
  });
});

afterEach(async () => {
  await transport.close();
});

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

describe('HttpTransport', () => {
  it('throws an UpstreamError with status, code and request id, and without the token or query anywhere in it', async () => {
    // A hostile upstream that echoes the Authorization header back into its error body.
    respond = (req) => ({
      status: 404,
      headers: { 'x-request-id': 'req-42' },
      body: {
        type: 'https://ns.adobe.com/aep/errors/FLOW-1439-404',
        title: 'Resource not found',
        status: 404,
        report: {
          'detailed-message': `flows abc not found for ${String(req.headers.authorization)}`,
          'request-id': 'body-id',
        },
      },
    });
    const err = await rejection(
      transport.request({
        service: 'flowService',
        method: 'GET',
        url: `${base}/data/foundation/flowservice/flows/abc`,
        query: { property: ['id==abc'], access_token: TOKEN },
        headers: platformHeaders(creds),
      }),
    );
    expect(err).toMatchObject({
      service: 'flowService',
      method: 'GET',
      status: 404,
      code: 'FLOW-1439-404',
      requestId: 'req-42',
    });
    expect(err.path).toBe('/data/foundation/flowservice/flows/abc');
    expect(err.message).toContain('flowService GET flows failed');
    expect(err.message).not.toContain('/data/');
    expect(err.message).toContain('404');
    expect(err.message).toContain('FLOW-1439-404');
    expect(err.upstreamMessage).toContain('flows abc not found');
    for (const text of [
      err.message,
      JSON.stringify(err),
      String(err.upstreamMessage),
      JSON.stringify(err.body),
      String(err.stack),
    ]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('access_token');
    }
    expect(seen).toHaveLength(1);
  });

  it('reads the gateway error_code and the request id of the body when no header carries one', async () => {
    respond = () => ({
      status: 401,
      body: { error_code: '401013', message: 'Oauth token is not valid', report: { 'request-id': 'body-id' } },
    });
    const err = await rejection(
      transport.request({
        service: 'catalog',
        method: 'GET',
        url: `${base}/data/foundation/catalog/dataSets`,
        headers: platformHeaders(creds),
      }),
    );
    expect(err).toMatchObject({
      status: 401,
      code: '401013',
      upstreamMessage: 'Oauth token is not valid',
      requestId: 'body-id',
    });
    expect(seen).toHaveLength(1);
  });

  it('retries a 503 that carries Retry-After after the whole wait it asks, beyond the backoff cap', async () => {
    respond = () =>
      seen.length === 1
        ? { status: 503, headers: { 'retry-after': '3' }, body: { title: 'busy' } }
        : { status: 200, body: { ok: true } };
    const res = await transport.request<{ ok: boolean }>({ service: 'flowService', method: 'GET', url: `${base}/x` });
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(seen).toHaveLength(2);
    expect(attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(timer.waits).toEqual([3000]);
  });

  it('fails at once when Retry-After asks for more than a call may wait', async () => {
    const short = new HttpTransport({ maxRetryAfterMs: 10_000, timer });
    respond = () => ({ status: 429, headers: { 'retry-after': '11' }, body: { title: 'slow down' } });
    const err: unknown = await short.request({ service: 'flowService', method: 'GET', url: `${base}/x` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await short.close();
    expect(err).toBeInstanceOf(OperationLimitError);
    expect(err).toMatchObject({ kind: 'RETRY_AFTER', status: 429, retryAfterMs: 11_000 });
    expect(seen).toHaveLength(1);
    expect(timer.waits).toEqual([]);
  });

  it('retries a POST answered 429', async () => {
    respond = () => (seen.length === 1 ? { status: 429 } : { status: 201, body: { id: 'f1', etag: '"1"' } });
    const res = await transport.request({
      service: 'flowService',
      method: 'POST',
      url: `${base}/flows`,
      body: { name: 'n' },
    });
    expect(res.status).toBe(201);
    expect(seen).toHaveLength(2);
  });

  it('does not retry a POST answered 500', async () => {
    respond = () => ({ status: 500, body: { title: 'boom' } });
    const err = await rejection(
      transport.request({ service: 'flowService', method: 'POST', url: `${base}/flows`, body: { name: 'n' } }),
    );
    expect(err.status).toBe(500);
    expect(seen).toHaveLength(1);
  });

  it('retries a GET answered 500 once, then throws', async () => {
    respond = () => ({ status: 500 });
    const err = await rejection(transport.request({ service: 'catalog', method: 'GET', url: `${base}/dataSets` }));
    expect(err.status).toBe(500);
    expect(seen).toHaveLength(2);
  });

  it('sends JSON and form bodies with their content types and repeats array query parameters', async () => {
    respond = () => ({ status: 200, body: { ok: true } });
    await transport.request({
      service: 'flowService',
      method: 'POST',
      url: `${base}/a`,
      query: { property: ['state==enabled', 'name==a b'], skip: undefined },
      body: { n: 1 },
    });
    await transport.request({
      service: 'ims',
      method: 'POST',
      url: `${base}/b`,
      body: { form: { grant_type: 'client_credentials', scope: 'openid,AdobeID' } },
    });
    expect(seen[0]).toMatchObject({ url: '/a?property=state%3D%3Denabled&property=name%3D%3Da%20b', body: '{"n":1}' });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[1]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(seen[1]?.body).get('scope')).toBe('openid,AdobeID');
  });

  it('gives an UpstreamError without status and with a cause when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await rejection(
      transport.request({
        service: 'dataPrep',
        method: 'GET',
        url: `http://127.0.0.1:${port}/mappingSets`,
        headers: platformHeaders(creds),
      }),
    );
    expect(err.status).toBeUndefined();
    expect(err.cause).toBeDefined();
    expect(err.message).toContain('ECONNREFUSED');
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    expect(attempts.length).toBe(3);
  });
});

describe('ImsTokenProvider', () => {
  const provider = (options: { now?: () => number; refreshMarginMs?: number } = {}) =>
    new ImsTokenProvider({
      transport,
      imsUrl: base,
      clientId: 'client-id-1',
      clientSecret: CLIENT_SECRET,
      scopes: 'openid,AdobeID',
      ...options,
    });
  let issued = 0;
  const tokenReply = (expiresIn: number): Reply => ({
    status: 200,
    delayMs: 20,
    body: { access_token: `token-${++issued}`, token_type: 'bearer', expires_in: expiresIn },
  });

  it('shares one IMS request between concurrent callers', async () => {
    respond = () => tokenReply(3600);
    const ims = provider();
    const tokens = await Promise.all([ims.getToken(), ims.getToken(), ims.getToken(), ims.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/ims/token/v3');
    const form = new URLSearchParams(seen[0]?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-id-1',
      client_secret: CLIENT_SECRET,
      scope: 'openid,AdobeID',
    });
  });

  it('reuses a token until it is within the refresh margin of its expiry, then fetches a new one', async () => {
    respond = () => tokenReply(3600);
    let now = 1_000_000;
    const ims = provider({ now: () => now, refreshMarginMs: 60_000 });
    const first = await ims.getToken();
    now += 3_539_000;
    expect(await ims.getToken()).toBe(first);
    expect(seen).toHaveLength(1);
    now += 2_000;
    expect(await ims.getToken()).not.toBe(first);
    expect(seen).toHaveLength(2);
  });

  it('reuses a token shorter-lived than the refresh margin for half its life, then refetches it', async () => {
    respond = () => tokenReply(1);
    let now = 1_000_000;
    const ims = provider({ now: () => now, refreshMarginMs: 60_000 });
    const first = await ims.getToken();
    now += 499;
    expect(await ims.getToken()).toBe(first);
    now += 2;
    expect(await ims.getToken()).not.toBe(first);
    expect(seen).toHaveLength(2);
  });

  it('fetches anew after the platform rejected the cached token', async () => {
    respond = () => tokenReply(3600);
    const ims = provider();
    const first = await ims.getToken();
    ims.invalidate('some-other-token');
    expect(await ims.getToken()).toBe(first);
    ims.invalidate(first);
    expect(await ims.getToken()).not.toBe(first);
    expect(seen).toHaveLength(2);
  });

  it('does not cache a failed request and keeps the client secret out of the error', async () => {
    respond = (req) => ({
      status: 401,
      body: { error: 'invalid_client', error_description: `unknown client ${req.body}` },
    });
    const ims = provider();
    const err = await rejection(ims.getToken());
    expect(err).toMatchObject({ service: 'ims', status: 401, code: 'invalid_client', path: '/ims/token/v3' });
    for (const text of [err.message, JSON.stringify(err), String(err.upstreamMessage), JSON.stringify(err.body)])
      expect(text).not.toContain(CLIENT_SECRET);
    respond = () => tokenReply(3600);
    expect(await ims.getToken()).toMatch(/^token-/);
    expect(seen).toHaveLength(2);
  });
});
