import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';
import { CREATE, writes } from './dataflowFixtures.ts';
import {
  CREATE_BASE,
  EXPLORE,
  ODATA_SPEC,
  PREVIEW,
  S3_SPEC,
  SUGGEST,
  TEST_BASE,
  profileSchema,
} from './wizardFixtures.ts';

const FS = '/data/foundation/flowservice';
const SANDBOX = 'wizard';
let stack: Stack;
let rest: Platform;
/** Server credentials, in a sandbox of this test's own. */
const gql = (query: string, variables?: Record<string, unknown>) =>
  stack.gql(query, variables, { 'x-sandbox-name': SANDBOX });

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  rest = await platform(stack.emulator.url, DEMO_ORG, SANDBOX);
});
afterAll(() => stack.stop());
beforeEach(() => stack.clearRequests());

/** One GraphQL call that must succeed without errors or user errors; returns its root field. */
async function step(query: string, variables: Record<string, unknown>, root: string) {
  const res = await gql(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data[root];
}

describe('the source wizard, one GraphQL call per step', () => {
  it('walks a cloud storage source from nothing to a dataflow that reads back as the tutorial makes it', async () => {
    const schemaId = await profileSchema(rest, 'Wizard newsletter signups');

    const connect = await step(
      CREATE_BASE,
      {
        input: {
          name: 'Wizard S3',
          connectionSpecId: S3_SPEC,
          auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIAWIZARD0001', s3SecretKey: 'wizard-s3-secret' } },
        },
      },
      'createBaseConnection',
    );
    expect(connect.userErrors).toEqual([]);
    const base = connect.baseConnection;
    expect(base.auth).toEqual({
      specName: 'Access Key',
      setParams: ['s3AccessKey', 's3SecretKey'],
      secretParams: ['s3AccessKey', 's3SecretKey'],
    });

    const test = await step(TEST_BASE, { id: base.id }, 'testBaseConnection');
    expect(test).toEqual({ baseConnectionId: base.id, reachable: true, reason: null, userErrors: [] });

    const root = (await step(EXPLORE, { id: base.id }, 'baseConnection')).explore;
    expect(root.userErrors).toEqual([]);
    expect(root.path).toBe('/');
    expect(root.objects.nodes.map((n: { path: string; type: string }) => `${n.type} ${n.path}`)).toEqual([
      'FOLDER /acme/',
      'FOLDER /exports/',
    ]);

    const folder = (await step(EXPLORE, { id: base.id, path: '/acme/signups/' }, 'baseConnection')).explore;
    expect(folder.userErrors).toEqual([]);
    expect(folder.objects.totalCount).toBe(2);
    const file = folder.objects.nodes[0];
    expect(file).toMatchObject({
      name: 'signups-2026-11-01.csv',
      path: '/acme/signups/signups-2026-11-01.csv',
      type: 'FILE',
      canPreview: true,
      modifiedAt: '2026-11-01T06:30:00.000Z',
    });
    expect(file.size).toBeGreaterThan(500);

    const preview = (
      await step(PREVIEW, { id: base.id, path: file.path, fileType: 'DELIMITED', rows: 3 }, 'baseConnection')
    ).preview;
    expect(preview.userErrors).toEqual([]);
    expect(preview.columns).toEqual([
      { name: 'id', type: 'STRING' },
      { name: 'first_name', type: 'STRING' },
      { name: 'last_name', type: 'STRING' },
      { name: 'email', type: 'STRING' },
      { name: 'signup_date', type: 'STRING' },
      { name: 'newsletter', type: 'BOOLEAN' },
    ]);
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]).toEqual({
      id: 'S-1',
      first_name: 'Ava',
      last_name: 'Martin',
      email: 'ava.martin@example.com',
      signup_date: '2026-11-01T08:00:00Z',
      newsletter: false,
    });

    const suggested = await step(SUGGEST, { input: { columns: preview.columns, schemaId } }, 'suggestMappings');
    expect(suggested.userErrors).toEqual([]);
    expect(suggested.mappings).toEqual([
      { sourceAttribute: 'id', destinationXdmPath: '_id' },
      { sourceAttribute: 'first_name', destinationXdmPath: 'person.name.firstName' },
      { sourceAttribute: 'last_name', destinationXdmPath: 'person.name.lastName' },
      { sourceAttribute: 'email', destinationXdmPath: 'personalEmail.address' },
    ]);
    expect(suggested.suggestions.map((s: { confidence: number }) => s.confidence)).toEqual([
      0.9, 0.95, 0.95, 0.95, 0, 0,
    ]);
    expect(suggested.suggestions[4]).toMatchObject({ destinationXdmPath: null });
    expect(suggested.unmappedRequiredFields).toEqual([]);

    const input = {
      name: 'Wizard signups',
      source: { baseConnectionId: base.id, format: 'DELIMITED', path: '/acme/signups/', columns: preview.columns },
      target: { newDataset: { schemaId, datasetName: 'Wizard signups' } },
      mappings: suggested.mappings,
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'HOUR', interval: 1 },
    };
    await stack.clearRequests();
    const dry = await step(CREATE, { input: { ...input, dryRun: true } }, 'createDataflow');
    expect(dry.userErrors).toEqual([]);
    expect(dry.steps.map((s: { name: string }) => s.name)).toContain('flow');
    expect(dry.steps.some((s: { status: string }) => s.status === 'DONE')).toBe(false);
    expect(writes(await stack.requests())).toEqual([]);

    const made = await step(CREATE, { input }, 'createDataflow');
    expect(made.userErrors).toEqual([]);
    const flow = (await rest.call('GET', `${FS}/flows/${made.flow.id}`)).items[0];
    expect(flow).toMatchObject({
      flowSpec: { id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876' },
      sourceConnectionIds: [made.sourceConnection.id],
      targetConnectionIds: [made.targetConnection.id],
      transformations: [{ name: 'Mapping', params: { mappingId: made.mappingSet.mappingSetId, mappingVersion: 0 } }],
      scheduleParams: { startTime: Date.parse('2026-12-01T00:00:00Z') / 1000, frequency: 'hour', interval: 1 },
    });
    const source = (await rest.call('GET', `${FS}/sourceConnections/${made.sourceConnection.id}`)).items[0];
    expect(source).toMatchObject({
      baseConnectionId: base.id,
      data: { format: 'delimited' },
      params: { path: '/acme/signups/' },
      connectionSpec: { id: S3_SPEC },
    });
    const target = (await rest.call('GET', `${FS}/targetConnections/${made.targetConnection.id}`)).items[0];
    expect(target).toMatchObject({ params: { dataSetId: made.dataset.id }, data: { schema: { id: schemaId } } });
    const mapping = await rest.call('GET', `/data/foundation/conversion/mappingSets/${made.mappingSet.mappingSetId}`);
    expect(
      mapping.mappings.map((m: { sourceAttribute: string; destinationXdmPath: string }) => ({
        sourceAttribute: m.sourceAttribute,
        destinationXdmPath: m.destinationXdmPath,
      })),
    ).toEqual(suggested.mappings);
  });

  it("walks a table source (the protocols tutorial's OData feed) the same way", async () => {
    const schemaId = await profileSchema(rest, 'Wizard Northwind customers');
    const connect = await step(
      CREATE_BASE,
      {
        input: {
          name: 'Wizard Northwind',
          connectionSpecId: ODATA_SPEC,
          auth: {
            specName: 'Anonymous Authentication',
            params: { url: 'https://services.odata.org/V4/Northwind/Northwind.svc' },
          },
        },
      },
      'createBaseConnection',
    );
    expect(connect.userErrors).toEqual([]);
    const base = connect.baseConnection;
    expect(base.auth).toEqual({ specName: 'Anonymous Authentication', setParams: ['url'], secretParams: [] });
    expect((await step(TEST_BASE, { id: base.id }, 'testBaseConnection')).reachable).toBe(true);

    const first = (await step(EXPLORE, { id: base.id, first: 2 }, 'baseConnection')).explore;
    expect(first.objects.nodes.map((n: { name: string }) => n.name)).toEqual(['Categories', 'CustomerDemographics']);
    expect(first.objects.pageInfo.hasNextPage).toBe(true);
    const rest2 = (
      await step(EXPLORE, { id: base.id, first: 2, after: first.objects.pageInfo.endCursor }, 'baseConnection')
    ).explore;
    expect(rest2.objects.nodes).toEqual([
      { name: 'Customers', path: 'Customers', type: 'TABLE', size: null, modifiedAt: null, canPreview: true },
      { name: 'Orders', path: 'Orders', type: 'TABLE', size: null, modifiedAt: null, canPreview: true },
    ]);

    const orders = (await step(PREVIEW, { id: base.id, path: 'Orders', rows: 1 }, 'baseConnection')).preview;
    expect(orders.columns.map((c: { name: string }) => c.name)).toEqual([
      'OrderID',
      'CustomerID',
      'EmployeeID',
      'OrderDate',
      'ShippedDate',
      'ShipCity',
      'Freight',
    ]);
    expect(orders.rows).toEqual([
      {
        OrderID: 10248,
        CustomerID: 'MART0',
        EmployeeID: 1,
        OrderDate: '2026-11-01T08:00:00Z',
        ShippedDate: '2026-11-04T08:00:00Z',
        ShipCity: 'Lyon',
        Freight: 12.5,
      },
    ]);

    const preview = (await step(PREVIEW, { id: base.id, path: 'Customers' }, 'baseConnection')).preview;
    expect(preview.rows).toHaveLength(10);
    const suggested = await step(SUGGEST, { input: { columns: preview.columns, schemaId } }, 'suggestMappings');
    expect(suggested.mappings).toEqual([
      { sourceAttribute: 'CustomerID', destinationXdmPath: '_id' },
      { sourceAttribute: 'ContactName', destinationXdmPath: 'person.name.fullName' },
      { sourceAttribute: 'Email', destinationXdmPath: 'personalEmail.address' },
      { sourceAttribute: 'City', destinationXdmPath: 'homeAddress.city' },
      { sourceAttribute: 'Country', destinationXdmPath: 'homeAddress.country' },
    ]);

    const input = {
      name: 'Wizard Northwind customers',
      source: { baseConnectionId: base.id, tableName: 'Customers', columns: preview.columns },
      target: { newDataset: { schemaId, datasetName: 'Wizard Northwind customers' } },
      mappings: suggested.mappings,
      deltaColumn: { name: 'LastModified', dateFormat: 'yyyy-MM-ddTHH:mm:ssZ', timezone: 'UTC' },
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'HOUR', interval: 1 },
    };
    await stack.clearRequests();
    const dry = await step(CREATE, { input: { ...input, dryRun: true } }, 'createDataflow');
    expect(dry.userErrors).toEqual([]);
    expect(writes(await stack.requests())).toEqual([]);
    const made = await step(CREATE, { input }, 'createDataflow');
    expect(made.userErrors).toEqual([]);
    const flow = (await rest.call('GET', `${FS}/flows/${made.flow.id}`)).items[0];
    expect(flow.flowSpec.id).toBe('14518937-270c-4525-bdec-c2ba7cce3860');
    expect(flow.transformations).toEqual([
      {
        name: 'Copy',
        params: { deltaColumn: { name: 'LastModified', dateFormat: 'yyyy-MM-ddTHH:mm:ssZ', timezone: 'UTC' } },
      },
      { name: 'Mapping', params: { mappingId: made.mappingSet.mappingSetId, mappingVersion: 0 } },
    ]);
    const source = (await rest.call('GET', `${FS}/sourceConnections/${made.sourceConnection.id}`)).items[0];
    expect(source).toMatchObject({
      baseConnectionId: base.id,
      data: { format: 'tabular' },
      params: {
        tableName: 'Customers',
        columns: preview.columns.map((c: { name: string; type: string }) => ({ ...c, type: c.type.toLowerCase() })),
      },
      connectionSpec: { id: ODATA_SPEC },
    });
  });

  it("names the schema's required fields that no column maps", async () => {
    const schema = await rest.call('POST', '/data/foundation/schemaregistry/tenant/schemas', {
      type: 'object',
      title: 'Wizard page views',
      description: 'Events of a wizard walk',
      allOf: [
        { $ref: 'https://ns.adobe.com/xdm/context/experienceevent' },
        { $ref: 'https://ns.adobe.com/xdm/context/experienceevent-web' },
      ],
    });
    const columns = [
      { name: 'event_id', type: 'STRING' },
      { name: 'page_url', type: 'STRING' },
    ];
    const out = await step(SUGGEST, { input: { columns, schemaId: schema.$id } }, 'suggestMappings');
    expect(out.mappings[0]).toEqual({ sourceAttribute: 'event_id', destinationXdmPath: '_id' });
    expect(out.unmappedRequiredFields).toEqual(['timestamp']);
    const withTime = await step(
      SUGGEST,
      { input: { columns: [...columns, { name: 'timestamp', type: 'STRING' }], schemaId: schema.$id } },
      'suggestMappings',
    );
    expect(withTime.unmappedRequiredFields).toEqual([]);
  });
});
