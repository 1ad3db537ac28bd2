import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import type { FlowDto } from '../../src/upstream/flowService/types.ts';
import { listAll, platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';

const ORG = 'HEALTH00000000000000000A@AdobeOrg';
/** Flows that ran: their scheduled runs are produced and finished by the emulator's settle control. */
const RAN_ORG = 'HEALTH00000000000000000B@AdobeOrg';
const HOUR = 3600;
const FS = '/data/foundation/flowservice';

let stack: Stack;
let demoFlows: FlowDto[];
let org: Platform;
let seeded: SeededOrg;
let ran: Platform;
let ranSeeded: SeededOrg;
const now = Math.floor(Date.now() / 1000);

/** Schedules of the seeded flows of ORG, by index; none of them has run. */
const SCHEDULES = [
  { startTime: now - 2.5 * HOUR, frequency: 'hour', interval: 1 }, // fired 3 times, never ran
  { startTime: now - 0.5 * HOUR, frequency: 'hour', interval: 1 }, // fired once
  { startTime: now + HOUR, frequency: 'hour', interval: 1 }, // not started
  { startTime: now - 24 * HOUR, frequency: 'once' }, // run-once, long due
  { startTime: now - 2.5 * HOUR, frequency: 'hour', interval: 1 }, // late, but disabled below
  { startTime: now - 1.5 * HOUR, frequency: 'hour', interval: 1 }, // fired exactly twice
];
/** Flows of RAN_ORG: the schedule's newest slot runs, with the outcome its description's marker forces. */
const RAN = [
  { schedule: { startTime: now - 0.5 * HOUR, frequency: 'hour', interval: 1 }, marker: '[emulator:succeed]' },
  { schedule: { startTime: now - 0.5 * HOUR, frequency: 'hour', interval: 1 }, marker: '[emulator:fail]' },
  { schedule: { startTime: now - 2.5 * HOUR, frequency: 'hour', interval: 1 }, marker: '[emulator:fail]' }, // disabled below
];

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  [org, ran] = await Promise.all([platform(stack.emulator.url, ORG), platform(stack.emulator.url, RAN_ORG)]);
  const demo = await platform(stack.emulator.url, DEMO_ORG);
  [demoFlows, seeded, ranSeeded] = await Promise.all([
    listAll<FlowDto>(demo, 'flows'),
    seedFlows(org, { flows: SCHEDULES.length, schemas: 1, baseConnections: 1, scheduleOf: (i) => SCHEDULES[i]! }),
    seedFlows(ran, {
      flows: RAN.length,
      schemas: 1,
      baseConnections: 1,
      scheduleOf: (i) => RAN[i]!.schedule,
      descriptionOf: (i) => RAN[i]!.marker,
    }),
  ]);
  await stack.control('POST', '/__emulator/runs/settle', { org: RAN_ORG });
  await Promise.all([
    org.call('POST', `${FS}/flows/${seeded.flows[4]!.id}/action?op=disable`),
    ran.call('POST', `${FS}/flows/${ranSeeded.flows[2]!.id}/action?op=disable`),
  ]);
});
afterAll(() => stack.stop());

const HEALTH_OF = `{ flows(first: 100) { nodes { id health nextRunAt lagSeconds sourceConnectionSpecs { id } } } }`;

async function healthOf(headers?: Record<string, string>): Promise<
  Map<
    string,
    {
      health: string;
      nextRunAt: string | null;
      lagSeconds: number | null;
      sourceConnectionSpecs: Array<{ id: string }>;
    }
  >
> {
  const res = await stack.gql(HEALTH_OF, {}, headers);
  expect(res.errors).toBeUndefined();
  return new Map(res.data.flows.nodes.map((n: { id: string }) => [n.id, n]));
}

describe('Flow.health', () => {
  it('is LATE for an enabled recurring flow whose schedule fired at least twice and that never ran', async () => {
    const health = await healthOf(org.headers);
    expect(health.get(seeded.flows[0]!.id)).toMatchObject({ health: 'LATE', lagSeconds: 2 * HOUR });
    expect(health.get(seeded.flows[5]!.id)).toMatchObject({ health: 'LATE', lagSeconds: HOUR });
  });

  it('is NEVER_RUN for an enabled flow that never ran and is not late', async () => {
    const health = await healthOf(org.headers);
    expect(health.get(seeded.flows[1]!.id)).toMatchObject({
      health: 'NEVER_RUN',
      lagSeconds: 0,
      nextRunAt: new Date((SCHEDULES[1]!.startTime + HOUR) * 1000).toISOString(),
    });
    expect(health.get(seeded.flows[2]!.id)).toMatchObject({
      health: 'NEVER_RUN',
      nextRunAt: new Date(SCHEDULES[2]!.startTime * 1000).toISOString(),
    });
    // a run-once flow is never late, however long ago it was due
    expect(health.get(seeded.flows[3]!.id)).toMatchObject({ health: 'NEVER_RUN', lagSeconds: null, nextRunAt: null });
  });

  it('is DISABLED for a disabled flow, whatever its schedule or last run', async () => {
    expect((await healthOf(org.headers)).get(seeded.flows[4]!.id)).toMatchObject({
      health: 'DISABLED',
      lagSeconds: null,
      nextRunAt: null,
    });
    const failedThenDisabled = ranSeeded.flows[2]!.id;
    expect((await healthOf(ran.headers)).get(failedThenDisabled)).toMatchObject({ health: 'DISABLED' });
    const flows = await listAll<FlowDto>(ran, 'flows');
    expect(flows.find((f) => f.id === failedThenDisabled)?.lastRunDetails?.state).toBe('failed');
    // the demo platform has a disabled flow whose last run failed, by construction
    const health = await healthOf();
    const disabled = demoFlows.filter((f) => f.state === 'disabled');
    expect(disabled.some((f) => f.lastRunDetails?.state === 'failed')).toBe(true);
    for (const f of disabled) expect(health.get(f.id)?.health).toBe('DISABLED');
  });

  it('is FAILING for every enabled flow whose last completed run failed', async () => {
    expect((await healthOf(ran.headers)).get(ranSeeded.flows[1]!.id)).toMatchObject({ health: 'FAILING' });
    const health = await healthOf();
    // the demo platform's always-failing flows are enabled
    const failed = demoFlows.filter((f) => f.state === 'enabled' && f.lastRunDetails?.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(health.get(f.id)?.health).toBe('FAILING');
  });

  it('is HEALTHY for an enabled flow whose last run succeeded within its current schedule interval', async () => {
    const flows = await listAll<FlowDto>(ran, 'flows');
    expect(flows.find((f) => f.id === ranSeeded.flows[0]!.id)?.lastRunDetails?.state).toBe('success');
    expect((await healthOf(ran.headers)).get(ranSeeded.flows[0]!.id)).toMatchObject({
      health: 'HEALTHY',
      lagSeconds: 0,
      nextRunAt: new Date((RAN[0]!.schedule.startTime + HOUR) * 1000).toISOString(),
    });
  });
});

describe('flows(filter: { health })', () => {
  it('gives exactly the flows of that health, reading only the flows whose state and last run allow it', async () => {
    for (const headers of [undefined, org.headers, ran.headers]) {
      const health = await healthOf(headers);
      for (const wanted of ['HEALTHY', 'LATE', 'FAILING', 'DISABLED', 'NEVER_RUN']) {
        await stack.clearRequests();
        const res = await stack.gql(
          `{ flows(first: 100, filter: { health: ${wanted} }) { totalCount nodes { id } } }`,
          {},
          headers,
        );
        expect(res.errors).toBeUndefined();
        const expected = [...health].filter(([, h]) => h.health === wanted).map(([id]) => id);
        expect(res.data.flows.nodes.map((n: { id: string }) => n.id).sort()).toEqual(expected.sort());
        expect(res.data.flows.totalCount).toBe(expected.length);
        const reads = (await stack.requests()).filter((r) => r.method === 'GET' && r.path === `${FS}/flows`);
        expect(reads.length).toBeGreaterThan(0);
        const pushed =
          wanted === 'DISABLED'
            ? ['state!=enabled']
            : wanted === 'FAILING'
              ? ['state==enabled', 'lastRunDetails.state==failed']
              : ['state==enabled'];
        for (const r of reads)
          for (const p of pushed) expect(new URLSearchParams(r.query).getAll('property')).toContain(p);
      }
    }
  });
});

describe('fleetHealth', () => {
  const FLEET = `query($filter: FlowFilter) { fleetHealth(filter: $filter) {
    total
    byHealth { health count }
    bySourceConnectionSpec { connectionSpecId connectionSpec { id name } count byHealth { health count } }
  } }`;

  function tally(healths: string[]) {
    return ['HEALTHY', 'LATE', 'FAILING', 'DISABLED', 'NEVER_RUN'].map((health) => ({
      health,
      count: healths.filter((h) => h === health).length,
    }));
  }

  it('counts the flows of each health, overall and per source connection spec, as Flow.health reports them', async () => {
    for (const headers of [undefined, org.headers]) {
      const flows = [...(await healthOf(headers)).values()];
      const res = await stack.gql(FLEET, {}, headers);
      expect(res.errors).toBeUndefined();
      const fleet = res.data.fleetHealth;
      expect(fleet.total).toBe(flows.length);
      expect(fleet.byHealth).toEqual(tally(flows.map((f) => f.health)));
      const specIds = [...new Set(flows.flatMap((f) => f.sourceConnectionSpecs.map((s) => s.id)))];
      expect(fleet.bySourceConnectionSpec.map((s: { connectionSpecId: string }) => s.connectionSpecId).sort()).toEqual(
        specIds.sort(),
      );
      for (const spec of fleet.bySourceConnectionSpec) {
        const ofSpec = flows.filter((f) => f.sourceConnectionSpecs.some((s) => s.id === spec.connectionSpecId));
        expect(spec.count).toBe(ofSpec.length);
        expect(spec.byHealth).toEqual(tally(ofSpec.map((f) => f.health)));
        expect(spec.connectionSpec).toEqual({ id: spec.connectionSpecId, name: expect.any(String) });
      }
    }
  });

  it('counts only the flows the filter matches', async () => {
    const res = await stack.gql(FLEET, { filter: { state: 'DISABLED' } });
    const disabled = demoFlows.filter((f) => f.state === 'disabled').length;
    expect(res.data.fleetHealth.total).toBe(disabled);
    expect(res.data.fleetHealth.byHealth).toEqual(tally(Array(disabled).fill('DISABLED')));
  });
});
