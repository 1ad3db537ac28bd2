import type { StepReport } from './saga.ts';
import { userError, type UserError } from './userErrors.ts';

/** The step error of a resource a replayed call created and that is gone now. */
export const DELETED_SINCE = 'deleted since the first call with this idempotencyKey';

/**
 * A replayed result checked against what exists now: each recorded step whose resource was
 * read back as gone (`found[step]` null) becomes DELETED_SINCE, and the caller is told so
 * with one user error at the key, naming every resource, rather than a result that no longer
 * stands. Nothing is written either way.
 */
export function replayDeletedSince(
  steps: readonly StepReport[],
  found: Readonly<Record<string, unknown>>,
): { steps: StepReport[]; userErrors: UserError[] } {
  const gone = new Set(Object.keys(found).filter((step) => !found[step]));
  const marked = steps.map((s) =>
    gone.has(s.name) && s.resourceId !== null ? { ...s, status: 'DELETED_SINCE' as const, error: DELETED_SINCE } : s,
  );
  const named = marked.filter((s) => s.status === 'DELETED_SINCE').map((s) => `${s.name} ${s.resourceId}`);
  if (named.length === 0) return { steps: marked, userErrors: [] };
  // the flow first: it is what the caller asked for
  named.sort((a, b) => Number(b.startsWith('flow ')) - Number(a.startsWith('flow ')));
  return {
    steps: marked,
    userErrors: [
      userError(
        ['input', 'idempotencyKey'],
        'DELETED_SINCE',
        `The dataflow this idempotencyKey created was deleted since (${named.join(', ')}); use a new idempotencyKey to create it again`,
      ),
    ],
  };
}
