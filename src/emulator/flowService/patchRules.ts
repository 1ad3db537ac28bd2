import { FLOW_CODES } from './codes.ts';
import type { PatchOp } from './patch.ts';
import { pointerTokens } from './patch.ts';
import { badRequest } from './replies.ts';

/** Server-owned fields: a patch naming them is refused like an unknown path (`FLOW-1455`). */
const SERVER_FIELDS = new Set<string>([
  'id',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'createdClient',
  'updatedClient',
  'sandboxId',
  'sandboxName',
  'imsOrgId',
  'version',
  'etag',
  'inheritedAttributes',
  'state',
]);

/** A connection's spec is fixed once created (`FLOW-1414`); server fields are not patchable. */
export function checkPatchable(ops: readonly PatchOp[], specField: 'connectionSpec' | 'flowSpec'): void {
  for (const { path } of ops) {
    const top = pointerTokens(path)[0] ?? '';
    if (top === specField) {
      const code = specField === 'connectionSpec' ? FLOW_CODES.SPEC_CHANGE : FLOW_CODES.PATCH_PATH;
      throw badRequest(`The ${specField} of a resource cannot be changed (path ${path}).`, code);
    }
    if (SERVER_FIELDS.has(top) || top === '') {
      throw badRequest(
        `The patch path ${path} is not present on the resource or cannot be patched.`,
        FLOW_CODES.PATCH_PATH,
      );
    }
  }
}
