import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, DEMO_SANDBOX } from '../../../src/emulator/seed/demo.ts';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';

const FLOW = '/data/foundation/flowservice';
const XED_V1 = 'application/vnd.adobe.xed+json; version=1';

let t: TestEmulator;
let call: Call;
let flows: any[];

/** Every item of a Flow Service collection, following `_links.next`. */
async function listAll(path: string): Promise<any[]> {
  const items: any[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const res: { status: number; body: any } = await call('GET', next.startsWith('/data') ? next : `${FLOW}${next}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    next = res.body._links?.next?.href;
  }
  return items;
}

beforeAll(async () => {
  t = await startTestEmulator({ demo: true });
  call = await t.platform({ org: DEMO_ORG, sandbox: DEMO_SANDBOX });
  flows = await listAll(`${FLOW}/flows`);
});
afterAll(() => t.stop());

describe('demo data', () => {
  it('has at least 30 dataflows, some disabled, some whose last run failed, some streaming and one never run', () => {
    expect(flows.length).toBeGreaterThanOrEqual(30);
    expect(flows.filter((f) => f.state === 'disabled').length).toBeGreaterThanOrEqual(2);
    expect(flows.filter((f) => f.lastRunDetails?.state === 'failed').length).toBeGreaterThanOrEqual(2);
    expect(flows.filter((f) => f.lastRunDetails?.state === 'success').length).toBeGreaterThanOrEqual(10);
    expect(flows.filter((f) => f.scheduleParams === undefined).length).toBeGreaterThanOrEqual(2);
    const nowS = Date.now() / 1000;
    expect(
      flows.some(
        (f) =>
          f.scheduleParams !== undefined && Number(f.scheduleParams.startTime) > nowS && f.lastRunDetails === undefined,
      ),
    ).toBe(true);
  });

  it('resolves every reference of every flow through the REST routes', async () => {
    for (const flow of flows) {
      const [sourceId] = flow.sourceConnectionIds;
      const [targetId] = flow.targetConnectionIds;
      const source = await call('GET', `${FLOW}/sourceConnections/${sourceId}`);
      expect(source.status, flow.name).toBe(200);
      const base = await call('GET', `${FLOW}/connections/${source.body.items[0].baseConnectionId}`);
      expect(base.status, flow.name).toBe(200);
      expect(base.body.items[0].connectionSpec.id).toBe(source.body.items[0].connectionSpec.id);
      const target = await call('GET', `${FLOW}/targetConnections/${targetId}`);
      expect(target.status, flow.name).toBe(200);
      const { dataSetId } = target.body.items[0].params;
      const dataSet = await call('GET', `/data/foundation/catalog/dataSets/${dataSetId}`);
      expect(dataSet.status, flow.name).toBe(200);
      const schemaId: string = dataSet.body[dataSetId].schemaRef.id;
      expect(target.body.items[0].data.schema.id).toBe(schemaId);
      const schema = await call(
        'GET',
        `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(schemaId)}`,
        { headers: { accept: XED_V1 } },
      );
      expect(schema.status, flow.name).toBe(200);
      for (const transformation of flow.transformations.filter((x: any) => x.name === 'Mapping')) {
        const mapping = await call('GET', `/data/foundation/conversion/mappingSets/${transformation.params.mappingId}`);
        expect(mapping.status, flow.name).toBe(200);
        expect(mapping.body.outputSchema.schemaRef.id).toBe(schemaId);
        const verdict = await call('POST', '/data/foundation/conversion/mappingSets/validate', { body: mapping.body });
        expect(verdict.status, flow.name).toBe(200);
        expect(
          verdict.body.validationResponse.every((v: any) => v.status === 'SUCCESS'),
          flow.name,
        ).toBe(true);
      }
    }
  });

  it("has run history whose newest runs are the flows' lastRunDetails and whose batches exist in Catalog", async () => {
    const failing = flows.find((f) => f.lastRunDetails?.state === 'failed')!;
    const succeeding = flows.find((f) => f.lastRunDetails?.state === 'success' && f.state === 'enabled')!;
    for (const flow of [failing, succeeding]) {
      const runs = await listAll(`${FLOW}/runs?property=flowId==${flow.id}`);
      expect(runs.length).toBeGreaterThan(1);
      const last = runs.find((r) => r.id === flow.lastRunDetails.id);
      expect(last.metrics.statusSummary.status).toBe(flow.lastRunDetails.state);
      expect(last.metrics.durationSummary.completedAtUTC).toBe(flow.lastRunDetails.completedAtUTC);
    }
    const runs = await listAll(`${FLOW}/runs?property=flowId==${succeeding.id}`);
    const batchId = runs.find((r) => r.metrics.statusSummary.status === 'success').activities[1].targetInfo[0].reference
      .ids[0];
    const batch = await call('GET', `/data/foundation/catalog/batches/${batchId}`);
    expect(batch.status).toBe(200);
    expect(batch.body[batchId].status).toBe('success');
  });

  it('registers a working inlet for each HTTP API streaming connection', async () => {
    const connections = await listAll(`${FLOW}/connections`);
    const streaming = connections.filter((c) => c.connectionSpec.id === 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb');
    expect(streaming.length).toBeGreaterThanOrEqual(2);
    for (const conn of streaming) {
      expect(conn.auth.params.inletId).toMatch(/^[0-9a-f]{64}$/);
      expect(t.emu.runtime.store.inlets.get(conn.auth.params.inletId)?.connectionId).toBe(conn.id);
    }
  });

  it('stays out of other organisations', async () => {
    const other = await t.platform();
    const res = await other('GET', `${FLOW}/flows`, { query: { count: 'true' } });
    expect(res.body).toEqual({ count: 0 });
  });
});
