import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DOC_ORG, startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { PROFILE_CLASS, SR } from '../schemaFixtures.ts';

const ID_LIST = 'application/vnd.adobe.xed-id+json';
const FULL_LIST = 'application/vnd.adobe.xed+json';

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

/** Creates `n` profile schemas titled S000, S001, ... through HTTP. */
async function seedSchemas(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await call('POST', `${SR}/tenant/schemas`, {
      body: {
        type: 'object',
        title: `S${String(i).padStart(3, '0')}`,
        description: 'd',
        allOf: [{ $ref: PROFILE_CLASS }],
      },
    });
    expect(res.status).toBe(201);
  }
}

describe('Schema Registry lists', () => {
  it('answers summaries for xed-id+json and full resources for xed+json', async () => {
    await seedSchemas(2);
    const ids = await call('GET', `${SR}/tenant/schemas`, { headers: { accept: ID_LIST } });
    expect(ids.status).toBe(200);
    expect(Object.keys(ids.body.results[0]).sort()).toEqual(['$id', 'meta:altId', 'title', 'version']);
    expect(ids.body._page).toEqual({ next: null, count: 2 });
    expect(ids.body._links.next).toBeNull();
    expect(ids.body._links.global_schemas.href).toBe(`${t.url}${SR}/global/schemas`);
    const full = await call('GET', `${SR}/tenant/schemas`, { headers: { accept: FULL_LIST } });
    expect(full.body.results[0]['meta:class']).toBe(PROFILE_CLASS);
  });

  it('refuses a list without a list Accept header with XDM-1006-400', async () => {
    for (const accept of [undefined, 'application/json', 'application/vnd.adobe.xed-full+json; version=1']) {
      const res = await call('GET', `${SR}/global/classes`, { headers: { accept } });
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('http://ns.adobe.com/aep/errors/XDM-1006-400');
    }
  });

  it('filters global field groups with property on meta keys and regex', async () => {
    const res = await call('GET', `${SR}/global/fieldgroups`, {
      headers: { accept: FULL_LIST },
      query: { property: `meta:intendedToExtend==${PROFILE_CLASS}` },
    });
    const ids = res.body.results.map((r: any) => r.$id);
    expect(ids).toContain('https://ns.adobe.com/xdm/context/profile-person-details');
    expect(ids).not.toContain('https://ns.adobe.com/xdm/context/experienceevent-web');
    const regex = await call('GET', `${SR}/global/classes`, {
      headers: { accept: ID_LIST },
      query: { property: 'title~Profile' },
    });
    expect(regex.body.results.map((r: any) => r.$id)).toEqual([PROFILE_CLASS]);
    const exists = await call('GET', `${SR}/global/classes`, {
      headers: { accept: ID_LIST },
      query: { property: 'meta:datasetNamespace' },
    });
    expect(exists.body.results).toEqual([]);
  });

  it('orders with orderby and pages by keyset start through _page.next and _links.next', async () => {
    await seedSchemas(5);
    const first = await call('GET', `${SR}/tenant/schemas`, {
      headers: { accept: ID_LIST },
      query: { orderby: '-title', limit: '2' },
    });
    expect(first.body.results.map((r: any) => r.title)).toEqual(['S004', 'S003']);
    expect(first.body._page).toEqual({ orderby: '-title', next: 'S003', count: 2 });
    const href = first.body._links.next.href as string;
    expect(href.startsWith(`${t.url}${SR}/tenant/schemas?`)).toBe(true);
    const second = await call('GET', href.slice(t.url.length), { headers: { accept: ID_LIST } });
    expect(second.body.results.map((r: any) => r.title)).toEqual(['S002', 'S001']);
    const last = await call('GET', `${SR}/tenant/schemas`, {
      headers: { accept: ID_LIST },
      query: { orderby: '-title', limit: '2', start: 'S001' },
    });
    expect(last.body.results.map((r: any) => r.title)).toEqual(['S000']);
    expect(last.body._page.next).toBeNull();
    expect(last.body._links.next).toBeNull();
  });

  it('takes limit without orderby (aepp sends it so), start only with orderby', async () => {
    expect(
      (await call('GET', `${SR}/tenant/schemas`, { headers: { accept: ID_LIST }, query: { limit: '5' } })).status,
    ).toBe(200);
    expect(
      (await call('GET', `${SR}/tenant/schemas`, { headers: { accept: ID_LIST }, query: { start: 'a' } })).status,
    ).toBe(400);
    expect(
      (
        await call('GET', `${SR}/tenant/schemas`, {
          headers: { accept: ID_LIST },
          query: { orderby: 'title', limit: '501' },
        })
      ).status,
    ).toBe(400);
  });

  it('caps a response at 300 results and reaches the rest only with orderby', async () => {
    // 305 copies of one created schema go straight into the store: only the list is under test here
    const part = t.emu.runtime.store.partition(DOC_ORG, 'prod');
    const template = (
      await call('POST', `${SR}/tenant/schemas`, {
        body: { type: 'object', title: 'S000', description: 'd', allOf: [{ $ref: PROFILE_CLASS }] },
      })
    ).body;
    for (let i = 1; i < 305; i++) {
      const $id = `${template.$id}${i}`;
      part.schemas.set($id, {
        ...template,
        $id,
        'meta:altId': `${template['meta:altId']}${i}`,
        title: `S${String(i).padStart(3, '0')}`,
      });
    }
    const plain = await call('GET', `${SR}/tenant/schemas`, { headers: { accept: ID_LIST } });
    expect(plain.body.results).toHaveLength(300);
    expect(plain.body._page.next).toBeNull();
    const ordered = await call('GET', `${SR}/tenant/schemas`, {
      headers: { accept: ID_LIST },
      query: { orderby: 'title', limit: '500' },
    });
    expect(ordered.body.results).toHaveLength(300);
    expect(ordered.body._page.next).toBe('S299');
    const rest = await call('GET', ordered.body._links.next.href.slice(t.url.length), { headers: { accept: ID_LIST } });
    expect(rest.body.results.map((r: any) => r.title)).toEqual(['S300', 'S301', 'S302', 'S303', 'S304']);
  });
});
