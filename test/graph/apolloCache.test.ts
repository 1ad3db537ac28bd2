import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
} from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { examples, fill, readme } from '../readmeExamples.ts';

const ORG = 'APOLLO00000000000000000A@AdobeOrg';
const MAPPING_SETS = '/data/foundation/conversion/mappingSets';

let stack: Stack;
const warnings: string[] = [];

/** Apollo Client as a frontend builds it: InMemoryCache with its default configuration. */
function client(headers: Record<string, string> = {}) {
  return new ApolloClient({ link: new HttpLink({ uri: stack.api.url, headers }), cache: new InMemoryCache() });
}

beforeAll(async () => {
  loadDevMessages();
  loadErrorMessages();
  // Apollo reports cache data loss (and every other dev warning) on the console
  for (const level of ['warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
    });
  stack = await startStack({ emulator: { demo: true } });
});
beforeEach(() => {
  warnings.length = 0;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack.stop();
});

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

/** The paths of selections on an object type that has an `id` without selecting it. */
function selectionsWithoutId(document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const missing: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node, _key, parent) {
        if ((parent as { kind?: string } | undefined)?.kind !== Kind.FIELD) return;
        const type = getNamedType(typeInfo.getParentType());
        if (!isObjectType(type) || type.getFields()['id'] === undefined) return;
        if (!node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'id' && s.alias === undefined))
          missing.push(`${type.name} under ${(parent as { name: { value: string } }).name.value}`);
      },
    }),
  );
  return missing;
}

describe('Apollo Client InMemoryCache, default configuration', () => {
  it('is given the id of every object the README examples select that has one', () => {
    for (const example of examples(readme)) expect(selectionsWithoutId(parse(example.query)), example.name).toEqual([]);
  });

  it('normalizes every README example without a cache warning, and reads back what the server sent', async () => {
    const apollo = client();
    const results: Record<string, unknown> = {};
    // subscriptions run over WebSocket, not through this HTTP client (test/readme.test.ts runs them)
    for (const example of examples(readme).filter((e) => !/^\s*subscription\b/.test(e.query))) {
      const variables = example.variables === undefined ? undefined : JSON.parse(fill(example.variables, results));
      const document = gql(fill(example.query, results));
      const isMutation = /^\s*mutation\b/.test(example.query);
      const res = isMutation
        ? await apollo.mutate({ mutation: document, variables })
        : await apollo.query({ query: document, variables, fetchPolicy: 'network-only' });
      expect(res.error, example.name).toBeUndefined();
      if (!isMutation) {
        // the cache hands back exactly what the server sent: no object merged into another
        const cached = apollo.readQuery({ query: document, variables });
        expect(stripTypename(cached), example.name).toEqual(stripTypename(res.data));
      }
      Object.assign(results, stripTypename(res.data));
    }
    expect(warnings).toEqual([]);
  });

  it('keeps two versions of one mapping set apart', async () => {
    const org: Platform = await platform(stack.emulator.url, ORG, 'prod', 'apollo-test-client');
    const seeded: SeededOrg = await seedFlows(org, { flows: 1, schemas: 1, mappingSets: 1 });
    const id = seeded.mappingSetIds[0]!;
    const v0 = await org.call<{ mappings: Array<Record<string, unknown>> } & Record<string, unknown>>(
      'GET',
      `${MAPPING_SETS}/${id}?version=0`,
    );
    const renamed = v0.mappings.map((m, i) => (i === 0 ? { ...m, source: `${String(m['source'])}_v1` } : m));
    await org.call('PUT', `${MAPPING_SETS}/${id}`, {
      outputSchema: v0['outputSchema'],
      mappings: renamed.map(({ sourceType, source, destination }) => ({ sourceType, source, destination })),
    });
    const apollo = client(org.headers);
    const query = gql`
      query Versions($id: ID!) {
        v0: mappingSet(id: $id, version: 0) {
          id
          mappingSetId
          version
          mappings {
            source
          }
        }
        latest: mappingSet(id: $id) {
          id
          mappingSetId
          version
          mappings {
            source
          }
        }
      }
    `;
    const res = await apollo.query({ query, variables: { id } });
    expect(res.error).toBeUndefined();
    const data = stripTypename(res.data) as Record<string, { id: string; version: number; mappings: unknown[] }>;
    expect(data['v0']).toMatchObject({ id: `${id}@0`, mappingSetId: id, version: 0 });
    expect(data['latest']).toMatchObject({ id: `${id}@1`, mappingSetId: id, version: 1 });
    expect(data['v0']!.mappings[0]).toEqual({ source: v0.mappings[0]!['source'] });
    expect(data['latest']!.mappings[0]).toEqual({ source: `${String(v0.mappings[0]!['source'])}_v1` });
    const cache = apollo.cache.extract() as Record<string, unknown>;
    expect(
      Object.keys(cache)
        .filter((k) => k.startsWith('MappingSet:'))
        .sort(),
    ).toEqual([`MappingSet:${id}@0`, `MappingSet:${id}@1`].sort());
    expect(warnings).toEqual([]);
  });
});

function stripTypename(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripTypename);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== '__typename')
      .map(([k, v]) => [k, stripTypename(v)]),
  );
}
