import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, DOC_ORG, startTestEmulator, type TestEmulator } from './emulatorHarness.ts';

const FLOWS = '/data/foundation/flowservice/flows';
const DATASETS = '/data/foundation/catalog/dataSets';

/** Moves the emulator's wall clock, so issued tokens expire without waiting. */
let wallOffsetMs = 0;
let t: TestEmulator;

beforeEach(async () => {
  t = await startTestEmulator({ tokenTtlSeconds: 3600, wallClock: () => Date.now() + wallOffsetMs });
});
afterEach(() => t.stop());

async function headers(
  overrides: Record<string, string | undefined> = {},
): Promise<Record<string, string | undefined>> {
  return {
    authorization: `Bearer ${await t.token()}`,
    'x-api-key': API_KEY,
    'x-gw-ims-org-id': DOC_ORG,
    'x-sandbox-name': 'prod',
    ...overrides,
  };
}

async function tokenRequest(form: Record<string, string>) {
  const res = await fetch(`${t.url}/ims/token/v3`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('platform gateway (CONTRACT §1.3)', () => {
  it('answers 403 403010 when the Authorization header is missing', async () => {
    const res = await t.raw('GET', FLOWS, { headers: await headers({ authorization: undefined }) });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error_code: '403010', message: 'Oauth token is missing.' });
  });

  it('answers 401 401013 for a token it never issued', async () => {
    const res = await t.raw('GET', DATASETS, {
      headers: await headers({ authorization: 'Bearer eyJnot-a-real-token' }),
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error_code: '401013', message: 'Oauth token is not valid' });
  });

  it('answers 401 401013 once an issued token has expired', async () => {
    const h = await headers();
    expect((await t.raw('GET', FLOWS, { headers: h })).status).toBe(200);
    wallOffsetMs += 3_600_000;
    const res = await t.raw('GET', FLOWS, { headers: h });
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('401013');
  });

  it('answers 403 403000 when x-api-key is missing', async () => {
    const res = await t.raw('GET', FLOWS, { headers: await headers({ 'x-api-key': undefined }) });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error_code: '403000', message: 'Api Key is required' });
  });

  it('answers 403 403003 when x-api-key is not the client the token was issued to', async () => {
    const res = await t.raw('GET', FLOWS, { headers: await headers({ 'x-api-key': 'someone-else' }) });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error_code: '403003', message: 'Api Key is invalid' });
  });

  it('answers 400 400003 when x-gw-ims-org-id is missing', async () => {
    const res = await t.raw('GET', DATASETS, { headers: await headers({ 'x-gw-ims-org-id': undefined }) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: '400003', message: 'Missing header' });
  });

  it('answers Flow Service 400 FLOW-2105-400 when x-sandbox-name is missing', async () => {
    const res = await t.raw('GET', FLOWS, { headers: await headers({ 'x-sandbox-name': undefined }) });
    expect(res.status).toBe(400);
    expect(res.body.type).toContain('FLOW-2105-400');
    expect(res.body.report['detailed-message']).toBe('The header x-sandbox-name is missing');
  });

  it('answers 400 on other platform services too when x-sandbox-name is missing', async () => {
    const res = await t.raw('GET', DATASETS, { headers: await headers({ 'x-sandbox-name': undefined }) });
    expect(res.status).toBe(400);
  });

  it('sends an x-request-id header equal to the request id inside the error report', async () => {
    const res = await t.raw('GET', `${FLOWS}/00000000-0000-4000-8000-000000000000`, { headers: await headers() });
    expect(res.status).toBe(404);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.report['request-id']).toBe(requestId);
  });

  it('sends a stored name that spells the request id placeholder as it was stored', async () => {
    const call = await t.platform();
    const created = await call('POST', '/data/foundation/flowservice/connections', {
      body: {
        name: '{REQUEST_ID}',
        auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIA', s3SecretKey: 'secret' } },
        connectionSpec: { id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b', version: '1.0' },
      },
    });
    expect(created.status).toBe(201);
    const read = await call('GET', `/data/foundation/flowservice/connections/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.items[0].name).toBe('{REQUEST_ID}');
  });

  it('sends an x-request-id header on successful responses and a new one per request', async () => {
    const h = await headers();
    const a = await t.raw('GET', FLOWS, { headers: h });
    const b = await t.raw('GET', FLOWS, { headers: h });
    expect(a.headers.get('x-request-id')).not.toBeNull();
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('IMS token endpoint', () => {
  const valid = { grant_type: 'client_credentials', client_id: 'c1', client_secret: 's1', scope: 'openid,AdobeID' };

  it('issues a bearer token that the gateway accepts for that client id', async () => {
    const res = await tokenRequest(valid);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    const call = await t.raw('GET', FLOWS, {
      headers: {
        authorization: `Bearer ${String(res.body['access_token'])}`,
        'x-api-key': 'c1',
        'x-gw-ims-org-id': DOC_ORG,
        'x-sandbox-name': 'prod',
      },
    });
    expect(call.status).toBe(200);
  });

  it('rejects a request without grant_type as invalid_request', async () => {
    const { grant_type: _g, ...rest } = valid;
    const res = await tokenRequest(rest);
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('invalid_request');
  });

  it('rejects a grant other than client_credentials', async () => {
    const res = await tokenRequest({ ...valid, grant_type: 'password' });
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('unsupported_grant_type');
  });

  it('rejects a request without client_id or without client_secret as invalid_client', async () => {
    const { client_id: _c, ...noId } = valid;
    const { client_secret: _s, ...noSecret } = valid;
    for (const form of [noId, noSecret]) {
      const res = await tokenRequest(form);
      expect(res.status).toBe(401);
      expect(res.body['error']).toBe('invalid_client');
    }
  });
});
