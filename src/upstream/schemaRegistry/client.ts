import type { Credentials } from '../credentials.ts';
import type { HttpTransport } from '../http.ts';
import { ServiceHttp, segment } from '../serviceHttp.ts';
import { SCHEMA_REGISTRY_BASE_PATH, XED, XED_FULL_V1, XED_ID, XED_V1, containerOf } from './wire.ts';
import type { CreateXdmResourceDto, XdmListDto, XdmResourceDto, XdmSummaryDto } from './types.ts';

/** Guard against a server that keeps answering with a next page. */
const MAX_PAGES = 1_000;

type C = Credentials;
export type XdmContainer = ReturnType<typeof containerOf>;

export interface LookupOptions {
  /** `xed-full` (`$ref`/`allOf` resolved into `properties`) instead of the raw form. */
  full?: boolean;
}

export interface SchemaListOptions {
  /** Filters: `title==Loyalty`, `meta:class==https://...`, `title~^Acme` (§4.5). */
  property?: readonly string[];
  /** `title`, `-title`; `start` and `limit` only work with it, so it defaults to `title` when either is set. */
  orderby?: string;
  /** Keyset: the `next` of the previous page. */
  start?: string;
  /** A hint, 0–500; the registry answers at most 300. */
  limit?: number;
  container?: XdmContainer;
  /** Full resources (`xed+json`) instead of `{$id, meta:altId, version, title}` summaries. */
  full?: boolean;
}

export interface XdmPage<T> {
  results: T[];
  /** Pass as `start` (same `orderby`) for the next page; `null` on the last one. */
  next: string | null;
}

/**
 * Schema Registry (`/data/foundation/schemaregistry`). No multi-get exists (§8): one GET
 * per resource, by URL-encoded `$id` or `meta:altId`, with a versioned `Accept`.
 * Lookups resolve `null` on 404.
 */
export class SchemaRegistryClient {
  readonly #http: ServiceHttp;

  constructor(options: { transport: HttpTransport; baseUrl: string }) {
    this.#http = new ServiceHttp(
      options.transport,
      'schemaRegistry',
      options.baseUrl.replace(/\/+$/, '') + SCHEMA_REGISTRY_BASE_PATH,
    );
  }

  getSchema(c: C, idOrAltId: string, options: LookupOptions = {}): Promise<XdmResourceDto | null> {
    return this.#lookup(c, 'schemas', idOrAltId, options);
  }

  getClass(c: C, idOrAltId: string, options: LookupOptions = {}): Promise<XdmResourceDto | null> {
    return this.#lookup(c, 'classes', idOrAltId, options);
  }

  getFieldGroup(c: C, idOrAltId: string, options: LookupOptions = {}): Promise<XdmResourceDto | null> {
    return this.#lookup(c, 'fieldgroups', idOrAltId, options);
  }

  listSchemas(c: C, options: SchemaListOptions & { full: true }): Promise<XdmPage<XdmResourceDto>>;
  listSchemas(c: C, options?: SchemaListOptions): Promise<XdmPage<XdmSummaryDto>>;
  async listSchemas(c: C, options: SchemaListOptions = {}): Promise<XdmPage<XdmSummaryDto | XdmResourceDto>> {
    const paged = options.start !== undefined || options.limit !== undefined;
    const body = await this.#http.get<XdmListDto>(
      c,
      `/${options.container ?? 'tenant'}/schemas`,
      {
        property: options.property,
        orderby: options.orderby ?? (paged ? 'title' : undefined),
        start: options.start,
        limit: options.limit === undefined ? undefined : String(options.limit),
      },
      { accept: options.full === true ? XED : XED_ID },
    );
    const next = body._page.next;
    return { results: body.results, next: typeof next === 'string' && next !== '' ? next : null };
  }

  /** Every schema summary of a container, page by page (keyset on `orderby`, default `title`). */
  async listAllSchemas(c: C, options: Omit<SchemaListOptions, 'start' | 'full'> = {}): Promise<XdmSummaryDto[]> {
    const results: XdmSummaryDto[] = [];
    const base = { ...options, orderby: options.orderby ?? 'title' };
    let start: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.listSchemas(c, { ...base, start });
      results.push(...result.results);
      if (result.next === null || result.next === start) return results;
      start = result.next;
    }
    throw new Error(`schemaRegistry: still paging after ${MAX_PAGES} pages`);
  }

  /** 201 with the created schema. */
  createSchema(c: C, body: CreateXdmResourceDto): Promise<XdmResourceDto> {
    return this.#http.send<XdmResourceDto>(c, 'POST', '/tenant/schemas', body);
  }

  /** 201 with the created class (ad-hoc classes come back with `_adhoc` renamed, §4.4). */
  createClass(c: C, body: CreateXdmResourceDto): Promise<XdmResourceDto> {
    return this.#http.send<XdmResourceDto>(c, 'POST', '/tenant/classes', body);
  }

  /** `true` when deleted, `false` when already gone. */
  deleteSchema(c: C, idOrAltId: string): Promise<boolean> {
    return this.#http.remove(c, `/tenant/schemas/${segment(idOrAltId)}`);
  }

  deleteClass(c: C, idOrAltId: string): Promise<boolean> {
    return this.#http.remove(c, `/tenant/classes/${segment(idOrAltId)}`);
  }

  #lookup(
    c: C,
    kind: 'schemas' | 'classes' | 'fieldgroups',
    idOrAltId: string,
    options: LookupOptions,
  ): Promise<XdmResourceDto | null> {
    const accept = options.full === true ? XED_FULL_V1 : XED_V1;
    return this.#http.find<XdmResourceDto>(c, `/${containerOf(idOrAltId)}/${kind}/${segment(idOrAltId)}`, undefined, {
      accept,
    });
  }
}
