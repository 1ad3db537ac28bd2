/**
 * The dashboard read, three ways: through the GraphQL API, as the tutorials' REST script
 * (one call per resource, sequential), and as the best hand-written REST client (parallel,
 * every multi-get). Each returns the same rows, so the parent can check the answers agree.
 */
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { Pool } from 'undici';
import { createUpstreamClients, type UpstreamClients } from '../src/upstream/clients.ts';
import type { Credentials } from '../src/upstream/credentials.ts';
import type { FlowDto, RunDto } from '../src/upstream/flowService/types.ts';
import { HttpTransport, type UpstreamRequest, type UpstreamResponse } from '../src/upstream/http.ts';

export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard($first: Int!, $after: String) {
    flows(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        state
        flowSpec {
          id
          name
        }
        sourceConnections {
          id
          name
          baseConnection {
            id
            name
          }
          connectionSpec {
            id
            name
          }
        }
        targetConnections {
          id
          name
          dataset {
            id
            name
          }
          schema {
            id
            title
          }
        }
        mappingSetId
        lastRun {
          id
          status
          startedAt
          completedAt
          metrics {
            inputRecords
            outputRecords
            failedRecords
          }
        }
      }
    }
  }
`;

/** One dashboard line, reduced to what every variant must agree on. */
type Row = [
  flowId: string,
  flowSpec: string,
  sources: string,
  targets: string,
  mappingSetId: string,
  lastRunId: string,
];

export interface DashboardResult {
  wallMs: number;
  /** Response bytes the caller downloaded (GraphQL responses, or every REST body), as sent: compressed when they were. */
  bytes: number;
  /** The GraphQL answers' `Content-Encoding` (`identity` when none). */
  encoding?: string;
  /** REST only, when asked (`estimateGzip`): the bodies' bytes had the Platform gzipped them. */
  gzipBytes?: number;
  flows: number;
  /** sha1 of the sorted rows: equal digests = the same answer. */
  digest: string;
}

export interface DashboardArgs {
  /** Flows in all, read as pages of `pageSize`. */
  n: number;
  pageSize: number;
  /** Sent as `Accept-Encoding` with every GraphQL request (none when absent: answers come uncompressed). */
  acceptEncoding?: string;
  /** REST only: also gzip every body to count what a compressing Platform would send (the run is then not a timing). */
  estimateGzip?: boolean;
}

function digestOf(rows: Row[]): string {
  rows.sort((a, b) => a[0].localeCompare(b[0]));
  return createHash('sha1').update(JSON.stringify(rows)).digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------
// GraphQL

const pools = new Map<string, Pool>();

function poolFor(origin: string, connections = 4): Pool {
  let pool = pools.get(origin);
  if (pool === undefined) {
    pool = new Pool(origin, { connections, keepAliveTimeout: 30_000 });
    pools.set(origin, pool);
  }
  return pool;
}

export async function closePools(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()));
  pools.clear();
}

/** A body as sent with `Content-Encoding: encoding`, decoded (as a browser does). */
function decode(raw: Buffer, encoding: string): Buffer {
  if (encoding === 'identity') return raw;
  if (encoding === 'br') return brotliDecompressSync(raw);
  if (encoding === 'gzip') return gunzipSync(raw);
  if (encoding === 'deflate') return inflateSync(raw);
  throw new Error(`GraphQL answer in an unknown encoding: ${encoding}`);
}

/** POSTs one operation; answers the parsed JSON, the body's size as sent and its encoding. */
export async function postGraphql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ json: any; bytes: number; encoding: string }> {
  const u = new URL(url);
  const res = await poolFor(u.origin).request({
    method: 'POST',
    path: u.pathname,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const header = res.headers['content-encoding'];
  const encoding = typeof header === 'string' ? header : 'identity';
  const text = decode(raw, encoding).toString('utf8');
  if (res.statusCode !== 200) throw new Error(`GraphQL ${res.statusCode}: ${text.slice(0, 300)}`);
  const json = JSON.parse(text);
  if (json.errors !== undefined) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return { json, bytes: raw.length, encoding };
}

export async function graphqlDashboard(apiUrl: string, args: DashboardArgs): Promise<DashboardResult> {
  const started = performance.now();
  const rows: Row[] = [];
  let bytes = 0;
  let encoding = 'identity';
  let after: string | null = null;
  const headers: Record<string, string> =
    args.acceptEncoding === undefined ? {} : { 'accept-encoding': args.acceptEncoding };
  while (rows.length < args.n) {
    const answer = await postGraphql(
      apiUrl,
      DASHBOARD_QUERY,
      { first: Math.min(args.pageSize, args.n - rows.length), after },
      headers,
    );
    const json = answer.json;
    bytes += answer.bytes;
    encoding = answer.encoding;
    const conn = json.data.flows;
    for (const f of conn.nodes) {
      rows.push([
        f.id,
        f.flowSpec?.name ?? '',
        f.sourceConnections.map((s: any) => `${s.name}/${s.baseConnection?.name}/${s.connectionSpec?.name}`).join(';'),
        f.targetConnections.map((t: any) => `${t.name}/${t.dataset?.name}/${t.schema?.title}`).join(';'),
        f.mappingSetId ?? '',
        f.lastRun?.id ?? '',
      ]);
    }
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  const wallMs = performance.now() - started;
  return { wallMs, bytes, encoding, flows: rows.length, digest: digestOf(rows) };
}

// ---------------------------------------------------------------------------
// REST, with the project's own upstream clients

/** The transport, counting the bytes of every response body it reads. */
class CountingTransport extends HttpTransport {
  bytes = 0;
  /**
   * While set, also the bytes each JSON body would be gzipped (default level): what a
   * Platform that compressed would send. Costs CPU on the caller's path, so only for runs
   * that are not timed.
   */
  estimateGzip = false;
  gzipBytes = 0;

  override async request<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    try {
      const res = await super.request<T>(req);
      this.bytes += Number(res.headers['content-length'] ?? 0);
      if (this.estimateGzip) this.gzipBytes += gzipSync(JSON.stringify(res.body)).length;
      return res;
    } catch (err) {
      // a 404 on a single GET is an answer too; its body still crossed the wire
      const body = (err as { body?: unknown }).body;
      if (body !== undefined) this.bytes += Buffer.byteLength(JSON.stringify(body));
      throw err;
    }
  }
}

export interface RestCaller {
  clients: UpstreamClients;
  transport: CountingTransport;
  c: Credentials;
}

export function restCaller(platformUrl: string, c: Credentials): RestCaller {
  // idle connections kept a minute, as a browser keeps them (and as long as the emulator does)
  const transport = new CountingTransport({ connections: 32, keepAliveTimeout: 60_000 });
  return { clients: createUpstreamClients({ platformUrl, streamingUrl: platformUrl, transport }), transport, c };
}

const mappingId = (f: FlowDto): string =>
  String(
    (f.transformations.find((t) => t.name === 'Mapping')?.params as { mappingId?: string } | undefined)?.mappingId ??
      '',
  );

/**
 * What the tutorials show: list the flows, then for each flow GET its flow spec, each source
 * connection with its base connection and connection spec, each target connection with its
 * dataset and schema, and its last run, one request at a time. A resource already fetched
 * in this load is not fetched again (the most a script does without batching).
 */
export async function tutorialDashboard(r: RestCaller, args: DashboardArgs): Promise<DashboardResult> {
  const { flowService: fs, catalog, schemaRegistry } = r.clients;
  const c = r.c;
  const seen = new Map<string, unknown>();
  const once = async <T>(key: string, get: () => Promise<T>): Promise<T> => {
    if (!seen.has(key)) seen.set(key, await get());
    return seen.get(key) as T;
  };
  const before = r.transport.bytes;
  const started = performance.now();
  const rows: Row[] = [];
  let token: string | undefined;
  while (rows.length < args.n) {
    const page = await fs.listFlows(c, {
      orderby: '-createdAt',
      limit: Math.min(args.pageSize, args.n - rows.length),
      continuationToken: token,
    });
    for (const f of page.items) {
      const spec = await once(`fs/${f.flowSpec.id}`, () => fs.getFlowSpec(c, f.flowSpec.id));
      const sources: string[] = [];
      for (const id of f.sourceConnectionIds) {
        const s = await once(`sc/${id}`, () => fs.getSourceConnection(c, id));
        const base =
          s?.baseConnectionId === undefined
            ? null
            : await once(`bc/${s.baseConnectionId}`, () => fs.getConnection(c, s.baseConnectionId!));
        const cs =
          s === null
            ? null
            : await once(`cs/${s.connectionSpec.id}`, () => fs.getConnectionSpec(c, s.connectionSpec.id));
        sources.push(`${s?.name}/${base?.name}/${cs?.name}`);
      }
      const targets: string[] = [];
      for (const id of f.targetConnectionIds) {
        const t = await once(`tc/${id}`, () => fs.getTargetConnection(c, id));
        const dsId = t?.params?.dataSetId;
        const ds = dsId === undefined ? null : await once(`ds/${dsId}`, () => catalog.getDataSet(c, dsId));
        const schemaId = t?.data?.schema?.id;
        const schema =
          schemaId === undefined ? null : await once(`xdm/${schemaId}`, () => schemaRegistry.getSchema(c, schemaId));
        targets.push(`${t?.name}/${ds?.name}/${schema?.title}`);
      }
      const runId = f.lastRunDetails?.id;
      const run = runId === undefined ? null : await once<RunDto | null>(`run/${runId}`, () => fs.getRun(c, runId));
      rows.push([f.id, spec?.name ?? '', sources.join(';'), targets.join(';'), mappingId(f), run?.id ?? '']);
    }
    if (page.next === null) break;
    token = page.next;
  }
  const wallMs = performance.now() - started;
  return { wallMs, bytes: r.transport.bytes - before, flows: rows.length, digest: digestOf(rows) };
}

const uniq = <T>(xs: Iterable<T | undefined>): T[] => [...new Set([...xs].filter((x): x is T => x !== undefined))];

/**
 * The best a hand-written client can do per page: list the flows, then everything the flows
 * name (flow specs, connection specs and base connections through `inheritedAttributes`,
 * source and target connections, last runs) in parallel multi-gets, then the datasets
 * (one multi-get) and schemas (no multi-get: one GET each, in parallel) the targets name.
 */
export async function bestDashboard(r: RestCaller, args: DashboardArgs): Promise<DashboardResult> {
  if (args.estimateGzip !== true) return bestDashboardRead(r, args);
  const before = r.transport.gzipBytes;
  r.transport.estimateGzip = true;
  try {
    const result = await bestDashboardRead(r, args);
    return { ...result, gzipBytes: r.transport.gzipBytes - before };
  } finally {
    r.transport.estimateGzip = false;
  }
}

async function bestDashboardRead(r: RestCaller, args: DashboardArgs): Promise<DashboardResult> {
  const { flowService: fs, catalog, schemaRegistry } = r.clients;
  const c = r.c;
  const before = r.transport.bytes;
  const started = performance.now();
  const rows: Row[] = [];
  let token: string | undefined;
  while (rows.length < args.n) {
    const page = await fs.listFlows(c, {
      orderby: '-createdAt',
      limit: Math.min(args.pageSize, args.n - rows.length),
      continuationToken: token,
    });
    const flows = page.items;
    const inherited = flows.flatMap((f) => f.inheritedAttributes.sourceConnections);
    const [flowSpecs, connectionSpecs, bases, sources, targets, runs] = await Promise.all([
      fs.getFlowSpecsByIds(c, uniq(flows.map((f) => f.flowSpec.id))),
      fs.getConnectionSpecsByIds(c, uniq(inherited.map((s) => s.connectionSpec.id))),
      fs.getConnectionsByIds(c, uniq(inherited.map((s) => s.baseConnection?.id))),
      fs.getSourceConnectionsByIds(c, uniq(flows.flatMap((f) => f.sourceConnectionIds))),
      fs.getTargetConnectionsByIds(c, uniq(flows.flatMap((f) => f.targetConnectionIds))),
      fs.getRunsByIds(c, uniq(flows.map((f) => f.lastRunDetails?.id))),
    ]);
    const schemaIds = uniq(targets.map((t) => t.data?.schema?.id));
    const [datasets, ...schemas] = await Promise.all([
      catalog.getDataSetsByIds(c, uniq(targets.map((t) => t.params?.dataSetId)), { properties: ['name'] }),
      ...schemaIds.map((id) => schemaRegistry.getSchema(c, id)),
    ]);
    const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
    const [specById, csById, baseById, srcById, tgtById, runById] = [
      byId(flowSpecs),
      byId(connectionSpecs),
      byId(bases),
      byId(sources),
      byId(targets),
      byId(runs),
    ];
    const schemaById = new Map(schemaIds.map((id, i) => [id, schemas[i]]));
    for (const f of flows) {
      const src = f.sourceConnectionIds.map((id) => {
        const s = srcById.get(id);
        return `${s?.name}/${s?.baseConnectionId === undefined ? undefined : baseById.get(s.baseConnectionId)?.name}/${s === undefined ? undefined : csById.get(s.connectionSpec.id)?.name}`;
      });
      const tgt = f.targetConnectionIds.map((id) => {
        const t = tgtById.get(id);
        const dsId = t?.params?.dataSetId;
        const schemaId = t?.data?.schema?.id;
        return `${t?.name}/${dsId === undefined ? undefined : datasets[dsId]?.name}/${schemaId === undefined ? undefined : schemaById.get(schemaId)?.title}`;
      });
      const runId = f.lastRunDetails?.id;
      rows.push([
        f.id,
        specById.get(f.flowSpec.id)?.name ?? '',
        src.join(';'),
        tgt.join(';'),
        mappingId(f),
        runId === undefined ? '' : (runById.get(runId)?.id ?? ''),
      ]);
    }
    if (page.next === null) break;
    token = page.next;
  }
  const wallMs = performance.now() - started;
  return { wallMs, bytes: r.transport.bytes - before, flows: rows.length, digest: digestOf(rows) };
}
