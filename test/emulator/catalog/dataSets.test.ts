import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createProfileSchema } from '../schemaFixtures.ts';

const CAT = '/data/foundation/catalog';

let t: TestEmulator;
let call: Call;
let schemaId: string;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());
beforeEach(async () => {
  t.emu.reset();
  call = await t.platform();
  schemaId = (await createProfileSchema(call)).$id;
});

async function createDataSet(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', `${CAT}/dataSets`, {
    body: { name, schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' }, ...extra },
  });
  expect(res.status).toBe(201);
  return (res.body[0] as string).replace('@/dataSets/', '');
}

describe('Catalog dataSets', () => {
  it('creates a dataset answering a reference array and a Location, then reads it keyed by id with an E-Tag', async () => {
    const res = await call('POST', `${CAT}/dataSets`, {
      body: {
        name: 'Loyalty',
        description: 'members',
        schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed+json;version=1' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual([expect.stringMatching(/^@\/dataSets\/[0-9a-f]{24}$/)]);
    const id = (res.body[0] as string).slice('@/dataSets/'.length);
    expect(res.headers.get('location')).toBe(`${CAT}/dataSets/${id}`);

    const got = await call('GET', `${CAT}/dataSets/${id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('e-tag')).toBe('"1.0.0"');
    const ds = got.body[id];
    expect(ds).toMatchObject({
      name: 'Loyalty',
      description: 'members',
      imsOrg: '5C1328435BF324E90A49402A@AdobeOrg',
      version: '1.0.0',
      createdClient: 'test-client',
      schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed+json;version=1' },
      classification: { dataBehavior: 'record', managedBy: 'CUSTOMER' },
    });
    // the Query Service table, which aepp's getDataSets reads
    expect(ds.tags).toEqual({ 'adobe/pqs/table': ['loyalty'] });
    expect(ds.files).toBe(`@/dataSets/${id}/views/${ds.viewId}/files`);
    expect(typeof ds.created).toBe('number');
  });

  it('accepts the schema meta:altId and stores the $id', async () => {
    const altId = (await createProfileSchema(call, 'Other'))['meta:altId'];
    const res = await call('POST', `${CAT}/dataSets`, {
      body: { name: 'ByAltId', schemaRef: { id: altId, contentType: 'application/vnd.adobe.xed+json;version=1' } },
    });
    expect(res.status).toBe(201);
    const id = (res.body[0] as string).slice('@/dataSets/'.length);
    const got = await call('GET', `${CAT}/dataSets/${id}`);
    expect(got.body[id].schemaRef.id).toMatch(/^https:\/\/ns\.adobe\.com\/.+\/schemas\/[0-9a-f]{32}$/);
  });

  it('rejects a dataset without a name or with an unknown schema with CAT problems', async () => {
    const noName = await call('POST', `${CAT}/dataSets`, { body: { schemaRef: { id: schemaId } } });
    expect(noName.status).toBe(400);
    expect(noName.body.type).toMatch(/\/CAT-\d+-400$/);
    const unknown = await call('POST', `${CAT}/dataSets`, {
      body: { name: 'x', schemaRef: { id: 'https://ns.adobe.com/nope/schemas/0' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.report['detailed-message']).toContain('https://ns.adobe.com/nope/schemas/0');
  });

  it('validates without persisting when Pragma is validate-only', async () => {
    const res = await call('POST', `${CAT}/dataSets`, {
      body: { name: 'Dry', schemaRef: { id: schemaId } },
      headers: { pragma: 'validate-only' },
    });
    expect(res.body).toEqual([expect.stringMatching(/^@\/dataSets\//)]);
    const list = await call('GET', `${CAT}/dataSets`);
    expect(Object.keys(list.body)).toHaveLength(0);
    const bad = await call('POST', `${CAT}/dataSets`, { body: { name: 'Dry' }, headers: { pragma: 'validate-only' } });
    expect(bad.status).toBe(400);
  });

  it('caps a multi-get at 20 without limit and returns all 25 with limit=25', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await createDataSet(`ds-${String(i).padStart(2, '0')}`));
    const capped = await call('GET', `${CAT}/dataSets/${ids.join(',')}`);
    expect(capped.status).toBe(200);
    expect(Object.keys(capped.body)).toHaveLength(20);
    const all = await call('GET', `${CAT}/dataSets/${ids.join(',')}`, { query: { limit: '25' } });
    expect(Object.keys(all.body).sort()).toEqual([...ids].sort());
  });

  it('omits unknown ids from a multi-get and answers 404 only when none exists', async () => {
    const id = await createDataSet('one');
    const some = await call('GET', `${CAT}/dataSets/${id},aaaaaaaaaaaaaaaaaaaaaaaa`);
    expect(some.status).toBe(200);
    expect(Object.keys(some.body)).toEqual([id]);
    const none = await call('GET', `${CAT}/dataSets/aaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbb`);
    expect(none.status).toBe(404);
    expect(none.body.type).toBe('https://ns.adobe.com/aep/errors/CAT-1404-404');
  });

  it('pages the list with limit and start, sorts with orderBy and rejects a limit out of 1..100', async () => {
    for (const name of ['b', 'c', 'a', 'd']) await createDataSet(name);
    const sorted = await call('GET', `${CAT}/dataSets`, {
      query: { orderBy: 'asc:name', limit: '2', start: '1', properties: 'name' },
    });
    expect(Object.values(sorted.body)).toEqual([{ name: 'b' }, { name: 'c' }]);
    const desc = await call('GET', `${CAT}/dataSets`, { query: { orderBy: 'desc:name', properties: 'name' } });
    expect(Object.values(desc.body).map((d: any) => d.name)).toEqual(['d', 'c', 'b', 'a']);
    for (const limit of ['0', '101', 'x']) {
      const res = await call('GET', `${CAT}/dataSets`, { query: { limit } });
      expect(res.status).toBe(400);
    }
  });

  it('projects top-level properties while keeping the id keys', async () => {
    const id = await createDataSet('projected', { description: 'd' });
    const res = await call('GET', `${CAT}/dataSets`, { query: { properties: 'name,schemaRef' } });
    expect(res.body).toEqual({
      [id]: {
        name: 'projected',
        schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' },
      },
    });
    const unknown = await call('GET', `${CAT}/dataSets/${id}`, { query: { properties: 'nothing' } });
    expect(unknown.body).toEqual({ [id]: {} });
  });

  it('filters by simple filters, wildcards, property conditions and tags', async () => {
    const alpha = await createDataSet('alpha', { tags: { team: ['growth'], tier: ['gold'] } });
    const beta = await createDataSet('beta', { tags: { team: ['core'] } });
    const alps = await createDataSet('alps', { description: 'mountains' });
    const keys = async (query: Record<string, string | string[]>) =>
      Object.keys((await call('GET', `${CAT}/dataSets`, { query })).body).sort();
    expect(await keys({ name: 'alpha' })).toEqual([alpha]);
    expect(await keys({ name: '!alpha' })).toEqual([beta, alps].sort());
    expect(await keys({ name: 'alpha,beta' })).toEqual([alpha, beta].sort());
    expect(await keys({ name: '!alpha,beta' })).toEqual([alps]);
    expect(await keys({ name: 'al*' })).toEqual([alpha, alps].sort());
    expect(await keys({ property: 'description' })).toEqual([alps]);
    expect(await keys({ property: '!description' })).toEqual([alpha, beta].sort());
    expect(await keys({ property: 'name~^b' })).toEqual([beta]);
    expect(await keys({ property: 'name!=beta' })).toEqual([alpha, alps].sort());
    expect(await keys({ property: ['name>alpha', 'name<beta'] })).toEqual([alps]);
    expect(await keys({ tags: 'team:*' })).toEqual([alpha, beta].sort());
    expect(await keys({ tags: 'team:growth,tier:gold' })).toEqual([alpha]);
    const diagnosed = await createDataSet('diagnosed', { enableErrorDiagnostics: true });
    expect(await keys({ enableErrorDiagnostics: 'true' })).toEqual([diagnosed]);
  });

  it('answers 400 naming a query parameter outside the grammar', async () => {
    const res = await call('GET', `${CAT}/dataSets`, { query: { colour: 'blue' } });
    expect(res.status).toBe(400);
    expect(res.body.report['detailed-message']).toContain('colour');
  });

  it('patches with a field body or a JSON Patch, bumps the version and refuses a stale If-Match', async () => {
    const id = await createDataSet('before');
    const merged = await call('PATCH', `${CAT}/dataSets/${id}`, {
      body: { description: 'merged' },
      headers: { 'if-match': '"1.0.0"' },
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual([`@/dataSets/${id}`]);
    const patch = await call('PATCH', `${CAT}/dataSets/${id}`, {
      rawBody: JSON.stringify([{ op: 'replace', path: '/name', value: 'after' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(patch.status).toBe(200);
    const got = await call('GET', `${CAT}/dataSets/${id}`);
    expect(got.body[id]).toMatchObject({ name: 'after', description: 'merged', version: '1.0.2' });
    const stale = await call('PATCH', `${CAT}/dataSets/${id}`, {
      body: { description: 'lost' },
      headers: { 'if-match': '"1.0.0"' },
    });
    expect(stale.status).toBe(412);
    expect((await call('GET', `${CAT}/dataSets/${id}`)).body[id].description).toBe('merged');
  });

  it('replaces a dataset with PUT and deletes it with its batches', async () => {
    const id = await createDataSet('replace-me', { description: 'old' });
    const put = await call('PUT', `${CAT}/dataSets/${id}`, { body: { name: 'replaced', schemaRef: { id: schemaId } } });
    expect(put.status).toBe(200);
    const got = (await call('GET', `${CAT}/dataSets/${id}`)).body[id];
    expect(got.name).toBe('replaced');
    expect(got.description).toBeUndefined();
    const batch = await call('POST', `${CAT}/batches`, { body: { datasetId: id } });
    const batchId = (batch.body[0] as string).slice('@/batches/'.length);

    const del = await call('DELETE', `${CAT}/dataSets/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual([`@/dataSets/${id}`]);
    expect((await call('GET', `${CAT}/dataSets/${id}`)).status).toBe(404);
    expect((await call('GET', `${CAT}/batches/${batchId}`)).status).toBe(404);
    expect((await call('DELETE', `${CAT}/dataSets/${id}`)).status).toBe(404);
  });

  it('keeps datasets of two orgs and two sandboxes apart', async () => {
    const id = await createDataSet('prod-only');
    const dev = await t.platform({ sandbox: 'dev' });
    const otherOrg = await t.platform({ org: 'ACME0000000000000000001@AdobeOrg' });
    expect((await dev('GET', `${CAT}/dataSets/${id}`)).status).toBe(404);
    expect((await otherOrg('GET', `${CAT}/dataSets/${id}`)).status).toBe(404);
    expect(Object.keys((await dev('GET', `${CAT}/dataSets`)).body)).toHaveLength(0);
    // the prod schema does not exist in dev either
    const cross = await dev('POST', `${CAT}/dataSets`, { body: { name: 'x', schemaRef: { id: schemaId } } });
    expect(cross.status).toBe(400);
    const log = await t.requests();
    expect(log.filter((r) => r.path === `${CAT}/dataSets/${id}` && r.sandbox === 'dev').map((r) => r.status)).toEqual([
      404,
    ]);
  });

  it('passes an injected fault through unchanged', async () => {
    await fetch(`${t.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/catalog/dataSets$', method: 'GET', status: 503 }),
    });
    expect((await call('GET', `${CAT}/dataSets`)).status).toBe(503);
    expect((await call('GET', `${CAT}/dataSets`)).status).toBe(200);
  });
});
