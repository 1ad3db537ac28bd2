import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type SeededOrg } from '../platform.ts';
import { routeCounts } from './requestLog.ts';

const SANDBOX = 'id-arguments';
const HEADERS = { 'x-sandbox-name': SANDBOX };

let stack: Stack;
let seeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  seeded = await seedFlows(await platform(stack.emulator.url, DEMO_ORG, SANDBOX, 'id-arguments-test'), {
    flows: 1,
    schemas: 1,
  });
});
afterAll(() => stack.stop());
afterEach(() => stack.control('DELETE', '/__emulator/faults'));

/** The upstream requests the API made (IMS token requests aside). */
async function platformRequests(): Promise<Record<string, number>> {
  return routeCounts((await stack.requests()).filter((e) => e.path.startsWith('/data/')));
}

async function ask(query: string) {
  await stack.clearRequests();
  const res = await stack.gql(query, {}, HEADERS);
  return { res, requests: await platformRequests() };
}

const MALFORMED: Array<[string, string, RegExp]> = [
  ['flow(id: "") { id }', 'id', /must not be empty/],
  [`flow(id: "${'a'.repeat(1025)}") { id }`, 'id', /1025 characters long; at most 1024/],
  ['flow(id: "../connections") { id }', 'id', /not a Platform id/],
  ['flowRun(id: "a b") { id }', 'id', /not a Platform id/],
  ['flowRuns(flowId: "") { nodes { id } }', 'flowId', /must not be empty/],
  ['baseConnection(id: "x?y=1") { id }', 'id', /not a Platform id/],
  ['sourceConnection(id: "") { id }', 'id', /must not be empty/],
  ['targetConnection(id: "%2e%2e") { id }', 'id', /not a Platform id/],
  ['connectionSpec(id: "") { id }', 'id', /must not be empty/],
  ['flowSpec(id: "a/b") { id }', 'id', /not a Platform id/],
  ['dataset(id: "a,b") { id }', 'id', /not a Platform id/],
  ['batch(id: "") { id }', 'id', /must not be empty/],
  ['schema(id: "https://ns.adobe.com/x/schemas/1?x") { title }', 'id', /not a Platform id/],
  ['mappingSet(id: "abc@x") { id }', 'id', /not a Platform id/],
  ['testBaseConnection(id: "") { reachable }', 'id', /must not be empty/],
];

describe('malformed id arguments', () => {
  it.each(MALFORMED)(
    '%s is a BAD_USER_INPUT naming the argument, with no upstream request',
    async (field, arg, reason) => {
      const { res, requests } = await ask(`{ ${field} }`);
      expect(res.errors).toHaveLength(1);
      const [error] = res.errors!;
      expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: arg });
      expect(error!.message).toMatch(new RegExp(`^${arg}: `));
      expect(error!.message).toMatch(reason);
      expect(error!.path).toEqual([field.split('(')[0]]);
      expect(requests).toEqual({});
    },
  );

  it('lets well-formed ids through: a schema $id, an altId and a versioned mapping set id', async () => {
    const schemaId = seeded.schemaIds[0]!;
    const altId = `_${schemaId.split('/')[3]}.schemas.${schemaId.split('/').at(-1)}`;
    const mappingSetId = seeded.flows[0]!.mappingSetId;
    const { res } = await ask(
      `{ a: schema(id: "${schemaId}") { id } b: schema(id: "${altId}") { id } m: mappingSet(id: "${mappingSetId}@0") { version } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: { id: schemaId }, b: { id: schemaId }, m: { version: 0 } });
  });
});

describe('flowRuns of a flow that does not exist', () => {
  it('is a NOT_FOUND at the field, after one run list and one flow multi-get', async () => {
    const { res, requests } = await ask('{ flowRuns(flowId: "nope") { nodes { id } } }');
    expect(res.data).toEqual({ flowRuns: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['flowRuns'],
        message: 'flowId: no dataflow has the id "nope" in this sandbox',
        extensions: expect.objectContaining({ code: 'NOT_FOUND', field: 'flowId' }),
      }),
    ]);
    expect(requests).toEqual({ 'GET flowService/runs': 1, 'GET flowService/flows': 1 });
  });

  it('answers an empty list for an existing flow with no runs', async () => {
    const { res, requests } = await ask(`{ flowRuns(flowId: "${seeded.flows[0]!.id}") { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ flowRuns: { nodes: [] } });
    expect(requests).toEqual({ 'GET flowService/runs': 1, 'GET flowService/flows': 1 });
  });
});

describe('upstream failures', () => {
  const fault = (f: Record<string, unknown>) => stack.control('POST', '/__emulator/faults', { times: 10, ...f });

  it('name the service and the operation in the message, never the REST path', async () => {
    await fault({ method: 'GET', path: '^/data/foundation/flowservice/flows$', status: 500 });
    const { res } = await ask(`{ flow(id: "${seeded.flows[0]!.id}") { id } }`);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', service: 'flowService', status: 500 });
    expect(res.errors![0]!.message).toBe('flowService answered HTTP 500 to GET flows');
    expect(res.errors![0]!.message).not.toContain('/');
  });

  it('turn an unknown sandbox (FLOW-2100-404) into SANDBOX_NOT_FOUND rather than empty data', async () => {
    await fault({
      method: 'GET',
      path: '^/data/foundation/flowservice/flows$',
      status: 404,
      body: { type: 'https://ns.adobe.com/aep/errors/FLOW-2100-404', title: 'Sandbox not found', status: 404 },
    });
    const { res } = await ask('{ flows { nodes { id } } }');
    expect(res.data).toEqual({ flows: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['flows'],
        message: 'flowService does not know the sandbox of this request (x-sandbox-name)',
        extensions: expect.objectContaining({ code: 'SANDBOX_NOT_FOUND', service: 'flowService' }),
      }),
    ]);
  });
});
