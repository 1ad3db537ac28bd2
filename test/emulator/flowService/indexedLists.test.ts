import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FS, SPEC, createOk, s3Connection } from './fixtures.ts';

let t: TestEmulator;
let call: Call;
let baseA: string;
let baseB: string;
/** Source connections in creation order, three per emulated instant. */
const made: Array<{ id: string; etag: string; at: number }> = [];
const advance = async (ms: number) =>
  (await t.raw('POST', '/__emulator/clock', { body: { advanceMs: ms } })).body.now as number;

beforeAll(async () => {
  // a wall clock that stands still: emulated time moves only when the test moves it
  const wall = Date.UTC(2026, 0, 1);
  t = await startTestEmulator({ wallClock: () => wall });
  call = await t.platform();
  baseA = (await createOk(call, 'connections', s3Connection('A'))).id;
  baseB = (await createOk(call, 'connections', s3Connection('B'))).id;
  for (let instant = 0; instant < 10; instant++) {
    const at = await advance(1_000);
    for (let k = 0; k < 3; k++) {
      const sc = await createOk(call, 'sourceConnections', {
        name: `sc ${instant}.${k}`,
        baseConnectionId: baseA,
        data: { format: 'delimited' },
        params: { path: `/x/${instant}-${k}.csv`, type: 'file' },
        connectionSpec: { id: SPEC.s3, version: '1.0' },
      });
      made.push({ ...sc, at });
    }
  }
});
afterAll(() => t.stop());

const list = async (query: Record<string, string | string[]>) => {
  const res = await call('GET', `${FS}/sourceConnections`, { query });
  expect(res.status).toBe(200);
  return res.body as { items?: Array<{ id: string; createdAt: number }>; count?: number };
};
const idsOf = (body: { items?: Array<{ id: string }> }) => (body.items ?? []).map((i) => i.id);

describe('indexed lists', () => {
  it('answers createdAt ranges in both orders and in creation order, equal instants kept in creation order', async () => {
    const [lo, hi] = [made[6]!.at, made[18]!.at];
    const inRange = made.filter((m) => m.at >= lo && m.at < hi);
    expect(inRange).toHaveLength(12);
    const range = [`createdAt>=${lo}`, `createdAt<${hi}`];
    expect(idsOf(await list({ property: range }))).toEqual(inRange.map((m) => m.id));
    expect(idsOf(await list({ property: range, orderby: 'createdAt' }))).toEqual(inRange.map((m) => m.id));
    const newest = [...inRange].sort((a, b) => b.at - a.at); // stable: equal instants in creation order
    expect(idsOf(await list({ property: range, orderby: '-createdAt' }))).toEqual(newest.map((m) => m.id));
    expect((await list({ property: range, count: 'true' })).count).toBe(12);
    expect(idsOf(await list({ property: [`createdAt>${made[27]!.at}`] }))).toEqual([]);
    expect(idsOf(await list({ property: [`createdAt<=${made[0]!.at}`] }))).toEqual(made.slice(0, 3).map((m) => m.id));
  });

  it('answers createdAt equality and inequality, which are no range, by filtering every object', async () => {
    const at = made[3]!.at;
    expect(idsOf(await list({ property: [`createdAt==${at}`] }))).toEqual(made.slice(3, 6).map((m) => m.id));
    expect(idsOf(await list({ property: [`createdAt!=${at}`], limit: '100' }))).toEqual(
      [...made.slice(0, 3), ...made.slice(6)].map((m) => m.id),
    );
  });

  it('pages a createdAt order or the creation order across equal instants, each object once in the order of the whole list', async () => {
    /** Every page of `limit` from the first, by continuation token. */
    const pages = async (query: Record<string, string | string[]>, limit: number) => {
      const out: string[][] = [];
      let body = (await call('GET', `${FS}/sourceConnections`, { query: { ...query, limit: String(limit) } })).body as {
        items: Array<{ id: string }>;
        _links: { next?: { href: string } };
      };
      out.push(idsOf(body));
      while (body._links.next !== undefined) {
        const token = new URL(body._links.next.href, 'http://x').searchParams.get('continuationToken')!;
        body = (await call('GET', `${FS}/sourceConnections`, { query: { continuationToken: token } })).body as never;
        out.push(idsOf(body));
      }
      return out;
    };
    const newest = [...made].sort((a, b) => b.at - a.at).map((m) => m.id);
    // 4 per page: pages start inside a run of three equal instants and at its start
    expect(await pages({ orderby: '-createdAt' }, 4)).toEqual(
      Array.from({ length: 8 }, (_, i) => newest.slice(i * 4, i * 4 + 4)),
    );
    const [lo, hi] = [made[4]!.at, made[25]!.at];
    const inRange = made.filter((m) => m.at >= lo && m.at <= hi);
    expect(inRange).toHaveLength(24);
    const range = [`createdAt>=${lo}`, `createdAt<=${hi}`];
    const newestInRange = [...inRange].sort((a, b) => b.at - a.at).map((m) => m.id);
    expect((await pages({ property: range, orderby: '-createdAt' }, 5)).flat()).toEqual(newestInRange);
    expect((await pages({ property: range, orderby: '+createdAt' }, 5)).flat()).toEqual(inRange.map((m) => m.id));
    expect(await pages({}, 7)).toEqual(
      Array.from({ length: 5 }, (_, i) => made.slice(i * 7, i * 7 + 7).map((m) => m.id)),
    );
    expect((await list({ count: 'true' })).count).toBe(30);
    expect(idsOf(await list({ property: [`createdAt>${hi}`, `createdAt<${lo}`], orderby: '-createdAt' }))).toEqual([]);
  });

  it('follows a patched field and forgets a deleted object', async () => {
    const moved = made[4]!;
    const patched = await call('PATCH', `${FS}/sourceConnections/${moved.id}`, {
      headers: { 'if-match': moved.etag },
      body: [{ op: 'replace', path: '/baseConnectionId', value: baseB }],
    });
    expect(patched.status).toBe(200);
    expect(idsOf(await list({ property: [`baseConnectionId==${baseB}`] }))).toEqual([moved.id]);
    expect(idsOf(await list({ property: [`baseConnectionId==${baseA}`] }))).not.toContain(moved.id);
    expect((await list({ property: [`baseConnectionId==${baseA},${baseB}`], count: 'true' })).count).toBe(30);

    const gone = made[7]!;
    expect((await call('DELETE', `${FS}/sourceConnections/${gone.id}`)).status).toBe(204);
    const all = made.filter((m) => m.id !== gone.id);
    expect(idsOf(await list({ property: [`createdAt>=${made[6]!.at}`, `createdAt<${made[9]!.at}`] }))).toEqual(
      [made[6]!, made[8]!].map((m) => m.id),
    );
    expect(idsOf(await list({ property: [`id==${gone.id},${moved.id}`] }))).toEqual([moved.id]);
    expect(idsOf(await list({ property: [`baseConnectionId==${baseA},${baseB}`], limit: '100' }))).toEqual(
      all.map((m) => m.id),
    );
    // a new object at the latest instant joins the end of its range and of the order
    const late = await createOk(call, 'sourceConnections', {
      name: 'late',
      baseConnectionId: baseA,
      data: { format: 'delimited' },
      params: { path: '/x/late.csv', type: 'file' },
      connectionSpec: { id: SPEC.s3, version: '1.0' },
    });
    const lastInstant = made.at(-1)!.at;
    expect(idsOf(await list({ property: [`createdAt>=${lastInstant}`], orderby: '-createdAt' }))).toEqual([
      ...made.slice(-3).map((m) => m.id),
      late.id,
    ]);
    expect(idsOf(await list({ property: [`createdAt>=${lastInstant}`] })).at(-1)).toBe(late.id);
  });
});
