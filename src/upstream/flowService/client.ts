import type { Credentials } from '../credentials.ts';
import { UpstreamError } from '../http.ts';
import type { HttpTransport } from '../http.ts';
import { ServiceHttp, segment } from '../serviceHttp.ts';
import { FlowCollection } from './collection.ts';
import type { DrainOptions, ListOptions, Page } from './collection.ts';
import type {
  ConnectionDto,
  ConnectionSpecDto,
  CreateConnectionDto,
  CreateFlowDto,
  CreateRunDto,
  CreateSourceConnectionDto,
  CreateTargetConnectionDto,
  ExploreItemDto,
  ExplorePreviewDto,
  ExploreQueryDto,
  FlowDto,
  FlowSpecDto,
  IdEtagDto,
  ItemsDto,
  JsonPatchOpDto,
  RunDto,
  SourceConnectionDto,
  TargetConnectionDto,
  TestConnectionDto,
} from './types.ts';
import { FLOW_SERVICE_BASE_PATH } from './wire.ts';

export type { DrainOptions, ListOptions, Page } from './collection.ts';

export interface ServiceClientOptions {
  transport: HttpTransport;
  /** Platform origin, e.g. `https://platform.adobe.io`; the service base path is appended. */
  baseUrl: string;
}

type C = Credentials;
type Ids = readonly string[];
type Ops = readonly JsonPatchOpDto[];

/**
 * Flow Service (`/data/foundation/flowservice`). Single GETs resolve `null` on 404;
 * `get*ByIds` use the `property=id==a,b,c` multi-get (≤100 ids per request, pages drained)
 * and return the found objects only; `list*` return one page; deletes resolve `false`
 * when the resource was already gone.
 */
export class FlowServiceClient {
  readonly #http: ServiceHttp;
  readonly #connectionSpecs: FlowCollection<ConnectionSpecDto>;
  readonly #flowSpecs: FlowCollection<FlowSpecDto>;
  readonly #connections: FlowCollection<ConnectionDto>;
  readonly #sourceConnections: FlowCollection<SourceConnectionDto>;
  readonly #targetConnections: FlowCollection<TargetConnectionDto>;
  readonly #flows: FlowCollection<FlowDto>;
  readonly #runs: FlowCollection<RunDto>;

  constructor(options: ServiceClientOptions) {
    const http = new ServiceHttp(
      options.transport,
      'flowService',
      options.baseUrl.replace(/\/+$/, '') + FLOW_SERVICE_BASE_PATH,
    );
    this.#http = http;
    this.#connectionSpecs = new FlowCollection(http, '/connectionSpecs');
    this.#flowSpecs = new FlowCollection(http, '/flowSpecs');
    this.#connections = new FlowCollection(http, '/connections');
    this.#sourceConnections = new FlowCollection(http, '/sourceConnections');
    this.#targetConnections = new FlowCollection(http, '/targetConnections');
    this.#flows = new FlowCollection(http, '/flows');
    this.#runs = new FlowCollection(http, '/runs');
  }

  // Specs: the list endpoints accept only `property` and answer everything (pages still followed).
  listConnectionSpecs(c: C, options: { property?: readonly string[] } = {}): Promise<ConnectionSpecDto[]> {
    return this.#connectionSpecs.listAll(c, { property: options.property });
  }
  getConnectionSpec(c: C, id: string): Promise<ConnectionSpecDto | null> {
    return this.#connectionSpecs.get(c, id);
  }
  getConnectionSpecsByIds(c: C, ids: Ids): Promise<ConnectionSpecDto[]> {
    return this.#connectionSpecs.getByIds(c, ids);
  }
  listFlowSpecs(c: C, options: { property?: readonly string[] } = {}): Promise<FlowSpecDto[]> {
    return this.#flowSpecs.listAll(c, { property: options.property });
  }
  getFlowSpec(c: C, id: string): Promise<FlowSpecDto | null> {
    return this.#flowSpecs.get(c, id);
  }
  getFlowSpecsByIds(c: C, ids: Ids): Promise<FlowSpecDto[]> {
    return this.#flowSpecs.getByIds(c, ids);
  }

  // Base connections.
  getConnection(c: C, id: string): Promise<ConnectionDto | null> {
    return this.#connections.get(c, id);
  }
  listConnections(c: C, options?: ListOptions): Promise<Page<ConnectionDto>> {
    return this.#connections.list(c, options);
  }
  getConnectionsByIds(c: C, ids: Ids): Promise<ConnectionDto[]> {
    return this.#connections.getByIds(c, ids);
  }
  countConnections(c: C, property?: readonly string[]): Promise<number> {
    return this.#connections.count(c, property);
  }
  createConnection(c: C, body: CreateConnectionDto): Promise<IdEtagDto> {
    return this.#connections.create(c, body);
  }
  patchConnection(c: C, id: string, etag: string, ops: Ops): Promise<IdEtagDto> {
    return this.#connections.patch(c, id, etag, ops);
  }
  deleteConnection(c: C, id: string): Promise<boolean> {
    return this.#connections.delete(c, id);
  }
  /** `GET /connections/{id}/test`: whether the platform reaches the source with the stored credentials. */
  async testConnection(c: C, id: string): Promise<TestConnectionDto> {
    return this.#http.get<TestConnectionDto>(c, `/connections/${segment(id)}/test`);
  }
  /** `GET /connections/{id}/explore`: a listing (root, folder) or, with `preview`, a file's or table's structure. */
  async exploreConnection(c: C, id: string, q: ExploreQueryDto): Promise<ExploreItemDto[] | ExplorePreviewDto> {
    return this.#http.get<ExploreItemDto[] | ExplorePreviewDto>(c, `/connections/${segment(id)}/explore`, {
      objectType: q.objectType,
      object: q.object,
      preview: q.preview === undefined ? undefined : String(q.preview),
      fileType: q.fileType,
      columnDelimiter: q.columnDelimiter,
      compressionType: q.compressionType,
    });
  }

  // Source connections.
  getSourceConnection(c: C, id: string): Promise<SourceConnectionDto | null> {
    return this.#sourceConnections.get(c, id);
  }
  listSourceConnections(c: C, options?: ListOptions): Promise<Page<SourceConnectionDto>> {
    return this.#sourceConnections.list(c, options);
  }
  getSourceConnectionsByIds(c: C, ids: Ids): Promise<SourceConnectionDto[]> {
    return this.#sourceConnections.getByIds(c, ids);
  }
  countSourceConnections(c: C, property?: readonly string[]): Promise<number> {
    return this.#sourceConnections.count(c, property);
  }
  createSourceConnection(c: C, body: CreateSourceConnectionDto): Promise<IdEtagDto> {
    return this.#sourceConnections.create(c, body);
  }
  patchSourceConnection(c: C, id: string, etag: string, ops: Ops): Promise<IdEtagDto> {
    return this.#sourceConnections.patch(c, id, etag, ops);
  }
  deleteSourceConnection(c: C, id: string): Promise<boolean> {
    return this.#sourceConnections.delete(c, id);
  }
  /** `property=baseConnectionId==a,b`, every page. */
  listSourceConnectionsByBaseConnectionIds(
    c: C,
    baseConnectionIds: Ids,
    options?: DrainOptions,
  ): Promise<SourceConnectionDto[]> {
    return this.#sourceConnections.listByAnyOf(c, 'baseConnectionId', baseConnectionIds, options);
  }

  // Target connections.
  getTargetConnection(c: C, id: string): Promise<TargetConnectionDto | null> {
    return this.#targetConnections.get(c, id);
  }
  listTargetConnections(c: C, options?: ListOptions): Promise<Page<TargetConnectionDto>> {
    return this.#targetConnections.list(c, options);
  }
  getTargetConnectionsByIds(c: C, ids: Ids): Promise<TargetConnectionDto[]> {
    return this.#targetConnections.getByIds(c, ids);
  }
  countTargetConnections(c: C, property?: readonly string[]): Promise<number> {
    return this.#targetConnections.count(c, property);
  }
  createTargetConnection(c: C, body: CreateTargetConnectionDto): Promise<IdEtagDto> {
    return this.#targetConnections.create(c, body);
  }
  patchTargetConnection(c: C, id: string, etag: string, ops: Ops): Promise<IdEtagDto> {
    return this.#targetConnections.patch(c, id, etag, ops);
  }
  deleteTargetConnection(c: C, id: string): Promise<boolean> {
    return this.#targetConnections.delete(c, id);
  }
  /** `property=params.dataSetId==a,b`, every page: the target connections writing into these datasets. */
  listTargetConnectionsByDataSetIds(c: C, dataSetIds: Ids, options?: DrainOptions): Promise<TargetConnectionDto[]> {
    return this.#targetConnections.listByAnyOf(c, 'params.dataSetId', dataSetIds, options);
  }

  // Flows.
  getFlow(c: C, id: string): Promise<FlowDto | null> {
    return this.#flows.get(c, id);
  }
  listFlows(c: C, options?: ListOptions): Promise<Page<FlowDto>> {
    return this.#flows.list(c, options);
  }
  getFlowsByIds(c: C, ids: Ids): Promise<FlowDto[]> {
    return this.#flows.getByIds(c, ids);
  }
  countFlows(c: C, property?: readonly string[]): Promise<number> {
    return this.#flows.count(c, property);
  }
  createFlow(c: C, body: CreateFlowDto): Promise<IdEtagDto> {
    return this.#flows.create(c, body);
  }
  patchFlow(c: C, id: string, etag: string, ops: Ops): Promise<IdEtagDto> {
    return this.#flows.patch(c, id, etag, ops);
  }
  deleteFlow(c: C, id: string): Promise<boolean> {
    return this.#flows.delete(c, id);
  }
  /** `property=sourceConnectionIds[]==a,b`, every page. */
  listFlowsBySourceConnectionIds(c: C, sourceConnectionIds: Ids, options?: DrainOptions): Promise<FlowDto[]> {
    return this.#flows.listByAnyOf(c, 'sourceConnectionIds[]', sourceConnectionIds, options);
  }
  /** `property=targetConnectionIds[]==a,b`, every page. */
  listFlowsByTargetConnectionIds(c: C, targetConnectionIds: Ids, options?: DrainOptions): Promise<FlowDto[]> {
    return this.#flows.listByAnyOf(c, 'targetConnectionIds[]', targetConnectionIds, options);
  }

  /** `POST /flows/{id}/action?op=enable|disable`, no body (as the docs call it, §2.1). */
  async flowAction(c: C, id: string, op: 'enable' | 'disable'): Promise<IdEtagDto> {
    const res = await this.#http.call<IdEtagDto>(c, 'POST', `/flows/${segment(id)}/action`, { query: { op } });
    return res.body;
  }

  // Runs.
  getRun(c: C, id: string): Promise<RunDto | null> {
    return this.#runs.get(c, id);
  }
  listRuns(c: C, options?: ListOptions): Promise<Page<RunDto>> {
    return this.#runs.list(c, options);
  }
  getRunsByIds(c: C, ids: Ids): Promise<RunDto[]> {
    return this.#runs.getByIds(c, ids);
  }
  countRuns(c: C, property?: readonly string[]): Promise<number> {
    return this.#runs.count(c, property);
  }
  /**
   * Runs of many flows: `property=flowId==a,b` (≤100 flows per request), every page, extra
   * `property` filters AND-ed. The list form for `flowId` is not documented (§8); the
   * emulator supports it.
   */
  listRunsByFlowIds(c: C, flowIds: Ids, options?: DrainOptions): Promise<RunDto[]> {
    return this.#runs.listByAnyOf(c, 'flowId', flowIds, options);
  }

  /** On-demand run. Answers `{id, etag}`; the docs also show `{items:[{id, etag}]}` (§2.7), read both. */
  async createRun(c: C, body: CreateRunDto): Promise<IdEtagDto> {
    const res = await this.#http.call<IdEtagDto | ItemsDto<IdEtagDto> | undefined>(c, 'POST', '/runs', { body });
    const created = res.body;
    const item = typeof created === 'object' && 'items' in created ? created.items[0] : created;
    if (typeof item?.id !== 'string') {
      throw new UpstreamError({
        service: 'flowService',
        method: 'POST',
        path: `${FLOW_SERVICE_BASE_PATH}/runs`,
        status: res.status,
        reason: 'no run id in the response',
      });
    }
    return { id: item.id, etag: item.etag };
  }
}
