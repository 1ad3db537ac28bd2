import { expect } from 'vitest';
import type { Call } from '../emulatorHarness.ts';

const FLOW = '/data/foundation/flowservice';
const XED_FULL = 'application/vnd.adobe.xed-full+json;version=1';
const S3_SPEC = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
const DATA_LAKE_SPEC = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
const CLOUD_STORAGE_FLOW_SPEC = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';

export interface Dataflow {
  flowId: string;
  dataSetId: string;
  targetConnectionId: string;
}

/** The shared part of a dataflow: schema, dataset, S3 base/source/target connections, mapping set. */
export interface DataflowParts {
  dataSetId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  mappingId: string;
}

async function ok<T = any>(promise: Promise<{ status: number; body: T }>, expected: number): Promise<T> {
  const res = await promise;
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return res.body;
}

/** Everything a CloudStorageToAEP flow needs, created through the REST routes. */
export async function createDataflowParts(call: Call): Promise<DataflowParts> {
  const schema = await ok(
    call('POST', '/data/foundation/schemaregistry/tenant/schemas', {
      body: {
        type: 'object',
        title: 'Run test profiles',
        description: 'Profiles written by test runs',
        allOf: [
          { $ref: 'https://ns.adobe.com/xdm/context/profile' },
          { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' },
        ],
      },
    }),
    201,
  );
  const refs = await ok<string[]>(
    call('POST', '/data/foundation/catalog/dataSets', {
      body: { name: 'Run test dataset', schemaRef: { id: schema.$id, contentType: XED_FULL } },
    }),
    201,
  );
  const dataSetId = refs[0]!.replace('@/dataSets/', '');
  const conn = await ok(
    call('POST', `${FLOW}/connections`, {
      body: {
        name: 'Run test S3',
        auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIA', s3SecretKey: 'secret' } },
        connectionSpec: { id: S3_SPEC, version: '1.0' },
      },
    }),
    201,
  );
  const source = await ok(
    call('POST', `${FLOW}/sourceConnections`, {
      body: {
        name: 'Run test source',
        baseConnectionId: conn.id,
        data: { format: 'delimited' },
        params: { path: '/bucket/people.csv', type: 'file' },
        connectionSpec: { id: S3_SPEC, version: '1.0' },
      },
    }),
    201,
  );
  const target = await ok(
    call('POST', `${FLOW}/targetConnections`, {
      body: {
        name: 'Run test target',
        data: { schema: { id: schema.$id, version: XED_FULL } },
        params: { dataSetId },
        connectionSpec: { id: DATA_LAKE_SPEC, version: '1.0' },
      },
    }),
    201,
  );
  const mapping = await ok(
    call('POST', '/data/foundation/conversion/mappingSets', {
      body: {
        outputSchema: { schemaRef: { id: schema.$id, contentType: XED_FULL } },
        mappings: [{ sourceType: 'ATTRIBUTE', source: 'first_name', destination: 'person.name.firstName' }],
      },
    }),
    200,
  );
  return { dataSetId, sourceConnectionId: source.id, targetConnectionId: target.id, mappingId: mapping.id };
}

export async function createFlow(
  call: Call,
  parts: DataflowParts,
  options: { name?: string; description?: string; scheduleParams: Record<string, unknown> },
): Promise<Dataflow> {
  const flow = await ok(
    call('POST', `${FLOW}/flows`, {
      body: {
        name: options.name ?? 'Run test flow',
        ...(options.description === undefined ? {} : { description: options.description }),
        flowSpec: { id: CLOUD_STORAGE_FLOW_SPEC, version: '1.0' },
        sourceConnectionIds: [parts.sourceConnectionId],
        targetConnectionIds: [parts.targetConnectionId],
        transformations: [{ name: 'Mapping', params: { mappingId: parts.mappingId, mappingVersion: 0 } }],
        scheduleParams: options.scheduleParams,
      },
    }),
    201,
  );
  return { flowId: flow.id, dataSetId: parts.dataSetId, targetConnectionId: parts.targetConnectionId };
}

export async function runsOf(call: Call, flowId: string): Promise<any[]> {
  const res = await ok<{ items: any[] }>(
    call('GET', `${FLOW}/runs`, { query: { property: `flowId==${flowId}` } }),
    200,
  );
  return res.items;
}

export const isFinished = (run: any): boolean => ['success', 'failed'].includes(run.metrics.statusSummary.status);
