import type { UserErrorCode } from '../generated/graphql.ts';
import { UpstreamError } from '../upstream/http.ts';

/** A failure the caller can act on, reported as data in a mutation payload. */
export interface UserError {
  field: string[];
  code: UserErrorCode;
  message: string;
}

export function userError(field: readonly string[], code: UserErrorCode, message: string): UserError {
  return { field: [...field], code, message };
}

/**
 * An upstream 4xx on a write the input caused (a validation the API could not foresee) is
 * a user error naming the input; 401/403, 5xx and network failures stay GraphQL errors.
 */
export function upstreamRejection(err: unknown, field: readonly string[]): UserError | undefined {
  if (!(err instanceof UpstreamError) || err.status === undefined) return undefined;
  if (err.status === 412)
    return userError(
      field,
      'STALE_ETAG',
      'The resource changed since it was read; read it again and retry with its new etag',
    );
  if (err.status < 400 || err.status >= 500 || err.refusesCaller) return undefined;
  const detail = err.upstreamMessage === undefined ? '' : `: ${err.upstreamMessage}`;
  return userError(
    field,
    'UPSTREAM_REJECTED',
    `${err.service} rejected the request (HTTP ${err.status}${err.code === undefined ? '' : `, ${err.code}`})${detail}`,
  );
}
