import type { CallerVerifier } from '../upstream/callerVerifier.ts';
import type { Credentials } from '../upstream/credentials.ts';
import { awaitSettled, fingerprint, type ClaimResult, type IdempotencyStore } from './idempotency.ts';
import { userError, type UserError } from './userErrors.ts';

/** How long a key is remembered. */
const KEY_TTL_MS = 24 * 3600 * 1000;

export interface RunOutcome<Recorded, Result> {
  result: Result;
  /** Set when the call succeeded: what a replay needs. */
  recorded?: Recorded;
  /** Resources a failed call could not remove, for the next attempt to reuse. */
  leftovers?: Record<string, string>;
}

export interface IdempotentCall<Recorded, Result> {
  operation: string;
  key: string | undefined;
  /** The input without the key: the same key must come with the same request. */
  request: unknown;
  run: (leftovers: Record<string, string> | undefined) => Promise<RunOutcome<Recorded, Result>>;
  replay: (recorded: Recorded) => Promise<Result>;
  rejected: (userErrors: UserError[]) => Result;
}

export interface IdempotencyDeps {
  credentials: Credentials;
  idempotency: IdempotencyStore;
  callers: CallerVerifier;
}

/**
 * Runs a mutation at most once per idempotency key (scoped by org and sandbox): a retry with
 * the same input gets the first result, also while the first call is still running; the same
 * key with another input is a user error; a failed call leaves the key to a retry.
 * The store is shared by every caller of the org and sandbox, so it is consulted only once
 * the platform has confirmed the caller for them: a refused caller gets the platform's
 * refusal whether the key exists or not.
 */
export async function withIdempotency<Recorded, Result>(
  deps: IdempotencyDeps,
  call: IdempotentCall<Recorded, Result>,
): Promise<Result> {
  if (call.key === undefined) return (await call.run(undefined)).result;
  if (call.key.trim() === '' || call.key.length > 200)
    return call.rejected([
      userError(['input', 'idempotencyKey'], 'INVALID', 'idempotencyKey must be 1 to 200 characters'),
    ]);
  await deps.callers.verify(deps.credentials);
  const store = deps.idempotency;
  const key = [call.operation, deps.credentials.orgId, deps.credentials.sandbox, call.key].join('\u0000');
  const fp = fingerprint(call.request);
  let claim: ClaimResult<Recorded> = await store.claim<Recorded>(key, fp, KEY_TTL_MS);
  while (!claim.claimed) {
    const record = claim.record.state === 'pending' ? await awaitSettled<Recorded>(store, key) : claim.record;
    if (record !== undefined && record.fingerprint !== fp) {
      return call.rejected([
        userError(
          ['input', 'idempotencyKey'],
          'IDEMPOTENCY_KEY_REUSED',
          'This idempotency key was used with a different input; use a new key for a new request',
        ),
      ]);
    }
    if (record?.state === 'succeeded' && record.result !== undefined) return call.replay(record.result);
    claim = await store.claim<Recorded>(key, fp, KEY_TTL_MS);
  }
  let outcome: RunOutcome<Recorded, Result> | undefined;
  try {
    outcome = await call.run(claim.leftovers);
    return outcome.result;
  } finally {
    const leftovers = { ...claim.leftovers, ...outcome?.leftovers };
    if (outcome?.recorded !== undefined)
      await store.put(key, { fingerprint: fp, state: 'succeeded', result: outcome.recorded }, KEY_TTL_MS);
    else if (Object.keys(leftovers).length > 0)
      await store.put(key, { fingerprint: fp, state: 'failed', leftovers }, KEY_TTL_MS);
    else await store.release(key);
  }
}
