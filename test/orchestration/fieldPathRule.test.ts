import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';
import { CREATE, PROFILE_CLASS } from './dataflowFixtures.ts';

const ORG = 'FIELDPATHRULE00000000001@AdobeOrg';
const SR = '/data/foundation/schemaregistry';
const S3_SPEC = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';

let stack: Stack;
let rest: Platform;
let ns: string;
let schemaId: string;
let baseConnectionId: string;

/** A schema whose field group holds an array of objects (`orders`) and an array of strings (`tags`). */
beforeAll(async () => {
  stack = await startStack();
  rest = await platform(stack.emulator.url, ORG);
  ns = `_${(await rest.call<{ tenantId: string }>('GET', `${SR}/stats`)).tenantId}`;
  const fieldGroup = await rest.call<{ $id: string }>('POST', `${SR}/tenant/fieldgroups`, {
    type: 'object',
    title: 'Orders',
    description: 'Orders of a profile',
    'meta:intendedToExtend': [PROFILE_CLASS],
    definitions: {
      orders: {
        properties: {
          [ns]: {
            type: 'object',
            properties: {
              orders: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { sku: { type: 'string' }, quantity: { type: 'integer' } },
                },
              },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    allOf: [{ $ref: '#/definitions/orders' }],
  });
  const schema = await rest.call<{ $id: string }>('POST', `${SR}/tenant/schemas`, {
    type: 'object',
    title: 'Profiles with orders',
    description: 'Profiles and what they ordered',
    allOf: [{ $ref: PROFILE_CLASS }, { $ref: fieldGroup.$id }],
  });
  schemaId = schema.$id;
  const connection = await rest.call<{ id: string }>('POST', '/data/foundation/flowservice/connections', {
    name: 'Orders bucket',
    auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIAORDERS', s3SecretKey: 'orders-secret-value' } },
    connectionSpec: { id: S3_SPEC, version: '1.0' },
  });
  baseConnectionId = connection.id;
});
afterAll(() => stack.stop());

/** Indexes of the destinations the API's createDataflow validation refuses (a dry run: nothing is written). */
async function refusedByApi(destinations: string[]): Promise<number[]> {
  const res = await stack.gql(
    CREATE,
    {
      input: {
        name: 'Orders import',
        dryRun: true,
        source: { baseConnectionId, format: 'DELIMITED', path: '/orders/' },
        target: { newDataset: { schemaId, datasetName: 'Orders' } },
        mappings: destinations.map((destinationXdmPath, i) => ({ sourceAttribute: `c${i}`, destinationXdmPath })),
        schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'HOUR', interval: 1 },
      },
    },
    rest.headers,
  );
  expect(res.errors).toBeUndefined();
  const errors = res.data.createDataflow.userErrors as Array<{ field: string[]; code: string }>;
  return errors
    .filter((e) => e.field.at(-1) === 'destinationXdmPath' && e.code === 'UNKNOWN_FIELD')
    .map((e) => Number(e.field[2]));
}

/** Indexes of the destinations the emulator's Data Prep validation refuses. */
async function refusedByDataPrep(destinations: string[]): Promise<number[]> {
  const res = await rest.call<{ validationResponse: Array<{ status: string }> }>(
    'POST',
    '/data/foundation/conversion/mappingSets/validate',
    {
      outputSchema: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
      mappings: destinations.map((destination, i) => ({ sourceType: 'ATTRIBUTE', source: `c${i}`, destination })),
    },
  );
  return res.validationResponse.flatMap((v, i) => (v.status === 'SUCCESS' ? [] : [i]));
}

describe('the XDM field-path rule', () => {
  const accepted = [
    '_id',
    'ORDERS.orders',
    'ORDERS.orders[*].sku',
    'ORDERS.orders[0].quantity',
    'ORDERS.tags',
    'ORDERS.tags[0]',
  ];
  const refused = ['ORDERS.orders.sku', 'ORDERS.orders[*].price', 'ORDERS.sku', 'ORDERS.tags[*].name'];

  it('addresses fields inside arrays of objects with the wildcard index, in the schema graph', async () => {
    const res = await stack.gql(`query ($id: ID!) { schema(id: $id) { fieldPaths } }`, { id: schemaId }, rest.headers);
    expect(res.errors).toBeUndefined();
    const paths = res.data.schema.fieldPaths as string[];
    expect(paths).toEqual(
      expect.arrayContaining([`${ns}.orders`, `${ns}.orders[*].sku`, `${ns}.orders[*].quantity`, `${ns}.tags`]),
    );
    expect(paths).not.toContain(`${ns}.orders.sku`);
  });

  it('accepts in the API exactly the mapping destinations the emulated Data Prep accepts', async () => {
    const destinations = [...accepted, ...refused].map((d) => d.replace('ORDERS', ns));
    const [api, dataPrep] = await Promise.all([refusedByApi(destinations), refusedByDataPrep(destinations)]);
    const refusedIndexes = refused.map((_d, i) => accepted.length + i);
    expect(api).toEqual(refusedIndexes);
    expect(dataPrep).toEqual(refusedIndexes);
  });
});
