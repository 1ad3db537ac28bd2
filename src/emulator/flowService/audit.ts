import { flowError } from '../errors.ts';
import { newEtag, uuid } from '../ids.ts';
import type { RouteContext } from '../router.ts';
import type { AuditDto } from '../../upstream/flowService/types.ts';
import { FLOW_CODES } from './codes.ts';
import { adobeIdOf } from '../../upstream/ims/wire.ts';

/** The emulator knows callers by client id only; the user id is derived from it. */
const userOf = (ctx: RouteContext): string => adobeIdOf(ctx.clientId);

/** Audit fields of a new instance object (§2.2): org and sandbox from the partition, `etag` == `version`. */
export function newAudit(ctx: RouteContext): AuditDto {
  const now = ctx.runtime.clock.now();
  const etag = newEtag();
  return {
    id: uuid(),
    createdAt: now,
    updatedAt: now,
    createdBy: userOf(ctx),
    updatedBy: userOf(ctx),
    createdClient: ctx.clientId,
    updatedClient: ctx.clientId,
    sandboxId: ctx.part.sandboxId,
    sandboxName: ctx.part.sandbox,
    imsOrgId: ctx.part.org,
    version: etag,
    etag,
  };
}

/** Marks an update: every successful write gets a new etag (§1.5). */
export function touchAudit<T extends AuditDto>(ctx: RouteContext, obj: T): T {
  const etag = newEtag();
  return {
    ...obj,
    updatedAt: ctx.runtime.clock.now(),
    updatedBy: userOf(ctx),
    updatedClient: ctx.clientId,
    version: etag,
    etag,
  };
}

/** Etags are quoted strings; clients sometimes drop or escape the quotes. */
const normalizeEtag = (etag: string): string =>
  etag.trim().replace(/^W\//, '').replaceAll('\\', '').replace(/^"|"$/g, '');

function ifMatchOf(ctx: RouteContext): string | undefined {
  const header = ctx.headers['if-match'];
  const value: string | undefined = Array.isArray(header) ? (header[0] as string | undefined) : header;
  if (value !== undefined && value.trim() !== '') return value;
  // The Postman collection passes it as a query parameter (§11 #8).
  const query = ctx.query.get('if-match') ?? ctx.query.get('If-Match');
  return query === null || query.trim() === '' ? undefined : query;
}

/** PATCH contract: `If-Match` required (400 `FLOW-1403`), must equal the current etag (412 `FLOW-1404`). */
export function requireIfMatch(ctx: RouteContext, current: AuditDto, collection: string): void {
  const sent = ifMatchOf(ctx);
  if (sent === undefined) throw flowError(400, FLOW_CODES.IF_MATCH_MISSING, 'The header If-Match is missing.');
  checkEtag(sent, current, collection);
}

/** Like `requireIfMatch`, for routes where the header is optional but validated when present. */
export function optionalIfMatch(ctx: RouteContext, current: AuditDto, collection: string): void {
  const sent = ifMatchOf(ctx);
  if (sent !== undefined) checkEtag(sent, current, collection);
}

function checkEtag(sent: string, current: AuditDto, collection: string): void {
  if (normalizeEtag(sent) !== normalizeEtag(current.etag)) {
    throw flowError(
      412,
      FLOW_CODES.IF_MATCH_STALE,
      `Supplied version=[${sent}] does not match the current version on entity=[${current.etag}]`,
      { id: current.id, type: collection },
    );
  }
}
