import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import {
  EVENT_CLASS,
  FULL_V1,
  PERSON_DETAILS,
  PROFILE_CLASS,
  RAW_V1,
  SR,
  WEB_DETAILS,
  createProfileSchema,
} from '../schemaFixtures.ts';

let t: TestEmulator;
let call: Call;
let tenantId: string;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());
beforeEach(async () => {
  t.emu.reset();
  call = await t.platform();
  tenantId = (await call('GET', `${SR}/stats`)).body.tenantId;
});

const schemaBody = (allOf: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'object',
  title: 'S',
  description: 'd',
  allOf,
  ...extra,
});

describe('Schema Registry writes', () => {
  it('creates a schema with the server-assigned identity and meta fields', async () => {
    const res = await call('POST', `${SR}/tenant/schemas`, {
      body: schemaBody([{ $ref: PROFILE_CLASS }, { $ref: PERSON_DETAILS }]),
    });
    expect(res.status).toBe(201);
    const hex = res.body.$id.split('/').pop();
    expect(res.body).toMatchObject({
      $id: `https://ns.adobe.com/${tenantId}/schemas/${hex}`,
      'meta:altId': `_${tenantId}.schemas.${hex}`,
      'meta:resourceType': 'schemas',
      version: '1.0',
      'meta:class': PROFILE_CLASS,
      'meta:containerId': 'tenant',
      'meta:sandboxId': '1bd86660-c5da-11e9-93d4-6d5fc3a66a8e',
      'meta:tenantNamespace': `_${tenantId}`,
      imsOrg: '5C1328435BF324E90A49402A@AdobeOrg',
    });
    expect(hex).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body['meta:extends']).toEqual(
      expect.arrayContaining([
        PROFILE_CLASS,
        PERSON_DETAILS,
        'https://ns.adobe.com/xdm/data/record',
        'https://ns.adobe.com/xdm/common/auditable',
      ]),
    );
    // as the spec's createSchemaResponse example: typed allOf entries and the referenced resources
    expect(res.body.allOf).toEqual([
      { $ref: PROFILE_CLASS, type: 'object', 'meta:xdmType': 'object' },
      { $ref: PERSON_DETAILS, type: 'object', 'meta:xdmType': 'object' },
    ]);
    expect(res.body.refs).toEqual([PROFILE_CLASS, PERSON_DETAILS]);
    expect(res.body['meta:registryMetadata']).toMatchObject({
      'repo:createdDate': expect.any(Number),
      eTag: expect.any(String),
    });
  });

  it('rejects schema bodies without exactly one class, with unknown refs or a field group meant for another class', async () => {
    const cases: Array<[unknown, string]> = [
      [schemaBody([{ $ref: PERSON_DETAILS }]), 'exactly one class'],
      [schemaBody([{ $ref: PROFILE_CLASS }, { $ref: EVENT_CLASS }]), 'exactly one class'],
      [schemaBody([{ $ref: PROFILE_CLASS }, { $ref: 'https://ns.adobe.com/nope' }]), 'https://ns.adobe.com/nope'],
      [schemaBody([{ $ref: PROFILE_CLASS }, { $ref: WEB_DETAILS }]), WEB_DETAILS],
      [{ ...schemaBody([{ $ref: PROFILE_CLASS }]), type: 'array' }, 'type'],
      [{ type: 'object', description: 'd', allOf: [{ $ref: PROFILE_CLASS }] }, 'title'],
      [schemaBody([]), 'allOf'],
    ];
    for (const [body, mention] of cases) {
      const res = await call('POST', `${SR}/tenant/schemas`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.type).toMatch(/^http:\/\/ns\.adobe\.com\/aep\/errors\/XDM-\d+-400$/);
      expect(res.body.detail).toContain(mention);
    }
    expect(
      (await call('GET', `${SR}/tenant/schemas`, { headers: { accept: 'application/vnd.adobe.xed-id+json' } })).body
        .results,
    ).toHaveLength(0);
  });

  it('refuses writes to the global container with 405', async () => {
    const res = await call('POST', `${SR}/global/schemas`, { body: schemaBody([{ $ref: PROFILE_CLASS }]) });
    expect(res.status).toBe(405);
    expect(res.body.type).toMatch(/XDM-\d+-405$/);
    expect((await call('DELETE', `${SR}/global/classes/${encodeURIComponent(PROFILE_CLASS)}`)).status).toBe(405);
  });

  it('creates a tenant field group under the tenant namespace and uses it in a schema', async () => {
    const bad = await call('POST', `${SR}/tenant/fieldgroups`, {
      body: {
        type: 'object',
        title: 'Loyalty',
        description: 'd',
        'meta:intendedToExtend': [PROFILE_CLASS],
        allOf: [{ properties: { loyalty: { type: 'object' } } }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain(`_${tenantId}`);
    const noTarget = await call('POST', `${SR}/tenant/fieldgroups`, {
      body: { type: 'object', title: 'L', description: 'd', allOf: [{ properties: {} }] },
    });
    expect(noTarget.status).toBe(400);

    const fg = await call('POST', `${SR}/tenant/fieldgroups`, {
      body: {
        type: 'object',
        title: 'Loyalty',
        description: 'Loyalty details',
        'meta:intendedToExtend': [PROFILE_CLASS],
        definitions: {
          loyalty: {
            properties: {
              [`_${tenantId}`]: { type: 'object', properties: { tier: { type: 'string', title: 'Tier' } } },
            },
          },
        },
        allOf: [{ $ref: '#/definitions/loyalty' }],
      },
    });
    expect(fg.status).toBe(201);
    expect(fg.body['meta:resourceType']).toBe('mixins');
    expect(fg.body.$id).toContain(`/${tenantId}/mixins/`);
    const schema = await call('POST', `${SR}/tenant/schemas`, {
      body: schemaBody([{ $ref: PROFILE_CLASS }, { $ref: fg.body.$id }, { $ref: PERSON_DETAILS }]),
    });
    expect(schema.status).toBe(201);
    const full = await call('GET', `${SR}/tenant/schemas/${encodeURIComponent(schema.body.$id)}`, {
      headers: { accept: FULL_V1 },
    });
    expect(full.body.properties[`_${tenantId}`].properties.tier.type).toBe('string');
    expect(full.body.properties.person.properties.name.properties.lastName.type).toBe('string');
    const listed = await call('GET', `${SR}/tenant/mixins`, {
      headers: { accept: 'application/vnd.adobe.xed-id+json' },
    });
    expect(listed.body.results.map((r: any) => r.$id)).toEqual([fg.body.$id]);
  });

  it('answers the resolved form of a schema as its field groups and itself are now, read after read', async () => {
    const fieldGroup = (field: string) => ({
      type: 'object',
      title: 'Loyalty',
      description: 'Loyalty details',
      'meta:intendedToExtend': [PROFILE_CLASS],
      definitions: {
        loyalty: { properties: { [`_${tenantId}`]: { type: 'object', properties: { [field]: { type: 'string' } } } } },
      },
      allOf: [{ $ref: '#/definitions/loyalty' }],
    });
    const fg = await call('POST', `${SR}/tenant/fieldgroups`, { body: fieldGroup('tier') });
    const schema = await call('POST', `${SR}/tenant/schemas`, {
      body: schemaBody([{ $ref: PROFILE_CLASS }, { $ref: fg.body.$id }]),
    });
    const path = `${SR}/tenant/schemas/${encodeURIComponent(schema.body.$id)}`;
    const tenantFields = async () => {
      const full = await call('GET', path, { headers: { accept: FULL_V1 } });
      expect(full.status).toBe(200);
      return { title: full.body.title, fields: Object.keys(full.body.properties[`_${tenantId}`].properties) };
    };
    expect(await tenantFields()).toEqual({ title: 'S', fields: ['tier'] });
    expect(await tenantFields()).toEqual({ title: 'S', fields: ['tier'] });
    // the field group the schema uses changes: the schema's resolved form with it
    const put = await call('PUT', `${SR}/tenant/fieldgroups/${encodeURIComponent(fg.body.$id)}`, {
      body: fieldGroup('level'),
    });
    expect(put.status).toBe(200);
    expect(await tenantFields()).toEqual({ title: 'S', fields: ['level'] });
    const patched = await call('PATCH', path, { body: [{ op: 'replace', path: '/title', value: 'Renamed' }] });
    expect(patched.status).toBe(200);
    expect(await tenantFields()).toEqual({ title: 'Renamed', fields: ['level'] });
    // the raw form is the stored resource as it is now
    const raw = await call('GET', path, { headers: { accept: RAW_V1 } });
    expect(raw.body).toMatchObject({ title: 'Renamed', version: '1.1' });
  });

  it('creates an ad-hoc class whose _adhoc fields move to _<classGuid> and whose schema carries the dataset namespace', async () => {
    const cls = await call('POST', `${SR}/tenant/classes`, {
      body: {
        type: 'object',
        title: 'Ad-hoc class',
        description: 'd',
        allOf: [
          { $ref: 'https://ns.adobe.com/xdm/data/adhoc' },
          { properties: { _adhoc: { type: 'object', properties: { field1: { type: 'string' } } } } },
        ],
      },
    });
    expect(cls.status).toBe(201);
    const guid = cls.body.$id.split('/').pop();
    const ns = `_${guid}`;
    expect(cls.body).toMatchObject({
      'meta:datasetNamespace': ns,
      'meta:abstract': true,
      'meta:extensible': true,
      'meta:extends': ['https://ns.adobe.com/xdm/data/adhoc'],
    });
    expect(cls.body.allOf[1].properties).toEqual({
      [ns]: { type: 'object', properties: { field1: { type: 'string' } } },
    });

    const schema = await call('POST', `${SR}/tenant/schemas`, { body: schemaBody([{ $ref: cls.body.$id }]) });
    expect(schema.status).toBe(201);
    expect(schema.body['meta:datasetNamespace']).toBe(ns);
    const full = await call('GET', `${SR}/tenant/schemas/${encodeURIComponent(schema.body['meta:altId'])}`, {
      headers: { accept: FULL_V1 },
    });
    expect(full.body.properties[ns].properties.field1.type).toBe('string');
  });

  it('rejects a class that extends no behavior', async () => {
    const res = await call('POST', `${SR}/tenant/classes`, {
      body: { type: 'object', title: 'C', description: 'd', allOf: [{ $ref: PROFILE_CLASS }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('behavior');
  });

  it('updates with PUT and JSON Patch, bumping the minor version and eTag', async () => {
    const created = await createProfileSchema(call);
    const path = `${SR}/tenant/schemas/${encodeURIComponent(created.$id)}`;
    const before = (await call('GET', path, { headers: { accept: RAW_V1 } })).body;
    const patched = await call('PATCH', path, { body: [{ op: 'replace', path: '/title', value: 'Renamed' }] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ $id: created.$id, title: 'Renamed', version: '1.1' });
    expect(patched.body['meta:registryMetadata'].eTag).not.toBe(before['meta:registryMetadata'].eTag);
    const put = await call('PUT', path, { body: schemaBody([{ $ref: PROFILE_CLASS }], { title: 'Put' }) });
    expect(put.body).toMatchObject({ title: 'Put', version: '1.2', 'meta:altId': created['meta:altId'] });
    const badPatch = await call('PATCH', path, {
      body: [{ op: 'add', path: '/allOf/-', value: { $ref: WEB_DETAILS } }],
    });
    expect(badPatch.status).toBe(400);
  });

  it('deletes an unused schema with 204 and refuses one a dataset uses', async () => {
    const unused = await createProfileSchema(call, 'Unused');
    const del = await call('DELETE', `${SR}/tenant/schemas/${encodeURIComponent(unused.$id)}`);
    expect(del.status).toBe(204);
    expect(
      (await call('GET', `${SR}/tenant/schemas/${encodeURIComponent(unused.$id)}`, { headers: { accept: RAW_V1 } }))
        .status,
    ).toBe(404);

    const used = await createProfileSchema(call, 'Used');
    await call('POST', '/data/foundation/catalog/dataSets', { body: { name: 'ds', schemaRef: { id: used.$id } } });
    const refused = await call('DELETE', `${SR}/tenant/schemas/${encodeURIComponent(used['meta:altId'])}`);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/XDM-\d+-409$/);
  });
});
