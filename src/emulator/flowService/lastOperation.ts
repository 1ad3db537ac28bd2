import type { FlowDto, JsonPatchOpDto } from '../../upstream/flowService/types.ts';

/** A flow's `lastOperation` once a create or an update has completed at `at` (epoch ms), with the patch it applied. */
export function completedOperation(
  operation: 'create' | 'update',
  at: number,
  ops?: JsonPatchOpDto[],
): FlowDto['lastOperation'] {
  return {
    started: at,
    updated: at,
    operation,
    percentCompleted: 100,
    status: { value: 'completed', errors: [] },
    ...(ops === undefined ? {} : { ops }),
  };
}
