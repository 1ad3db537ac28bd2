import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import {
  FLOW_SPEC,
  FS,
  OTHER_SCHEMA_ID,
  SPEC,
  cloudStorageChain,
  cloudStorageFlow,
  createOk,
  flowCode,
  insertTestMappingSet,
} from './fixtures.ts';

let t: TestEmulator;
let call: Call;
let chain: Awaited<ReturnType<typeof cloudStorageChain>>;

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  chain = await cloudStorageChain(t, call);
});
afterAll(() => t.stop());

const postFlow = (body: unknown) => call('POST', `${FS}/flows`, { body });

describe('POST /flows', () => {
  it('creates an enabled flow with inherited attributes, the runs link and a create lastOperation', async () => {
    const res = await postFlow(
      cloudStorageFlow(chain, { startTime: '1597784298', frequency: 'minute', interval: '15' }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${FS}/flows/${res.body.id}`);
    const flow = (await call('GET', `${FS}/flows/${res.body.id}`)).body.items[0];
    expect(flow).toMatchObject({
      state: 'enabled',
      runs: `/runs?property=flowId==${res.body.id}`,
      scheduleParams: { startTime: '1597784298', frequency: 'minute', interval: '15' },
      inheritedAttributes: {
        sourceConnections: [
          {
            id: chain.source.id,
            connectionSpec: { id: SPEC.s3 },
            baseConnection: { id: chain.base.id, connectionSpec: { id: SPEC.s3 } },
          },
        ],
        targetConnections: [{ id: chain.target.id, connectionSpec: { id: SPEC.dataLake } }],
        properties: { isSourceFlow: true },
      },
      lastOperation: { operation: 'create' },
      etag: res.body.etag,
    });
  });

  it('refuses a state in the body (FLOW-1410-400) and an unknown flow spec (FLOW-1413-400)', async () => {
    expect(flowCode((await postFlow({ ...cloudStorageFlow(chain), state: 'enabled' })).body)).toBe('FLOW-1410-400');
    expect(
      flowCode(
        (
          await postFlow({
            ...cloudStorageFlow(chain),
            flowSpec: { id: '33333333-3333-4333-8333-333333333333', version: '1.0' },
          })
        ).body,
      ),
    ).toBe('FLOW-1413-400');
  });

  it('refuses connections the flow spec does not list, naming the connection', async () => {
    const res = await postFlow({
      ...cloudStorageFlow(chain),
      flowSpec: { id: FLOW_SPEC.crm, version: '1.0' },
      transformations: [{ name: 'Copy', params: { deltaColumn: { name: 'updated' } } }],
    });
    expect(res.status).toBe(400);
    expect(flowCode(res.body)).toBe('FLOW-1413-400');
    expect(res.body.report['detailed-message']).toContain(chain.source.id);
    const swapped = await postFlow({ ...cloudStorageFlow(chain), sourceConnectionIds: [chain.target.id] });
    expect(swapped.status).toBe(400);
    expect(swapped.body.report['detailed-message']).toContain(chain.target.id);
  });

  it('checks transformation names, mapping set existence (1419), version (1412) and target schema (1425)', async () => {
    const withMapping = (params: Record<string, unknown>, name = 'Mapping') =>
      postFlow({ ...cloudStorageFlow(chain), transformations: [{ name, params }] });
    expect((await withMapping({ deltaColumn: { name: 'x' } }, 'Copy')).status).toBe(400);
    expect(
      flowCode((await withMapping({ mappingId: 'ffffffffffffffffffffffffffffffff', mappingVersion: 0 })).body),
    ).toBe('FLOW-1419-400');
    expect(flowCode((await withMapping({ mappingId: chain.mappingId, mappingVersion: 7 })).body)).toBe('FLOW-1412-400');
    const otherSchema = insertTestMappingSet(t, OTHER_SCHEMA_ID);
    expect(flowCode((await withMapping({ mappingId: otherSchema, mappingVersion: '1' })).body)).toBe('FLOW-1425-400');
    expect((await withMapping({ mappingId: chain.mappingId, mappingVersion: '1' })).status).toBe(201);
  });

  it.each([
    ['no scheduleParams', undefined, 'scheduleParams'],
    ['once with an interval', { startTime: 1597784298, frequency: 'once', interval: 15 }, 'interval'],
    ['once with backfill', { startTime: 1597784298, frequency: 'once', backfill: true }, 'backfill'],
    ['minute below 15', { startTime: 1597784298, frequency: 'minute', interval: 10 }, 'interval'],
    ['hour with interval 0', { startTime: 1597784298, frequency: 'hour', interval: 0 }, 'interval'],
    ['day without an interval', { startTime: 1597784298, frequency: 'day' }, 'interval'],
    ['an unknown frequency', { startTime: 1597784298, frequency: 'month', interval: 1 }, 'frequency'],
    ['a non-numeric startTime', { startTime: 'soon', frequency: 'once' }, 'startTime'],
    ['no startTime', { frequency: 'once' }, 'startTime'],
  ])('rejects a batch schedule with %s', async (_label, scheduleParams, field) => {
    const res = await postFlow({ ...cloudStorageFlow(chain), scheduleParams });
    expect(res.status).toBe(400);
    expect(res.body.report['detailed-message']).toContain(field);
  });

  it.each([
    ['once', { startTime: 1597784298, frequency: 'once' }],
    ['hour interval 1', { startTime: 1597784298, frequency: 'hour', interval: 1 }],
    [
      'week interval "2" with backfill "true"',
      { startTime: '1597784298', frequency: 'week', interval: '2', backfill: 'true' },
    ],
  ])('accepts a batch schedule of %s', async (_label, scheduleParams) => {
    expect((await postFlow(cloudStorageFlow(chain, scheduleParams))).status).toBe(201);
  });
});

describe('PATCH /flows/{id}', () => {
  it('patches documented paths, re-validates the schedule and records the ops in lastOperation', async () => {
    const { id, etag } = await createOk(call, 'flows', cloudStorageFlow(chain));
    const tooFrequent = await call('PATCH', `${FS}/flows/${id}`, {
      body: [{ op: 'replace', path: '/scheduleParams/interval', value: 5 }],
      headers: { 'if-match': etag },
    });
    expect(tooFrequent.status).toBe(400);
    const ops = [
      { op: 'replace', path: '/name', value: 'renamed flow' },
      { op: 'add', path: '/description', value: 'nightly' },
      { op: 'replace', path: '/scheduleParams/frequency', value: 'hour' },
      { op: 'replace', path: '/scheduleParams/interval', value: 2 },
      {
        op: 'replace',
        path: '/transformations/0',
        value: { name: 'Mapping', params: { mappingId: chain.mappingId, mappingVersion: 1 } },
      },
    ];
    const ok = await call('PATCH', `${FS}/flows/${id}`, { body: ops, headers: { 'if-match': etag } });
    expect(ok.status).toBe(200);
    expect(ok.body.etag).not.toBe(etag);
    const flow = (await call('GET', `${FS}/flows/${id}`)).body.items[0];
    expect(flow).toMatchObject({
      name: 'renamed flow',
      description: 'nightly',
      scheduleParams: { frequency: 'hour', interval: 2 },
      transformations: [{ params: { mappingVersion: 1 } }],
    });
    expect(flow.lastOperation).toMatchObject({ operation: 'update', status: { value: 'completed' }, ops });
  });

  it('refuses undocumented paths (FLOW-1455-400), missing If-Match (1403) and stale etags (1404)', async () => {
    const { id, etag } = await createOk(call, 'flows', cloudStorageFlow(chain));
    expect(
      flowCode(
        (
          await call('PATCH', `${FS}/flows/${id}`, {
            body: [{ op: 'replace', path: '/flowSpec/id', value: FLOW_SPEC.crm }],
            headers: { 'if-match': etag },
          })
        ).body,
      ),
    ).toBe('FLOW-1455-400');
    expect(
      flowCode(
        (await call('PATCH', `${FS}/flows/${id}`, { body: [{ op: 'replace', path: '/name', value: 'x' }] })).body,
      ),
    ).toBe('FLOW-1403-400');
    expect(
      (
        await call('PATCH', `${FS}/flows/${id}`, {
          body: [{ op: 'replace', path: '/name', value: 'x' }],
          headers: { 'if-match': '"stale"' },
        })
      ).status,
    ).toBe(412);
  });
});

describe('flow actions and delete', () => {
  it('disables and enables with ?op= in any case, and refuses to disable a disabled flow (FLOW-1422-400)', async () => {
    const { id, etag } = await createOk(call, 'flows', cloudStorageFlow(chain));
    const off = await call('POST', `${FS}/flows/${id}/action`, { query: { op: 'DISABLE' } });
    expect(off.status).toBe(200);
    expect(off.body.id).toBe(id);
    expect(off.body.etag).not.toBe(etag);
    expect((await call('GET', `${FS}/flows/${id}`)).body.items[0].state).toBe('disabled');
    const twice = await call('POST', `${FS}/flows/${id}/action`, { query: { op: 'disable' } });
    expect(flowCode(twice.body)).toBe('FLOW-1422-400');
    expect((await call('POST', `${FS}/flows/${id}/action`, { query: { op: 'enable', subOp: 'APPLY' } })).status).toBe(
      200,
    );
    expect((await call('GET', `${FS}/flows/${id}`)).body.items[0].state).toBe('enabled');
    expect(
      flowCode((await call('POST', `${FS}/flows/${id}/action`, { query: { op: 'enable', subOp: 'explode' } })).body),
    ).toBe('FLOW-1436-400');
  });

  it('deletes a flow with 204, after which it is 404', async () => {
    const { id } = await createOk(call, 'flows', cloudStorageFlow(chain));
    expect((await call('DELETE', `${FS}/flows/${id}`)).status).toBe(204);
    expect(flowCode((await call('GET', `${FS}/flows/${id}`)).body)).toBe('FLOW-1439-404');
  });
});

describe('streaming flows', () => {
  it('keep the scheduleParams they are sent (aepp sends some), and c1a19761 requires a Mapping', async () => {
    const { id: base } = await createOk(call, 'connections', {
      name: 'http',
      auth: { specName: 'Streaming Connection', params: { dataType: 'raw' } },
      connectionSpec: { id: SPEC.httpApi, version: '1.0' },
    });
    const { id: source } = await createOk(call, 'sourceConnections', {
      name: 'http source',
      baseConnectionId: base,
      connectionSpec: { id: SPEC.httpApi, version: '1.0' },
    });
    const streamFlow = (extra: Record<string, unknown>) => ({
      name: 's',
      flowSpec: { id: FLOW_SPEC.streamWithTransformation, version: '1.0' },
      sourceConnectionIds: [source],
      targetConnectionIds: [chain.target.id],
      ...extra,
    });
    expect((await postFlow(streamFlow({}))).body.report['detailed-message']).toContain('Mapping');
    const mapping = {
      transformations: [{ name: 'Mapping', params: { mappingId: chain.mappingId, mappingVersion: 0 } }],
    };
    const aeppSchedule = { frequency: 'minute', interval: '15' };
    const scheduled = await postFlow(streamFlow({ ...mapping, scheduleParams: aeppSchedule }));
    expect(scheduled.status).toBe(201);
    expect((await call('GET', `${FS}/flows/${scheduled.body.id}`)).body.items[0].scheduleParams).toEqual(aeppSchedule);
    const ok = await postFlow(streamFlow(mapping));
    expect(ok.status).toBe(201);
    expect((await call('GET', `${FS}/flows/${ok.body.id}`)).body.items[0].scheduleParams).toBeUndefined();
  });
});
