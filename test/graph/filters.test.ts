import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startStack, type Stack } from '../harness.ts';
import type { FlowDto, TargetConnectionDto } from '../../src/upstream/flowService/types.ts';
import { listAll, platform } from '../platform.ts';
import { routeCounts } from './requestLog.ts';

let stack: Stack;
/** The demo org's flows and target connections as the Flow Service holds them. */
let flows: FlowDto[];
let targets: TargetConnectionDto[];

beforeAll(async () => {
  stack = await startStack({ emulator: { demo: true } });
  const p = await platform(stack.emulator.url, DEMO_ORG);
  [flows, targets] = await Promise.all([
    listAll<FlowDto>(p, 'flows'),
    listAll<TargetConnectionDto>(p, 'targetConnections'),
  ]);
});
afterAll(() => stack.stop());

/** The value of a filter taken from the demo data, so each filter matches some flows but not all. */
function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

const sourceSpecs = (f: FlowDto) => f.inheritedAttributes.sourceConnections.map((s) => s.connectionSpec.id);
const baseConnections = (f: FlowDto) =>
  f.inheritedAttributes.sourceConnections.flatMap((s) => (s.baseConnection === undefined ? [] : [s.baseConnection.id]));
const datasetsOf = (f: FlowDto) =>
  f.targetConnectionIds.map((id) => targets.find((t) => t.id === id)?.params?.dataSetId);
const iso = (ms: number) => new Date(ms).toISOString();
/** A time strictly between two creation times of the demo flows (many share one), so flows lie on both sides. */
const medianCreatedAt = () => {
  const distinct = [...new Set(flows.map((f) => f.createdAt))].sort((a, b) => a - b);
  const i = Math.floor((distinct.length - 1) / 2);
  return Math.floor((distinct[i]! + distinct[i + 1]!) / 2);
};

type Case = [string, () => { filter: Record<string, unknown>; matches: (f: FlowDto) => boolean }];

const cases: Case[] = [
  ['state ENABLED', () => ({ filter: { state: 'ENABLED' }, matches: (f) => f.state === 'enabled' })],
  ['state DISABLED', () => ({ filter: { state: 'DISABLED' }, matches: (f) => f.state === 'disabled' })],
  [
    'flowSpecId',
    () => {
      const id = mostCommon(flows.map((f) => f.flowSpec.id));
      return { filter: { flowSpecId: id }, matches: (f) => f.flowSpec.id === id };
    },
  ],
  [
    'sourceConnectionSpecId',
    () => {
      const id = mostCommon(flows.flatMap(sourceSpecs));
      return { filter: { sourceConnectionSpecId: id }, matches: (f) => sourceSpecs(f).includes(id) };
    },
  ],
  [
    'baseConnectionId',
    () => {
      const id = mostCommon(flows.flatMap(baseConnections));
      return { filter: { baseConnectionId: id }, matches: (f) => baseConnections(f).includes(id) };
    },
  ],
  [
    'datasetId',
    () => {
      const id = mostCommon(flows.flatMap(datasetsOf).filter((x): x is string => x !== undefined));
      return { filter: { datasetId: id }, matches: (f) => datasetsOf(f).includes(id) };
    },
  ],
  [
    'nameContains, in any case',
    () => ({ filter: { nameContains: 'sALESFORCE' }, matches: (f) => f.name.toLowerCase().includes('salesforce') }),
  ],
  [
    'createdAfter',
    () => {
      const t = medianCreatedAt();
      return { filter: { createdAfter: iso(t) }, matches: (f) => f.createdAt > t };
    },
  ],
  [
    'createdBefore',
    () => {
      const t = medianCreatedAt();
      return { filter: { createdBefore: iso(t) }, matches: (f) => f.createdAt < t };
    },
  ],
  [
    'state and sourceConnectionSpecId together',
    () => {
      const id = mostCommon(flows.flatMap(sourceSpecs));
      return {
        filter: { state: 'ENABLED', sourceConnectionSpecId: id },
        matches: (f) => f.state === 'enabled' && sourceSpecs(f).includes(id),
      };
    },
  ],
];

describe('flows(filter:)', () => {
  it.each(cases)('by %s returns exactly the matching flows', async (_name, make) => {
    const { filter, matches } = make();
    const expected = flows
      .filter(matches)
      .map((f) => f.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(flows.length);
    const res = await stack.gql(
      'query($filter: FlowFilter) { flows(first: 100, filter: $filter) { totalCount nodes { id } pageInfo { hasNextPage } } }',
      { filter },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.nodes.map((f: { id: string }) => f.id).sort()).toEqual(expected);
    expect(res.data.flows.pageInfo.hasNextPage).toBe(false);
    // a name substring is counted over the fleet read whole (here one upstream page)
    expect(res.data.flows.totalCount).toBe(expected.length);
  });

  it('pages through a name filter the upstream cannot apply, each match once', async () => {
    const expected = flows.filter((f) => f.name.toLowerCase().includes('s3')).map((f) => f.id);
    expect(expected.length).toBeGreaterThan(4);
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: any = await stack.gql(
        'query($after: String) { flows(first: 2, after: $after, filter: { nameContains: "s3" }) { nodes { id } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      ids.push(...res.data.flows.nodes.map((f: { id: string }) => f.id));
      if (!res.data.flows.pageInfo.hasNextPage) break;
      after = res.data.flows.pageInfo.endCursor;
    }
    expect(ids.sort()).toEqual(expected.sort());
  });

  it('answers no flows for a dataset no flow writes to, without listing flows', async () => {
    await stack.clearRequests();
    const res = await stack.gql(
      '{ flows(filter: { datasetId: "000000000000000000000000" }) { totalCount nodes { id } } }',
    );
    expect(res.data.flows).toEqual({ totalCount: 0, nodes: [] });
    expect(routeCounts(await stack.requests())).toEqual({ 'GET flowService/targetConnections': 1 });
  });

  it.each([
    ['flowSpecId', 'a,b'],
    ['createdAfter', 'yesterday'],
  ])('rejects %s: %s with BAD_USER_INPUT', async (field, value) => {
    const res = await stack.gql('query($filter: FlowFilter) { flows(filter: $filter) { nodes { id } } }', {
      filter: { [field]: value },
    });
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain(field === 'createdAfter' ? 'DateTime' : 'filter.flowSpecId');
  });
});
