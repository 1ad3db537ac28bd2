import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createHttpApiDataflow, jane, xdmMessage, type HttpApiDataflow } from './httpApiDataflow.ts';

let t: TestEmulator;
let call: Call;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

beforeEach(async () => {
  t.emu.reset();
  call = await t.platform();
});

const batchesOf = async (dataSetId: string) =>
  (await call('GET', '/data/foundation/catalog/batches', { query: { dataSet: dataSetId, limit: '100' } }))
    .body as Record<string, any>;

describe('the HTTP API streaming tutorial', () => {
  it('streams a record into the dataset, where it shows up as a Catalog batch', async () => {
    const flow = await createHttpApiDataflow(call);
    expect(flow.inletId).toMatch(/^[0-9a-f]{64}$/);
    expect(flow.inletUrl).toBe(`${t.url}/collection/${flow.inletId}`);

    const res = await t.raw('POST', flow.inletPath, { body: xdmMessage(flow, jane) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      inletId: flow.inletId,
      xactionId: expect.stringMatching(/^\d{13}:\d+:\d+$/),
      receivedTimeMs: expect.any(Number),
      syncValidation: { skipped: true },
    });

    const batches = Object.values(await batchesOf(flow.dataSetId));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({
      status: 'success',
      recordCount: 1,
      failedRecordCount: 0,
      relatedObjects: [{ type: 'dataSet', id: flow.dataSetId }],
      tags: { flowId: [flow.flowId] },
    });
    const log = await t.requests();
    expect(log.at(-2)).toMatchObject({
      method: 'POST',
      path: flow.inletPath,
      status: 200,
      org: DOC_ORG,
      sandbox: 'prod',
    });
  });

  it('accepts a message without imsOrgId and flowId, as older tutorials send it', async () => {
    const flow = await createHttpApiDataflow(call);
    const message = xdmMessage(flow, jane);
    delete (message.header as Record<string, unknown>)['imsOrgId'];
    delete (message.header as Record<string, unknown>)['flowId'];
    const res = await t.raw('POST', flow.inletPath, { body: message });
    expect(res.status).toBe(200);
    expect(Object.values(await batchesOf(flow.dataSetId))[0]).toMatchObject({
      recordCount: 1,
      tags: { flowId: [flow.flowId] },
    });
  });

  it('accepts an invalid record in async mode and fails it in its Catalog batch', async () => {
    const flow = await createHttpApiDataflow(call);
    const res = await t.raw('POST', flow.inletPath, { body: xdmMessage(flow, { ...jane, shoeSize: 42 }) });
    expect(res.status).toBe(200);
    const [batch] = Object.values(await batchesOf(flow.dataSetId));
    expect(batch).toMatchObject({ status: 'failed', recordCount: 0, failedRecordCount: 1 });
    expect(batch.errors).toEqual([
      { code: 'XDM_VALIDATION_FAILED', rows: ['1'], description: '#: extraneous key [shoeSize] is not permitted' },
    ]);
  });
});

describe('envelope checks of the single-message route', () => {
  let flow: HttpApiDataflow;
  beforeEach(async () => {
    flow = await createHttpApiDataflow(call);
  });

  it('answers 404 with a DCS problem for an unknown inlet', async () => {
    const res = await t.raw('POST', `/collection/${'0'.repeat(64)}`, { body: xdmMessage(flow, jane) });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ type: expect.stringContaining('data-collection-service'), status: 404 });
  });

  it('rejects a message without xdmMeta.schemaRef as unknown xdm format', async () => {
    const message = xdmMessage(flow, jane) as any;
    delete message.body.xdmMeta;
    const res = await t.raw('POST', flow.inletPath, { body: message });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet',
      status: 400,
      title: 'Invalid XDM Message Format',
      report: { message: `inletId: [${flow.inletId}] imsOrgId: [${DOC_ORG}] Message has unknown xdm format` },
    });
  });

  it('rejects an imsOrgId other than the inlet org', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      body: xdmMessage(flow, jane, { imsOrgId: 'OTHER0000000000000000000@AdobeOrg' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.report.message).toContain('Message has an absent or wrong ims org in the header');
  });

  it('rejects a dataset that does not exist and one whose schema is not the message schema', async () => {
    const unknown = await t.raw('POST', flow.inletPath, {
      body: xdmMessage(flow, jane, { datasetId: 'ffffffffffffffffffffffff' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.report.message).toContain('Dataset [ffffffffffffffffffffffff] does not exist');
    const other = await t.raw('POST', flow.inletPath, {
      body: xdmMessage(flow, jane, {
        schemaRef: {
          id: 'https://ns.adobe.com/xdm/context/profile',
          contentType: 'application/vnd.adobe.xed-full+json;version=1',
        },
      }),
    });
    expect(other.status).toBe(400);
    expect(other.body.report.message).toContain('does not match the schema');
  });

  it('rejects a flowId that does not run on this inlet', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      body: xdmMessage(flow, jane, { flowId: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.report.message).toContain('does not belong to this inlet');
    expect(await batchesOf(flow.dataSetId)).toEqual({});
  });

  it('answers 413 for a payload over 1 MB and lands nothing', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      body: xdmMessage(flow, { ...jane, _id: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
    expect(await batchesOf(flow.dataSetId)).toEqual({});
  });

  it('passes an injected 503 through and lands nothing', async () => {
    await fetch(`${t.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '^/collection/', status: 503 }),
    });
    const res = await t.raw('POST', flow.inletPath, { body: xdmMessage(flow, jane) });
    expect(res.status).toBe(503);
    expect(await batchesOf(flow.dataSetId)).toEqual({});
  });
});

describe('syncValidation=true', () => {
  let flow: HttpApiDataflow;
  beforeEach(async () => {
    flow = await createHttpApiDataflow(call);
  });

  it('answers status pass for a valid record and lands it', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      query: { syncValidation: 'true' },
      body: xdmMessage(flow, jane),
    });
    expect(res.status).toBe(200);
    expect(res.body.syncValidation).toEqual({ status: 'pass' });
    expect(Object.values(await batchesOf(flow.dataSetId))[0]).toMatchObject({ status: 'success', recordCount: 1 });
  });

  it('answers 400 with the _streamingValidation report and lands nothing', async () => {
    const entity = {
      _id: 1234,
      person: { gender: 'robot', birthDate: '14/03/1969' },
      personalEmail: { address: 'not-an-email' },
      workEmail: { address: 'jane@example.com' },
    };
    const res = await t.raw('POST', flow.inletPath, {
      query: { syncValidation: 'true' },
      body: xdmMessage(flow, entity),
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet',
      status: 400,
      title: 'Invalid XDM Message Format',
      report: {
        message: `inletId: [${flow.inletId}] imsOrgId: [${DOC_ORG}] Message is invalid`,
        cause: {
          _streamingValidation: [
            {
              schemaLocation: '#',
              pointerToViolation: '#',
              causingExceptions: [
                {
                  schemaLocation: '#/properties/_id',
                  pointerToViolation: '#/_id',
                  causingExceptions: [],
                  keyword: 'type',
                  message: 'expected type: String, found: Integer',
                },
                {
                  schemaLocation: '#/properties/person/properties/gender',
                  pointerToViolation: '#/person/gender',
                  causingExceptions: [],
                  keyword: 'enum',
                  message: 'robot is not a valid enum value',
                },
                {
                  schemaLocation: '#/properties/person/properties/birthDate',
                  pointerToViolation: '#/person/birthDate',
                  causingExceptions: [],
                  keyword: 'format',
                  message: '[14/03/1969] is not a valid date',
                },
                {
                  schemaLocation: '#/properties/personalEmail/properties/address',
                  pointerToViolation: '#/personalEmail/address',
                  causingExceptions: [],
                  keyword: 'format',
                  message: '[not-an-email] is not a valid email address',
                },
                {
                  schemaLocation: '#',
                  pointerToViolation: '#',
                  causingExceptions: [],
                  keyword: 'additionalProperties',
                  message: 'extraneous key [workEmail] is not permitted',
                },
              ],
              message: '5 schema violations found',
            },
          ],
        },
      },
    });
    expect(await batchesOf(flow.dataSetId)).toEqual({});
  });

  it('stops after five violations', async () => {
    const entity = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`extra${i}`, i]));
    const res = await t.raw('POST', flow.inletPath, {
      query: { syncValidation: 'true' },
      body: xdmMessage(flow, entity),
    });
    const report = res.body.report.cause._streamingValidation[0];
    expect(report.causingExceptions).toHaveLength(5);
    expect(report.message).toBe('5 schema violations found');
  });

  it('reports the required keys of the schema class', async () => {
    const events = await createHttpApiDataflow(call, { events: true });
    const missing = await t.raw('POST', events.inletPath, {
      query: { syncValidation: 'true' },
      body: xdmMessage(events, { web: { webPageDetails: { name: 'home' } } }),
    });
    expect(missing.status).toBe(400);
    expect(
      missing.body.report.cause._streamingValidation[0].causingExceptions.map((e: any) => [e.keyword, e.message]),
    ).toEqual([
      ['required', 'required key [_id] not found'],
      ['required', 'required key [timestamp] not found'],
    ]);
    const complete = await t.raw('POST', events.inletPath, {
      query: { syncValidation: 'true' },
      body: xdmMessage(events, {
        _id: 'e1',
        timestamp: '2019-02-23T22:07:01Z',
        web: { webPageDetails: { name: 'home' } },
      }),
    });
    expect(complete.status).toBe(200);
  });

  it('allows 60 sync requests per minute per inlet, then answers 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      statuses.push(
        (await t.raw('POST', flow.inletPath, { query: { syncValidation: 'true' }, body: xdmMessage(flow, jane) }))
          .status,
      );
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    const async = await t.raw('POST', flow.inletPath, { body: xdmMessage(flow, jane) });
    expect(async.status).toBe(200);
  });
});

describe('authenticated inlets', () => {
  let flow: HttpApiDataflow;
  beforeEach(async () => {
    flow = await createHttpApiDataflow(call, { authenticationRequired: true });
  });

  it('answers 401 with a string status when the token is missing', async () => {
    const res = await t.raw('POST', flow.inletPath, { body: xdmMessage(flow, jane) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      type: 'https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization',
      status: '401',
      title: 'Authorization',
      report: { message: `[${res.headers.get('x-request-id')}] Ims service token is empty` },
    });
  });

  it('answers 403 for a token the emulator did not issue', async () => {
    const res = await t.raw('POST', flow.inletPath, {
      body: xdmMessage(flow, jane),
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(res.status).toBe(403);
    expect(res.body.status).toBe('403');
  });

  it('accepts a live IMS token', async () => {
    const token = await t.token();
    const res = await t.raw('POST', flow.inletPath, {
      body: xdmMessage(flow, jane),
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(Object.values(await batchesOf(flow.dataSetId))).toHaveLength(1);
  });
});
