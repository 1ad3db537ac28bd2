import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  Kind,
  parse,
  printSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLNamedType,
  type SelectionSetNode,
} from 'graphql';
import {
  createOperationDescriptor,
  Environment,
  getRequest,
  Network,
  RecordSource,
  Store,
  type GraphQLTaggedNode,
} from 'relay-runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { examples, fill, readme } from '../readmeExamples.ts';

/**
 * The README's operations through Relay as a frontend runs them: compiled by relay-compiler
 * (which adds `id` to every selection of a type that has one, as Relay applications do),
 * sent to the API over HTTP, normalized by relay-runtime's default store, which keys every
 * record by its `id` alone, across types.
 */

const sdl = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
const schema = buildSchema(sdl);
/** The compiler's executable for this machine, as the relay-compiler package resolves it. */
const compiler = createRequire(import.meta.url)('relay-compiler') as string | null;

const ORG = 'RELAY000000000000000000A@AdobeOrg';
const MAPPING_SETS = '/data/foundation/conversion/mappingSets';

let stack: Stack;
let workDir: string;
const warnings: string[] = [];

beforeAll(async () => {
  // relay-runtime reports a record given two types (and other store misuse) on the console
  for (const level of ['warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
    });
  const startedAt = Date.now();
  // one instant for the whole run: a computed field (health, lag) reads the same in every answer
  stack = await startStack({ emulator: { demo: true }, server: { now: () => startedAt } });
  if (compiler === null) throw new Error(`relay-compiler ships no executable for ${process.platform} ${process.arch}`);
  workDir = mkdtempSync(join(tmpdir(), 'relay-readme-'));
  mkdirSync(join(workDir, 'src', '__generated__'), { recursive: true });
  writeFileSync(join(workDir, 'package.json'), JSON.stringify({ type: 'module' }));
  // relay-compiler does not read `extend schema`; graphql-js prints the same schema without it
  writeFileSync(join(workDir, 'schema.graphql'), printSchema(schema));
  writeFileSync(
    join(workDir, 'relay.config.json'),
    JSON.stringify({
      src: './src',
      schema: './schema.graphql',
      language: 'javascript',
      eagerEsModules: true,
      artifactDirectory: './src/__generated__',
    }),
  );
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** relay-runtime's Environment with its default store, over HTTP to the API. */
function relayClient(headers: Record<string, string> = {}) {
  /** The last answer as the server sent it (Relay hands its callers what it reads from the store). */
  let sent: { data?: unknown; errors?: unknown } = {};
  const environment = new Environment({
    network: Network.create(async (params, variables) => {
      const res = await fetch(stack.api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: params.text, variables }),
      });
      sent = (await res.json()) as typeof sent;
      return sent as never;
    }),
    store: new Store(new RecordSource()),
  });
  return { environment, sent: () => sent };
}

/** The README operation, renamed as Relay requires (`<module>Query`), compiled to its artifact. */
async function compile(name: string, text: string, prefix = 'readme'): Promise<GraphQLTaggedNode> {
  const kind = /^\s*(query|mutation)\b/.exec(text)![1]!;
  const module = `${prefix}${name}`;
  const operation = `${module}${kind === 'query' ? 'Query' : 'Mutation'}`;
  const renamed = text.replace(new RegExp(`^(\\s*${kind})\\s+${name}\\b`), `$1 ${operation}`);
  writeFileSync(join(workDir, 'src', `${module}.js`), `graphql\`${renamed}\`;\n`);
  execFileSync(compiler!, [join(workDir, 'relay.config.json')], { cwd: workDir, stdio: 'pipe' });
  const artifact = pathToFileURL(join(workDir, 'src', '__generated__', `${operation}.graphql.js`)).href;
  return ((await import(artifact)) as { default: GraphQLTaggedNode }).default;
}

/** `answer` reduced to what `selections` ask, as a reader of the README's document sees it. */
function project(answer: unknown, selections: SelectionSetNode): unknown {
  if (Array.isArray(answer)) return answer.map((a) => project(a, selections));
  if (answer === null || typeof answer !== 'object') return answer;
  const out: Record<string, unknown> = {};
  for (const s of selections.selections) {
    if (s.kind === Kind.INLINE_FRAGMENT) Object.assign(out, project(answer, s.selectionSet));
    if (s.kind !== Kind.FIELD) continue;
    const key = s.alias?.value ?? s.name.value;
    const value = (answer as Record<string, unknown>)[key];
    out[key] = s.selectionSet === undefined ? value : project(value, s.selectionSet);
  }
  return out;
}

interface Seen {
  typename: string;
  /** Each scalar field's value, by field name and arguments (as Relay keys it). */
  fields: Map<string, string>;
  at: string;
}

/**
 * Every object of `answer` that has an `id`, with its type (from the schema, or `__typename`
 * where the field is abstract; relay-compiler selects it there) and its scalar fields.
 */
function identities(text: string, answer: unknown, operation: string): Array<{ id: string } & Seen> {
  const found: Array<{ id: string } & Seen> = [];
  const typeInfo = new TypeInfo(schema);
  const walk = (value: unknown, type: GraphQLNamedType | undefined, set: SelectionSetNode, path: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, type, set, `${path}.${i}`));
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    const typename = type !== undefined && isAbstractType(type) ? String(object['__typename']) : String(type?.name);
    const fields = new Map<string, string>();
    for (const s of set.selections) {
      if (s.kind !== Kind.FIELD || s.selectionSet !== undefined) continue;
      const key = s.alias?.value ?? s.name.value;
      const args = (s.arguments ?? []).map((a) => `${a.name.value}:${JSON.stringify(a.value)}`).join(',');
      fields.set(`${s.name.value}(${args})`, JSON.stringify(object[key]));
    }
    if (typeof object['id'] === 'string')
      found.push({ id: object['id'], typename, fields, at: `${operation} ${path}` });
  };
  // the type of every selection set, then a walk of the answer along them
  const types = new Map<SelectionSetNode, GraphQLNamedType | undefined>();
  const document = parse(text);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          if (node.selectionSet !== undefined)
            types.set(node.selectionSet, getNamedType(typeInfo.getType()) ?? undefined);
        },
      },
    }),
  );
  const descend = (value: unknown, set: SelectionSetNode, path: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => descend(v, set, `${path}.${i}`));
    if (value === null || typeof value !== 'object') return;
    for (const s of set.selections) {
      if (s.kind !== Kind.FIELD || s.selectionSet === undefined) continue;
      const key = s.alias?.value ?? s.name.value;
      const child = (value as Record<string, unknown>)[key];
      walk(child, types.get(s.selectionSet), s.selectionSet, `${path}.${key}`);
      descend(child, s.selectionSet, `${path}.${key}`);
    }
  };
  const root = document.definitions[0]!;
  if (root.kind === Kind.OPERATION_DEFINITION) descend(answer, root.selectionSet, 'data');
  return found;
}

describe('Relay, relay-runtime default store', () => {
  it('normalizes every README operation without a collision, and reads back what the server sent', async () => {
    const relay = relayClient();
    const environment = relay.environment;
    const results: Record<string, unknown> = {};
    /** Each id seen since the last write, with the object it named; a write may change an object. */
    let seen = new Map<string, Seen>();
    const collisions: string[] = [];
    // subscriptions run over WebSocket, not through this HTTP network (test/readme.test.ts runs them)
    const operations = examples(readme).filter((e) => !/^\s*subscription\b/.test(e.query));
    expect(operations.length).toBeGreaterThan(10);
    for (const example of operations) {
      const text = fill(example.query, results);
      const variables = (example.variables === undefined ? {} : JSON.parse(fill(example.variables, results))) as Record<
        string,
        unknown
      >;
      const node = await compile(example.name, text);
      const request = getRequest(node);
      const isMutation = request.params.operationKind === 'mutation';
      // retained as a mounted component retains its query, so the store keeps its records
      const operation = createOperationDescriptor(request, variables);
      environment.retain(operation);
      // as commitMutation and fetchQuery run them, on a root this test can read back
      await (isMutation ? environment.executeMutation({ operation }) : environment.execute({ operation })).toPromise();
      const sent = relay.sent();
      expect(sent.errors, example.name).toBeUndefined();
      const answer = sent.data;
      // the store hands back exactly what the server sent: no record merged into another
      const snapshot = environment.lookup(operation.fragment);
      expect(snapshot.isMissingData, example.name).toBe(false);
      const readmeSelections = (parse(text).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;
      expect(snapshot.data, example.name).toEqual(project(answer, readmeSelections));

      if (isMutation) seen = new Map();
      for (const object of identities(request.params.text!, answer, example.name)) {
        const before = seen.get(object.id);
        if (before === undefined) {
          seen.set(object.id, object);
          continue;
        }
        if (before.typename !== object.typename)
          collisions.push(`${object.id}: ${before.typename} at ${before.at} and ${object.typename} at ${object.at}`);
        for (const [field, value] of object.fields) {
          const was = before.fields.get(field);
          if (was !== undefined && was !== value)
            collisions.push(`${object.id}.${field}: ${was} at ${before.at} and ${value} at ${object.at}`);
          before.fields.set(field, value);
        }
      }
      Object.assign(results, answer);
    }
    expect(collisions).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('keeps two versions of one mapping set apart', async () => {
    const org: Platform = await platform(stack.emulator.url, ORG, 'prod', 'relay-test-client');
    const seeded: SeededOrg = await seedFlows(org, { flows: 1, schemas: 1, mappingSets: 1 });
    const id = seeded.mappingSetIds[0]!;
    const v0 = await org.call<{ mappings: Array<Record<string, unknown>> } & Record<string, unknown>>(
      'GET',
      `${MAPPING_SETS}/${id}?version=0`,
    );
    const source = String(v0.mappings[0]!['source']);
    await org.call('PUT', `${MAPPING_SETS}/${id}`, {
      outputSchema: v0['outputSchema'],
      mappings: v0.mappings.map(({ sourceType, source: s, destination }, i) => ({
        sourceType,
        source: i === 0 ? `${String(s)}_v1` : s,
        destination,
      })),
    });
    const node = await compile(
      'Versions',
      `query Versions($id: ID!) {
        v0: mappingSet(id: $id, version: 0) { mappingSetId version mappings { source } }
        latest: mappingSet(id: $id) { mappingSetId version mappings { source } }
      }`,
      'mappingSet',
    );
    const { environment } = relayClient(org.headers);
    const operation = createOperationDescriptor(getRequest(node), { id });
    environment.retain(operation);
    await environment.execute({ operation }).toPromise();
    const data = environment.lookup(operation.fragment).data as Record<
      string,
      { version: number; mappings: Array<{ source: string }> }
    >;
    expect(data['v0']).toMatchObject({ version: 0, mappings: expect.arrayContaining([{ source }]) });
    expect(data['latest']).toMatchObject({
      version: 1,
      mappings: expect.arrayContaining([{ source: `${source}_v1` }]),
    });
    expect(data['v0']!.mappings[0]).toEqual({ source });
    expect(data['latest']!.mappings[0]).toEqual({ source: `${source}_v1` });
    // relay-compiler selected each version's id: one record per version
    const records = environment.getStore().getSource().getRecordIDs();
    expect(records.filter((r) => r.startsWith(id)).sort()).toEqual([`${id}@0`, `${id}@1`]);
    expect(warnings).toEqual([]);
  });
});
