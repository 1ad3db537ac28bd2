import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOC_ORG, startTestEmulator, type TestEmulator } from './emulatorHarness.ts';

const CONNECTIONS = '/data/foundation/flowservice/connections';
const OTHER_ORG = 'ENTITLED0000000000000000@AdobeOrg';
const NOT_VALID = { error_code: '403025', message: 'Profile is not valid' };

let t: TestEmulator;

beforeEach(async () => {
  t = await startTestEmulator();
});
afterEach(() => t.stop());

const grant = (body: unknown) => t.raw('PUT', '/__emulator/entitlements', { body });
const listIn = async (org: string, clientId = 'bound-client') =>
  (await t.platform({ org, clientId }))('GET', CONNECTIONS, { query: { limit: '1' } });

describe('entitlements (CONTRACT §1.3: token not entitled for org)', () => {
  it('lets a token with no grant reach any org', async () => {
    expect((await listIn(DOC_ORG)).status).toBe(200);
    expect((await listIn(OTHER_ORG)).status).toBe(200);
  });

  it('answers 403 403025 for an org the client is not entitled to, and serves the ones it is', async () => {
    expect((await grant({ clientId: 'bound-client', orgs: [OTHER_ORG] })).status).toBe(200);
    const refused = await listIn(DOC_ORG);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(NOT_VALID);
    expect((await listIn(OTHER_ORG)).status).toBe(200);
    // another client keeps the open behaviour
    expect((await listIn(DOC_ORG, 'unbound-client')).status).toBe(200);
    const log = (await t.requests()).filter((e) => e.path === CONNECTIONS);
    expect(log.map((e) => [e.status, e.org])).toEqual([
      [403, null],
      [200, OTHER_ORG],
      [200, DOC_ORG],
    ]);
  });

  it('checks the token before the entitlement, and the entitlement before the sandbox', async () => {
    await grant({ clientId: 'bound-client', orgs: [OTHER_ORG] });
    const call = await t.platform({ org: DOC_ORG, clientId: 'bound-client' });
    const madeUp = await call('GET', CONNECTIONS, { headers: { authorization: 'Bearer eyJmade-up' } });
    expect(madeUp.status).toBe(401);
    const noSandbox = await call('GET', CONNECTIONS, { headers: { 'x-sandbox-name': undefined } });
    expect(noSandbox.status).toBe(403);
    expect(noSandbox.body).toEqual(NOT_VALID);
  });

  it('lists grants, replaces a client grant with PUT and lifts them all with DELETE', async () => {
    await grant({ clientId: 'bound-client', orgs: [OTHER_ORG] });
    await grant({ clientId: 'bound-client', orgs: [DOC_ORG, OTHER_ORG] });
    expect((await t.raw('GET', '/__emulator/entitlements')).body).toEqual({
      'bound-client': [DOC_ORG, OTHER_ORG].sort(),
    });
    expect((await listIn(DOC_ORG)).status).toBe(200);
    await grant({ clientId: 'bound-client', orgs: [OTHER_ORG] });
    expect((await listIn(DOC_ORG)).status).toBe(403);
    expect((await t.raw('DELETE', '/__emulator/entitlements')).status).toBe(204);
    expect((await t.raw('GET', '/__emulator/entitlements')).body).toEqual({});
    expect((await listIn(DOC_ORG)).status).toBe(200);
  });

  it('forgets every grant on reset', async () => {
    await grant({ clientId: 'bound-client', orgs: [OTHER_ORG] });
    await t.raw('POST', '/__emulator/reset', { body: {} });
    expect((await listIn(DOC_ORG)).status).toBe(200);
  });

  it.each([
    ['no clientId', { orgs: [OTHER_ORG] }],
    ['an empty clientId', { clientId: ' ', orgs: [OTHER_ORG] }],
    ['no orgs', { clientId: 'c' }],
    ['an empty org list', { clientId: 'c', orgs: [] }],
    ['an org that is not an IMS org id', { clientId: 'c', orgs: [OTHER_ORG, '../etc@AdobeOrg'] }],
    ['a body that is a list', [{ clientId: 'c', orgs: [OTHER_ORG] }]],
  ])('rejects a grant with %s with 400 naming the field', async (_label, body) => {
    const res = await grant(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/clientId|orgs|JSON object/);
    expect((await t.raw('GET', '/__emulator/entitlements')).body).toEqual({});
  });
});
