import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  CreateDataflowDocument,
  DashboardDocument,
  DeleteDataflowDocument,
  DisableDataflowDocument,
  EnableDataflowDocument,
  FleetDocument,
  FlowByIdDocument,
  GraphQLResponseError,
  request,
  RunDataflowDocument,
  UpdateDataflowDocument,
  type CreateDataflowInput,
  type CreateDataflowMutation,
  type DashboardQuery,
  type DataflowStepStatus,
  type DeleteDataflowMutation,
  type FlowByIdQuery,
  type FlowByIdQueryVariables,
  type FlowHealth,
  type FlowState,
  type RunDataflowMutation,
  type UpdateDataflowMutation,
  type UserErrorCode,
} from 'ingestion-graph/client';
import { startStack, type Stack } from './harness.ts';
import { finishRuns, platform, seedFlows, type Platform, type SeededOrg } from './platform.ts';
import { examples, readme } from './readmeExamples.ts';

const ORG = 'CLIENT00000000000000000A@AdobeOrg';

let stack: Stack;
let p: Platform;
let seeded: SeededOrg;

beforeAll(async () => {
  stack = await startStack();
  p = await platform(stack.emulator.url, ORG);
  seeded = await seedFlows(p, { flows: 3, runs: true, descriptionOf: () => '[emulator:succeed]' });
  await finishRuns(p, (method, path, body) => stack.control(method, path, body));
});
afterAll(() => stack.stop());

describe('the typed client (ingestion-graph/client)', () => {
  it.each(['Dashboard', 'Fleet'])('is generated from the README’s %s example, unchanged', (name) => {
    const operation = readFileSync(new URL(`../client/operations/${name}.graphql`, import.meta.url), 'utf8');
    expect(examples(readme).find((e) => e.name === name)?.query).toBe(operation);
  });

  it('runs the Dashboard document and answers with the seeded flows, typed by the document', async () => {
    const data = await request(stack.api.url, DashboardDocument, {}, { headers: p.headers });
    expectTypeOf(data).toEqualTypeOf<DashboardQuery>();
    // a field that can fail upstream is nullable in the schema, so in the answer's type too
    expectTypeOf(data.flows).toBeNullable();
    const flows = data.flows!;
    expectTypeOf(flows.nodes).items.toHaveProperty('health').toEqualTypeOf<FlowHealth>();
    expectTypeOf(flows.nodes).items.toHaveProperty('lastRun').exclude<null>().toHaveProperty('status');

    expect(flows.totalCount).toBe(3);
    expect(flows.pageInfo.hasNextPage).toBe(false);
    const byId = new Map(seeded.flows.map((f) => [f.id, f]));
    expect(new Set(flows.nodes.map((n) => n.id))).toEqual(new Set(byId.keys()));
    for (const node of flows.nodes) {
      const flow = byId.get(node.id)!;
      expect(node.name).toBe(flow.name);
      expect(node.flowSpec?.name).toBe('CloudStorageToAEP');
      expect(node.sourceConnections?.map((s) => s.baseConnection?.connectionSpec?.name)).toEqual(['amazon-s3']);
      expect(node.targetConnections?.map((t) => [t.dataset?.id, t.dataset?.schema?.id])).toEqual([
        [flow.datasetId, flow.schemaId],
      ]);
      expect(node.mappingSet?.id).toBe(`${flow.mappingSetId}@0`);
      expect(node.lastRun?.status).toBe('SUCCESS');
      expect(node.health).toBe('HEALTHY');
    }
  });

  it('sends the variables of a document that declares them', async () => {
    const flow = seeded.flows[0]!;
    const variables: FlowByIdQueryVariables = { id: flow.id };
    const data = await request(stack.api.url, FlowByIdDocument, variables, { headers: p.headers });
    expectTypeOf(data).toEqualTypeOf<FlowByIdQuery>();
    expectTypeOf<FlowByIdQueryVariables>().toEqualTypeOf<{ id: string }>();
    expect(data.flow).toMatchObject({
      id: flow.id,
      name: flow.name,
      health: 'HEALTHY',
      lastRun: { status: 'SUCCESS' },
    });
  });

  it('runs the Fleet document over the same org', async () => {
    const data = await request(stack.api.url, FleetDocument, undefined, { headers: p.headers });
    expect(data.fleetHealth?.total).toBe(3);
    expect(data.fleetHealth?.byHealth).toContainEqual({ health: 'HEALTHY', count: 3 });
    expect(data.failing?.nodes.map((n) => n.consecutiveFailures)).toEqual([0, 0, 0]);
  });

  it('throws a GraphQLResponseError with the answer’s errors when the API refuses the caller', async () => {
    const refused = request(stack.api.url, DashboardDocument, undefined, {
      headers: { ...p.headers, authorization: 'Bearer not-a-token' },
    });
    await expect(refused).rejects.toBeInstanceOf(GraphQLResponseError);
    const error = (await refused.catch((e: unknown) => e)) as GraphQLResponseError;
    expect(error.code).toBe('GRAPHQL_RESPONSE_ERROR');
    expect(error.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(error.message).not.toContain('not-a-token');
  });

  it('serves Apollo Client, which types the answer from the same document', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: stack.api.url, headers: p.headers }),
      cache: new InMemoryCache(),
    });
    const flow = seeded.flows[1]!;
    const { data } = await client.query({ query: FlowByIdDocument, variables: { id: flow.id } });
    expectTypeOf(data).toEqualTypeOf<FlowByIdQuery | undefined>();
    expect(data?.flow?.id).toBe(flow.id);
    expect(data?.flow?.name).toBe(flow.name);
  });
});

describe('the typed client’s mutations, against the real stack', () => {
  const input = (name: string): CreateDataflowInput => ({
    name,
    idempotencyKey: `client-${name}`,
    source: { baseConnectionId: seeded.baseConnectionIds[0]!, format: 'DELIMITED', path: '/seeded/' },
    target: { newDataset: { schemaId: seeded.schemaIds[0]!, datasetName: `${name} dataset` } },
    schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'ONCE' },
  });

  it('creates, updates, disables, enables, runs and deletes a dataflow, each answer typed by its document', async () => {
    await stack.clearRequests();
    const created = (
      await request(stack.api.url, CreateDataflowDocument, { input: input('Typed') }, { headers: p.headers })
    ).createDataflow!;
    expectTypeOf(created).toEqualTypeOf<NonNullable<CreateDataflowMutation['createDataflow']>>();
    expectTypeOf(created.userErrors).items.toHaveProperty('code').toEqualTypeOf<UserErrorCode>();
    expectTypeOf(created.steps).items.toHaveProperty('status').toEqualTypeOf<DataflowStepStatus>();
    expectTypeOf(created.flow).exclude<null>().toHaveProperty('state').toEqualTypeOf<FlowState>();
    expect(created.userErrors).toEqual([]);
    expect(created.replayed).toBe(false);
    const flow = created.flow!;
    expect(flow).toMatchObject({ name: 'Typed', state: 'ENABLED', schedule: { frequency: 'ONCE', interval: null } });
    expect(created.dataset?.name).toBe('Typed dataset');
    expect(created.targetSchema?.id).toBe(seeded.schemaIds[0]);
    expect(created.steps.find((s) => s.name === 'flow')).toMatchObject({ status: 'DONE', resourceId: flow.id });
    const posts = (await stack.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/flowservice/flows'));
    expect(posts).toHaveLength(1);

    const updated = (
      await request(
        stack.api.url,
        UpdateDataflowDocument,
        { input: { id: flow.id, etag: flow.etag, name: 'Typed, renamed', description: 'renamed by the typed client' } },
        { headers: p.headers },
      )
    ).updateDataflow!;
    expectTypeOf(updated).toEqualTypeOf<NonNullable<UpdateDataflowMutation['updateDataflow']>>();
    expect(updated.userErrors).toEqual([]);
    expect(updated.flow).toMatchObject({
      id: flow.id,
      name: 'Typed, renamed',
      description: 'renamed by the typed client',
    });
    expect(updated.flow!.etag).not.toBe(flow.etag);
    const stale = (
      await request(
        stack.api.url,
        UpdateDataflowDocument,
        { input: { id: flow.id, etag: flow.etag, name: 'Lost' } },
        { headers: p.headers },
      )
    ).updateDataflow!;
    expect(stale).toEqual({
      flow: null,
      userErrors: [{ field: ['input', 'etag'], code: 'STALE_ETAG', message: expect.any(String) }],
    });

    const disabled = (
      await request(stack.api.url, DisableDataflowDocument, { input: { id: flow.id } }, { headers: p.headers })
    ).disableDataflow!;
    expect(disabled.userErrors).toEqual([]);
    expect(disabled.flow?.state).toBe('DISABLED');
    const enabled = (
      await request(stack.api.url, EnableDataflowDocument, { input: { id: flow.id } }, { headers: p.headers })
    ).enableDataflow!;
    expectTypeOf(enabled.flow).exclude<null>().toHaveProperty('state').toEqualTypeOf<FlowState>();
    expect(enabled).toMatchObject({ userErrors: [], flow: { id: flow.id, state: 'ENABLED' } });

    const ran = (await request(stack.api.url, RunDataflowDocument, { input: { id: flow.id } }, { headers: p.headers }))
      .runDataflow!;
    expectTypeOf(ran.run).toEqualTypeOf<NonNullable<RunDataflowMutation['runDataflow']>['run']>();
    expect(ran.userErrors).toEqual([]);
    expect(ran.run).toMatchObject({ id: expect.any(String), windowEnd: expect.any(String) });

    const deleted = (
      await request(
        stack.api.url,
        DeleteDataflowDocument,
        { input: { id: flow.id, deleteCreatedResources: true } },
        { headers: p.headers },
      )
    ).deleteDataflow!;
    expectTypeOf(deleted).toEqualTypeOf<NonNullable<DeleteDataflowMutation['deleteDataflow']>>();
    expect(deleted.userErrors).toEqual([]);
    expect(deleted.deletedFlowId).toBe(flow.id);
    expect(deleted.steps.find((s) => s.name === 'flow')).toMatchObject({ status: 'DONE', resourceId: flow.id });
    const again = (
      await request(stack.api.url, DeleteDataflowDocument, { input: { id: flow.id } }, { headers: p.headers })
    ).deleteDataflow!;
    expect(again.deletedFlowId).toBeNull();
    expect(again.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })]);
  });

  it('answers a rejected input as typed user errors, writing nothing', async () => {
    await stack.clearRequests();
    const bad = { ...input('Rejected'), source: { baseConnectionId: 'not an id', path: '/seeded/' } };
    const out = (await request(stack.api.url, CreateDataflowDocument, { input: bad }, { headers: p.headers }))
      .createDataflow!;
    expect(out).toMatchObject({ flow: null, dataset: null, steps: [], replayed: false });
    expect(out.userErrors).toEqual([
      {
        field: ['input', 'source', 'baseConnectionId'],
        code: 'INVALID',
        message: expect.stringMatching(/^baseConnectionId /),
      },
    ]);
    expect((await stack.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

/** Never called: the compiler (`npm run typecheck`) checks what a caller may and may not write. */
export function typedCallsOnly(url: string) {
  // @ts-expect-error FlowById declares $id: its variables are required
  void request(url, FlowByIdDocument);
  // @ts-expect-error $id is an ID, a string
  void request(url, FlowByIdDocument, { id: 1 });
  // @ts-expect-error a mutation's input is required
  void request(url, EnableDataflowDocument, {});
  // @ts-expect-error windowStart is a DateTime, a string
  void request(url, RunDataflowDocument, { input: { id: 'x', windowStart: 1 } });
  void request(url, CreateDataflowDocument, {
    input: {
      name: 'n',
      source: { baseConnectionId: 'b' },
      target: { existingDataset: { datasetId: 'd' } },
      // @ts-expect-error frequency is a ScheduleFrequency, not any string
      schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'FORTNIGHT' },
    },
  });
  void request(url, DashboardDocument).then((d) => {
    // @ts-expect-error Dashboard does not select a flow's description
    void d.flows?.nodes[0]?.description;
  });
}
