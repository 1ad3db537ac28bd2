import { catalogError } from '../errors.ts';
import type { RouteContext } from '../router.ts';
import { JsonPatchError, applyJsonPatch } from './jsonPatch.ts';

/** Catalog writes shared by datasets and batches: `If-Match`, body styles, versions (CONTRACT §1.5, §1.2). */

/** Fields the service owns; a client that sends them back (e.g. a PUT of a fetched object) is ignored there. */
export const SERVER_OWNED = new Set([
  'id',
  'imsOrg',
  'sandboxId',
  'version',
  'created',
  'updated',
  'createdClient',
  'createdUser',
  'updatedUser',
  'viewId',
  'files',
  'lastBatchId',
  'lastBatchStatus',
  'lastSuccessfulBatch',
  'lastFailedBatch',
]);

/** The `E-Tag` header of a single-object response: the object version, quoted. */
export const eTagOf = (version: string): string => `"${version}"`;

/** A stale `If-Match` (the `E-Tag` of an older version) makes the write fail with 412. */
export function checkIfMatch(ctx: RouteContext, version: string, id: string): void {
  const raw = ctx.headers['if-match'];
  const sent: string | undefined = Array.isArray(raw) ? (raw[0] as string | undefined) : raw;
  if (sent === undefined || sent.trim() === '' || sent.trim() === '*') return;
  if (sent.trim().replace(/^W\//, '').replaceAll('"', '') !== version) {
    throw catalogError(
      412,
      1412,
      `The If-Match version ${sent} does not match the current version "${version}" of ${id}`,
    );
  }
}

/** `1.0.3` → `1.0.4`: every successful update bumps the patch number. */
export function bumpVersion(version: string): string {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  while (parts.length < 3) parts.push(0);
  parts[2] = parts[2]! + 1;
  return parts.join('.');
}

export function isJsonPatchRequest(ctx: RouteContext): boolean {
  const contentType = String(ctx.headers['content-type'] ?? '').toLowerCase();
  return contentType.includes('json-patch') || Array.isArray(ctx.body);
}

/**
 * The client-editable part of `current` after a PATCH: a JSON Patch array
 * (`application/json-patch+json`) or a field body merged at the top level.
 */
export function patchedFields(ctx: RouteContext, current: Record<string, unknown>): Record<string, unknown> {
  if (isJsonPatchRequest(ctx)) {
    try {
      return applyJsonPatch(current, ctx.body);
    } catch (err) {
      if (err instanceof JsonPatchError) throw catalogError(400, 1410, `Invalid JSON Patch: ${err.message}`);
      throw err;
    }
  }
  return { ...current, ...requireObject(ctx.body) };
}

/** Deep merge for `PATCH /v2/dataSets/{id}`: nested objects merge, everything else replaces. */
export function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw catalogError(400, 1410, 'The request body must be a JSON object');
  return body;
}

export function withoutServerOwned(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([key]) => !SERVER_OWNED.has(key)));
}

/** Tags are `{ name: [values] }` (CONTRACT §3.2). */
export function validateTags(tags: unknown): void {
  if (tags === undefined) return;
  const ok =
    isPlainObject(tags) && Object.values(tags).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'));
  if (!ok) throw catalogError(400, 1410, 'tags must be an object whose values are arrays of strings');
}
