import { chunkIds } from '../chunkIds.ts';
import type { Credentials } from '../credentials.ts';
import { segment } from '../serviceHttp.ts';
import type { ServiceHttp } from '../serviceHttp.ts';
import type { CountDto, IdEtagDto, ItemsDto, JsonPatchOpDto } from './types.ts';

/** Ids per `property=id==a,b,c` request: keeps the URL short (a UUID is ~40 encoded chars). */
export const MAX_IDS_PER_REQUEST = 100;
/** Guard against a server that keeps answering with a next link. */
const MAX_PAGES = 1_000;

export interface ListOptions {
  /** Filter expressions (`state==enabled`), AND-ed (CONTRACT §2.4). */
  property?: readonly string[];
  /** `name`, `-createdAt`, `+updatedAt`. */
  orderby?: string;
  limit?: number;
  continuationToken?: string;
}

export interface DrainOptions {
  property?: readonly string[];
  orderby?: string;
  /** Page size of each request; every page is followed either way. */
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** Continuation token for the next page, `null` on the last one. */
  next: string | null;
}

/** One Flow Service collection (`/flows`, `/connections`, ...): every endpoint shape of §2.1 and §2.3. */
export class FlowCollection<T> {
  readonly #http: ServiceHttp;
  readonly #path: string;

  constructor(http: ServiceHttp, path: string) {
    this.#http = http;
    this.#path = path;
  }

  /** `GET /x/{id}` answers `{items:[obj]}`; `null` when the service answers 404. */
  async get(c: Credentials, id: string): Promise<T | null> {
    const body = await this.#http.find<ItemsDto<T>>(c, `${this.#path}/${segment(id)}`);
    return body?.items[0] ?? null;
  }

  /** One page. */
  async list(c: Credentials, options: ListOptions = {}): Promise<Page<T>> {
    const body = await this.#http.get<ItemsDto<T>>(c, this.#path, {
      property: options.property,
      orderby: options.orderby,
      limit: options.limit === undefined ? undefined : String(options.limit),
      continuationToken: options.continuationToken,
    });
    return { items: body.items, next: continuationToken(body) };
  }

  /** Every matching item, following `_links.next` to the last page (page sizes are undocumented). */
  async listAll(c: Credentials, options: DrainOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.list(c, { ...options, continuationToken: token });
      items.push(...result.items);
      if (result.next === null || result.next === token) return items;
      token = result.next;
    }
    throw new Error(`flowService ${this.#path}: still paging after ${MAX_PAGES} pages`);
  }

  /**
   * Items whose `field` equals any of `values` (`property=field==a,b,c`): at most 100 values
   * per request, the requests in parallel, each drained. Order across chunks is unspecified.
   */
  async listByAnyOf(
    c: Credentials,
    field: string,
    values: readonly string[],
    options: DrainOptions = {},
  ): Promise<T[]> {
    const chunks = chunkIds(values, MAX_IDS_PER_REQUEST);
    const pages = await Promise.all(
      chunks.map((chunk) =>
        this.listAll(c, { ...options, property: [`${field}==${chunk.join(',')}`, ...(options.property ?? [])] }),
      ),
    );
    return pages.flat();
  }

  /** The multi-get: the found objects, missing ids simply absent. */
  getByIds(c: Credentials, ids: readonly string[]): Promise<T[]> {
    return this.listByAnyOf(c, 'id', ids);
  }

  /** `count=true` answers only `{count}`; it must not be combined with `limit` (FLOW-1401-400). */
  async count(c: Credentials, property: readonly string[] = []): Promise<number> {
    const body = await this.#http.get<CountDto>(c, this.#path, { count: 'true', property });
    return body.count;
  }

  create(c: Credentials, body: unknown): Promise<IdEtagDto> {
    return this.#http.send<IdEtagDto>(c, 'POST', this.#path, body);
  }

  /** JSON Patch with the current etag (quotes included) in `If-Match`; answers the new etag. */
  patch(c: Credentials, id: string, etag: string, ops: readonly JsonPatchOpDto[]): Promise<IdEtagDto> {
    return this.#http.send<IdEtagDto>(c, 'PATCH', `${this.#path}/${segment(id)}`, ops, { 'if-match': etag });
  }

  /** `true` when deleted, `false` when already gone. */
  delete(c: Credentials, id: string): Promise<boolean> {
    return this.#http.remove(c, `${this.#path}/${segment(id)}`);
  }
}

/** `_links.next.href` is relative (`/flows?continuationToken=...`, §2.3). */
function continuationToken(body: ItemsDto<unknown>): string | null {
  const href = body._links?.next?.href;
  if (href === undefined || href === '') return null;
  return new URL(href, 'http://next.invalid').searchParams.get('continuationToken');
}
