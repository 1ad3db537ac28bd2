import type { IncomingHttpHeaders } from 'node:http';
import type { Partition } from './store.ts';
import type { EmulatorRuntime } from './runtime.ts';

export type ServiceId =
  'flowService' | 'catalog' | 'schemaRegistry' | 'dataPrep' | 'streaming' | 'observability' | 'ims';

export interface RouteContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (or, for form bodies, a plain record); undefined when there is no body. */
  body: unknown;
  rawBody: Buffer;
  requestId: string;
  runtime: EmulatorRuntime;
  /** Set by the gateway for platform services; streaming routes resolve theirs from the inlet. */
  org: string;
  sandbox: string;
  clientId: string;
  part: Partition;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The UTF-8 bytes `JSON.stringify(body)` gives, when the route has them faster; asked for
   * when the reply is sent, so they are of the objects as they are then.
   */
  bytes?: () => Buffer;
  /** Set on the replies of injected faults. */
  injected?: true;
  /** An error body, whose `REQUEST_ID_PLACEHOLDER` the server replaces with the request's id. */
  problem?: true;
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;

export interface Route {
  service: ServiceId;
  method: string;
  segments: string[];
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * Path templates: `/data/foundation/flowservice/flows/:id`. A `:param` matches one
 * segment, decoded. Trailing slashes are ignored (the spec declares some paths with one).
 */
export class Router {
  private readonly routes: Route[] = [];

  add(service: ServiceId, method: string, template: string, handler: Handler): this {
    this.routes.push({ service, method, segments: split(template), handler });
    return this;
  }

  /** Every route, in registration order. */
  list(): ReadonlyArray<Pick<Route, 'service' | 'method' | 'segments'>> {
    return this.routes;
  }

  /** `{ match }` when found; `{ allowed }` lists the methods of a path that exists under another method. */
  match(method: string, path: string): { match?: RouteMatch; allowed: string[] } {
    const segments = split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === null) continue;
      if (route.method === method) return { match: { route, params }, allowed };
      allowed.push(route.method);
    }
    return { allowed };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | null {
  if (template.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const a = actual[i]!;
    if (t.startsWith(':')) {
      try {
        params[t.slice(1)] = decodeURIComponent(a);
      } catch {
        return null;
      }
    } else if (t !== a) {
      return null;
    }
  }
  return params;
}
