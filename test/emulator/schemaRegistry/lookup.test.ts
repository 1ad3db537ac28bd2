import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schemaFieldPaths } from '../../../src/emulator/schemaRegistry/resolve.ts';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FULL_V1, PROFILE_CLASS, RAW_V1, SR, createProfileSchema } from '../schemaFixtures.ts';

let t: TestEmulator;
let call: Call;
let schema: { $id: string; 'meta:altId': string };

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());
beforeEach(async () => {
  t.emu.reset();
  call = await t.platform();
  schema = await createProfileSchema(call);
});

const lookup = (id: string, accept: string | undefined, container = 'tenant', kind = 'schemas') =>
  call('GET', `${SR}/${container}/${kind}/${encodeURIComponent(id)}`, { headers: { accept } });

describe('Schema Registry lookups', () => {
  it('finds a schema by URL-encoded $id and by meta:altId', async () => {
    const byId = await lookup(schema.$id, RAW_V1);
    const byAlt = await lookup(schema['meta:altId'], RAW_V1);
    expect(byId.status).toBe(200);
    expect(byAlt.body).toEqual(byId.body);
    expect(byId.body.$id).toBe(schema.$id);
  });

  it('returns the raw form with allOf for xed+json and the resolved properties tree for xed-full+json', async () => {
    const raw = await lookup(schema.$id, RAW_V1);
    expect(raw.body.allOf).toHaveLength(3);
    expect(raw.body.properties).toBeUndefined();
    const full = await lookup(schema.$id, FULL_V1);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toContain('application/vnd.adobe.xed-full+json');
    expect(full.body.allOf).toBeUndefined();
    expect(full.body.properties.person.properties.name.properties.firstName).toMatchObject({
      type: 'string',
      title: 'First name',
    });
    expect(full.body.properties.personalEmail.properties.address.type).toBe('string');
    expect(full.body.properties._id.type).toBe('string');
    expect(full.body['meta:class']).toBe(PROFILE_CLASS);
  });

  it('takes the xdm spelling of the media types as the xed one, in lookups and lists', async () => {
    const xed = await lookup(schema.$id, FULL_V1);
    const xdm = await lookup(schema.$id, 'application/vnd.adobe.xdm-full+json; version=1');
    expect(xdm.status).toBe(200);
    expect(xdm.body).toEqual(xed.body);
    const list = await call('GET', `${SR}/tenant/schemas`, {
      headers: { accept: 'application/vnd.adobe.xdm-id+json' },
    });
    expect(list.status).toBe(200);
    expect(list.body.results.map((r: { $id: string }) => r.$id)).toEqual([schema.$id]);
  });

  it('drops field titles and descriptions for the notext forms', async () => {
    const full = await lookup(schema.$id, 'application/vnd.adobe.xed-full-notext+json; version=1');
    expect(full.status).toBe(200);
    const firstName = full.body.properties.person.properties.name.properties.firstName;
    expect(firstName.type).toBe('string');
    expect(firstName.title).toBeUndefined();
    expect(firstName.description).toBeUndefined();
    const raw = await lookup(PROFILE_CLASS, 'application/vnd.adobe.xed-notext+json; version=1', 'global', 'classes');
    expect(raw.status).toBe(200);
    expect(JSON.stringify(raw.body.definitions)).not.toContain('"title"');
  });

  it('enforces the Accept rules of a lookup: 1007 without version, 406 for other forms', async () => {
    const noVersion = await lookup(schema.$id, 'application/vnd.adobe.xed+json');
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.type).toBe('http://ns.adobe.com/aep/errors/XDM-1007-400');
    const missing = await lookup(schema.$id, undefined);
    expect(missing.body.type).toBe('http://ns.adobe.com/aep/errors/XDM-1007-400');
    const json = await lookup(schema.$id, 'application/json');
    expect(json.status).toBe(406);
    const idForm = await lookup(schema.$id, 'application/vnd.adobe.xed-id+json; version=1');
    expect(idForm.status).toBe(406);
  });

  it('answers 404 XDM-1012 for an unknown id, another version, or a resource of another kind', async () => {
    const unknown = await lookup('https://ns.adobe.com/nobody/schemas/0', FULL_V1);
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('http://ns.adobe.com/aep/errors/XDM-1012-404');
    expect(unknown.body.detail).toBe(
      'Requested resource https://ns.adobe.com/nobody/schemas/0 with version 1 is not found',
    );
    expect((await lookup(schema.$id, 'application/vnd.adobe.xed+json; version=2')).status).toBe(404);
    expect((await lookup(schema.$id, FULL_V1, 'tenant', 'classes')).status).toBe(404);
    expect((await lookup(schema.$id, FULL_V1, 'global')).status).toBe(404);
  });

  it('serves the seeded global classes, field groups (also under mixins) and behaviors to any org', async () => {
    const other = await t.platform({ org: 'OTHER00000000000000000001@AdobeOrg', sandbox: 'dev' });
    const cls = await other('GET', `${SR}/global/classes/${encodeURIComponent('_xdm.context.profile')}`, {
      headers: { accept: FULL_V1 },
    });
    expect(cls.status).toBe(200);
    expect(cls.body.properties.personID.type).toBe('string');
    const fg = await other(
      'GET',
      `${SR}/global/mixins/${encodeURIComponent('https://ns.adobe.com/xdm/context/profile-person-details')}`,
      { headers: { accept: RAW_V1 } },
    );
    expect(fg.body['meta:intendedToExtend']).toContain(PROFILE_CLASS);
    const behavior = await other(
      'GET',
      `${SR}/global/behaviors/${encodeURIComponent('https://ns.adobe.com/xdm/data/record')}`,
      { headers: { accept: RAW_V1 } },
    );
    expect(behavior.status).toBe(200);
  });

  it('keeps tenant schemas of another org and another sandbox invisible', async () => {
    const dev = await t.platform({ sandbox: 'dev' });
    const otherOrg = await t.platform({ org: 'OTHER00000000000000000001@AdobeOrg' });
    expect(
      (await dev('GET', `${SR}/tenant/schemas/${encodeURIComponent(schema.$id)}`, { headers: { accept: RAW_V1 } }))
        .status,
    ).toBe(404);
    expect(
      (await otherOrg('GET', `${SR}/tenant/schemas/${encodeURIComponent(schema.$id)}`, { headers: { accept: RAW_V1 } }))
        .status,
    ).toBe(404);
    const log = await t.requests();
    expect(
      log.filter((r) => r.status === 404 && r.path.startsWith(`${SR}/tenant/schemas/`)).map((r) => r.sandbox),
    ).toEqual(['dev', 'prod']);
  });

  it('exposes every dotted path of the resolved schema to other emulator parts', () => {
    const part = t.emu.runtime.store.partition(DOC_ORG, 'prod');
    const paths = schemaFieldPaths(part, schema['meta:altId']);
    expect(paths?.has('person.name.firstName')).toBe(true);
    expect(paths?.has('homeAddress.city')).toBe(true);
    expect(paths?.has('workEmail.address')).toBe(false);
    expect(schemaFieldPaths(part, 'https://ns.adobe.com/none')).toBeUndefined();
  });

  it('answers stats with the tenant id, org and counts', async () => {
    const res = await call('GET', `${SR}/stats`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      imsOrg: DOC_ORG,
      tenantId: expect.any(String),
      counts: { schemas: 1, classes: 0, mixins: 0 },
    });
    expect(res.body.classUsage).toEqual([expect.objectContaining({ $id: PROFILE_CLASS, numberOfSchemas: 1 })]);
  });
});
