import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform } from '../platform.ts';
import { CapturedLog } from '../observability/capturedLog.ts';
import {
  CREATE_BASE,
  DELETE_BASE,
  EXPLORE,
  PREVIEW,
  S3_SPEC,
  SERVICE_CLOUD_SPEC,
  TEST_BASE,
  UPDATE_BASE,
} from './wizardFixtures.ts';

/** Every credential value the test gives; none may come back in a response, an error or a log line. */
const SECRETS = {
  s3SecretKey: 'S3CR3T-wizard-s3-secret-key',
  s3SessionToken: 'S3CR3T-wizard-session-token',
  password: 'S3CR3T-wizard-password',
  securityToken: 'S3CR3T-wizard-security-token',
  rotated: 'S3CR3T-wizard-rotated-key',
  privateKeyContent: 'S3CR3T-wizard-ssh-private-key',
};
const ALL = Object.values(SECRETS);
const SFTP_SPEC = 'b7bf2577-4520-42c9-bae9-cad01560f7bc';

const BASE_FIELDS = `{ id name description state etag createdAt updatedAt connectionSpecId authSpecName
  auth { specName setParams secretParams } inlet { id url } connectionSpec { id name authSpecs { name } } }`;

let stack: Stack;
// every line the server logs, at the most verbose level
const log = new CapturedLog();
let logged: string[];

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true }, env: { LOG_LEVEL: 'trace' }, server: { logDestination: log } });
});
afterAll(() => stack.stop());
beforeEach(() => {
  log.clear();
  logged = log.lines;
});
afterEach(async () => {
  await stack.control('DELETE', '/__emulator/faults');
});

/** Runs every wizard call that touches credentials, good and bad, and returns every response body. */
async function everyStep(headers: Record<string, string>): Promise<string[]> {
  const texts: string[] = [];
  const call = async (query: string, variables: Record<string, unknown>) => {
    const res = await stack.gql(query, variables, headers);
    texts.push(res.text);
    return res;
  };
  const s3 = await call(CREATE_BASE, {
    input: {
      name: 'Secret S3',
      connectionSpecId: S3_SPEC,
      auth: {
        specName: 'Access Key',
        params: {
          s3AccessKey: 'AKIASECRETS',
          s3SecretKey: SECRETS.s3SecretKey,
          s3SessionToken: SECRETS.s3SessionToken,
        },
      },
    },
  });
  const base = s3.data.createBaseConnection.baseConnection;
  expect(base.auth.secretParams).toEqual(['s3AccessKey', 's3SecretKey', 's3SessionToken']);
  const desk = await call(CREATE_BASE, {
    input: {
      name: 'Secret desk',
      connectionSpecId: SERVICE_CLOUD_SPEC,
      auth: {
        specName: 'Basic Authentication',
        params: { username: 'desk@example.com', password: SECRETS.password, securityToken: SECRETS.securityToken },
      },
    },
  });
  const deskId = desk.data.createBaseConnection.baseConnection.id;
  // rejected before any write: a param of the wrong type next to secrets
  await call(CREATE_BASE, {
    input: {
      name: 'Bad desk',
      connectionSpecId: SERVICE_CLOUD_SPEC,
      auth: { specName: 'Basic Authentication', params: { username: 42, password: { nested: SECRETS.password } } },
    },
  });
  // an upstream that echoes the request in its error body, then one that fails outright
  await stack.control('POST', '/__emulator/faults', {
    method: 'POST',
    path: '/connections$',
    status: 400,
    body: { errorMessage: `bad credentials ${SECRETS.password} / ${SECRETS.securityToken}` },
  });
  const echoed = await call(CREATE_BASE, {
    input: {
      name: 'Echoed desk',
      connectionSpecId: SERVICE_CLOUD_SPEC,
      auth: {
        specName: 'Basic Authentication',
        params: { username: 'desk@example.com', password: SECRETS.password, securityToken: SECRETS.securityToken },
      },
    },
  });
  // the echo did reach the API, and was redacted on the way into the user error
  expect(echoed.data.createBaseConnection.userErrors[0]).toMatchObject({
    code: 'UPSTREAM_REJECTED',
    message: expect.stringContaining('bad credentials [REDACTED] / [REDACTED]'),
  });
  // a secret by its spec's `format: password` only, whatever its name, echoed back
  await stack.control('POST', '/__emulator/faults', {
    method: 'POST',
    path: '/connections$',
    status: 400,
    body: { errorMessage: `cannot parse key ${SECRETS.privateKeyContent}` },
  });
  const sftp = await call(CREATE_BASE, {
    input: {
      name: 'Partner SFTP',
      connectionSpecId: SFTP_SPEC,
      auth: {
        specName: 'SSH PublicKey Authentication for sftp',
        params: { host: 'sftp.example.com', userName: 'acme', privateKeyContent: SECRETS.privateKeyContent },
      },
    },
  });
  expect(sftp.data.createBaseConnection.userErrors[0].message).toContain('cannot parse key [REDACTED]');
  await stack.control('POST', '/__emulator/faults', { method: 'POST', path: '/connections$', status: 500 });
  const failed = await call(CREATE_BASE, {
    input: {
      name: 'Failed S3',
      connectionSpecId: S3_SPEC,
      auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIASECRETS', s3SecretKey: SECRETS.s3SecretKey } },
    },
  });
  expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
  // inputs that do not fit their GraphQL types: graphql-js would quote the whole value
  const mistyped = await call(CREATE_BASE, {
    input: { name: 'Mistyped', connectionSpecId: S3_SPEC, auth: { params: { s3SecretKey: SECRETS.s3SecretKey } } },
  });
  expect(mistyped.errors?.[0]).toMatchObject({
    message:
      'Variable "$input" got an invalid value at "input.auth"; Field "specName" of required type "String!" was not provided.',
    extensions: { code: 'BAD_USER_INPUT' },
  });
  await call(CREATE_BASE, {
    input: {
      name: 'Mistyped',
      connectionSpecId: S3_SPEC,
      auth: {
        specName: { secret: SECRETS.password },
        params: { s3SecretKey: SECRETS.s3SecretKey },
        extra: SECRETS.password,
      },
    },
  });
  await call(`query($id: ID!) { baseConnection(id: $id) ${BASE_FIELDS} }`, { id: base.id });
  await call(`{ baseConnections(first: 100) { nodes ${BASE_FIELDS} } }`, {});
  await call(TEST_BASE, { id: deskId });
  await call(EXPLORE, { id: base.id });
  await call(EXPLORE, { id: deskId });
  await call(PREVIEW, { id: base.id, path: '/exports/loyalty.csv' });
  const rotated = await call(UPDATE_BASE, {
    input: {
      id: base.id,
      etag: base.etag,
      auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIASECRETS', s3SecretKey: SECRETS.rotated } },
    },
  });
  expect(rotated.data.updateBaseConnection.userErrors).toEqual([]);
  await call(UPDATE_BASE, {
    input: { id: base.id, etag: base.etag, auth: { specName: 'Access Key', params: { s3SecretKey: SECRETS.rotated } } },
  });
  await call(DELETE_BASE, { input: { id: base.id } });
  return texts;
}

function expectNoSecret(texts: readonly string[]) {
  expect(texts.length).toBeGreaterThan(10);
  // one line per operation at least: the log is read, not assumed empty
  expect(log.events('operation').length).toBeGreaterThanOrEqual(texts.length);
  for (const text of [...texts, ...logged]) for (const secret of ALL) expect(text).not.toContain(secret);
}

describe('credentials given to createBaseConnection are write-only', () => {
  it('never returns, logs or reports a secret with the server credentials', async () => {
    // the demo org has only its declared sandboxes: this test's own is added to them
    await stack.control('POST', '/__emulator/sandboxes', { org: DEMO_ORG, sandbox: 'wizard-secrets' });
    expectNoSecret(await everyStep({ 'x-sandbox-name': 'wizard-secrets' }));
  });

  it("never returns, logs or reports a secret with the caller's own credentials passed through", async () => {
    const caller = await platform(stack.emulator.url, 'SECRETS0000000000000000A@AdobeOrg', 'prod', 'wizard-caller');
    expectNoSecret(await everyStep(caller.headers));
  });
});
