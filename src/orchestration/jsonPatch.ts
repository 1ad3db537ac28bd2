import type { JsonPatchOpDto } from '../upstream/flowService/types.ts';

/** Sets `path` to `value`: `add` where the resource has no such member yet (`current` undefined), else `replace`. */
export function setOp(path: string, current: unknown, value: unknown): JsonPatchOpDto {
  return { op: current === undefined ? 'add' : 'replace', path, value };
}
