import { flowError } from '../errors.ts';
import type { Reply } from '../router.ts';
import type { IdEtagDto } from '../../upstream/flowService/types.ts';
import { FLOW_CODES } from './codes.ts';
import { FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';

/** The documented 404 body: `FLOW-1439-404` with the resource id and collection in `report` (§1.6). */
export function notFound(collection: string, id: string) {
  return flowError(404, FLOW_CODES.NOT_FOUND, `The requested ${collection} resource ${id} is not found.`, {
    id,
    type: collection,
  });
}

export function badRequest(message: string, code: number = FLOW_CODES.BAD_REQUEST) {
  return flowError(400, code, message);
}

/** A create body must be a JSON object; anything else is a 400 naming what came. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(
      `The request body must be a JSON object, got ${body === undefined ? 'no body' : Array.isArray(body) ? 'an array' : typeof body}.`,
    );
  }
  return body as Record<string, unknown>;
}

/** `201 {id, etag}` with a `Location` to the new resource (§2.1). */
export function created(collection: string, obj: IdEtagDto): Reply {
  return {
    status: 201,
    body: { id: obj.id, etag: obj.etag },
    headers: { location: `${FLOW_SERVICE_BASE_PATH}/${collection}/${obj.id}` },
  };
}

export function idEtag(obj: IdEtagDto): Reply {
  return { status: 200, body: { id: obj.id, etag: obj.etag } };
}

/** `GET /x/{id}` answers an array of one (§8). */
export function single<T>(obj: T): Reply {
  return { status: 200, body: { items: [obj] } };
}

/** `{id, version}` from a `{id, version?}` body field; version defaults to "1.0". */
export function specRef(value: unknown, field: string): { id: string; version: string } {
  const ref = value as { id?: unknown; version?: unknown } | null | undefined;
  if (typeof ref !== 'object' || ref === null || typeof ref.id !== 'string' || ref.id === '') {
    throw badRequest(`${field}.id is required.`);
  }
  return { id: ref.id, version: typeof ref.version === 'string' ? ref.version : '1.0' };
}
