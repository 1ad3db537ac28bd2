import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, type Platform } from '../platform.ts';
import { writes } from './dataflowFixtures.ts';
import {
  CREATE_BASE,
  DELETE_BASE,
  EXPLORE,
  PREVIEW,
  S3_SPEC,
  SERVICE_CLOUD_SPEC,
  SUGGEST,
  TEST_BASE,
  UPDATE_BASE,
  profileSchema,
} from './wizardFixtures.ts';

const FS = '/data/foundation/flowservice';
const SANDBOX = 'wizard-errors';
let stack: Stack;
let rest: Platform;
let s3: { id: string; etag: string };
const gql = (query: string, variables?: Record<string, unknown>) =>
  stack.gql(query, variables, { 'x-sandbox-name': SANDBOX });

const s3Input = (params: Record<string, unknown>, specName = 'Access Key', connectionSpecId = S3_SPEC) => ({
  input: { name: 'Errors S3', connectionSpecId, auth: { specName, params } },
});

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  rest = await platform(stack.emulator.url, DEMO_ORG, SANDBOX);
  const res = await gql(CREATE_BASE, s3Input({ s3AccessKey: 'AKIAERRORS', s3SecretKey: 'errors-secret' }));
  s3 = res.data.createBaseConnection.baseConnection;
});
afterAll(() => stack.stop());
beforeEach(() => stack.clearRequests());

async function expectNoWrites() {
  expect(writes(await stack.requests())).toEqual([]);
}

describe('bad input to the wizard: a user error at its path, nothing written', () => {
  it('reports every auth param that fails the auth spec schema at once', async () => {
    const res = await gql(CREATE_BASE, s3Input({ s3AccessKey: 'AKIAERRORS', bucketName: true }));
    expect(res.errors).toBeUndefined();
    expect(res.data.createBaseConnection.baseConnection).toBeNull();
    expect(res.data.createBaseConnection.userErrors).toEqual([
      {
        field: ['input', 'auth', 'params', 's3SecretKey'],
        code: 'REQUIRED',
        message: 'param s3SecretKey is required by auth spec "Access Key"',
      },
      {
        field: ['input', 'auth', 'params', 'bucketName'],
        code: 'INVALID',
        message: 'param bucketName must be of type string (auth spec "Access Key")',
      },
    ]);
    await expectNoWrites();
  });

  it('refuses an unknown connection spec', async () => {
    const res = await gql(CREATE_BASE, s3Input({}, 'Access Key', '00000000-0000-4000-8000-000000000000'));
    expect(res.data.createBaseConnection.userErrors).toEqual([
      {
        field: ['input', 'connectionSpecId'],
        code: 'NOT_FOUND',
        message: 'No connection spec 00000000-0000-4000-8000-000000000000',
      },
    ]);
    await expectNoWrites();
  });

  it('refuses an auth spec name the connection spec does not have, naming those it has', async () => {
    const res = await gql(CREATE_BASE, s3Input({ s3AccessKey: 'a', s3SecretKey: 'b' }, 'Basic Authentication'));
    expect(res.data.createBaseConnection.userErrors).toEqual([
      {
        field: ['input', 'auth', 'specName'],
        code: 'NOT_FOUND',
        message: `Connection spec ${S3_SPEC} has no auth spec "Basic Authentication"; use one of "Access Key"`,
      },
    ]);
    await expectNoWrites();
  });

  it('refuses the data lake target as a source', async () => {
    const res = await gql(CREATE_BASE, s3Input({}, 'x', 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'));
    expect(res.data.createBaseConnection.userErrors[0]).toMatchObject({
      field: ['input', 'connectionSpecId'],
      code: 'WRONG_KIND',
    });
    await expectNoWrites();
  });

  it('reports an explore of a path the source does not hold', async () => {
    const res = await gql(EXPLORE, { id: s3.id, path: '/acme/missing/' });
    expect(res.errors).toBeUndefined();
    const explore = res.data.baseConnection.explore;
    expect(explore.objects).toBeNull();
    expect(explore.userErrors).toEqual([
      {
        field: ['path'],
        code: 'NOT_FOUND',
        message:
          '/acme/missing/ does not exist in the source (The requested resource is not found. Error from flow provider: path /acme/missing/ does not exist.)',
      },
    ]);
    await expectNoWrites();
  });

  it('reports a preview of a folder', async () => {
    const res = await gql(PREVIEW, { id: s3.id, path: '/acme/signups/' });
    const preview = res.data.baseConnection.preview;
    expect(preview.columns).toBeNull();
    expect(preview.userErrors).toEqual([
      {
        field: ['path'],
        code: 'UPSTREAM_REJECTED',
        message:
          'flowService rejected the request (HTTP 400, FLOW-1100-400): The request could not be processed. Error from flow provider: /acme/signups/ is a folder; only files can be inspected or previewed.',
      },
    ]);
    await expectNoWrites();
  });

  it('reports a preview that reads a file as the wrong type, or a compressed file without its compression', async () => {
    const json = await gql(PREVIEW, { id: s3.id, path: '/exports/loyalty.csv', fileType: 'JSON' });
    expect(json.data.baseConnection.preview.userErrors[0].message).toContain(
      '/exports/loyalty.csv cannot be read as json: it is a delimited file.',
    );
    const gz = await gql(PREVIEW, { id: s3.id, path: '/exports/orders-2026-11.csv.gz' });
    expect(gz.data.baseConnection.preview.userErrors[0].message).toContain('give compressionType=gzip');
    const ok = await gql(PREVIEW, { id: s3.id, path: '/exports/orders-2026-11.csv.gz', compression: 'GZIP', rows: 1 });
    expect(ok.data.baseConnection.preview).toMatchObject({ userErrors: [], rows: [{ order_id: 90001 }] });
    await expectNoWrites();
  });

  it('checks the preview arguments before calling the Flow Service', async () => {
    const res = await gql(PREVIEW, { id: s3.id, path: '/exports/loyalty.csv', delimiter: ';;', rows: 101 });
    expect(res.data.baseConnection.preview.userErrors.map((e: { field: string[] }) => e.field)).toEqual([
      ['rows'],
      ['delimiter'],
    ]);
    expect((await stack.requests()).filter((r) => r.path.endsWith('/explore'))).toEqual([]);
  });

  it('reports suggestMappings for a schema that does not exist', async () => {
    const res = await gql(SUGGEST, {
      input: { columns: [{ name: 'email', type: 'STRING' }], schemaId: 'https://ns.adobe.com/acme/schemas/missing' },
    });
    expect(res.data.suggestMappings).toMatchObject({
      suggestions: [],
      mappings: [],
      userErrors: [
        {
          field: ['input', 'schemaId'],
          code: 'NOT_FOUND',
          message: 'No XDM schema https://ns.adobe.com/acme/schemas/missing in this sandbox',
        },
      ],
    });
    await expectNoWrites();
  });
});

describe('testing, rotating and deleting a base connection', () => {
  it('answers unreachable, with the reason, for credentials the source refuses', async () => {
    const res = await gql(CREATE_BASE, {
      input: {
        name: 'Support desk',
        connectionSpecId: SERVICE_CLOUD_SPEC,
        auth: {
          specName: 'Basic Authentication',
          params: { username: 'support@example.com', password: 'invalid', securityToken: 'token-1' },
        },
      },
    });
    const id = res.data.createBaseConnection.baseConnection.id;
    const test = (await gql(TEST_BASE, { id })).data.testBaseConnection;
    expect(test).toEqual({
      baseConnectionId: id,
      reachable: false,
      reason: `The platform could not reach the source with the credentials of base connection ${id} (auth spec "Basic Authentication"); rotate them with updateBaseConnection`,
      userErrors: [],
    });
    const unknown = (await gql(TEST_BASE, { id: '00000000-0000-4000-8000-000000000000' })).data.testBaseConnection;
    expect(unknown.userErrors[0]).toMatchObject({ field: ['id'], code: 'NOT_FOUND' });
  });

  it('rotates credentials with the etag, and refuses a stale etag without writing', async () => {
    const created = await gql(CREATE_BASE, s3Input({ s3AccessKey: 'AKIAROTATE', s3SecretKey: 'rotate-old' }));
    const base = created.data.createBaseConnection.baseConnection;
    const rotated = await gql(UPDATE_BASE, {
      input: {
        id: base.id,
        etag: base.etag,
        name: 'Rotated S3',
        auth: {
          specName: 'Access Key',
          params: { s3AccessKey: 'AKIAROTATE', s3SecretKey: 'rotate-new', bucketName: 'b' },
        },
      },
    });
    expect(rotated.data.updateBaseConnection.userErrors).toEqual([]);
    expect(rotated.data.updateBaseConnection.baseConnection).toMatchObject({
      name: 'Rotated S3',
      auth: { setParams: ['s3AccessKey', 's3SecretKey', 'bucketName'] },
    });
    expect(rotated.data.updateBaseConnection.baseConnection.etag).not.toBe(base.etag);

    await stack.clearRequests();
    const stale = await gql(UPDATE_BASE, { input: { id: base.id, etag: base.etag, name: 'Again' } });
    expect(stale.data.updateBaseConnection.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'etag'], code: 'STALE_ETAG' }),
    ]);
    const patches = (await stack.requests()).filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([412]);
    const stored = (await rest.call('GET', `${FS}/connections/${base.id}`)).items[0];
    expect(stored.name).toBe('Rotated S3');

    const bad = await gql(UPDATE_BASE, {
      input: { id: base.id, etag: stored.etag, auth: { specName: 'Access Key', params: { s3AccessKey: 'x' } } },
    });
    expect(bad.data.updateBaseConnection.userErrors[0]).toMatchObject({
      field: ['input', 'auth', 'params', 's3SecretKey'],
      code: 'REQUIRED',
    });
  });

  it('refuses to delete a base connection in use, naming its users, and deletes them all with force', async () => {
    const created = await gql(CREATE_BASE, s3Input({ s3AccessKey: 'AKIADELETE', s3SecretKey: 'delete-secret' }));
    const base = created.data.createBaseConnection.baseConnection;
    const schemaId = await profileSchema(rest, 'Wizard delete');
    const flow = await gql(
      `mutation($input: CreateDataflowInput!) { createDataflow(input: $input) { userErrors { message } flow { id } sourceConnection { id } } }`,
      {
        input: {
          name: 'Delete me',
          source: { baseConnectionId: base.id, path: '/exports/loyalty.csv' },
          target: { newDataset: { schemaId, datasetName: 'Delete me' } },
          schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'DAY', interval: 1 },
        },
      },
    );
    const { flow: made, sourceConnection } = flow.data.createDataflow;

    await stack.clearRequests();
    const refused = await gql(DELETE_BASE, { input: { id: base.id } });
    expect(refused.data.deleteBaseConnection).toEqual({
      deletedBaseConnectionId: null,
      deletedFlowIds: [],
      deletedSourceConnectionIds: [],
      userErrors: [
        {
          field: ['input', 'id'],
          code: 'IN_USE',
          message: `Base connection ${base.id} is used by dataflows ${made.id} ("Delete me") and source connections ${sourceConnection.id} ("Delete me source"); delete them first, or set force: true to delete them with it`,
        },
      ],
    });
    await expectNoWrites();

    const forced = await gql(DELETE_BASE, { input: { id: base.id, force: true } });
    expect(forced.data.deleteBaseConnection).toEqual({
      deletedBaseConnectionId: base.id,
      deletedFlowIds: [made.id],
      deletedSourceConnectionIds: [sourceConnection.id],
      userErrors: [],
    });
    expect(writes(await stack.requests())).toEqual([
      `DELETE ${FS}/flows/${made.id}`,
      `DELETE ${FS}/sourceConnections/${sourceConnection.id}`,
      `DELETE ${FS}/connections/${base.id}`,
    ]);
  });
});
