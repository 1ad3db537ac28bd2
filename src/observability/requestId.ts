import { randomUUID } from 'node:crypto';

/** Letters, digits and `._:+/=@-`: what UUIDs, ULIDs, base64 and trace ids are made of, and nothing a log line or header could misread. */
const SAFE_REQUEST_ID = /^[\w.:+/=@-]+$/;

/**
 * The request id of an incoming request: the caller's `x-request-id` when it is one value of
 * at most `maxLength` safe characters, otherwise a new UUID (a bad id is replaced, never
 * refused: the id serves the logs, not the caller's request).
 */
export function acceptRequestId(header: string | string[] | undefined, maxLength: number): string {
  const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (value !== undefined && value.length <= maxLength && SAFE_REQUEST_ID.test(value)) return value;
  return randomUUID();
}
