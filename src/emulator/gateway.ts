import type { IncomingHttpHeaders } from 'node:http';
import { EmulatorHttpError, flowError, gatewayError, insightsError, problem, xdmError } from './errors.ts';
import type { Entitlements } from './entitlements.ts';
import type { Sandboxes } from './sandboxes.ts';
import type { ServiceId } from './router.ts';
import type { Store } from './store.ts';

export interface Caller {
  org: string;
  sandbox: string;
  clientId: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

/** The bearer token of a request, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = header(headers, 'authorization');
  const match = auth === undefined ? null : /^Bearer\s+(\S+)$/i.exec(auth);
  return match?.[1];
}

/** Returns the client id a live token was issued to, or undefined for unknown or expired tokens. */
export function tokenClient(store: Store, token: string, nowMs: number): string | undefined {
  const record = store.tokens.get(token);
  if (record === undefined) return undefined;
  if (record.expiresAt <= nowMs) {
    store.tokens.delete(token);
    return undefined;
  }
  return record.clientId;
}

/** A sandbox error in the error family of `service` (`FLOW-`, `XDM-`, `DPREP-`, else `CAT-`). */
function sandboxError(service: ServiceId, status: number, code: number, message: string): EmulatorHttpError {
  switch (service) {
    case 'flowService':
      return flowError(status, code, message);
    case 'schemaRegistry':
      return xdmError(status, code, message);
    case 'dataPrep':
      return problem('dataPrep', status, code, message);
    default:
      return problem('catalog', status, code, message);
  }
}

function missingSandbox(service: ServiceId): EmulatorHttpError {
  return sandboxError(service, 400, 2105, 'The header x-sandbox-name is missing');
}

/**
 * A sandbox the org does not have: Flow Service's documented 404 `FLOW-2100-404` (CONTRACT
 * §1.3); the other services document none, so each answers the same 404 and code number in
 * its own error family (`XDM-`, `DPREP-`, `CAT-`, `INSGHT-2100-404`), as for a missing header.
 */
function unknownSandbox(service: ServiceId, org: string, sandbox: string, nowMs: number): EmulatorHttpError {
  const message = `Sandbox ${sandbox} not found for the organization ${org}`;
  if (service === 'observability')
    return insightsError(404, 2100, message, { sandboxName: sandbox, sandboxId: '', imsOrgId: org }, nowMs);
  return sandboxError(service, 404, 2100, message);
}

/**
 * The platform gateway's header checks, in the order the gateway applies them (§1.3):
 * token, api key, org (and the token's entitlement to it), then the sandbox (required by
 * every platform service here, and one the org has).
 */
export function authenticate(
  store: Store,
  entitlements: Entitlements,
  sandboxes: Sandboxes,
  service: ServiceId,
  headers: IncomingHttpHeaders,
  nowMs: number,
): Caller {
  if (header(headers, 'authorization') === undefined) throw gatewayError(403, '403010', 'Oauth token is missing.');
  const token = bearerToken(headers);
  const clientId = token === undefined ? undefined : tokenClient(store, token, nowMs);
  if (clientId === undefined) throw gatewayError(401, '401013', 'Oauth token is not valid');
  const apiKey = header(headers, 'x-api-key');
  if (apiKey === undefined) throw gatewayError(403, '403000', 'Api Key is required');
  if (apiKey !== clientId) throw gatewayError(403, '403003', 'Api Key is invalid');
  const org = header(headers, 'x-gw-ims-org-id');
  if (org === undefined) throw gatewayError(400, '400003', 'Missing header');
  if (!org.endsWith('@AdobeOrg')) throw gatewayError(403, '403027', 'User region is missing');
  if (!entitlements.allows(clientId, org)) throw gatewayError(403, '403025', 'Profile is not valid');
  const sandbox = header(headers, 'x-sandbox-name');
  if (sandbox === undefined) throw missingSandbox(service);
  const name = sandbox.toLowerCase();
  if (!sandboxes.has(org, name)) throw unknownSandbox(service, org, name, nowMs);
  return { org, sandbox: name, clientId };
}
