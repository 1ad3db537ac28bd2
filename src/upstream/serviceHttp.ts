import { platformHeaders, tenantOf } from './credentials.ts';
import type { Credentials } from './credentials.ts';
import { isNotFound } from './http.ts';
import type { HttpMethod, HttpTransport, Query, ServiceName, UpstreamResponse } from './http.ts';
import { UNVERIFIED_TENANT } from './tenantLimiter.ts';

export interface CallOptions {
  query?: Query;
  headers?: Record<string, string>;
  body?: unknown;
  expect?: readonly number[];
}

/** The transport bound to one service and base URL; adds the platform headers of the caller. */
export class ServiceHttp {
  readonly #transport: HttpTransport;
  readonly #service: ServiceName;
  readonly #baseUrl: string;

  constructor(transport: HttpTransport, service: ServiceName, baseUrl: string) {
    this.#transport = transport;
    this.#service = service;
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /**
   * `c === null` sends no platform headers (unauthenticated streaming inlets). A caller the
   * platform has not confirmed yet calls under `UNVERIFIED_TENANT`, never under the tenant
   * its headers name; a 2xx answer of a gateway service confirms it.
   */
  async call<T>(
    c: Credentials | null,
    method: HttpMethod,
    path: string,
    options: CallOptions = {},
  ): Promise<UpstreamResponse<T>> {
    const callers = this.#transport.callers;
    const confirmed = c === null || callers === undefined || callers.has(c);
    const res = await this.#transport.request<T>({
      service: this.#service,
      method,
      url: this.#baseUrl + path,
      query: options.query,
      headers: { ...(c === null ? {} : platformHeaders(c)), ...options.headers },
      body: options.body,
      expect: options.expect,
      scope: c?.scope,
      tenant: c === null ? undefined : confirmed ? tenantOf(c) : UNVERIFIED_TENANT,
    });
    // the streaming inlets authorise by inlet, not by the gateway's org and sandbox check
    if (c !== null && this.#service !== 'streaming' && res.status >= 200 && res.status < 300) callers?.record(c);
    return res;
  }

  async get<T>(c: Credentials, path: string, query?: Query, headers?: Record<string, string>): Promise<T> {
    return (await this.call<T>(c, 'GET', path, { query, headers })).body;
  }

  /** A GET that resolves `null` when the service answers 404 for the resource. */
  async find<T>(c: Credentials, path: string, query?: Query, headers?: Record<string, string>): Promise<T | null> {
    try {
      return await this.get<T>(c, path, query, headers);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async send<T>(
    c: Credentials,
    method: HttpMethod,
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    return (await this.call<T>(c, method, path, { body, headers })).body;
  }

  /** DELETE: `true` when deleted, `false` when the resource was already gone (404). */
  async remove(c: Credentials, path: string): Promise<boolean> {
    try {
      await this.call(c, 'DELETE', path);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}

/** One path segment; ids are URL-encoded so an XDM `$id` or a stray `/` cannot change the route. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
