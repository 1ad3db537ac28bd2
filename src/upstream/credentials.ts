import type { CallScope } from './callScope.ts';

/** Who calls the platform, per GraphQL request: caches and loaders above are keyed by org + sandbox. */
export interface Credentials {
  accessToken: string;
  /** The IMS client id. */
  apiKey: string;
  /** `XXXXXXXX@AdobeOrg`. */
  orgId: string;
  /** All-lowercase sandbox name, e.g. `prod`. */
  sandbox: string;
  /**
   * Set on the server's own credentials, whose org comes from the configuration rather than
   * from the caller: nothing about them needs confirming. Unset for every pass-through caller.
   */
  serverOwned?: true;
  /** The limits of the operation these credentials call for (budget, deadline, client); none outside an operation. */
  scope?: CallScope | undefined;
}

/** An IMS org id: `<id>@AdobeOrg`, the id of ASCII letters and digits (24 hex digits in practice). */
export const IMS_ORG_ID = /^[A-Za-z0-9]{1,64}@AdobeOrg$/;

/** The tenant of a call or an operation: its org and sandbox, which share one cap on what is in flight. */
export function tenantOf(c: Pick<Credentials, 'orgId' | 'sandbox'>): string {
  return `${c.orgId}/${c.sandbox}`;
}

/** The headers every platform call carries (CONTRACT §1.2). */
export function platformHeaders(c: Credentials): Record<string, string> {
  return {
    authorization: `Bearer ${c.accessToken}`,
    'x-api-key': c.apiKey,
    'x-gw-ims-org-id': c.orgId,
    'x-sandbox-name': c.sandbox,
  };
}

/**
 * The same caller for speculative reads (started before the operation knows it needs them):
 * its requests count against the operation's budget apart from its own (`CallScope.speculative`).
 */
export function speculative(c: Credentials): Credentials {
  return c.scope === undefined ? c : { ...c, scope: c.scope.speculative() };
}

/**
 * The same caller with its calls exempt from the operation's budget, deadline and client
 * (`CallScope.exempt`): for compensations, which must not leave a write half undone.
 */
export function exemptFromLimits(c: Credentials): Credentials {
  return c.scope === undefined ? c : { ...c, scope: c.scope.exempt() };
}
