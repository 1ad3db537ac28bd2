import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startStack, type Stack } from './harness.ts';

const REAL_PLATFORM = {
  PLATFORM_URL: 'https://platform.example',
  STREAMING_URL: 'https://dcs.example',
  IMS_URL: 'https://ims.example',
  IMS_CLIENT_ID: 'id',
  IMS_CLIENT_SECRET: 'secret',
  IMS_ORG_ID: 'ORG@AdobeOrg',
};

describe('introspection and the landing page', () => {
  it('are on over the embedded emulator and off against a real Platform unless configured', () => {
    expect(loadConfig({})).toMatchObject({ introspection: true, landingPage: true });
    expect(loadConfig(REAL_PLATFORM)).toMatchObject({ introspection: false, landingPage: false });
    expect(loadConfig({ ...REAL_PLATFORM, INTROSPECTION: 'true', LANDING_PAGE: 'true' })).toMatchObject({
      introspection: true,
      landingPage: true,
    });
  });

  // the stack's API is configured as against a real Platform: PLATFORM_URL points at the emulator
  let production: Stack;
  let development: Stack;
  beforeAll(async () => {
    [production, development] = await Promise.all([
      startStack(),
      startStack({ env: { INTROSPECTION: 'true', LANDING_PAGE: 'true' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([production.stop(), development.stop()]);
  });

  it('refuses introspection against a real Platform, with no upstream request', async () => {
    // the server's IMS token, fetched once
    expect((await production.gql('{ flows(first: 1) { totalCount } }')).errors).toBeUndefined();
    await production.clearRequests();
    const res = await production.gql('{ __schema { queryType { name } } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    expect(await production.requests()).toEqual([]);
    const dev = await development.gql('{ __schema { queryType { name } } }');
    expect(dev.data.__schema.queryType.name).toBe('Query');
  });

  it('hides "Did you mean" suggestions when introspection is off, in the document and in the variables', async () => {
    const field = '{ flowz(first: 1) { nodes { id } } }';
    expect((await production.gql(field)).errors?.[0]?.message).toBe('Cannot query field "flowz" on type "Query".');
    expect((await development.gql(field)).errors?.[0]?.message).toMatch(/Did you mean .*"flows"/);

    const variables = 'query($f: FlowFilter) { flows(filter: $f) { totalCount } }';
    const hidden = await production.gql(variables, { f: { stat: 'ENABLED' } });
    expect(hidden.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(hidden.errors?.[0]?.message).toBe(
      'Variable "$f" got an invalid value at "f"; Field "stat" is not defined by type "FlowFilter".',
    );
    const enumValue = await production.gql('query($s: FlowState) { flows(filter: { state: $s }) { totalCount } }', {
      s: 'ENABLD',
    });
    expect(enumValue.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect((await development.gql(variables, { f: { stat: 'ENABLED' } })).errors?.[0]?.message).toMatch(
      /Did you mean "state"\?/,
    );
  });

  it('serves the landing page to a browser only where configured', async () => {
    const page = (s: Stack) => fetch(s.api.url, { headers: { accept: 'text/html' } });
    const off = await page(production);
    expect(off.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await off.text()).not.toMatch(/<html/i);
    const on = await page(development);
    expect(on.status).toBe(200);
    expect(on.headers.get('content-type')).toMatch(/text\/html/);
  });
});
