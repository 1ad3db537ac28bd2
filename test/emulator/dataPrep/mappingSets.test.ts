import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XdmResourceDto } from '../../../src/upstream/schemaRegistry/types.ts';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createProfileSchema } from '../schemaFixtures.ts';

const BASE = '/data/foundation/conversion/mappingSets';

let t: TestEmulator;
let call: Call;
let schema: XdmResourceDto;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

beforeEach(async () => {
  t.emu.reset();
  call = await t.platform();
  schema = await createProfileSchema(call);
});

const currentBody = (destination = 'person.name.firstName') => ({
  name: 'CRM contacts',
  outputSchema: { schemaRef: { id: schema.$id, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
  mappings: [
    { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id', name: 'id', description: 'Identifier field' },
    { sourceType: 'ATTRIBUTE', source: 'first', destination },
  ],
});

const legacyBody = () => ({
  version: 0,
  xdmSchema: schema['meta:altId'],
  xdmVersion: '1.0',
  id: null,
  mappings: [
    {
      destinationXdmPath: 'person.name.lastName',
      sourceAttribute: 'last',
      identity: false,
      identityGroup: null,
      namespaceCode: null,
      version: 0,
    },
    {
      destinationXdmPath: 'personalEmail.address',
      sourceAttribute: 'email',
      identity: true,
      identityGroup: null,
      namespaceCode: 'Email',
      version: 0,
    },
  ],
});

describe('creating mapping sets', () => {
  it('answers 200 with the short representation for a current-style body', async () => {
    const res = await call('POST', BASE, { body: currentBody() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      version: 0,
      createdDate: expect.any(Number),
      modifiedDate: res.body.createdDate,
      createdBy: 'test-client@AdobeID',
      modifiedBy: 'test-client@AdobeID',
    });
  });

  it('stores a current-style body with both vocabularies on every mapping', async () => {
    const { body: created } = await call('POST', BASE, { body: currentBody() });
    const res = await call('GET', `${BASE}/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      version: 0,
      name: 'CRM contacts',
      supportVersion: '1.1',
      status: 'PUBLISHED',
      xdmSchema: schema.$id,
      schemaRef: { id: schema.$id },
      outputSchema: { schemaRef: { id: schema.$id, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
    });
    expect(res.body.mappings[1]).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      sourceType: 'ATTRIBUTE',
      source: 'first',
      destination: 'person.name.firstName',
      sourceAttribute: 'first',
      destinationXdmPath: 'person.name.firstName',
      identity: false,
    });
  });

  it('accepts the legacy body that names the schema by altId and stores its $id', async () => {
    const { status, body: created } = await call('POST', BASE, { body: legacyBody() });
    expect(status).toBe(200);
    const { body } = await call('GET', `${BASE}/${created.id}`);
    expect(body.xdmSchema).toBe(schema.$id);
    expect(body.outputSchema.schemaRef.id).toBe(schema.$id);
    expect(body.xdmVersion).toBe('1.0');
    expect(body.mappings.map((m: any) => [m.source, m.destination, m.sourceType, m.namespaceCode])).toEqual([
      ['last', 'person.name.lastName', 'ATTRIBUTE', null],
      ['email', 'personalEmail.address', 'ATTRIBUTE', 'Email'],
    ]);
    expect(body.mappings[1].identity).toBe(true);
  });

  it('rejects a mapping to a field the schema lacks with a 400 listing each bad mapping, and stores nothing', async () => {
    const body = currentBody('person.nickname');
    body.mappings.push({ sourceType: 'ATTRIBUTE', source: 'x', destination: '_acme.tier' });
    const res = await call('POST', BASE, { body });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('https://ns.adobe.com/aep/errors/DPREP-1419-400');
    expect(res.body.invalidMappings).toEqual([
      {
        index: 1,
        destination: 'person.nickname',
        reason: expect.stringContaining('does not exist in the target schema'),
      },
      { index: 2, destination: '_acme.tier', reason: expect.stringContaining('does not exist in the target schema') },
    ]);
    const list = await call('GET', BASE, { query: { limit: '10', start: '0' } });
    expect(list.body._page.count).toBe(0);
  });

  it('rejects a sourceType outside ATTRIBUTE, EXPRESSION and STATIC', async () => {
    const body = currentBody();
    body.mappings[0]!.sourceType = 'COLUMN';
    const res = await call('POST', BASE, { body });
    expect(res.status).toBe(400);
    expect(res.body.invalidMappings).toEqual([
      { index: 0, destination: '_id', reason: expect.stringContaining('sourceType COLUMN') },
    ]);
  });

  it('rejects a target schema that does not exist in the sandbox', async () => {
    const body = currentBody();
    body.outputSchema.schemaRef.id = 'https://ns.adobe.com/acme/schemas/0000';
    const res = await call('POST', BASE, { body });
    expect(res.status).toBe(400);
    expect(res.body.report['detailed-message']).toContain('does not exist');
  });

  it('rejects a body without a target schema', async () => {
    const res = await call('POST', BASE, { body: { mappings: [] } });
    expect(res.status).toBe(400);
    expect(res.body.type).toMatch(/DPREP-\d+-400$/);
  });
});

describe('validating mapping sets', () => {
  it('answers one entry per mapping, FAILED for a destination outside the schema and for a bad sourceType', async () => {
    const body = currentBody('person.nickname');
    body.mappings.push({ sourceType: 'LOOKUP', source: 'a', destination: 'person.gender' });
    const res = await call('POST', `${BASE}/validate`, { body });
    expect(res.status).toBe(200);
    expect(res.body.validationResponse).toEqual([
      { status: 'SUCCESS', errors: [] },
      {
        status: 'FAILED',
        errors: [
          {
            code: 'DESTINATION_NOT_IN_SCHEMA',
            message: expect.stringContaining('person.nickname does not exist in the target schema'),
            field: 'mappings[1].destination',
          },
        ],
      },
      {
        status: 'FAILED',
        errors: [
          { code: 'INVALID_SOURCE_TYPE', message: expect.stringContaining('LOOKUP'), field: 'mappings[2].sourceType' },
        ],
      },
    ]);
    const list = await call('GET', BASE, { query: { limit: '10', start: '0' } });
    expect(list.body.data).toEqual([]);
  });

  it('validates legacy bodies too', async () => {
    const res = await call('POST', `${BASE}/validate`, { body: legacyBody() });
    expect(res.body.validationResponse).toEqual([
      { status: 'SUCCESS', errors: [] },
      { status: 'SUCCESS', errors: [] },
    ]);
  });
});

describe('listing mapping sets', () => {
  it('defaults start to 0 and limit to 10, as the spec does and aepp relies on, and refuses a bad one', async () => {
    for (const name of ['a', 'b']) await call('POST', BASE, { body: { ...currentBody(), name } });
    const noStart = await call('GET', BASE, { query: { limit: '1' } });
    expect(noStart.status).toBe(200);
    expect(noStart.body.data).toHaveLength(1);
    const neither = await call('GET', BASE);
    expect(neither.body._page).toMatchObject({ limit: 10 });
    const bad = await call('GET', BASE, { query: { start: '-1' } });
    expect(bad.status).toBe(400);
    expect(bad.body.report['detailed-message']).toContain('start');
  });

  it('pages with a real count and a next link, newest update first by default', async () => {
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c'])
      ids.push((await call('POST', BASE, { body: { ...currentBody(), name } })).body.id);
    const first = await call('GET', BASE, { query: { limit: '2', start: '0' } });
    expect(first.status).toBe(200);
    expect(first.body._page).toEqual({ count: 3, limit: 2 });
    expect(first.body.data).toHaveLength(2);
    expect(first.body._links.next.href).toContain('start=2');
    const second = await call('GET', BASE, { query: { limit: '2', start: '2' } });
    expect(second.body.data).toHaveLength(1);
    expect(second.body._links).toBeUndefined();
    const seen = [...first.body.data, ...second.body.data].map((s: any) => s.id);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('filters by name and orders by creation date', async () => {
    await call('POST', BASE, { body: { ...currentBody(), name: 'first' } });
    t.emu.runtime.clock.advance(1_000);
    await call('POST', BASE, { body: { ...currentBody(), name: 'second' } });
    const byName = await call('GET', BASE, { query: { limit: '10', start: '0', name: 'second' } });
    expect(byName.body.data.map((s: any) => s.name)).toEqual(['second']);
    const asc = await call('GET', BASE, { query: { limit: '10', start: '0', orderBy: '+createdDate' } });
    expect(asc.body.data.map((s: any) => s.name)).toEqual(['first', 'second']);
    const desc = await call('GET', BASE, { query: { limit: '10', start: '0', orderBy: '-createdDate' } });
    expect(desc.body.data.map((s: any) => s.name)).toEqual(['second', 'first']);
    const bad = await call('GET', BASE, { query: { limit: '10', start: '0', orderBy: 'name' } });
    expect(bad.status).toBe(400);
  });
});

describe('versions and mappings', () => {
  it('stores a PUT as the next version and keeps the earlier one readable', async () => {
    const { body: created } = await call('POST', BASE, { body: currentBody() });
    const put = await call('PUT', `${BASE}/${created.id}`, { body: currentBody('person.name.middleName') });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: created.id, version: 1, createdDate: created.createdDate });
    const latest = await call('GET', `${BASE}/${created.id}`);
    expect(latest.body.version).toBe(1);
    expect(latest.body.mappings[1].destination).toBe('person.name.middleName');
    const v0 = await call('GET', `${BASE}/${created.id}`, { query: { version: '0' } });
    expect(v0.body.version).toBe(0);
    expect(v0.body.mappings[1].destination).toBe('person.name.firstName');
    const missing = await call('GET', `${BASE}/${created.id}`, { query: { version: '7' } });
    expect(missing.status).toBe(404);
  });

  it('rejects a PUT with an unknown destination and keeps the version unchanged', async () => {
    const { body: created } = await call('POST', BASE, { body: currentBody() });
    const put = await call('PUT', `${BASE}/${created.id}`, { body: currentBody('person.shoeSize') });
    expect(put.status).toBe(400);
    expect(put.body.invalidMappings[0]).toMatchObject({ index: 1, destination: 'person.shoeSize' });
    expect((await call('GET', `${BASE}/${created.id}`)).body.version).toBe(0);
  });

  it('lists the mappings of a set and looks one up by id', async () => {
    const { body: created } = await call('POST', BASE, { body: currentBody() });
    const list = await call('GET', `${BASE}/${created.id}/mappings`);
    expect(list.status).toBe(200);
    expect(list.body.map((m: any) => m.destination)).toEqual(['_id', 'person.name.firstName']);
    const one = await call('GET', `${BASE}/${created.id}/mappings/${list.body[1].id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(list.body[1]);
    const unknown = await call('GET', `${BASE}/${created.id}/mappings/ffffffffffffffffffffffffffffffff`);
    expect(unknown.status).toBe(404);
  });

  it('answers 404 with a DPREP problem for an unknown mapping set', async () => {
    const res = await call('GET', `${BASE}/ffffffffffffffffffffffffffffffff`);
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('https://ns.adobe.com/aep/errors/DPREP-1404-404');
    expect(res.body.report['request-id']).toBe(res.headers.get('x-request-id'));
  });

  it('has no DELETE: 405 with an Allow header', async () => {
    const { body: created } = await call('POST', BASE, { body: currentBody() });
    const res = await call('DELETE', `${BASE}/${created.id}`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT');
    expect((await call('GET', `${BASE}/${created.id}`)).status).toBe(200);
  });

  it('keeps mapping sets inside their sandbox', async () => {
    const { body: created } = await call('POST', BASE, { body: currentBody() });
    const dev = await t.platform({ sandbox: 'dev' });
    expect((await dev('GET', `${BASE}/${created.id}`)).status).toBe(404);
  });
});

describe('previewing mapping sets', () => {
  it('maps every sample row and converts values to the destination type', async () => {
    const res = await call('POST', `${BASE}/preview`, {
      body: {
        data: [
          { id: 1234, first: 'Jim', nested: { last: 'Seltzer' } },
          { id: 99, first: 'Ann' },
        ],
        mappingSet: {
          outputSchema: { schemaRef: { id: schema.$id, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
          mappings: [
            { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
            { sourceType: 'ATTRIBUTE', source: 'first', destination: 'person.name.firstName' },
            { sourceType: 'ATTRIBUTE', source: 'nested.last', destination: 'person.name.lastName' },
            { sourceType: 'STATIC', source: 'female', destination: 'person.gender' },
          ],
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        data: { _id: '1234', person: { name: { firstName: 'Jim', lastName: 'Seltzer' }, gender: 'female' } },
        errors: [],
      },
      { data: { _id: '99', person: { name: { firstName: 'Ann' }, gender: 'female' } }, errors: [] },
    ]);
  });

  it("answers one object for one row sent as an object, the spec example's form", async () => {
    const res = await call('POST', `${BASE}/preview`, {
      body: {
        data: { id: 1234, firstName: 'Jim', lastName: 'Seltzer' },
        mappingSet: {
          outputSchema: { schemaRef: { id: schema.$id, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
          mappings: [
            { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
            { sourceType: 'ATTRIBUTE', source: 'firstName', destination: 'person.name.firstName' },
            { sourceType: 'ATTRIBUTE', source: 'lastName', destination: 'person.name.lastName' },
          ],
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { _id: '1234', person: { name: { firstName: 'Jim', lastName: 'Seltzer' } } },
      errors: [],
    });
  });

  it('reports mappings that cannot apply in each row', async () => {
    const res = await call('POST', `${BASE}/preview`, {
      body: { data: [{ first: 'Jim' }], mappingSet: currentBody('person.nickname') },
    });
    expect(res.status).toBe(200);
    expect(res.body[0].data).toEqual({});
    expect(res.body[0].errors).toEqual([
      expect.objectContaining({ code: 'DESTINATION_NOT_IN_SCHEMA', field: 'mappings[1].destination' }),
    ]);
  });
});

describe('the path without /conversion used by two streaming tutorials', () => {
  it('reaches the same mapping sets', async () => {
    const created = await call('POST', '/data/foundation/mappingSets', { body: legacyBody() });
    expect(created.status).toBe(200);
    const viaReal = await call('GET', `${BASE}/${created.body.id}`);
    expect(viaReal.status).toBe(200);
    const log = await t.requests();
    expect(log.find((r) => r.path === '/data/foundation/mappingSets')).toMatchObject({
      status: 200,
      org: '5C1328435BF324E90A49402A@AdobeOrg',
      sandbox: 'prod',
    });
  });
});
