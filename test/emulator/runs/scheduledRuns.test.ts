import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { tickRuns } from '../../../src/emulator/runs/scheduler.ts';
import { createDataflowParts, createFlow, isFinished, runsOf, type DataflowParts } from './dataflowFixture.ts';

const HOUR_S = 3600;
const RUN_ERROR_CODES = ['CONNECTOR-2001-500', 'INGEST-1212-400', 'MAPPER-3700-400'];

let t: TestEmulator;
let call: Call;
let parts: DataflowParts;

beforeEach(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  parts = await createDataflowParts(call);
});
afterEach(() => t.stop());

const nowS = () => Math.floor(t.emu.runtime.clock.now() / 1000);
/** Moves emulated time forward and runs one scheduler tick, as the background scheduler would. */
const advance = (hours: number) => {
  t.emu.runtime.clock.advance(hours * HOUR_S * 1000);
  tickRuns(t.emu.runtime);
};
const byStart = (a: any, b: any) => a.metrics.durationSummary.startedAtUTC - b.metrics.durationSummary.startedAtUTC;

describe('scheduled runs', () => {
  it('backfills an hourly flow that started five hours ago and completes each run with metrics and a Catalog batch', async () => {
    const startTime = nowS() - 5 * HOUR_S;
    const { flowId, dataSetId, targetConnectionId } = await createFlow(call, parts, {
      scheduleParams: { startTime, frequency: 'hour', interval: 1 },
    });
    // an hour on, the six slots up to creation have run (no run lasts over 40 minutes) and a seventh has started
    advance(1);
    const all = (await runsOf(call, flowId)).sort(byStart);
    expect(all).toHaveLength(7);
    const runs = all.slice(0, 6);
    expect(runs.every(isFinished)).toBe(true);

    expect(runs.map((r) => Number(r.params.windowEndTime))).toEqual(
      [0, 1, 2, 3, 4, 5].map((k) => startTime + k * HOUR_S),
    );
    for (const run of runs) {
      expect(run.flowId).toBe(flowId);
      expect(run.etag).toMatch(/^".+"$/);
      expect(run.activities.map((a: any) => a.name)).toEqual(['Copy Activity', 'Promotion Activity']);
      const { durationSummary, recordSummary, statusSummary } = run.metrics;
      expect(durationSummary.completedAtUTC).toBeGreaterThan(durationSummary.startedAtUTC);
      const batchIds: string[] = run.activities[1].targetInfo[0].reference.ids;
      expect(run.activities[1].targetInfo[0].id).toBe(targetConnectionId);
      if (statusSummary.status === 'success') {
        expect(recordSummary.inputRecordCount).toBeGreaterThan(0);
        expect(recordSummary.outputRecordCount).toBe(recordSummary.inputRecordCount - recordSummary.failedRecordCount);
        expect(batchIds).toHaveLength(1);
        const batch = await call('GET', `/data/foundation/catalog/batches/${batchIds[0]}`);
        expect(batch.status).toBe(200);
        const record = batch.body[batchIds[0]!];
        expect(record.status).toBe('success');
        expect(record.recordCount).toBe(recordSummary.outputRecordCount);
        expect(record.relatedObjects).toContainEqual(expect.objectContaining({ type: 'dataSet', id: dataSetId }));
      } else {
        expect(RUN_ERROR_CODES).toContain(statusSummary.errors[0].code);
      }
    }

    const flow = (await call('GET', `/data/foundation/flowservice/flows/${flowId}`)).body.items[0];
    const newest = (await runsOf(call, flowId)).filter(isFinished).sort(byStart).at(-1);
    expect(flow.lastRunDetails).toEqual({
      id: newest.id,
      state: newest.metrics.statusSummary.status,
      startedAtUTC: newest.metrics.durationSummary.startedAtUTC,
      completedAtUTC: newest.metrics.durationSummary.completedAtUTC,
    });
  });

  it('fails every run of a flow marked [emulator:fail] with a documented error code and a failed lastRunDetails', async () => {
    const { flowId, dataSetId } = await createFlow(call, parts, {
      description: 'Always broken [emulator:fail]',
      scheduleParams: { startTime: nowS() - 3 * HOUR_S, frequency: 'hour', interval: 1 },
    });
    advance(1);
    const runs = (await runsOf(call, flowId)).filter(isFinished);
    expect(runs).toHaveLength(4);

    for (const run of runs) {
      expect(run.metrics.statusSummary.status).toBe('failed');
      expect(RUN_ERROR_CODES).toContain(run.metrics.statusSummary.errors[0].code);
      expect(run.metrics.statusSummary.errors[0].message).not.toBe('');
    }
    const batches = (
      await call('GET', '/data/foundation/catalog/batches', { query: { dataSet: dataSetId, limit: '100' } })
    ).body;
    for (const batch of Object.values<any>(batches)) expect(batch.status).toBe('failed');
    const flow = (await call('GET', `/data/foundation/flowservice/flows/${flowId}`)).body.items[0];
    expect(flow.lastRunDetails.state).toBe('failed');
  });

  it('produces no run for a disabled flow while its enabled twin runs', async () => {
    const scheduleParams = { startTime: nowS() + HOUR_S, frequency: 'hour', interval: 1 };
    const enabled = await createFlow(call, parts, { name: 'enabled twin', scheduleParams });
    const disabled = await createFlow(call, parts, { name: 'disabled twin', scheduleParams });
    const action = await call('POST', `/data/foundation/flowservice/flows/${disabled.flowId}/action`, {
      query: { op: 'disable' },
    });
    expect(action.status).toBe(200);
    advance(4);
    expect(await runsOf(call, enabled.flowId)).toHaveLength(4);
    expect(await runsOf(call, disabled.flowId)).toEqual([]);
  });

  it('skips the slots before creation when backfill is false', async () => {
    // a second before the hour, so the newest slot is before creation too
    const startTime = nowS() - 5 * HOUR_S - 1;
    const withBackfill = await createFlow(call, parts, {
      name: 'backfill',
      scheduleParams: { startTime, frequency: 'hour', interval: 1 },
    });
    const noBackfill = await createFlow(call, parts, {
      name: 'no backfill',
      scheduleParams: { startTime, frequency: 'hour', interval: 1, backfill: false },
    });

    tickRuns(t.emu.runtime);
    expect(await runsOf(call, withBackfill.flowId)).toHaveLength(6);
    expect(await runsOf(call, noBackfill.flowId)).toEqual([]);
  });
});

describe('on-demand runs', () => {
  it('takes a run of a once flow from scheduled to a finished state', async () => {
    const start = nowS();
    const { flowId } = await createFlow(call, parts, { scheduleParams: { startTime: start, frequency: 'once' } });
    const created = await call('POST', '/data/foundation/flowservice/runs', {
      body: {
        flowId,
        params: { startTime: String(start), windowStartTime: String(start - 3600), windowEndTime: String(start) },
      },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['etag', 'id']);

    const fresh = (await call('GET', `/data/foundation/flowservice/runs/${created.body.id}`)).body.items[0];
    expect(fresh.metrics.statusSummary.status).toBe('scheduled');
    expect(fresh.params).toEqual({
      startTime: String(start),
      windowStartTime: String(start - 3600),
      windowEndTime: String(start),
    });

    advance(1);
    const done = (await call('GET', `/data/foundation/flowservice/runs/${created.body.id}`)).body.items[0];
    expect(isFinished(done)).toBe(true);
    expect(done.etag).not.toBe(created.body.etag);
    expect(done.metrics.durationSummary.completedAtUTC).toBeGreaterThan(done.metrics.durationSummary.startedAtUTC);
    const flow = (await call('GET', `/data/foundation/flowservice/flows/${flowId}`)).body.items[0];
    expect(flow.lastRunDetails.id).toBe(done.id);
  });
});
