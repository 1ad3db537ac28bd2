import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WeightedGate } from '../src/admission.ts';
import { tenantOf } from '../src/upstream/credentials.ts';
import { DEMO_ORG, startStack, type Stack } from './harness.ts';
import { platform, type Platform } from './platform.ts';

/** Acquires and records when each lease is granted, so order is asserted by counts, not time. */
function recorder(gate: WeightedGate) {
  const order: string[] = [];
  const leases = new Map<string, () => void>();
  const acquire = (name: string, tenant: string, cost: number) =>
    gate.acquire(tenant, cost).then((release) => {
      order.push(name);
      leases.set(name, release);
    });
  const release = (name: string) => leases.get(name)!();
  return { order, acquire, release };
}

/** Lets every admission the releases so far have made settle (promise callbacks only, no timers). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the gate', () => {
  it('weighs an operation at most an eighth of the budget, and at most a tenant budget', () => {
    const gate = new WeightedGate(8000, 500);
    expect(gate.weightOf(0)).toBe(1);
    expect(gate.weightOf(300.5)).toBe(301);
    expect(gate.weightOf(1_000_000)).toBe(500);
    expect(new WeightedGate(8000).weightOf(1_000_000)).toBe(1000);
  });

  it('admits one tenant in arrival order, and a light operation does not overtake a waiting heavy one', async () => {
    const gate = new WeightedGate(80);
    const r = recorder(gate);
    await Promise.all(Array.from({ length: 7 }, (_x, i) => r.acquire(`held${i}`, 'a', 10)));
    await r.acquire('small', 'a', 5);
    const heavy = r.acquire('heavy', 'a', 10);
    // five are free, enough for the light one: it waits all the same
    const light = r.acquire('light', 'a', 1);
    await settle();
    expect(r.order).toHaveLength(8);
    expect(gate.counters()).toMatchObject({ inFlight: 8, weightInFlight: 75, waiting: 2, waited: 0 });
    r.release('small');
    await heavy;
    await settle();
    expect(r.order.slice(8)).toEqual(['heavy']);
    r.release('heavy');
    await light;
    expect(r.order.slice(8)).toEqual(['heavy', 'light']);
    expect(gate.counters()).toMatchObject({ inFlight: 8, waiting: 0, admitted: 10, waited: 2 });
  });

  it('holds a tenant to its own budget while another tenant runs at once', async () => {
    const gate = new WeightedGate(80, 40);
    const r = recorder(gate);
    await Promise.all(Array.from({ length: 4 }, (_x, i) => r.acquire(`a${i}`, 'A', 10)));
    const a4 = r.acquire('a4', 'A', 10);
    await settle();
    await r.acquire('b0', 'B', 10);
    expect(gate.counters()).toMatchObject({
      inFlight: 5,
      waiting: 1,
      waited: 0,
      tenants: { A: { inFlight: 4, weightInFlight: 40, waiting: 1 }, B: { inFlight: 1, weightInFlight: 10 } },
    });
    // B's release frees global room, not A's: A still waits for one of its own
    r.release('b0');
    await settle();
    expect(r.order).not.toContain('a4');
    r.release('a0');
    await a4;
    expect(gate.counters()).toMatchObject({ waiting: 0, waited: 1, tenants: { A: { inFlight: 4 } } });
  });

  it('admits waiting tenants in turn: a cheap operation of B waits behind at most one operation of A', async () => {
    const gate = new WeightedGate(80, 80);
    const r = recorder(gate);
    await Promise.all(Array.from({ length: 8 }, (_x, i) => r.acquire(`held${i}`, 'C', 10)));
    const queued = [1, 2, 3, 4].map((i) => r.acquire(`a${i}`, 'A', 10));
    const cheap = r.acquire('b', 'B', 1);
    await settle();
    expect(gate.counters()).toMatchObject({ waiting: 5, tenants: { A: { waiting: 4 }, B: { waiting: 1 } } });
    for (let i = 0; i < 3; i++) r.release(`held${i}`);
    await cheap;
    expect(r.order.slice(8)).toEqual(['a1', 'b', 'a2']);
    for (let i = 3; i < 8; i++) r.release(`held${i}`);
    await Promise.all(queued);
  });

  it('runs at most eight heavy operations at once and admits the ninth only when one is done', async () => {
    const gate = new WeightedGate(80);
    const admitted: number[] = [];
    const releases = Array.from({ length: 9 }, (_x, i) =>
      gate.acquire('a', 10_000).then((release) => (admitted.push(i), release)),
    );
    await settle();
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    (await releases[3]!)();
    await settle();
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [i, release] of releases.entries()) if (i !== 3) (await release)();
  });

  it('forgets a tenant once nothing of it runs or waits', async () => {
    const gate = new WeightedGate(80, 40);
    const release = await gate.acquire('A', 10);
    expect(Object.keys(gate.counters().tenants)).toEqual(['A']);
    release();
    release(); // a second call gives nothing back twice
    expect(gate.counters()).toMatchObject({ inFlight: 0, weightInFlight: 0, tenants: {} });
  });
});

describe('admission through the API', () => {
  const ORG_B = 'BETA0000000000000000000B@AdobeOrg';
  const demoTenant = tenantOf({ orgId: DEMO_ORG, sandbox: 'prod' });
  let stack: Stack;
  let b: Platform;
  let gate: WeightedGate;
  const heavy = '{ flows(first: 30) { nodes { id name } } }';
  beforeAll(async () => {
    // eighty objects in flight, forty per tenant: every operation below weighs ten (an eighth)
    stack = await startStack({
      emulator: { demo: true },
      env: { MAX_OBJECTS_IN_FLIGHT: '80', MAX_OBJECTS_IN_FLIGHT_PER_TENANT: '40' },
    });
    gate = stack.api.admission!;
    b = await platform(stack.emulator.url, ORG_B, 'prod', 'beta-client');
    expect((await stack.gql(heavy)).errors).toBeUndefined();
  });
  afterAll(() => stack.stop());

  const waitingOf = (tenant: string) => gate.counters().tenants[tenant]?.waiting ?? 0;

  it("answers org B's cheap query at once while the demo org's heavy one waits for its own budget", async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => gate.acquire(demoTenant, 10)));
    const before = gate.counters();
    const demo = stack.gql(heavy);
    await vi.waitFor(() => expect(waitingOf(demoTenant)).toBe(1), { timeout: 10_000, interval: 5 });
    const cheap = await stack.gql('{ flows(first: 1) { totalCount } }', {}, b.headers);
    expect(cheap.errors).toBeUndefined();
    expect(cheap.data.flows.totalCount).toBe(0);
    expect(gate.counters()).toMatchObject({ waiting: 1, waited: before.waited, admitted: before.admitted + 1 });
    held[0]!();
    const res = await demo;
    expect(res.data.flows.nodes).toHaveLength(30);
    expect(gate.counters()).toMatchObject({ waiting: 0, waited: before.waited + 1 });
    for (const release of held.slice(1)) release();
  });

  it("admits org B's cheap query before the demo org's waiting heavy one when the global budget frees", async () => {
    const demoHeld = await Promise.all(Array.from({ length: 4 }, () => gate.acquire(demoTenant, 10)));
    const otherHeld = await Promise.all(Array.from({ length: 4 }, () => gate.acquire('OTHER@AdobeOrg/prod', 10)));
    const demo = stack.gql(heavy);
    await vi.waitFor(() => expect(waitingOf(demoTenant)).toBe(1), { timeout: 10_000, interval: 5 });
    const cheap = stack.gql('{ flows(first: 1) { totalCount } }', {}, b.headers);
    await vi.waitFor(() => expect(gate.counters().waiting).toBe(2), { timeout: 10_000, interval: 5 });
    otherHeld[0]!();
    expect((await cheap).errors).toBeUndefined();
    expect(waitingOf(demoTenant)).toBe(1);
    demoHeld[0]!();
    expect((await demo).data.flows.nodes).toHaveLength(30);
    for (const release of [...demoHeld.slice(1), ...otherHeld.slice(1)]) release();
    expect(gate.counters()).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it('never admits an operation over the cost limit', async () => {
    const before = gate.counters().admitted;
    await stack.clearRequests();
    const res = await stack.gql(
      '{ baseConnections(first: 100) { nodes { flows(first: 100) { nodes { runs(first: 100) { nodes { id } } } } } } }',
    );
    expect(res.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    expect(gate.counters().admitted).toBe(before);
    expect(await stack.requests()).toEqual([]);
  });
  it('weighs the same document again when a variable its cost depends on changes, and not for another id', async () => {
    const query =
      'query Nested($n: Int, $id: ID!) { flow(id: $id) { id } baseConnections(first: $n) { nodes { flows(first: $n) { nodes { runs(first: $n) { nodes { id } } } } } } }';
    for (const id of ['one', 'two']) {
      const cheap = await stack.gql(query, { n: 2, id });
      expect(cheap.errors).toBeUndefined();
    }
    const heavy = await stack.gql(query, { n: 100, id: 'one' });
    expect(heavy.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    expect((await stack.gql(query, { n: 2, id: 'three' })).errors).toBeUndefined();
  });
});
