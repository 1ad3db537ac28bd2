import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import {
  FS,
  OTHER_SCHEMA_ID,
  SPEC,
  createOk,
  dataLakeTarget,
  flowCode,
  insertTestDataSet,
  s3Connection,
} from './fixtures.ts';

let t: TestEmulator;
let call: Call;
let s3Base: string;

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  s3Base = (await createOk(call, 'connections', s3Connection())).id;
});
afterAll(() => t.stop());

const fileSource = (overrides: Record<string, unknown> = {}) => ({
  name: 'accounts',
  baseConnectionId: s3Base,
  data: { format: 'delimited' },
  params: { path: '/acme/account.csv', type: 'file' },
  connectionSpec: { id: SPEC.s3, version: '1.0' },
  ...overrides,
});

describe('POST /sourceConnections', () => {
  it('creates a file source connection with inheritedAttributes.baseConnection filled in', async () => {
    const { id } = await createOk(call, 'sourceConnections', fileSource({ data: { format: 'JSON' } }));
    const sc = (await call('GET', `${FS}/sourceConnections/${id}`)).body.items[0];
    expect(sc).toMatchObject({
      baseConnectionId: s3Base,
      data: { format: 'JSON' },
      params: { path: '/acme/account.csv', type: 'file' },
      inheritedAttributes: { baseConnection: { id: s3Base, connectionSpec: { id: SPEC.s3, version: '1.0' } } },
      state: 'enabled',
    });
  });

  it.each([
    ['an unknown base connection', { baseConnectionId: '22222222-2222-4222-8222-222222222222' }, 'baseConnectionId'],
    ['a format a file source cannot read', { data: { format: 'tabular' } }, 'data.format'],
    ['a missing path', { params: { type: 'file' } }, 'params.path'],
    ['a type other than file or folder', { params: { path: '/x', type: 'bucket' } }, 'params.type'],
    [
      'an unknown compression',
      { data: { format: 'delimited', properties: { compressionType: 'zip' } } },
      'compressionType',
    ],
    ['an unknown encoding', { data: { format: 'delimited', properties: { encoding: 'UTF-16' } } }, 'encoding'],
    [
      'a multi-character delimiter',
      { data: { format: 'delimited', properties: { columnDelimiter: ';;' } } },
      'columnDelimiter',
    ],
  ])('rejects %s with 400', async (_label, overrides, field) => {
    const res = await call('POST', `${FS}/sourceConnections`, { body: fileSource(overrides) });
    expect(res.status).toBe(400);
    expect(res.body.report['detailed-message']).toContain(field.split('.').pop());
  });

  it('rejects a base connection of another spec with FLOW-1413-400', async () => {
    const res = await call('POST', `${FS}/sourceConnections`, {
      body: fileSource({ connectionSpec: { id: SPEC.azureFile, version: '1.0' } }),
    });
    expect(res.status).toBe(400);
    expect(flowCode(res.body)).toBe('FLOW-1413-400');
  });

  it('accepts valid file properties and a folder path', async () => {
    const res = await call('POST', `${FS}/sourceConnections`, {
      body: fileSource({
        data: { format: 'delimited', properties: { columnDelimiter: '|', encoding: 'utf-8', compressionType: 'gzip' } },
        params: { path: '/acme', type: 'folder' },
      }),
    });
    expect(res.status).toBe(201);
  });

  it('lets a Data Landing Zone source connection go without a base connection', async () => {
    const res = await call('POST', `${FS}/sourceConnections`, {
      body: {
        name: 'dlz',
        data: { format: 'delimited' },
        params: { path: 'dlz-user-container/file.csv' },
        connectionSpec: { id: SPEC.dataLandingZone, version: '1.0' },
      },
    });
    expect(res.status).toBe(201);
  });

  it('requires tabular and a table name for table sources, accepting path as the alias', async () => {
    const { id: odata } = await createOk(call, 'connections', {
      name: 'od',
      auth: { specName: 'Anonymous Authentication', params: { url: 'https://services.odata.org' } },
      connectionSpec: { id: SPEC.odata, version: '1.0' },
    });
    const table = (data: unknown, params: unknown) =>
      call('POST', `${FS}/sourceConnections`, {
        body: { name: 't', baseConnectionId: odata, data, params, connectionSpec: { id: SPEC.odata, version: '1.0' } },
      });
    expect((await table({ format: 'tabular' }, { path: 'Orders' })).status).toBe(201);
    expect((await table({ format: 'tabular' }, { tableName: 'Orders' })).status).toBe(201);
    expect((await table({ format: 'delimited' }, { tableName: 'Orders' })).status).toBe(400);
    expect((await table({ format: 'tabular' }, {})).status).toBe(400);
  });

  it('takes an HTTP API source connection without data or params', async () => {
    const { id: base } = await createOk(call, 'connections', {
      name: 'http',
      auth: { specName: 'Streaming Connection', params: { dataType: 'xdm' } },
      connectionSpec: { id: SPEC.httpApi, version: '1.0' },
    });
    const { id } = await createOk(call, 'sourceConnections', {
      name: 'http source',
      baseConnectionId: base,
      connectionSpec: { id: SPEC.httpApi, version: '1.0' },
    });
    const sc = (await call('GET', `${FS}/sourceConnections/${id}`)).body.items[0];
    expect(sc.data).toBeUndefined();
    expect(sc.params).toBeUndefined();
  });

  it('patches with If-Match and re-validates the result', async () => {
    const { id, etag } = await createOk(call, 'sourceConnections', fileSource());
    const bad = await call('PATCH', `${FS}/sourceConnections/${id}`, {
      body: [{ op: 'replace', path: '/params/type', value: 'bucket' }],
      headers: { 'if-match': etag },
    });
    expect(bad.status).toBe(400);
    const ok = await call('PATCH', `${FS}/sourceConnections/${id}`, {
      body: [{ op: 'replace', path: '/params/path', value: '/acme/other.csv' }],
      headers: { 'if-match': etag },
    });
    expect(ok.status).toBe(200);
    expect((await call('GET', `${FS}/sourceConnections/${id}`)).body.items[0].params.path).toBe('/acme/other.csv');
    expect((await call('DELETE', `${FS}/sourceConnections/${id}`)).status).toBe(204);
    expect((await call('GET', `${FS}/sourceConnections/${id}`)).status).toBe(404);
  });
});

describe('POST /targetConnections', () => {
  it('creates a data lake target for an existing dataset of the same schema', async () => {
    const dataSetId = insertTestDataSet(t);
    const { id } = await createOk(call, 'targetConnections', dataLakeTarget(dataSetId));
    const tc = (await call('GET', `${FS}/targetConnections/${id}`)).body.items[0];
    expect(tc).toMatchObject({ params: { dataSetId }, connectionSpec: { id: SPEC.dataLake } });
  });

  it('rejects an unknown dataset, a schema other than the dataset one, and a source spec', async () => {
    const dataSetId = insertTestDataSet(t);
    const unknown = await call('POST', `${FS}/targetConnections`, { body: dataLakeTarget('000000000000000000000000') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.report['detailed-message']).toContain('000000000000000000000000');
    const mismatch = await call('POST', `${FS}/targetConnections`, {
      body: dataLakeTarget(dataSetId, OTHER_SCHEMA_ID),
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.report['detailed-message']).toContain(OTHER_SCHEMA_ID);
    const source = await call('POST', `${FS}/targetConnections`, {
      body: { ...dataLakeTarget(dataSetId), connectionSpec: { id: SPEC.s3, version: '1.0' } },
    });
    expect(flowCode(source.body)).toBe('FLOW-1413-400');
  });

  it('does not see a dataset of another sandbox', async () => {
    const devDataSet = insertTestDataSet(t, undefined, undefined, 'dev');
    const res = await call('POST', `${FS}/targetConnections`, { body: dataLakeTarget(devDataSet) });
    expect(res.status).toBe(400);
  });
});
