import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionSpecs, SOURCE_KIND } from '../../../src/emulator/seed/connectionSpecs.ts';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FS, createOk, flowCode, s3Connection } from './fixtures.ts';

let t: TestEmulator;
let call: Call;
let s3: string;

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  s3 = (await createOk(call, 'connections', s3Connection())).id;
});
afterAll(() => t.stop());

const explore = (id: string, query: Record<string, string>) =>
  call('GET', `${FS}/connections/${id}/explore`, { query });

/** A base connection of any seeded spec, its required auth params filled with `value`. */
async function connectionOf(specId: string, value = 'a-value'): Promise<string> {
  const spec = connectionSpecs.find((s) => s.id === specId)!;
  const authSpec = spec.authSpec[0];
  const required = (authSpec?.spec['required'] as string[] | undefined) ?? [];
  const alternatives = (authSpec?.spec['anyOf'] as Array<{ required: string[] }> | undefined) ?? [];
  const keys = [...required, ...(alternatives[0]?.required ?? [])];
  const params = Object.fromEntries(keys.map((k) => [k, value]));
  if (SOURCE_KIND[specId] === 'streaming') Object.assign(params, { dataType: 'xdm' });
  return (
    await createOk(call, 'connections', {
      name: `conn ${spec.name}`,
      ...(authSpec === undefined ? {} : { auth: { specName: authSpec.name, params } }),
      connectionSpec: { id: specId, version: '1.0' },
    })
  ).id;
}

describe('GET /connections/{id}/test (TestConnectionResponse)', () => {
  it('answers {result: true} for good credentials and {result: false} for credentials marked invalid', async () => {
    expect((await call('GET', `${FS}/connections/${s3}/test`)).body).toEqual({ result: true });
    const bad = await connectionOf('cb66ab34-8619-49cb-96d1-39b37ede86ea', 'invalid');
    const res = await call('GET', `${FS}/connections/${bad}/test`);
    expect(res).toMatchObject({ status: 200, body: { result: false } });
    const explored = await explore(bad, { objectType: 'root' });
    expect([explored.status, flowCode(explored.body)]).toEqual([400, 'FLOW-1100-400']);
  });

  it('answers 404 FLOW-1439-404 for an unknown connection', async () => {
    const res = await call('GET', `${FS}/connections/00000000-0000-4000-8000-000000000000/test`);
    expect([res.status, flowCode(res.body)]).toEqual([404, 'FLOW-1439-404']);
  });
});

describe('GET /connections/{id}/explore (ExploreConnectionResponse)', () => {
  it('lists the root and a folder of a cloud storage source with the documented item fields', async () => {
    const root = await explore(s3, { objectType: 'root' });
    expect(root.status).toBe(200);
    expect(root.body.map((i: { path: string }) => i.path)).toEqual(['/acme/', '/exports/']);
    const exports = await explore(s3, { objectType: 'folder', object: '/exports' });
    expect(exports.body.map((i: { name: string; type: string }) => `${i.type}:${i.name}`)).toEqual([
      'file:loyalty.csv',
      'file:customers-eu.csv',
      'file:calls.tsv',
      'file:orders-2026-11.csv.gz',
      'folder:archive',
    ]);
    for (const item of exports.body) {
      expect(Object.keys(item)).toEqual(
        expect.arrayContaining(['type', 'name', 'path', 'canPreview', 'canFetchSchema']),
      );
    }
  });

  it('previews delimited files with their own delimiter, JSON flattened, and Parquet', async () => {
    const semicolon = await explore(s3, {
      objectType: 'file',
      object: '/exports/customers-eu.csv',
      fileType: 'delimited',
      columnDelimiter: ';',
      preview: 'true',
    });
    expect(semicolon.body.format).toBe('flat');
    expect(semicolon.body.schema.columns.map((c: { name: string }) => c.name)).toEqual([
      'customer_id',
      'given_name',
      'family_name',
      'email_address',
      'city',
      'country',
    ]);
    expect(semicolon.body.data).toHaveLength(12);
    const wrongDelimiter = await explore(s3, {
      objectType: 'file',
      object: '/exports/customers-eu.csv',
      fileType: 'delimited',
    });
    expect(wrongDelimiter.body.schema.columns).toHaveLength(1);
    expect(wrongDelimiter.body.data).toBeUndefined();
    const tab = await explore(s3, {
      objectType: 'file',
      object: '/exports/calls.tsv',
      fileType: 'delimited',
      columnDelimiter: '\\t',
      preview: 'true',
    });
    expect(tab.body.schema.columns[3]).toEqual({
      name: 'duration_seconds',
      type: 'integer',
      xdm: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    });
    const json = await explore(s3, {
      objectType: 'file',
      object: '/acme/profiles.json',
      fileType: 'json',
      preview: 'true',
    });
    // the OpenAPI file's spellings: objectType FILE, FileType, CompressionType
    const openApi = await explore(s3, {
      objectType: 'FILE',
      object: '/exports/orders-2026-11.csv.gz',
      FileType: 'Delimited',
      CompressionType: 'gzip',
      preview: 'true',
    });
    expect([openApi.status, openApi.body.data?.length]).toEqual([200, 12]);
    expect(json.body.schema.columns.map((c: { name: string }) => c.name)).toContain('person.name.firstName');
    const parquet = await explore(s3, {
      objectType: 'file',
      object: '/acme/pageviews.parquet',
      fileType: 'parquet',
      preview: 'true',
    });
    expect(parquet.body.schema.columns[3]).toEqual({
      name: 'timestamp',
      type: 'string',
      'meta:xdmType': 'date-time',
      xdm: { type: 'string', format: 'date-time' },
    });
  });

  it('answers the documented errors for an unknown path, an unsupported fileType, a folder preview and a missing table', async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ objectType: 'folder', object: '/nowhere/' }, 404, 'FLOW-1101-404'],
      [{ objectType: 'file', object: '/exports/loyalty.csv', fileType: 'xml' }, 400, 'FLOW-1100-400'],
      [{ objectType: 'file', object: '/exports/', fileType: 'delimited' }, 400, 'FLOW-1100-400'],
      [{ objectType: 'file', object: '/exports/orders-2026-11.csv.gz', fileType: 'delimited' }, 400, 'FLOW-1100-400'],
      [{ objectType: 'root', testParam: 'x' }, 400, 'FLOW-1451-400'],
    ];
    for (const [query, status, code] of cases) {
      const res = await explore(s3, query);
      expect([res.status, flowCode(res.body)], JSON.stringify(query)).toEqual([status, code]);
    }
    const odata = await connectionOf('8e6b41a8-d998-4545-ad7d-c6a9fff406c3');
    const missing = await explore(odata, { objectType: 'table', object: 'Invoices' });
    expect([missing.status, flowCode(missing.body)]).toEqual([404, 'FLOW-1101-404']);
    expect(missing.body.report['detailed-message']).toContain('table Invoices does not exist');
  });

  it('serves the founding tutorials tables: OData Orders, a Service Cloud object', async () => {
    const odata = await connectionOf('8e6b41a8-d998-4545-ad7d-c6a9fff406c3');
    const root = await explore(odata, { objectType: 'root' });
    expect(root.body).toContainEqual({
      type: 'table',
      name: 'Orders',
      path: 'Orders',
      canPreview: true,
      canFetchSchema: true,
    });
    const orders = await explore(odata, { objectType: 'table', object: 'Orders' });
    expect(orders.body.schema.columns.slice(0, 5).map((c: { name: string }) => c.name)).toEqual([
      'OrderID',
      'CustomerID',
      'EmployeeID',
      'OrderDate',
      'ShippedDate',
    ]);
    const desk = await connectionOf('cb66ab34-8619-49cb-96d1-39b37ede86ea');
    const cases = await explore(desk, { objectType: 'table', object: 'Case', preview: 'true' });
    expect(cases.body.data[0]).toMatchObject({ Status: 'New', IsEscalated: false });
  });

  it('explores every seeded batch source, file or table, and refuses streaming ones', async () => {
    for (const spec of connectionSpecs.filter((s) => s.attributes.isSource === true)) {
      const id = await connectionOf(spec.id);
      const root = await explore(id, { objectType: 'root' });
      if (SOURCE_KIND[spec.id] === 'streaming') {
        expect([root.status, flowCode(root.body)], spec.name).toEqual([400, 'FLOW-1100-400']);
        continue;
      }
      expect(root.status, spec.name).toBe(200);
      const first = root.body[0];
      const query: Record<string, string> =
        first.type === 'table'
          ? { objectType: 'table', object: first.path, preview: 'true' }
          : { objectType: 'file', object: '/exports/loyalty.csv', fileType: 'delimited', preview: 'true' };
      const preview = await explore(id, query);
      expect(preview.status, spec.name).toBe(200);
      expect(preview.body.data.length, spec.name).toBeGreaterThan(0);
    }
  });
});
