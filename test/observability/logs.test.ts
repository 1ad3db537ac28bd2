import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { CapturedLog } from './capturedLog.ts';

const ORG = 'LOGS00000000000000000000@AdobeOrg';
const SANDBOX = 'logs';
const CLIENT_SECRET = 'logs-test-ims-client-secret-0123456789';
/** Credential values given in mutation inputs; none may reach a log line. */
const INPUT_SECRETS = ['S3CR3T-logs-s3-secret-key', 'S3CR3T-logs-session-token', 'S3CR3T-logs-param-password'];
const S3_SPEC = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';

const DASHBOARD = `query Dashboard {
  flows(first: 10) {
    nodes {
      id name
      flowSpec { name }
      sourceConnections { baseConnection { name } }
      targetConnections { dataset { name schema { title } } }
      lastRun { status }
    }
  }
}`;

const CREATE_BASE = `mutation Connect($input: CreateBaseConnectionInput!) {
  createBaseConnection(input: $input) { userErrors { field code message } baseConnection { id } }
}`;

const CREATE_FLOW = `mutation Create($input: CreateDataflowInput!) {
  createDataflow(input: $input) { userErrors { field code message } flow { id } }
}`;

const log = new CapturedLog();
let stack: Stack;
let caller: Platform;
let serverOrg: SeededOrg;

/** Every token the emulator issued so far: the server's and the callers'. */
function issuedTokens(): string[] {
  return [...stack.emulator.runtime.store.tokens.keys()];
}

/** No captured line holds a secret: the client secret, any token, api key or credential given. */
function expectNoSecret(extra: readonly string[] = []): void {
  const secrets = [CLIENT_SECRET, ...INPUT_SECRETS, ...issuedTokens(), caller.headers['x-api-key']!, ...extra];
  expect(log.lines.length).toBeGreaterThan(0);
  for (const line of log.lines) {
    for (const secret of secrets) expect(line).not.toContain(secret);
    expect(line).not.toMatch(/Bearer\s+(?!\[REDACTED\])/i);
  }
}

beforeAll(async () => {
  stack = await startStack({
    emulator: { demo: false },
    env: { LOG_LEVEL: 'debug', IMS_CLIENT_SECRET: CLIENT_SECRET },
    server: { logDestination: log },
  });
  caller = await platform(stack.emulator.url, ORG, 'prod', 'logs-test-caller-client');
  await seedFlows(caller, { flows: 3, schemas: 1, baseConnections: 2, prefix: 'Logs' });
  const own = await platform(stack.emulator.url, DEMO_ORG, SANDBOX, 'logs-test-seeder');
  serverOrg = await seedFlows(own, { flows: 2, schemas: 1, baseConnections: 1, prefix: 'LogsServer' });
});
afterAll(() => stack.stop());
beforeEach(() => log.clear());
afterEach(() => stack.control('DELETE', '/__emulator/faults'));

describe('the operation log line', () => {
  it('is one JSON line per operation: request id, name, document hash, tenant, status, duration, upstream count', async () => {
    await stack.clearRequests();
    const res = await stack.gql(DASHBOARD, {}, { 'x-sandbox-name': SANDBOX, 'x-request-id': 'logs-dashboard-1' });
    expect(res.data.flows.nodes).toHaveLength(serverOrg.flows.length);
    const upstream = await stack.requests();
    const lines = log.events('operation');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'ingestion-graph',
      requestId: 'logs-dashboard-1',
      event: 'operation',
      operationName: 'Dashboard',
      operationType: 'query',
      documentHash: createHash('sha256').update(DASHBOARD).digest('hex'),
      org: DEMO_ORG,
      sandbox: SANDBOX,
      status: 200,
      durationMs: expect.any(Number),
      upstreamRequests: upstream.length,
      errorCodes: [],
      msg: 'query Dashboard',
    });
    expect(upstream.length).toBeGreaterThan(0);
    expectNoSecret();
  });

  it('carries the error codes of the answer, and the caller-credential mode hides the bearer token', async () => {
    const res = await stack.gql('query Broken { flows(first: 101) { totalCount } }', {}, caller.headers);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const [line] = log.events('operation');
    expect(line).toMatchObject({ operationName: 'Broken', org: ORG, sandbox: 'prod', errorCodes: ['BAD_USER_INPUT'] });
    expectNoSecret();
  });

  it('logs a refused credential without the token that was refused', async () => {
    const forged = 'eyJforged-token-value-never-issued-0123456789';
    const res = await stack.gql(DASHBOARD, {}, { ...caller.headers, authorization: `Bearer ${forged}` });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(log.events('operation')[0]).toMatchObject({ errorCodes: ['UNAUTHENTICATED'] });
    expect(log.events('upstream_failure')[0]).toMatchObject({ status: 401, service: 'flowService' });
    expectNoSecret([forged]);
  });
});

describe('a secret where a log line would show it', () => {
  it('is scrubbed by value: a caller that sends its own token as its request id', async () => {
    const token = caller.headers.authorization!.slice('Bearer '.length);
    const res = await stack.gql(DASHBOARD, {}, { ...caller.headers, 'x-request-id': token });
    expect(res.status).toBe(200);
    const [line] = log.events('operation');
    expect(line).toMatchObject({ requestId: '[REDACTED]', operationName: 'Dashboard' });
    expectNoSecret();
  });
});

describe('an internal error', () => {
  it("is logged on the operation's logger with its request id, and answered masked with it", async () => {
    const id = '50ba7c7197abff99aaa1fa09';
    // a dataset without its name: graphql-js's non-null error, which the API does not expect
    await stack.control('POST', '/__emulator/faults', {
      times: 1,
      method: 'GET',
      path: `^/data/foundation/catalog/dataSets/${id}`,
      status: 200,
      body: { [id]: { schemaRef: { id: 'x' } } },
    });
    const res = await stack.gql(
      `query Internal { dataset(id: "${id}") { id name } }`,
      {},
      {
        ...caller.headers,
        'x-request-id': 'logs-internal-1',
      },
    );
    expect(res.errors).toEqual([
      {
        message: 'Internal server error',
        locations: expect.any(Array),
        path: ['dataset', 'name'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'logs-internal-1' },
      },
    ]);
    const internal = log.entries().filter((l) => l.msg === 'internal error');
    expect(internal).toHaveLength(1);
    expect(internal[0]).toMatchObject({ level: 'error', requestId: 'logs-internal-1' });
    expect(internal[0]!.err.message).toContain('Dataset.name');
    expect(log.events('operation')[0]).toMatchObject({
      level: 'error',
      requestId: 'logs-internal-1',
      errorCodes: ['INTERNAL_SERVER_ERROR'],
    });
    expectNoSecret();
  });
});

describe('the failed upstream request line', () => {
  it('names the service, method, route template, status and retries, never an id or a query', async () => {
    await stack.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: '^/data/foundation/catalog/dataSets/',
      status: 500,
      times: 100,
      // an upstream that echoes what it was sent: the token must not come back through the log
      body: {
        type: 'https://ns.adobe.com/aep/errors/CAT-1500-500',
        title: `Catalog is down; request carried ${caller.headers.authorization}`,
        status: 500,
      },
    });
    const res = await stack.gql(DASHBOARD, {}, { ...caller.headers, 'x-request-id': 'logs-failing-1' });
    expect(res.errors?.every((e) => e.extensions?.code === 'UPSTREAM_ERROR')).toBe(true);
    const failures = log.events('upstream_failure');
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures)
      expect(failure).toMatchObject({
        level: 'warn',
        requestId: 'logs-failing-1',
        service: 'catalog',
        method: 'GET',
        route: '/data/foundation/catalog/dataSets/{id}',
        status: 500,
        // one retry of an idempotent call after a 500
        retries: 1,
        code: 'CAT-1500-500',
      });
    const datasetIds = (await stack.requests()).flatMap((r) => r.path.split('/').slice(-1));
    for (const line of log.lines)
      for (const id of datasetIds.filter((i) => i.length > 8)) expect(line).not.toContain(id);
    expect(log.events('operation')[0]).toMatchObject({ errorCodes: ['UPSTREAM_ERROR'], requestId: 'logs-failing-1' });
    expectNoSecret();
  });

  it('logs an IMS failure of the server credentials without the client secret it sent', async () => {
    // a fresh token is asked for: the cached one is dropped when the platform refuses it
    await stack.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: '^/data/foundation/flowservice/flows',
      status: 401,
      times: 1,
      body: { error_code: '401013', message: 'Oauth token is not valid' },
    });
    await stack.gql(DASHBOARD, {}, { 'x-sandbox-name': SANDBOX });
    await stack.control('POST', '/__emulator/faults', {
      method: 'POST',
      path: '^/ims/token/v3',
      status: 400,
      times: 10,
      body: { error: 'invalid_client', error_description: `client_secret=${CLIENT_SECRET} is not valid` },
    });
    const res = await stack.gql(DASHBOARD, {}, { 'x-sandbox-name': SANDBOX });
    expect(res.status).toBe(502);
    expect(log.events('upstream_failure')).toContainEqual(
      expect.objectContaining({ service: 'ims', method: 'POST', route: '/ims/token/v3', status: 400 }),
    );
    expectNoSecret();
  });
});

describe('credentials in mutation inputs', () => {
  it('never reach a log line, whether the input is written, refused by validation or by the upstream', async () => {
    const auth = {
      specName: 'Access Key',
      params: { s3AccessKey: 'AKIALOGS', s3SecretKey: INPUT_SECRETS[0], s3SessionToken: INPUT_SECRETS[1] },
    };
    const created = await stack.gql(
      CREATE_BASE,
      { input: { name: 'Logged S3', connectionSpecId: S3_SPEC, auth } },
      caller.headers,
    );
    expect(created.data.createBaseConnection.userErrors).toEqual([]);
    // refused before any write: the name is empty
    const refused = await stack.gql(
      CREATE_BASE,
      { input: { name: '', connectionSpecId: S3_SPEC, auth } },
      caller.headers,
    );
    expect(refused.data.createBaseConnection.userErrors.length).toBeGreaterThan(0);
    // refused by the upstream, with the credentials echoed back
    await stack.control('POST', '/__emulator/faults', {
      method: 'POST',
      path: '^/data/foundation/flowservice/connections$',
      status: 500,
      times: 10,
      body: { type: 'https://ns.adobe.com/aep/errors/FLOW-1500-500', title: `failed for ${INPUT_SECRETS[0]}` },
    });
    await stack.gql(CREATE_BASE, { input: { name: 'Failing S3', connectionSpecId: S3_SPEC, auth } }, caller.headers);
    const flow = await stack.gql(
      CREATE_FLOW,
      {
        input: {
          name: 'Logged flow',
          source: {
            baseConnectionId: created.data.createBaseConnection.baseConnection.id,
            format: 'DELIMITED',
            path: '/logs/',
            params: { password: INPUT_SECRETS[2] },
          },
          target: { datasetId: 'not-a-dataset-id' },
          mappings: [],
        },
      },
      caller.headers,
    );
    expect(flow.errors ?? flow.data.createDataflow.userErrors).not.toHaveLength(0);
    expect(log.events('operation')).toHaveLength(4);
    expect(log.events('upstream_failure').length).toBeGreaterThan(0);
    expectNoSecret();
  });
});

describe('start and stop', () => {
  it('logs one line when the server starts and one when it stops', async () => {
    const own = new CapturedLog();
    const other = await startStack({ env: { LOG_LEVEL: 'info' }, server: { logDestination: own } });
    await other.stop();
    expect(own.entries().map((e) => e.event)).toEqual(['start', 'stop']);
    expect(own.events('start')[0]).toMatchObject({
      url: other.api.url,
      platform: new URL(other.emulator.url).origin,
      tracing: false,
    });
  });

  it('logs nothing below LOG_LEVEL', async () => {
    const own = new CapturedLog();
    const other = await startStack({ env: { LOG_LEVEL: 'warn' }, server: { logDestination: own } });
    await other.gql(DASHBOARD);
    await other.stop();
    expect(own.lines).toEqual([]);
  });
});
