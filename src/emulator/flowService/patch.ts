import type { JsonPatchOpDto } from '../../upstream/flowService/types.ts';
import { FLOW_CODES } from './codes.ts';
import { badRequest } from './replies.ts';

export type PatchOp = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

/**
 * Reads a Flow Service PATCH body: a JSON Patch array; `acceptSingle` also takes one bare
 * instruction (the spec's shape for connections, §2.6). Ops are case-insensitive
 * (`ADD` in the spec, `add` in the docs); anything but add/replace/remove is `FLOW-1434`.
 */
export function parsePatch(body: unknown, acceptSingle = false): PatchOp[] {
  const list = Array.isArray(body)
    ? body
    : acceptSingle && typeof body === 'object' && body !== null
      ? [body]
      : undefined;
  if (list === undefined || list.length === 0)
    throw badRequest('The request body must be a non-empty JSON Patch array.');
  return list.map((raw: unknown) => {
    const instr = raw as Partial<JsonPatchOpDto> | null;
    if (typeof instr !== 'object' || instr === null)
      throw badRequest('Each patch instruction must be an object {op, path, value}.');
    const op = typeof instr.op === 'string' ? instr.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw badRequest(
        `Patch operation '${String(instr.op)}' is not supported; use add, replace or remove.`,
        FLOW_CODES.PATCH_OP,
      );
    }
    if (typeof instr.path !== 'string' || !instr.path.startsWith('/')) {
      throw badRequest(`Patch path '${String(instr.path)}' is not a JSON pointer.`, FLOW_CODES.PATCH_PATH);
    }
    if (op !== 'remove' && !('value' in instr))
      throw badRequest(`Patch operation '${op}' on ${instr.path} needs a value.`);
    return { op, path: instr.path, value: instr.value };
  });
}

const unescape = (token: string): string => token.replaceAll('~1', '/').replaceAll('~0', '~');

export const pointerTokens = (path: string): string[] => path.slice(1).split('/').map(unescape);

function missingPath(path: string): never {
  throw badRequest(`The patch path ${path} is not present on the resource.`, FLOW_CODES.PATCH_PATH);
}

/** Applies the ops to a deep copy (RFC 6902 semantics for add/replace/remove); the input is untouched. */
export function applyPatch<T>(target: T, ops: readonly PatchOp[]): T {
  const doc = structuredClone(target) as unknown;
  for (const { op, path, value } of ops) {
    const tokens = pointerTokens(path);
    const last = tokens.pop()!;
    let parent: unknown = doc;
    for (const token of tokens) {
      if (typeof parent !== 'object' || parent === null) missingPath(path);
      parent = (parent as Record<string, unknown>)[token];
    }
    if (typeof parent !== 'object' || parent === null) missingPath(path);
    if (Array.isArray(parent)) {
      const index = last === '-' && op === 'add' ? parent.length : Number(last);
      const bound = op === 'add' ? parent.length : parent.length - 1;
      if (!Number.isInteger(index) || index < 0 || index > bound) missingPath(path);
      if (op === 'add') parent.splice(index, 0, structuredClone(value));
      else if (op === 'replace') parent[index] = structuredClone(value);
      else parent.splice(index, 1);
      continue;
    }
    const record = parent as Record<string, unknown>;
    if (op !== 'add' && !(last in record)) missingPath(path);
    if (op === 'remove') delete record[last];
    else record[last] = structuredClone(value);
  }
  return doc as T;
}
