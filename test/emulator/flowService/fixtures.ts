import type { DataSetDto } from '../../../src/upstream/catalog/types.ts';
import type { MappingSetDto } from '../../../src/upstream/dataPrep/types.ts';
import { DATA_LAKE_CONNECTION_SPEC_ID } from '../../../src/upstream/flowService/types.ts';
import { DOC_ORG, type Call, type TestEmulator } from '../emulatorHarness.ts';

export const FS = '/data/foundation/flowservice';
export const SPEC = {
  s3: 'ecadc60c-7455-4d87-84dc-2a0e293d997b',
  azureFile: 'be5ec48c-5b78-49d5-b8fa-7c89ec4569b8',
  odata: '8e6b41a8-d998-4545-ad7d-c6a9fff406c3',
  ssc: 'cb66ab34-8619-49cb-96d1-39b37ede86ea',
  hive: 'aac9bbd4-6c01-46ce-b47e-51c6f0f6db3f',
  httpApi: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb',
  kinesis: '86043421-563b-46ec-8e6c-e23184711bf6',
  dataLandingZone: '26f526f2-58f4-4712-961d-e41bf1ccc0e8',
  dataLake: DATA_LAKE_CONNECTION_SPEC_ID,
} as const;
export const FLOW_SPEC = {
  cloudStorage: '9753525b-82c7-4dce-8a9b-5ccfce2b9876',
  crm: '14518937-270c-4525-bdec-c2ba7cce3860',
  streamWithTransformation: 'c1a19761-d2c7-4702-b9fa-fe91f0613e81',
  streamWithout: 'd8a6f005-7eaf-4153-983e-e8574508b877',
} as const;
export const SCHEMA_ID = 'https://ns.adobe.com/acme/schemas/0123456789abcdef0123456789abcdef';
export const OTHER_SCHEMA_ID = 'https://ns.adobe.com/acme/schemas/fedcba9876543210fedcba9876543210';

/** The `FLOW-{code}-{status}` of a problem body, e.g. `FLOW-1413-400`. */
export const flowCode = (body: { type?: string }): string | undefined => body.type?.split('/').pop();

/**
 * Test setup, not API under test: a Catalog dataset written straight into the partition
 * so the Flow Service rules that look datasets up have something to find.
 */
let testIdCounter = 0;

export function insertTestDataSet(t: TestEmulator, schemaId = SCHEMA_ID, org = DOC_ORG, sandbox = 'prod'): string {
  const part = t.emu.runtime.store.partition(org, sandbox);
  const id = `5c8c3c555033b814b69f${String(++testIdCounter).padStart(4, '0')}`;
  const dataSet: DataSetDto = {
    name: `test dataset ${id}`,
    imsOrg: org,
    version: '1.0.0',
    created: 0,
    updated: 0,
    createdClient: 'test',
    createdUser: 'test',
    updatedUser: 'test',
    schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' },
  };
  part.dataSets.set(id, dataSet);
  return id;
}

/** Test setup: a mapping set (versions 0 and 1) targeting `schemaId`, written straight into the partition. */
export function insertTestMappingSet(t: TestEmulator, schemaId = SCHEMA_ID, org = DOC_ORG, sandbox = 'prod'): string {
  const part = t.emu.runtime.store.partition(org, sandbox);
  const id = `e7c80e4c0d8f4a98a7d400b4e178${String(++testIdCounter).padStart(4, '0')}`;
  const version = (v: number): MappingSetDto => ({
    id,
    version: v,
    createdDate: 0,
    modifiedDate: 0,
    createdBy: 'test',
    modifiedBy: 'test',
    supportVersion: '1.1',
    outputSchema: {
      id: schemaId,
      version: 0,
      schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' },
    },
    status: 'PUBLISHED',
    strictMapping: false,
    allowNullValues: false,
    xdmVersion: '1.0',
    schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' },
    xdmSchema: schemaId,
    mappings: [],
  });
  part.mappingSets.set(id, [version(0), version(1)]);
  return id;
}

export async function createOk(call: Call, collection: string, body: unknown): Promise<{ id: string; etag: string }> {
  const res = await call('POST', `${FS}/${collection}`, { body });
  if (res.status !== 201) throw new Error(`POST /${collection} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; etag: string };
}

export const s3Connection = (name = 'S3 source') => ({
  name,
  auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIAEXAMPLE', s3SecretKey: 'super-secret' } },
  connectionSpec: { id: SPEC.s3, version: '1.0' },
});

export const dataLakeTarget = (dataSetId: string, schemaId = SCHEMA_ID) => ({
  name: 'Data lake',
  data: { schema: { id: schemaId, version: 'application/vnd.adobe.xed-full+json;version=1' } },
  params: { dataSetId },
  connectionSpec: { id: SPEC.dataLake, version: '1.0' },
});

/** A CloudStorageToAEP chain (S3 → data lake) ready for `POST /flows`. */
export async function cloudStorageChain(t: TestEmulator, call: Call) {
  const base = await createOk(call, 'connections', s3Connection());
  const source = await createOk(call, 'sourceConnections', {
    name: 'S3 file',
    baseConnectionId: base.id,
    data: { format: 'delimited' },
    params: { path: '/acme/summerCampaign/account.csv', type: 'file' },
    connectionSpec: { id: SPEC.s3, version: '1.0' },
  });
  const dataSetId = insertTestDataSet(t);
  const target = await createOk(call, 'targetConnections', dataLakeTarget(dataSetId));
  const mappingId = insertTestMappingSet(t);
  return { base, source, target, dataSetId, mappingId };
}

export function cloudStorageFlow(
  chain: { source: { id: string }; target: { id: string }; mappingId: string },
  scheduleParams: unknown = { startTime: 1597784298, frequency: 'minute', interval: 15 },
) {
  return {
    name: 'S3 flow',
    flowSpec: { id: FLOW_SPEC.cloudStorage, version: '1.0' },
    sourceConnectionIds: [chain.source.id],
    targetConnectionIds: [chain.target.id],
    transformations: [{ name: 'Mapping', params: { mappingId: chain.mappingId, mappingVersion: 0 } }],
    scheduleParams,
  };
}
