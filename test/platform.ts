import type { DataSetDto } from '../src/upstream/catalog/types.ts';
import type {
  ConnectionDto,
  FlowDto,
  FlowSpecDto,
  SourceConnectionDto,
  TargetConnectionDto,
} from '../src/upstream/flowService/types.ts';
import { mapWithConcurrency } from '../src/mapWithConcurrency.ts';

/**
 * Test setup, not API under test: an org's own data, created through the emulator's REST
 * API the way any Platform client would (IMS token, platform headers, real routes).
 */

const FS = '/data/foundation/flowservice';
const S3_SPEC = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
const DATA_LAKE_SPEC = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
const CLOUD_STORAGE_FLOW_SPEC = '9753525b-82c7-4dce-8a9b-5ccfce2b9876';
const PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
const PERSON_DETAILS = 'https://ns.adobe.com/xdm/context/profile-person-details';
const FULL_V1 = 'application/vnd.adobe.xed-full+json;version=1';

/** The secret every seeded base connection carries; it must never reach a GraphQL response. */
export const SEEDED_SECRET = 'seeded-s3-secret-value-0123456789';

export interface Platform {
  url: string;
  org: string;
  sandbox: string;
  /** The platform headers of this caller, usable as pass-through headers of the API. */
  headers: Record<string, string>;
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** An IMS token for `clientId` from the emulator (any client id and secret are accepted). */
export async function imsToken(url: string, clientId: string): Promise<string> {
  const res = await fetch(`${url}/ims/token/v3`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 'seed-secret',
      scope: 'openid,AdobeID',
    }),
  });
  if (res.status !== 200) throw new Error(`IMS answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function platform(
  url: string,
  org: string,
  sandbox = 'prod',
  clientId = 'graph-test-seeder',
): Promise<Platform> {
  const token = await imsToken(url, clientId);
  // the org has this sandbox (a no-op for an org that never declared its sandboxes: it has every one)
  const added = await fetch(`${url}/__emulator/sandboxes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ org, sandbox }),
  });
  if (added.status !== 200)
    throw new Error(`POST /__emulator/sandboxes answered ${added.status}: ${await added.text()}`);
  const headers = {
    authorization: `Bearer ${token}`,
    'x-api-key': clientId,
    'x-gw-ims-org-id': org,
    'x-sandbox-name': sandbox,
  };
  return {
    url,
    org,
    sandbox,
    headers,
    async call(method, path, body, extra) {
      const res = await fetch(url + path, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return (text === '' ? undefined : JSON.parse(text)) as never;
    },
  };
}

/** Every item of a Flow Service collection, following the next links. */
export async function listAll<T = any>(p: Platform, collection: string, property: string[] = []): Promise<T[]> {
  const items: T[] = [];
  let query = new URLSearchParams(property.map((f): [string, string] => ['property', f]));
  for (;;) {
    const page = await p.call<{ items: T[]; _links?: { next?: { href: string } } }>(
      'GET',
      `${FS}/${collection}?${query.toString()}`,
    );
    items.push(...page.items);
    const next = page._links?.next?.href;
    if (next === undefined) return items;
    query = new URL(next, 'http://x').searchParams;
  }
}

export interface SeedOptions {
  flows: number;
  /** Distinct XDM schemas; flow i writes to a dataset of schema i % schemas. */
  schemas?: number;
  /** Distinct datasets (a multiple of `schemas`). */
  datasets?: number;
  /** Distinct mapping sets (a multiple of `schemas`). */
  mappingSets?: number;
  baseConnections?: number;
  /** Start one on-demand run per flow (finishRuns completes them). */
  runs?: boolean;
  /** Prefix of every name, to tell orgs apart. */
  prefix?: string;
  /** `scheduleParams` of flow i; default: once, starting now. */
  scheduleOf?: (i: number) => Record<string, unknown>;
  /** The description of flow i; the emulator's run markers (`[emulator:fail]`, `[emulator:succeed]`) go here. */
  descriptionOf?: (i: number) => string | undefined;
  /** The name of flow i (its connections are named after it); default `<prefix> flow 000`. */
  nameOf?: (i: number) => string;
  /**
   * Runs before flow i and its connections are created; given, the flows are created one after
   * another (to move the emulator's clock between them, for instance).
   */
  beforeFlow?: (i: number) => Promise<void>;
}

export interface SeededFlow {
  id: string;
  name: string;
  baseConnectionId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  datasetId: string;
  schemaId: string;
  mappingSetId: string;
}

export interface SeededOrg {
  flows: SeededFlow[];
  schemaIds: string[];
  datasetIds: string[];
  mappingSetIds: string[];
  baseConnectionIds: string[];
  /** Every id created, for isolation checks. */
  allIds(): string[];
}

/**
 * Creates `flows` S3 → data lake dataflows, each with its own source and target connection,
 * sharing a few base connections, datasets, schemas and mapping sets.
 */
export async function seedFlows(p: Platform, options: SeedOptions): Promise<SeededOrg> {
  const prefix = options.prefix ?? 'Seeded';
  const schemaCount = options.schemas ?? 2;
  const datasetCount = options.datasets ?? schemaCount;
  const mappingCount = options.mappingSets ?? schemaCount;
  const baseCount = options.baseConnections ?? 3;

  const schemaIds = await mapWithConcurrency(Array.from({ length: schemaCount }), 8, async (_x, i) => {
    const body = {
      type: 'object',
      title: `${prefix} schema ${i}`,
      description: `${prefix} profiles ${i}`,
      allOf: [{ $ref: PROFILE_CLASS }, { $ref: PERSON_DETAILS }],
    };
    return (await p.call<{ $id: string }>('POST', '/data/foundation/schemaregistry/tenant/schemas', body)).$id;
  });
  const schemaOf = (i: number) => schemaIds[i % schemaCount]!;
  const [datasetIds, mappingSetIds, baseConnectionIds] = await Promise.all([
    mapWithConcurrency(Array.from({ length: datasetCount }), 8, async (_x, i) => {
      const refs = await p.call<string[]>('POST', '/data/foundation/catalog/dataSets', {
        name: `${prefix} dataset ${i}`,
        description: `${prefix} data ${i}`,
        schemaRef: { id: schemaOf(i), contentType: FULL_V1 },
      });
      return refs[0]!.replace('@/dataSets/', '');
    }),
    mapWithConcurrency(Array.from({ length: mappingCount }), 8, async (_x, i) => {
      const body = {
        name: `${prefix} mapping ${i}`,
        outputSchema: { schemaRef: { id: schemaOf(i), contentType: FULL_V1 } },
        mappings: [{ sourceType: 'ATTRIBUTE', source: 'first_name', destination: 'person.name.firstName' }],
      };
      return (await p.call<{ id: string }>('POST', '/data/foundation/conversion/mappingSets', body)).id;
    }),
    mapWithConcurrency(Array.from({ length: baseCount }), 8, async (_x, i) => {
      const body = {
        name: `${prefix} S3 ${i}`,
        auth: { specName: 'Access Key', params: { s3AccessKey: `AKIA${i}`, s3SecretKey: SEEDED_SECRET } },
        connectionSpec: { id: S3_SPEC, version: '1.0' },
      };
      return (await p.call<{ id: string }>('POST', `${FS}/connections`, body)).id;
    }),
  ]);

  const startTime = Math.floor(Date.now() / 1000);
  const flows = await mapWithConcurrency(
    Array.from({ length: options.flows }),
    options.beforeFlow === undefined ? 32 : 1,
    async (_x, i): Promise<SeededFlow> => {
      await options.beforeFlow?.(i);
      const datasetIndex = i % datasetCount;
      const schemaIndex = datasetIndex % schemaCount;
      const datasetId = datasetIds[datasetIndex]!;
      const schemaId = schemaIds[schemaIndex]!;
      // a mapping set of the dataset's schema (mapping set j targets schema j % schemaCount)
      const perSchema = Math.max(1, Math.floor(mappingCount / schemaCount));
      const mappingSetId = mappingSetIds[schemaIndex + schemaCount * (i % perSchema)]!;
      const baseConnectionId = baseConnectionIds[i % baseCount]!;
      const name = options.nameOf?.(i) ?? `${prefix} flow ${String(i).padStart(3, '0')}`;
      const [source, target] = await Promise.all([
        p.call<{ id: string }>('POST', `${FS}/sourceConnections`, {
          name: `${name} source`,
          baseConnectionId,
          data: { format: 'delimited' },
          params: { path: `/${prefix.toLowerCase()}/${i}.csv`, type: 'file' },
          connectionSpec: { id: S3_SPEC, version: '1.0' },
        }),
        p.call<{ id: string }>('POST', `${FS}/targetConnections`, {
          name: `${name} target`,
          data: { schema: { id: schemaId, version: FULL_V1 } },
          params: { dataSetId: datasetId },
          connectionSpec: { id: DATA_LAKE_SPEC, version: '1.0' },
        }),
      ]);
      const flow = await p.call<{ id: string }>('POST', `${FS}/flows`, {
        name,
        description: options.descriptionOf?.(i),
        flowSpec: { id: CLOUD_STORAGE_FLOW_SPEC, version: '1.0' },
        sourceConnectionIds: [source.id],
        targetConnectionIds: [target.id],
        transformations: [{ name: 'Mapping', params: { mappingId: mappingSetId, mappingVersion: 0 } }],
        scheduleParams: options.scheduleOf?.(i) ?? { startTime, frequency: 'once' },
      });
      if (options.runs === true) {
        await p.call('POST', `${FS}/runs`, {
          flowId: flow.id,
          params: { startTime, windowStartTime: startTime - 3600, windowEndTime: startTime },
        });
      }
      return {
        id: flow.id,
        name,
        baseConnectionId,
        sourceConnectionId: source.id,
        targetConnectionId: target.id,
        datasetId,
        schemaId,
        mappingSetId,
      };
    },
  );

  return {
    flows,
    schemaIds,
    datasetIds,
    mappingSetIds,
    baseConnectionIds,
    allIds: () => [
      ...schemaIds,
      ...datasetIds,
      ...mappingSetIds,
      ...baseConnectionIds,
      ...flows.flatMap((f) => [f.id, f.sourceConnectionId, f.targetConnectionId]),
    ],
  };
}

/** Finishes every started run of `p`'s org now, through the emulator's settle control: no waiting on time. */
export async function finishRuns(
  p: Platform,
  control: (method: string, path: string, body?: unknown) => Promise<unknown>,
): Promise<void> {
  await control('POST', '/__emulator/runs/settle', { org: p.org, sandbox: p.sandbox });
}

/** What the REST API says an org holds: the ground truth GraphQL answers are compared with. */
export interface RestSnapshot {
  flows: FlowDto[];
  connections: ConnectionDto[];
  sources: SourceConnectionDto[];
  targets: TargetConnectionDto[];
  flowSpecs: FlowSpecDto[];
  datasets: Record<string, DataSetDto>;
}

export async function restSnapshot(p: Platform): Promise<RestSnapshot> {
  const [flows, connections, sources, targets, flowSpecs, datasets] = await Promise.all([
    listAll<FlowDto>(p, 'flows'),
    listAll<ConnectionDto>(p, 'connections'),
    listAll<SourceConnectionDto>(p, 'sourceConnections'),
    listAll<TargetConnectionDto>(p, 'targetConnections'),
    p.call<{ items: FlowSpecDto[] }>('GET', `${FS}/flowSpecs`).then((b) => b.items),
    p.call<Record<string, DataSetDto>>('GET', '/data/foundation/catalog/dataSets?limit=100'),
  ]);
  return { flows, connections, sources, targets, flowSpecs, datasets };
}
