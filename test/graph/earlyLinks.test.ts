import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startStack, type RequestLogEntry, type Stack } from '../harness.ts';
import type { TargetConnectionDto } from '../../src/upstream/flowService/types.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { onRoute } from './requestLog.ts';

const FS = '/data/foundation/flowservice';
const TARGETS = 'GET flowService/targetConnections';
const DATASETS = 'GET catalog/dataSets/{ids}';
const SCHEMAS = 'GET schemaRegistry/tenant/schemas/{id}';

/** Every link of a flow the dashboard shows, each by its id and a field only a read gives. */
const PAGE = `query ($n: Int) {
  flows(first: $n) {
    nodes {
      id
      sourceConnections { id baseConnection { id name } connectionSpec { id name } }
      targetConnections { id dataset { id name } schema { id title } }
    }
  }
}`;

const hold = (stack: Stack, rule: Record<string, unknown>) => stack.control('POST', '/__emulator/holds', rule);
const waitHeld = async (stack: Stack, count: number) =>
  ((await stack.control('POST', '/__emulator/holds/wait', { count, timeoutMs: 10_000 })) as { held: number }).held;
/** Holds the next read of target connections and every dataset and schema read after it. */
async function holdTargetsAndLinks(stack: Stack): Promise<void> {
  await hold(stack, { method: 'GET', path: `^${FS}/targetConnections$`, times: 1 });
  await hold(stack, { method: 'GET', path: '^/data/foundation/catalog/dataSets/', times: 100 });
  await hold(stack, { method: 'GET', path: '^/data/foundation/schemaregistry/tenant/schemas/', times: 100 });
}
const releaseAll = (stack: Stack) => stack.control('DELETE', '/__emulator/holds');

/** The dataset ids one multi-get of datasets asked for. */
const idsOf = (e: RequestLogEntry) => decodeURIComponent(e.path.split('/').pop()!).split(',');

interface Row {
  id: string;
  targetConnections: Array<{
    id: string;
    dataset: { id: string; name: string };
    schema: { id: string; title: string };
  }>;
}

/** What the page must say of each seeded flow. */
function expected(seeded: SeededOrg, prefix: string) {
  return Object.fromEntries(
    seeded.flows.map((f) => [
      f.id,
      {
        dataset: { id: f.datasetId, name: `${prefix} dataset ${seeded.datasetIds.indexOf(f.datasetId)}` },
        schema: { id: f.schemaId, title: `${prefix} schema ${seeded.schemaIds.indexOf(f.schemaId)}` },
      },
    ]),
  );
}

function linksOf(rows: Row[]) {
  return Object.fromEntries(
    rows.map((r) => [r.id, { dataset: r.targetConnections[0]!.dataset, schema: r.targetConnections[0]!.schema }]),
  );
}

async function targetOf(p: Platform, id: string): Promise<TargetConnectionDto> {
  return (await p.call<{ items: TargetConnectionDto[] }>('GET', `${FS}/targetConnections/${id}`)).items[0]!;
}

/** Points a target connection at another dataset and its schema, as a Platform client would. */
async function retarget(p: Platform, targetId: string, datasetId: string, schemaId: string): Promise<void> {
  const current = await targetOf(p, targetId);
  await p.call(
    'PATCH',
    `${FS}/targetConnections/${targetId}`,
    [
      { op: 'replace', path: '/params/dataSetId', value: datasetId },
      { op: 'replace', path: '/data/schema/id', value: schemaId },
    ],
    { 'if-match': current.etag },
  );
}

describe('links read in the same wave as the target connections', () => {
  const ORG_A = 'EARLYLINKS00000000000000A@AdobeOrg';
  const ORG_B = 'EARLYLINKS00000000000000B@AdobeOrg';
  let stack: Stack;
  let a: Platform;
  let b: Platform;
  let seededA: SeededOrg;
  let seededB: SeededOrg;

  beforeAll(async () => {
    stack = await startStack({ emulator: { demo: false } });
    [a, b] = await Promise.all([platform(stack.emulator.url, ORG_A), platform(stack.emulator.url, ORG_B)]);
    // datasets 4 and 5 (schemas 2 and 3 ... ) are named by no flow until a test retargets one
    [seededA, seededB] = await Promise.all([
      seedFlows(a, { flows: 4, schemas: 3, datasets: 6, baseConnections: 2, prefix: 'A' }),
      seedFlows(b, { flows: 2, schemas: 2, datasets: 2, baseConnections: 1, prefix: 'B' }),
    ]);
  }, 60_000);
  afterAll(() => stack.stop());
  // a failed test leaves no hold or fault behind for the next
  afterEach(async () => {
    await releaseAll(stack);
    await stack.control('DELETE', '/__emulator/faults');
  });

  const read = async (p: Platform, n = 10) => {
    const res = await stack.gql<{ flows: { nodes: Row[] } }>(PAGE, { n }, p.headers);
    expect(res.errors).toBeUndefined();
    return res.data.flows.nodes;
  };

  it('sends the predicted dataset and schema requests while the target connections request is still held', async () => {
    await read(a);
    await stack.clearRequests();
    await holdTargetsAndLinks(stack);
    const answer = stack.gql<{ flows: { nodes: Row[] } }>(PAGE, { n: 10 }, a.headers);
    // the target connections, one multi-get of the 4 flows' datasets, and their 3 schemas
    const schemas = new Set(seededA.flows.map((f) => f.schemaId)).size;
    expect(await waitHeld(stack, 1 + 1 + schemas)).toBe(1 + 1 + schemas);
    await releaseAll(stack);
    const res = await answer;
    expect(res.errors).toBeUndefined();
    expect(linksOf(res.data.flows.nodes)).toEqual(expected(seededA, 'A'));
    // what was read early was used: nothing read twice
    const log = await stack.requests();
    expect(onRoute(log, DATASETS)).toHaveLength(1);
    expect(onRoute(log, SCHEMAS)).toHaveLength(schemas);
    expect(new Set(idsOf(onRoute(log, DATASETS)[0]!))).toEqual(new Set(seededA.flows.map((f) => f.datasetId)));
  });

  it('reads the base connections and connection specs in the wave of the source connections', async () => {
    await read(a);
    await stack.clearRequests();
    await hold(stack, { method: 'GET', path: `^${FS}/sourceConnections$`, times: 1 });
    await hold(stack, { method: 'GET', path: `^${FS}/connections$`, times: 1 });
    const answer = stack.gql(PAGE, { n: 10 }, a.headers);
    expect(await waitHeld(stack, 2)).toBe(2);
    await releaseAll(stack);
    expect((await answer).errors).toBeUndefined();
    const log = await stack.requests();
    expect(onRoute(log, 'GET flowService/connections')).toHaveLength(1);
  });

  it('names the dataset a target connection was pointed at between two reads, and reads it', async () => {
    const flow = seededA.flows[0]!;
    await read(a);
    const [datasetId, schemaId] = [seededA.datasetIds[4]!, seededA.schemaIds[4 % 3]!];
    await retarget(a, flow.targetConnectionId, datasetId, schemaId);
    onTestFinished(() => retarget(a, flow.targetConnectionId, flow.datasetId, flow.schemaId));
    await stack.clearRequests();
    const rows = await read(a);
    const row = rows.find((r) => r.id === flow.id)!;
    expect(row.targetConnections[0]!.dataset).toEqual({ id: datasetId, name: 'A dataset 4' });
    expect(row.targetConnections[0]!.schema).toEqual({ id: schemaId, title: `A schema ${4 % 3}` });
    // the early read asked for what the flows named before; only the new dataset is read after it
    const reads = onRoute(await stack.requests(), DATASETS).map(idsOf);
    expect(reads).toHaveLength(2);
    expect(reads).toContainEqual([datasetId]);
    expect(reads.flat().sort()).toEqual([...seededA.flows.map((f) => f.datasetId), datasetId].sort());
  });

  it('answers as without it when the early read of a predicted dataset fails', async () => {
    await read(a);
    const flow = seededA.flows[1]!;
    // the early read is the first to ask for this dataset: it is refused, a later read is not
    await stack.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: `^/data/foundation/catalog/dataSets/.*${flow.datasetId}`,
      status: 403,
      times: 1,
      body: { title: 'Forbidden', status: 403 },
    });
    await stack.clearRequests();
    const res = await stack.gql<{ flows: { nodes: Row[] } }>(PAGE, { n: 10 }, a.headers);
    expect(res.errors).toBeUndefined();
    expect(linksOf(res.data.flows.nodes)).toEqual(expected(seededA, 'A'));
    const reads = onRoute(await stack.requests(), DATASETS).filter((e) => idsOf(e).includes(flow.datasetId));
    expect(reads.map((e) => e.status)).toEqual([403, 200]);
  });

  it('never reads early in another org the ids a target connection of the same id named in this one', async () => {
    await read(a);
    // a target connection of org B with the id of one of org A's, naming B's own dataset
    const shared = seededA.flows[0]!;
    const aTarget = await targetOf(a, shared.targetConnectionId);
    const own = seededB.flows[0]!;
    stack.emulator.runtime.store.partition(ORG_B, 'prod').targetConnections.set(aTarget.id, {
      ...aTarget,
      params: { dataSetId: own.datasetId },
      data: { ...aTarget.data, schema: { id: own.schemaId } },
    });
    const flow = await b.call<{ id: string }>('POST', `${FS}/flows`, {
      name: 'B flow of the shared target id',
      flowSpec: { id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876', version: '1.0' },
      sourceConnectionIds: [own.sourceConnectionId],
      targetConnectionIds: [aTarget.id],
      scheduleParams: { startTime: Math.floor(Date.now() / 1000), frequency: 'once' },
    });
    await stack.clearRequests();
    const rows = await read(b);
    expect(rows.find((r) => r.id === flow.id)!.targetConnections[0]!.dataset.id).toBe(own.datasetId);
    const log = (await stack.requests()).filter((e) => e.org === ORG_B);
    const asked = log.map((e) => decodeURIComponent(e.path));
    expect(asked.filter((path) => path.includes(shared.datasetId) || path.includes(shared.schemaId))).toEqual([]);
    // B's own read taught B what its target connection names: read early the next time
    await stack.clearRequests();
    await holdTargetsAndLinks(stack);
    const answer = stack.gql(PAGE, { n: 10 }, b.headers);
    expect(await waitHeld(stack, 3)).toBe(3);
    await releaseAll(stack);
    expect((await answer).errors).toBeUndefined();
    const early = onRoute(await stack.requests(), DATASETS);
    expect(early).toHaveLength(1);
    expect(idsOf(early[0]!)).not.toContain(shared.datasetId);
  });

  it('never makes an operation exceed its budget that would not without it, even when every guess is wrong', async () => {
    // its own stack: a budget of exactly what the read needs without early reads
    const tight = await startStack({ emulator: { demo: false }, env: { MAX_UPSTREAM_REQUESTS_PER_OPERATION: '5' } });
    try {
      const p = await platform(tight.emulator.url, 'EARLYLINKS00000000000000C@AdobeOrg');
      const seeded = await seedFlows(p, { flows: 2, schemas: 4, datasets: 4, baseConnections: 1, prefix: 'C' });
      const query = `{ flows(first: 10) { nodes { id targetConnections { id dataset { id name } schema { id title } } } } }`;
      expect((await tight.gql(query, {}, p.headers)).errors).toBeUndefined();
      // every prediction wrong: both targets point at datasets and schemas no flow named before
      await retarget(p, seeded.flows[0]!.targetConnectionId, seeded.datasetIds[2]!, seeded.schemaIds[2]!);
      await retarget(p, seeded.flows[1]!.targetConnectionId, seeded.datasetIds[3]!, seeded.schemaIds[3]!);
      await tight.clearRequests();
      const res = await tight.gql(query, {}, p.headers);
      expect(res.errors).toBeUndefined();
      const log = await tight.requests();
      // its own 5 (flows, targets, the datasets, 2 schemas) and, read early while under half
      // the budget, one flow's former dataset and schema: 7, none refused
      expect(log).toHaveLength(7);
      const former = (i: number) => [seeded.datasetIds[i]!, seeded.schemaIds[i]!];
      const asked = log.map((e) => decodeURIComponent(e.path));
      const early = asked.filter((path) => [...former(0), ...former(1)].some((id) => path.includes(id)));
      expect(early).toHaveLength(2);
      expect(log.every((e) => e.status === 200)).toBe(true);
    } finally {
      await tight.stop();
    }
  });
});

describe('the bound on what is remembered', () => {
  it('remembers at most LINK_PREDICTION_MAX_ENTRIES target connections and reads early only those', async () => {
    const stack = await startStack({ emulator: { demo: false }, env: { LINK_PREDICTION_MAX_ENTRIES: '2' } });
    try {
      const p = await platform(stack.emulator.url, 'EARLYLINKS00000000000000D@AdobeOrg');
      const seeded = await seedFlows(p, { flows: 4, schemas: 4, datasets: 4, baseConnections: 1, prefix: 'D' });
      expect((await stack.gql(PAGE, { n: 10 }, p.headers)).errors).toBeUndefined();
      const predictions = stack.api.deps.linkPredictions!;
      expect(predictions.size).toBe(2);
      await stack.clearRequests();
      await holdTargetsAndLinks(stack);
      const answer = stack.gql<{ flows: { nodes: Row[] } }>(PAGE, { n: 10 }, p.headers);
      // the target connections, the early multi-get of 2 datasets and their 2 schemas
      expect(await waitHeld(stack, 4)).toBe(4);
      await releaseAll(stack);
      const res = await answer;
      expect(res.errors).toBeUndefined();
      expect(linksOf(res.data.flows.nodes)).toEqual(expected(seeded, 'D'));
      const log = await stack.requests();
      const datasets = onRoute(log, DATASETS).map((e) => idsOf(e).length);
      expect(datasets.sort()).toEqual([2, 2]);
      expect(onRoute(log, SCHEMAS)).toHaveLength(4);
      expect(predictions.size).toBe(2);
    } finally {
      await stack.stop();
    }
  });

  it('with 0 remembers nothing and reads datasets and schemas only after the target connections', async () => {
    const stack = await startStack({ emulator: { demo: false }, env: { LINK_PREDICTION_MAX_ENTRIES: '0' } });
    try {
      const p = await platform(stack.emulator.url, 'EARLYLINKS00000000000000E@AdobeOrg');
      const seeded = await seedFlows(p, { flows: 3, schemas: 2, datasets: 2, baseConnections: 1, prefix: 'E' });
      expect((await stack.gql(PAGE, { n: 10 }, p.headers)).errors).toBeUndefined();
      expect(stack.api.deps.linkPredictions!.size).toBe(0);
      await stack.clearRequests();
      await hold(stack, { method: 'GET', path: `^${FS}/targetConnections$`, times: 1 });
      const answer = stack.gql<{ flows: { nodes: Row[] } }>(PAGE, { n: 10 }, p.headers);
      expect(await waitHeld(stack, 1)).toBe(1);
      await releaseAll(stack);
      const res = await answer;
      expect(res.errors).toBeUndefined();
      expect(linksOf(res.data.flows.nodes)).toEqual(expected(seeded, 'E'));
      const log = await stack.requests();
      const [targets] = onRoute(log, TARGETS);
      const answered = targets!.startedAt + targets!.durationMs;
      const links = [...onRoute(log, DATASETS), ...onRoute(log, SCHEMAS)];
      expect(links).toHaveLength(3);
      // none of them reached the emulator before the held target connections were answered
      expect(links.filter((e) => e.startedAt < answered)).toEqual([]);
    } finally {
      await stack.stop();
    }
  });
});

describe('what is learned', () => {
  it('learns nothing from the reads of a pass-through caller the platform has not confirmed', async () => {
    // confirmations kept for 0 s: no pass-through caller is ever confirmed
    const stack = await startStack({ emulator: { demo: false }, env: { CALLER_VERIFICATION_TTL_SECONDS: '0' } });
    try {
      const p = await platform(stack.emulator.url, 'EARLYLINKS00000000000000G@AdobeOrg');
      const seeded = await seedFlows(p, { flows: 2, schemas: 1, datasets: 1, baseConnections: 1, prefix: 'G' });
      for (const _read of [1, 2]) {
        const res = await stack.gql<{ flows: { nodes: Row[] } }>(PAGE, { n: 10 }, p.headers);
        expect(res.errors).toBeUndefined();
        expect(linksOf(res.data.flows.nodes)).toEqual(expected(seeded, 'G'));
      }
      expect(stack.api.deps.linkPredictions!.size).toBe(0);
    } finally {
      await stack.stop();
    }
  });
});

describe('links a flow names itself', () => {
  it('reads base connections and connection specs while the source connections request is still held', async () => {
    // the spec cache off: every read fetches its connection specs
    const stack = await startStack({ emulator: { demo: false }, env: { SPEC_CACHE_TTL_SECONDS: '0' } });
    try {
      const p = await platform(stack.emulator.url, 'EARLYLINKS00000000000000F@AdobeOrg');
      await seedFlows(p, { flows: 3, schemas: 1, datasets: 1, baseConnections: 2, prefix: 'F' });
      await stack.clearRequests();
      await hold(stack, { method: 'GET', path: `^${FS}/sourceConnections$`, times: 1 });
      await hold(stack, { method: 'GET', path: `^${FS}/connections$`, times: 1 });
      await hold(stack, { method: 'GET', path: `^${FS}/connectionSpecs$`, times: 1 });
      const answer = stack.gql(PAGE, { n: 10 }, p.headers);
      expect(await waitHeld(stack, 3)).toBe(3);
      await releaseAll(stack);
      expect((await answer).errors).toBeUndefined();
      // read once each: what was read early was used
      const log = await stack.requests();
      expect(onRoute(log, 'GET flowService/connections')).toHaveLength(1);
      expect(onRoute(log, 'GET flowService/connectionSpecs')).toHaveLength(1);
    } finally {
      await releaseAll(stack);
      await stack.stop();
    }
  });
});
