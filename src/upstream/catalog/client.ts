import { chunkIds } from '../chunkIds.ts';
import type { Credentials } from '../credentials.ts';
import { UpstreamError } from '../http.ts';
import type { HttpTransport, Query } from '../http.ts';
import { ServiceHttp, segment } from '../serviceHttp.ts';
import type { BatchDto, CatalogRefsDto, CreateDataSetDto, DataSetDto, KeyedDto, LastBatchDto } from './types.ts';
import { CATALOG_BASE_PATH, CATALOG_LIMITS, idOfCatalogRef } from './wire.ts';

/** Ids per multi-get (§8): Catalog pages at ≤100 objects. */
const MAX_IDS_PER_REQUEST = CATALOG_LIMITS.max;
/** Catalog caps `limit` at 20 when `observableSchema` is among the requested properties (§3.4). */
const MAX_IDS_WITH_OBSERVABLE_SCHEMA = CATALOG_LIMITS.maxWithObservableSchema;

type C = Credentials;

export interface CatalogListOptions {
  /** 1–100; always sent, the service defaults to 20 otherwise. */
  limit: number;
  /** 0-based offset. */
  start?: number;
  /** Top-level properties to keep. */
  properties?: readonly string[];
  /** `asc:name`, `desc:updated`, comma list for secondary keys. */
  orderBy?: string;
  /** Simple filters and `property=`/`tags=` expressions, as query parameters (§3.4). */
  filters?: Record<string, string>;
}

export interface BatchListOptions extends CatalogListOptions {
  /** A dataset id, or a comma list (any-of). */
  dataSet?: string;
  /** A batch status, or a comma list of them (any-of). */
  status?: string;
}

export interface CatalogPage<T> {
  items: Array<{ id: string; dto: T }>;
  /** Offset of the next page; `null` when this page was short. Catalog reports no total. */
  nextStart: number | null;
}

/**
 * Catalog (`/data/foundation/catalog`). Responses are objects keyed by id; multi-gets
 * (`/dataSets/a,b,c`, `/batches/a,b`, `/lastBatches?dataSetId=a,b`) return such a map with
 * missing ids absent.
 */
export class CatalogClient {
  readonly #http: ServiceHttp;

  constructor(options: { transport: HttpTransport; baseUrl: string }) {
    this.#http = new ServiceHttp(options.transport, 'catalog', options.baseUrl.replace(/\/+$/, '') + CATALOG_BASE_PATH);
  }

  getDataSet(c: C, id: string, options: { properties?: readonly string[] } = {}): Promise<DataSetDto | null> {
    return this.#getOne<DataSetDto>(c, '/dataSets', id, options.properties);
  }

  getDataSetsByIds(
    c: C,
    ids: readonly string[],
    options: { properties?: readonly string[] } = {},
  ): Promise<KeyedDto<DataSetDto>> {
    return this.#getMany<DataSetDto>(c, '/dataSets', ids, options.properties);
  }

  listDataSets(c: C, options: CatalogListOptions): Promise<CatalogPage<DataSetDto>> {
    return this.#list<DataSetDto>(c, '/dataSets', options, {});
  }

  /** Answers the new dataset id (parsed from `["@/dataSets/{id}"]`). */
  async createDataSet(c: C, body: CreateDataSetDto): Promise<string> {
    const res = await this.#http.call<CatalogRefsDto | undefined>(c, 'POST', '/dataSets', { body });
    const id = idOfCatalogRef('dataSets', Array.isArray(res.body) ? res.body[0] : undefined);
    if (id === undefined) {
      throw new UpstreamError({
        service: 'catalog',
        method: 'POST',
        path: `${CATALOG_BASE_PATH}/dataSets`,
        status: res.status,
        reason: 'no dataset reference in the response',
      });
    }
    return id;
  }

  /** `true` when deleted, `false` when already gone. */
  deleteDataSet(c: C, id: string): Promise<boolean> {
    return this.#http.remove(c, `/dataSets/${segment(id)}`);
  }

  getBatch(c: C, id: string): Promise<BatchDto | null> {
    return this.#getOne<BatchDto>(c, '/batches', id, undefined);
  }

  getBatchesByIds(c: C, ids: readonly string[]): Promise<KeyedDto<BatchDto>> {
    return this.#getMany<BatchDto>(c, '/batches', ids, undefined);
  }

  listBatches(c: C, options: BatchListOptions): Promise<CatalogPage<BatchDto>> {
    return this.#list<BatchDto>(c, '/batches', options, { dataSet: options.dataSet, status: options.status });
  }

  /** Last, last successful and last failed batch per dataset, keyed by dataset id. */
  async getLastBatches(c: C, dataSetIds: readonly string[]): Promise<KeyedDto<LastBatchDto>> {
    const chunks = chunkIds(dataSetIds, MAX_IDS_PER_REQUEST);
    const maps = await Promise.all(
      chunks.map((chunk) => this.#http.find<KeyedDto<LastBatchDto>>(c, '/lastBatches', { dataSetId: chunk.join(',') })),
    );
    return merge(maps);
  }

  async #getOne<T>(c: C, collection: string, id: string, properties: readonly string[] | undefined): Promise<T | null> {
    const query = { properties: properties === undefined ? undefined : properties.join(',') };
    const body = await this.#http.find<KeyedDto<T>>(c, `${collection}/${segment(id)}`, query);
    return body !== null && typeof body === 'object' && Object.hasOwn(body, id) ? (body[id] ?? null) : null;
  }

  /** `GET /x/a,b,c?limit=n`: `limit` always sent (default 20 would truncate); a 404 means none of the chunk exists. */
  async #getMany<T>(
    c: C,
    collection: string,
    ids: readonly string[],
    properties: readonly string[] | undefined,
  ): Promise<KeyedDto<T>> {
    const size =
      properties?.includes('observableSchema') === true ? MAX_IDS_WITH_OBSERVABLE_SCHEMA : MAX_IDS_PER_REQUEST;
    const chunks = chunkIds(ids, size);
    const maps = await Promise.all(
      chunks.map((chunk) =>
        this.#http.find<KeyedDto<T>>(c, `${collection}/${chunk.map(segment).join(',')}`, {
          limit: String(chunk.length),
          properties: properties === undefined ? undefined : properties.join(','),
        }),
      ),
    );
    return merge(maps);
  }

  async #list<T>(c: C, collection: string, options: CatalogListOptions, extra: Query): Promise<CatalogPage<T>> {
    const start = options.start ?? 0;
    const body = await this.#http.get<KeyedDto<T> | undefined>(c, collection, {
      ...options.filters,
      ...extra,
      limit: String(options.limit),
      start: String(start),
      properties: options.properties === undefined ? undefined : options.properties.join(','),
      orderBy: options.orderBy,
    });
    const items = Object.entries(body ?? {}).map(([id, dto]) => ({ id, dto }));
    return { items, nextStart: items.length >= options.limit ? start + items.length : null };
  }
}

function merge<T>(maps: ReadonlyArray<KeyedDto<T> | null>): KeyedDto<T> {
  const out: KeyedDto<T> = {};
  for (const map of maps) if (map !== null && typeof map === 'object') Object.assign(out, map);
  return out;
}
