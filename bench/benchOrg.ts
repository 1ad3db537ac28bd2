/**
 * The benchmark's own org, filled through the emulator's REST API (no store access): a
 * handful of schemas, datasets, mapping sets and base connections shared by `flows`
 * dataflows, each with its own source and target connection (as the tutorials create them)
 * and two on-demand runs, so `lastRunDetails` points at a finished run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DATA_LAKE_CONNECTION_SPEC_ID, FLOW_SPEC_IDS } from '../src/upstream/flowService/types.ts';
import { SCHEMA_REF_CONTENT_TYPE } from '../src/upstream/schemaRegistry/wire.ts';
import { mapWithConcurrency } from '../src/mapWithConcurrency.ts';

export const BENCH_ORG = 'BENCH0000000000000000001@AdobeOrg';
export const BENCH_SANDBOX = 'prod';
export const BENCH_CLIENT_ID = 'ingestion-graph-bench';

const FS = '/data/foundation/flowservice';
const XED_FULL = SCHEMA_REF_CONTENT_TYPE;
const PROFILE = 'https://ns.adobe.com/xdm/context/profile';
const PERSON_DETAILS = 'https://ns.adobe.com/xdm/context/profile-person-details';
/** A flow whose description carries this fails every run (emulator convention). */
const FAIL_MARKER = '[emulator:fail]';

/** name, connection spec, auth spec, given auth params; `table` sources run under CRMToAEP. */
const BASE_CONNECTIONS: Array<{
  name: string;
  spec: string;
  auth: string;
  params: Record<string, unknown>;
  table: boolean;
}> = [
  {
    name: 'Bench S3 exports',
    spec: 'ecadc60c-7455-4d87-84dc-2a0e293d997b',
    auth: 'Access Key',
    params: { s3AccessKey: 'AKIABENCH', s3SecretKey: 'bench-secret' },
    table: false,
  },
  {
    name: 'Bench S3 archive',
    spec: 'ecadc60c-7455-4d87-84dc-2a0e293d997b',
    auth: 'Access Key',
    params: { s3AccessKey: 'AKIABENCH2', s3SecretKey: 'bench-secret' },
    table: false,
  },
  {
    name: 'Bench Blob marketing',
    spec: '4c10e202-c428-4796-9208-5f1f5732b1cf',
    auth: 'ConnectionString',
    params: { connectionString: 'DefaultEndpointsProtocol=https;AccountName=bench;AccountKey=YmVuY2g=' },
    table: false,
  },
  {
    name: 'Bench Blob sales',
    spec: '4c10e202-c428-4796-9208-5f1f5732b1cf',
    auth: 'ConnectionString',
    params: { connectionString: 'DefaultEndpointsProtocol=https;AccountName=bench2;AccountKey=YmVuY2g=' },
    table: false,
  },
  {
    name: 'Bench Azure Files',
    spec: 'be5ec48c-5b78-49d5-b8fa-7c89ec4569b8',
    auth: 'Basic Authentication',
    params: { host: '\\\\bench.file.core.windows.net\\share', userid: 'Azure\\bench', password: 'pw' },
    table: false,
  },
  {
    name: 'Bench partner SFTP',
    spec: 'b7bf2577-4520-42c9-bae9-cad01560f7bc',
    auth: 'Basic Authentication for sftp',
    params: { host: 'sftp.bench.example', port: 22, userName: 'bench', password: 'pw' },
    table: false,
  },
  {
    name: 'Bench orders MySQL',
    spec: '26d738e0-8963-47ea-aadf-c60de735468a',
    auth: 'Basic Authentication',
    params: { server: 'db.bench.example', database: 'orders', username: 'bench', password: 'pw', port: 3306 },
    table: true,
  },
  {
    name: 'Bench Salesforce',
    spec: 'cfc0fee1-7dc0-40ef-b73e-d8b134c436f5',
    auth: 'Basic Authentication',
    params: { username: 'bench@example.com', password: 'pw', securityToken: 'tok' },
    table: true,
  },
];

export interface BenchOrg {
  orgId: string;
  sandbox: string;
  clientId: string;
  /** A platform token for `clientId` (valid for the emulator's default 24 h). */
  token: string;
  flowIds: string[];
}

interface Caller {
  <T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function imsToken(emulatorUrl: string, clientId: string): Promise<string> {
  const res = await fetch(`${emulatorUrl}/ims/token/v3`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 'bench-secret',
      scope: 'openid,AdobeID,read_organizations',
    }),
  });
  if (!res.ok) throw new Error(`IMS token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export function platformCaller(
  emulatorUrl: string,
  token: string,
  clientId: string,
  orgId: string,
  sandbox: string,
): Caller {
  const headers = {
    authorization: `Bearer ${token}`,
    'x-api-key': clientId,
    'x-gw-ims-org-id': orgId,
    'x-sandbox-name': sandbox,
  };
  return async (method, path, body) => {
    const res = await fetch(emulatorUrl + path, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return text === '' ? undefined : JSON.parse(text);
  };
}

async function authParams(
  call: Caller,
  spec: string,
  auth: string,
  given: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const body = await call<{ items: Array<{ authSpec: Array<{ name: string; spec: { required?: string[] } }> }> }>(
    'GET',
    `${FS}/connectionSpecs/${spec}`,
  );
  const required = body.items[0]?.authSpec.find((a) => a.name === auth)?.spec.required ?? [];
  const params = { ...given };
  for (const r of required) params[r] ??= `bench-${r}`;
  return params;
}

/**
 * Creates the org's content with writes at latency 0 (the caller sets it), then lets the
 * runs finish by speeding the emulated clock up for a moment.
 */
export async function seedBenchOrg(
  emulatorUrl: string,
  options: { flows: number; schemas?: number; datasets?: number; orgId?: string },
): Promise<BenchOrg> {
  const orgId = options.orgId ?? BENCH_ORG;
  const token = await imsToken(emulatorUrl, BENCH_CLIENT_ID);
  const call = platformCaller(emulatorUrl, token, BENCH_CLIENT_ID, orgId, BENCH_SANDBOX);
  const schemaCount = options.schemas ?? 10;
  const datasetCount = options.datasets ?? 20;

  const schemas = await mapWithConcurrency(
    Array.from({ length: schemaCount }, (_, i) => i),
    8,
    (i) =>
      call<{ $id: string }>('POST', '/data/foundation/schemaregistry/tenant/schemas', {
        type: 'object',
        title: `Bench profiles ${i + 1}`,
        description: 'Profiles written by the benchmark dataflows',
        allOf: [{ $ref: PROFILE }, { $ref: PERSON_DETAILS }],
      }),
  );
  const datasets = await mapWithConcurrency(
    Array.from({ length: datasetCount }, (_, i) => i),
    8,
    async (i) => {
      const schemaId = schemas[i % schemaCount]!.$id;
      const refs = await call<string[]>('POST', '/data/foundation/catalog/dataSets', {
        name: `Bench dataset ${i + 1}`,
        schemaRef: { id: schemaId, contentType: XED_FULL },
      });
      return { id: refs[0]!.replace('@/dataSets/', ''), schemaId };
    },
  );
  const mappings = await mapWithConcurrency(schemas, 8, (s) =>
    call<{ id: string }>('POST', '/data/foundation/conversion/mappingSets', {
      outputSchema: { schemaRef: { id: s.$id, contentType: XED_FULL } },
      mappings: [{ sourceType: 'ATTRIBUTE', source: 'first_name', destination: 'person.name.firstName' }],
    }),
  );
  const bases = await mapWithConcurrency(BASE_CONNECTIONS, 4, async (b) => {
    const created = await call<{ id: string }>('POST', `${FS}/connections`, {
      name: b.name,
      auth: { specName: b.auth, params: await authParams(call, b.spec, b.auth, b.params) },
      connectionSpec: { id: b.spec, version: '1.0' },
    });
    return { ...b, id: created.id };
  });

  const flowIds = await mapWithConcurrency(
    Array.from({ length: options.flows }, (_, i) => i),
    16,
    async (i) => {
      const base = bases[i % bases.length]!;
      const dataset = datasets[i % datasetCount]!;
      const mappingId = mappings[schemas.findIndex((s) => s.$id === dataset.schemaId)]!.id;
      const source = await call<{ id: string }>('POST', `${FS}/sourceConnections`, {
        name: `Bench source ${i + 1}`,
        baseConnectionId: base.id,
        data: { format: base.table ? 'tabular' : 'delimited' },
        params: base.table
          ? {
              tableName: `table_${i + 1}`,
              columns: [
                { name: 'id', type: 'STRING' },
                { name: 'modified', type: 'STRING' },
              ],
            }
          : { path: `/bench/export_${i + 1}.csv`, type: 'file' },
        connectionSpec: { id: base.spec, version: '1.0' },
      });
      const target = await call<{ id: string }>('POST', `${FS}/targetConnections`, {
        name: `Bench target ${i + 1}`,
        data: { schema: { id: dataset.schemaId, version: XED_FULL } },
        params: { dataSetId: dataset.id },
        connectionSpec: { id: DATA_LAKE_CONNECTION_SPEC_ID, version: '1.0' },
      });
      const flow = await call<{ id: string }>('POST', `${FS}/flows`, {
        name: `Bench dataflow ${String(i + 1).padStart(3, '0')}`,
        description: i % 9 === 4 ? `Always failing ${FAIL_MARKER}` : 'Benchmark dataflow',
        flowSpec: { id: base.table ? FLOW_SPEC_IDS.crmToAep : FLOW_SPEC_IDS.cloudStorageToAep, version: '1.0' },
        sourceConnectionIds: [source.id],
        targetConnectionIds: [target.id],
        transformations: [
          ...(base.table ? [{ name: 'Copy', params: { deltaColumn: { name: 'modified' } } }] : []),
          { name: 'Mapping', params: { mappingId, mappingVersion: 0 } },
        ],
        scheduleParams: { startTime: 1_700_000_000, frequency: 'once' },
      });
      for (let r = 0; r < 2; r++) {
        await call('POST', `${FS}/runs`, {
          flowId: flow.id,
          params: {
            startTime: 1_700_000_000 + r * 3600,
            windowStartTime: 1_699_996_400 + r * 3600,
            windowEndTime: 1_700_000_000 + r * 3600,
            ...(base.table ? { deltaColumn: { name: 'modified' } } : {}),
          },
        });
      }
      return flow.id;
    },
  );

  await finishRuns(emulatorUrl, call);
  return { orgId, sandbox: BENCH_SANDBOX, clientId: BENCH_CLIENT_ID, token, flowIds };
}

/** Runs last up to 40 emulated minutes: run the clock fast until every run is finished, then at real speed again. */
async function finishRuns(emulatorUrl: string, call: Caller): Promise<void> {
  const config = (body: unknown) =>
    fetch(`${emulatorUrl}/__emulator/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await config({ timeScale: 20_000 });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      await sleep(200);
      // reads advance runs; count the ones not finished yet
      const pending = await call<{ count: number }>(
        'GET',
        `${FS}/runs?count=true&property=metrics.statusSummary.status!=success&property=metrics.statusSummary.status!=failed`,
      );
      if (pending.count === 0) return;
    }
    throw new Error('bench org: runs did not finish');
  } finally {
    await config({ timeScale: 1 });
  }
}
