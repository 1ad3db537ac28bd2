import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FS, SPEC, cloudStorageChain, cloudStorageFlow, createOk, flowCode, s3Connection } from './fixtures.ts';

let t: TestEmulator;
let call: Call;

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
});
afterAll(() => t.stop());

describe('POST /connections', () => {
  it('creates a base connection: 201 {id, etag}, Location, audit fields from the partition', async () => {
    const res = await call('POST', `${FS}/connections`, { body: s3Connection() });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['etag', 'id']);
    expect(res.headers.get('location')).toBe(`${FS}/connections/${res.body.id}`);
    const got = await call('GET', `${FS}/connections/${res.body.id}`);
    const conn = got.body.items[0];
    expect(conn).toMatchObject({
      id: res.body.id,
      etag: res.body.etag,
      version: res.body.etag,
      imsOrgId: DOC_ORG,
      sandboxName: 'prod',
      sandboxId: '1bd86660-c5da-11e9-93d4-6d5fc3a66a8e',
      createdClient: 'test-client',
      state: 'enabled',
      connectionSpec: { id: SPEC.s3, version: '1.0' },
    });
    expect(typeof conn.createdAt).toBe('number');
  });

  it('masks secret params on every read but keeps the others as sent', async () => {
    const { id } = await createOk(call, 'connections', s3Connection('masked'));
    const one = await call('GET', `${FS}/connections/${id}`);
    expect(one.body.items[0].auth.params).toEqual({ s3AccessKey: 'AKIAEXAMPLE', s3SecretKey: '****' });
    const list = await call('GET', `${FS}/connections`, { query: { property: `id==${id}` } });
    expect(list.body.items[0].auth.params.s3SecretKey).toBe('****');
    expect(JSON.stringify(list.body)).not.toContain('super-secret');
  });

  it('rejects an unknown connection spec with FLOW-1413-400', async () => {
    const res = await call('POST', `${FS}/connections`, {
      body: { ...s3Connection(), connectionSpec: { id: '11111111-1111-4111-8111-111111111111', version: '1.0' } },
    });
    expect(res.status).toBe(400);
    expect(flowCode(res.body)).toBe('FLOW-1413-400');
  });

  it('rejects an auth spec name that is not exactly one of the spec authSpec names with FLOW-1415-400', async () => {
    const res = await call('POST', `${FS}/connections`, {
      body: { ...s3Connection(), auth: { specName: 'access key', params: { s3AccessKey: 'a', s3SecretKey: 'b' } } },
    });
    expect(res.status).toBe(400);
    expect(flowCode(res.body)).toBe('FLOW-1415-400');
    expect(res.body.report['detailed-message']).toContain('"Access Key"');
  });

  it('rejects a connection missing a required auth param, naming it', async () => {
    const res = await call('POST', `${FS}/connections`, {
      body: { ...s3Connection(), auth: { specName: 'Access Key', params: { s3AccessKey: 'a' } } },
    });
    expect(res.status).toBe(400);
    expect(res.body.report['detailed-message']).toContain('s3SecretKey');
  });

  it('compares required auth keys case-insensitively (Azure File Storage userId vs schema userid)', async () => {
    const res = await call('POST', `${FS}/connections`, {
      body: {
        name: 'Azure files',
        auth: { specName: 'Basic Authentication', params: { host: 'h', userId: 'u', password: 'p' } },
        connectionSpec: { id: SPEC.azureFile, version: '1.0' },
      },
    });
    expect(res.status).toBe(201);
    const got = await call('GET', `${FS}/connections/${res.body.id}`);
    expect(got.body.items[0].auth.params).toEqual({ host: 'h', userId: 'u', password: '****' });
  });

  it('accepts either Hive credential set and rejects neither', async () => {
    const hive = (params: Record<string, string>) => ({
      name: 'hive',
      auth: { specName: 'HDInsights Basic Authentication', params },
      connectionSpec: { id: SPEC.hive, version: '1.0' },
    });
    expect((await call('POST', `${FS}/connections`, { body: hive({ connectionString: 'x' }) })).status).toBe(201);
    expect(
      (await call('POST', `${FS}/connections`, { body: hive({ host: 'h', username: 'u', password: 'p' }) })).status,
    ).toBe(201);
    const neither = await call('POST', `${FS}/connections`, { body: hive({ host: 'h' }) });
    expect(neither.status).toBe(400);
  });
});

describe('HTTP API streaming connections', () => {
  const streaming = (params: Record<string, unknown>) => ({
    name: 'Web events',
    auth: { specName: 'Streaming Connection', params },
    connectionSpec: { id: SPEC.httpApi, version: '1.0' },
  });

  it('adds an inlet to the connection and registers it for the collection routes', async () => {
    const { id } = await createOk(call, 'connections', streaming({ dataType: 'xdm' }));
    const params = (await call('GET', `${FS}/connections/${id}`)).body.items[0].auth.params;
    expect(params.inletId).toMatch(/^[0-9a-f]{64}$/);
    expect(params.inletUrl).toBe(`${t.url}/collection/${params.inletId}`);
    expect(params).toMatchObject({
      dataType: 'xdm',
      name: 'Web events',
      sourceId: 'Web events',
      authenticationRequired: false,
    });
    expect(t.emu.runtime.store.inlets.get(params.inletId)).toEqual({
      inletId: params.inletId,
      org: DOC_ORG,
      sandbox: 'prod',
      connectionId: id,
    });

    expect((await call('DELETE', `${FS}/connections/${id}`)).status).toBe(204);
    expect(t.emu.runtime.store.inlets.has(params.inletId)).toBe(false);
  });

  it('keeps a given sourceId and rejects a dataType other than xdm or raw', async () => {
    const { id } = await createOk(
      call,
      'connections',
      streaming({ dataType: 'raw', sourceId: 'web', authenticationRequired: true }),
    );
    const params = (await call('GET', `${FS}/connections/${id}`)).body.items[0].auth.params;
    expect(params).toMatchObject({ dataType: 'raw', sourceId: 'web', authenticationRequired: true });
    const bad = await call('POST', `${FS}/connections`, { body: streaming({ dataType: 'csv' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.report['detailed-message']).toContain('dataType');
  });
});

describe('PATCH and DELETE /connections/{id}', () => {
  it('requires If-Match (FLOW-1403-400), refuses a stale one (FLOW-1404-412) and gives a new etag on success', async () => {
    const { id, etag } = await createOk(call, 'connections', s3Connection('patched'));
    const ops = [{ op: 'replace', path: '/name', value: 'renamed' }];
    const missing = await call('PATCH', `${FS}/connections/${id}`, { body: ops });
    expect(missing.status).toBe(400);
    expect(flowCode(missing.body)).toBe('FLOW-1403-400');
    const stale = await call('PATCH', `${FS}/connections/${id}`, {
      body: ops,
      headers: { 'if-match': '"0000-stale"' },
    });
    expect(stale.status).toBe(412);
    expect(flowCode(stale.body)).toBe('FLOW-1404-412');
    const ok = await call('PATCH', `${FS}/connections/${id}/`, { body: ops, headers: { 'if-match': etag } });
    expect(ok.status).toBe(200);
    expect(ok.body.id).toBe(id);
    expect(ok.body.etag).not.toBe(etag);
    const got = (await call('GET', `${FS}/connections/${id}`)).body.items[0];
    expect(got).toMatchObject({ name: 'renamed', etag: ok.body.etag, version: ok.body.etag });
    const again = await call('PATCH', `${FS}/connections/${id}`, { body: ops, headers: { 'if-match': etag } });
    expect(again.status).toBe(412);
  });

  it('accepts a single patch object, uppercase ops and if-match as a query parameter', async () => {
    const { id, etag } = await createOk(call, 'connections', s3Connection('single'));
    const res = await call('PATCH', `${FS}/connections/${id}`, {
      body: { op: 'REPLACE', path: '/auth/params/s3SecretKey', value: 'rotated' },
      query: { 'if-match': etag },
    });
    expect(res.status).toBe(200);
    expect(t.emu.runtime.store.partition(DOC_ORG, 'prod').connections.get(id)?.auth?.params['s3SecretKey']).toBe(
      'rotated',
    );
  });

  it('refuses move (FLOW-1434-400), an absent path (FLOW-1455-400) and a connection spec change (FLOW-1414-400)', async () => {
    const { id, etag } = await createOk(call, 'connections', s3Connection('strict'));
    const patch = (body: unknown) => call('PATCH', `${FS}/connections/${id}`, { body, headers: { 'if-match': etag } });
    expect(flowCode((await patch([{ op: 'move', from: '/name', path: '/description' }])).body)).toBe('FLOW-1434-400');
    expect(flowCode((await patch([{ op: 'replace', path: '/nothing/here', value: 1 }])).body)).toBe('FLOW-1455-400');
    expect(flowCode((await patch([{ op: 'replace', path: '/connectionSpec/id', value: SPEC.odata }])).body)).toBe(
      'FLOW-1414-400',
    );
    expect((await call('GET', `${FS}/connections/${id}`)).body.items[0].etag).toBe(etag);
  });

  it('deletes with 204 and answers FLOW-1439-404 afterwards', async () => {
    const { id } = await createOk(call, 'connections', s3Connection('gone'));
    expect((await call('DELETE', `${FS}/connections/${id}/`)).status).toBe(204);
    const after = await call('GET', `${FS}/connections/${id}`);
    expect(after.status).toBe(404);
    expect(flowCode(after.body)).toBe('FLOW-1439-404');
    expect(after.body.report.type).toBe('connections');
  });

  it('refuses to delete a base connection whose source connection feeds a flow (FLOW-1418-400)', async () => {
    const chain = await cloudStorageChain(t, call);
    await createOk(call, 'flows', cloudStorageFlow(chain));
    const res = await call('DELETE', `${FS}/connections/${chain.base.id}`);
    expect(res.status).toBe(400);
    expect(flowCode(res.body)).toBe('FLOW-1418-400');
    expect((await call('GET', `${FS}/connections/${chain.base.id}`)).status).toBe(200);
  });
});

describe('partition isolation', () => {
  it('hides a connection of org A sandbox prod from org B and from org A sandbox dev', async () => {
    const { id } = await createOk(call, 'connections', s3Connection('isolated'));
    const orgB = await t.platform({ org: 'B0000000000000000000000B@AdobeOrg', sandbox: 'prod' });
    const devA = await t.platform({ sandbox: 'dev' });
    for (const other of [orgB, devA]) {
      expect((await other('GET', `${FS}/connections/${id}`)).status).toBe(404);
      expect((await other('GET', `${FS}/connections`, { query: { property: `id==${id}` } })).body.items).toEqual([]);
      expect((await other('DELETE', `${FS}/connections/${id}`)).status).toBe(404);
    }
    expect((await call('GET', `${FS}/connections/${id}`)).status).toBe(200);
  });
});
