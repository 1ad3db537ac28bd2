import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { recordBatch } from '../../src/emulator/catalog/batches.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';

const ORG = 'SHAPES00000000000000000A@AdobeOrg';
const FS = '/data/foundation/flowservice';

let stack: Stack;
let org: Platform;
let seeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: false } });
  org = await platform(stack.emulator.url, ORG, 'prod', 'shapes-test-client');
  seeded = await seedFlows(org, { flows: 1, schemas: 1, baseConnections: 1 });
});
afterAll(() => stack.stop());
afterEach(() => stack.control('DELETE', '/__emulator/faults'));

const query = (q: string, variables?: Record<string, unknown>) => stack.gql(q, variables, org.headers);

describe('upstream vocabularies as enums', () => {
  it('answers a state Flow Service does not document as UNKNOWN, and the rest of the object stands', async () => {
    const id = seeded.baseConnectionIds[0]!;
    const stored = await org.call<{ items: Array<Record<string, unknown>> }>('GET', `${FS}/connections/${id}`);
    await stack.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: `^${FS}/connections\\b`,
      status: 200,
      body: { items: [{ ...stored.items[0], state: 'quarantined' }] },
      times: 1,
    });
    const res = await query('query($id: ID!) { baseConnection(id: $id) { id name state } }', { id });
    expect(res.errors).toBeUndefined();
    expect(res.data.baseConnection).toEqual({ id, name: stored.items[0]!['name'], state: 'UNKNOWN' });
  });

  it('answers documented values in the schema spelling', async () => {
    const id = seeded.baseConnectionIds[0]!;
    const res = await query('query($id: ID!) { baseConnection(id: $id) { state connectionSpec { category } } }', {
      id,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.baseConnection).toEqual({ state: 'ENABLED', connectionSpec: { category: 'CLOUD_STORAGE' } });
  });
});

describe('SafeInt', () => {
  it('carries counts and sizes beyond 2^31 exactly, as JSON numbers', async () => {
    const dataSetId = seeded.datasetIds[0]!;
    const runtime = stack.emulator.runtime;
    const big = 2 ** 31 + 7;
    const batchId = recordBatch(runtime, runtime.store.partition(ORG, 'prod'), {
      dataSetId,
      status: 'success',
      recordCount: big,
      failedRecordCount: 0,
      size: 2 ** 40 + 1,
    });
    const res = await query('query($id: ID!) { batch(id: $id) { status recordCount sizeBytes } }', { id: batchId });
    expect(res.errors).toBeUndefined();
    expect(res.data.batch).toEqual({ status: 'SUCCESS', recordCount: big, sizeBytes: 2 ** 40 + 1 });
    expect(res.text).toContain(`"recordCount":${big}`);
  });
});
