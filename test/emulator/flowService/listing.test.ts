import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FS, createOk, flowCode, s3Connection } from './fixtures.ts';

let t: TestEmulator;
let call: Call;
const ids: string[] = [];

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
  for (let i = 0; i < 150; i++)
    ids.push((await createOk(call, 'connections', s3Connection(`conn-${String(i).padStart(3, '0')}`))).id);
});
afterAll(() => t.stop());

const names = (body: { items: Array<{ name: string }> }) => body.items.map((c) => c.name);

describe('listing instance collections', () => {
  it('multi-gets 150 ids in pages of 100, and following _links.next gives the rest', async () => {
    const first = await call('GET', `${FS}/connections`, { query: { property: `id==${ids.join(',')}` } });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(100);
    const href: string = first.body._links.next.href;
    expect(href).toMatch(/^\/connections\?continuationToken=/);
    const second = await call('GET', `${FS}${href}`);
    expect(second.body.items).toHaveLength(50);
    expect(second.body._links).toEqual({});
    const seen = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('keeps the filter and order on the next page', async () => {
    const first = await call('GET', `${FS}/connections`, {
      query: { property: 'name!=conn-000', orderby: '-name', limit: '60' },
    });
    expect(names(first.body)[0]).toBe('conn-149');
    expect(first.body.items).toHaveLength(60);
    const second = await call('GET', `${FS}${first.body._links.next.href}`);
    expect(names(second.body)).toHaveLength(60);
    expect(names(second.body)[0]).toBe('conn-089');
    const third = await call('GET', `${FS}${second.body._links.next.href}`);
    expect(names(third.body)).toHaveLength(29);
    expect(names(third.body)).not.toContain('conn-000');
  });

  it('sorts ascending with name and +name, descending with -name', async () => {
    const subset = `id==${ids.slice(0, 3).join(',')}`;
    for (const orderby of ['name', '+name']) {
      expect(
        names((await call('GET', `${FS}/connections?orderby=${encodeURIComponent(orderby)}&property=${subset}`)).body),
      ).toEqual(['conn-000', 'conn-001', 'conn-002']);
    }
    expect(
      names((await call('GET', `${FS}/connections`, { query: { orderby: '-name', property: subset } })).body),
    ).toEqual(['conn-002', 'conn-001', 'conn-000']);
  });

  it('filters on dotted paths, quoted values, numeric ranges, and ANDs several properties', async () => {
    expect(
      (await call('GET', `${FS}/connections`, { query: { property: 'name=="conn-007"' } })).body.items,
    ).toHaveLength(1);
    const all = await call('GET', `${FS}/connections`, {
      query: { property: ['connectionSpec.id==ecadc60c-7455-4d87-84dc-2a0e293d997b', 'createdAt>0'], count: 'true' },
    });
    expect(all.body).toEqual({ count: 150 });
    const none = await call('GET', `${FS}/connections`, { query: { property: ['name==conn-007', 'state==DISABLED'] } });
    expect(none.body.items).toEqual([]);
    const enabled = await call('GET', `${FS}/connections`, {
      query: { property: ['name==conn-007', 'state==ENABLED'] },
    });
    expect(enabled.body.items).toHaveLength(1);
  });

  it('counts with count=true, with or without a limit (aepp sends both), and caps limit at 100', async () => {
    expect((await call('GET', `${FS}/connections`, { query: { count: 'true' } })).body).toEqual({ count: 150 });
    expect((await call('GET', `${FS}/connections`, { query: { count: 'true', limit: '5' } })).body).toEqual({
      count: 150,
    });
    const capped = await call('GET', `${FS}/connections`, { query: { limit: '500' } });
    expect(capped.body.items).toHaveLength(100);
    expect(capped.body._links.next).toBeDefined();
  });

  it.each([
    [{ orderby: '*name' }, 'FLOW-1432-400'],
    [{ orderby: 'auth.params.s3SecretKey' }, 'FLOW-1433-400'],
    [{ property: 'name~conn' }, 'FLOW-1440-400'],
    [{ property: 'createdAt>=1,2' }, 'FLOW-1443-400'],
    [{ property: 'id>=abc' }, 'FLOW-1448-400'],
    [{ property: 'createdAt!>5' }, 'FLOW-1450-400'],
    [{ property: 'createdAt==1,2' }, 'FLOW-1452-400'],
    [{ property: 'createdAt==' }, 'FLOW-1453-400'],
    [{ testParam: 'x' }, 'FLOW-1451-400'],
  ])('answers %j with %s', async (query, code) => {
    const res = await call('GET', `${FS}/connections`, { query });
    expect(res.status).toBe(400);
    expect(flowCode(res.body)).toBe(code);
  });
});
