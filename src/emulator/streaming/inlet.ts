import type { ConnectionDto } from '../../upstream/flowService/types.ts';
import { EmulatorHttpError, dcsError } from '../errors.ts';
import { bearerToken, tokenClient } from '../gateway.ts';
import type { RouteContext } from '../router.ts';

/** An HTTP API streaming base connection, found by the inlet id in the collection URL (§6.1). */
export interface Inlet {
  inletId: string;
  connection: ConnectionDto;
  /** `auth.params.dataType`: XDM envelopes, or raw JSON mapped by the flow's mapping set. */
  dataType: 'xdm' | 'raw';
}

/** The `inletId: [..] imsOrgId: [..]` prefix DCS puts in front of every message-level error. */
export const inletPrefix = (ctx: RouteContext, inletId: string): string =>
  `inletId: [${inletId}] imsOrgId: [${ctx.org}]`;

function authorizationError(status: 401 | 403, message: string): EmulatorHttpError {
  // The documented 401 sample carries `status` as a string (§6.2, §11 #38); 403 follows it.
  return new EmulatorHttpError(status, {
    type: 'https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization',
    status: String(status),
    title: 'Authorization',
    report: { message },
  });
}

/**
 * Finds the inlet (404 when unknown), takes org, sandbox and partition from it — the
 * collection routes pass no platform gateway — and, for an inlet created with
 * `authenticationRequired`, demands a live IMS token: missing → 401, invalid or expired → 403.
 */
export function openInlet(ctx: RouteContext): Inlet {
  const inletId = ctx.params['inletId']!;
  const record = ctx.runtime.store.inlets.get(inletId);
  const part = record === undefined ? undefined : ctx.runtime.store.partition(record.org, record.sandbox);
  const connection = record === undefined ? undefined : part?.connections.get(record.connectionId);
  if (record === undefined || part === undefined || connection === undefined) {
    throw dcsError(404, '/inlet', 'Inlet Not Found', `inletId: [${inletId}] The inlet does not exist`);
  }
  ctx.org = record.org;
  ctx.sandbox = record.sandbox;
  ctx.part = part;
  const params = connection.auth?.params ?? {};
  if (params['authenticationRequired'] === true || params['authenticationRequired'] === 'true') {
    const token = bearerToken(ctx.headers);
    if (token === undefined) throw authorizationError(401, `[${ctx.requestId}] Ims service token is empty`);
    const client = tokenClient(ctx.runtime.store, token, ctx.runtime.wallClock());
    if (client === undefined)
      throw authorizationError(403, `[${ctx.requestId}] Ims service token is invalid or expired`);
    ctx.clientId = client;
  }
  return { inletId, connection, dataType: params['dataType'] === 'raw' ? 'raw' : 'xdm' };
}
