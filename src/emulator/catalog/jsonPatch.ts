/**
 * RFC 6902 JSON Patch, as Catalog (`application/json-patch+json`) and Schema Registry
 * PATCH bodies use it. Works on a deep copy; a bad operation throws `JsonPatchError`
 * whose message names the operation, so each service can wrap it in its own error body.
 */

export interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

export class JsonPatchError extends Error {}

type Container = Record<string, unknown> | unknown[];

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`path '${path}' must start with '/'`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: unknown, tokens: string[], path: string): { parent: Container; key: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) throw new JsonPatchError(`path '${path}' does not exist`);
    node = Array.isArray(node) ? node[Number(token)] : (node as Record<string, unknown>)[token];
  }
  if (typeof node !== 'object' || node === null) throw new JsonPatchError(`path '${path}' does not exist`);
  return { parent: node as Container, key: tokens[tokens.length - 1]! };
}

function get(doc: unknown, path: string): unknown {
  let node = doc;
  for (const token of pointer(path)) {
    if (typeof node !== 'object' || node === null) throw new JsonPatchError(`path '${path}' does not exist`);
    node = Array.isArray(node) ? node[Number(token)] : (node as Record<string, unknown>)[token];
    if (node === undefined) throw new JsonPatchError(`path '${path}' does not exist`);
  }
  return node;
}

function arrayIndex(arr: unknown[], key: string, path: string, forInsert: boolean): number {
  if (forInsert && key === '-') return arr.length;
  if (!/^\d+$/.test(key)) throw new JsonPatchError(`path '${path}' is not a valid array index`);
  const index = Number(key);
  if (index > arr.length || (!forInsert && index === arr.length))
    throw new JsonPatchError(`path '${path}' is out of bounds`);
  return index;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) throw new JsonPatchError('the whole document cannot be removed');
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, false), 1);
  else {
    if (!(key in parent)) throw new JsonPatchError(`path '${path}' does not exist`);
    delete parent[key];
  }
  return doc;
}

function isOperation(op: unknown): op is PatchOperation {
  return (
    typeof op === 'object' &&
    op !== null &&
    typeof (op as PatchOperation).op === 'string' &&
    typeof (op as PatchOperation).path === 'string'
  );
}

/** Applies `ops` to a copy of `doc`; op names are case-insensitive (docs send lowercase, specs uppercase). */
export function applyJsonPatch<T>(doc: T, ops: unknown): T {
  if (!Array.isArray(ops)) throw new JsonPatchError('a JSON Patch body must be an array of operations');
  let out: unknown = structuredClone(doc);
  for (const op of ops) {
    if (!isOperation(op)) throw new JsonPatchError('every operation needs a string op and path');
    switch (op.op.toLowerCase()) {
      case 'add':
        out = add(out, op.path, structuredClone(op.value));
        break;
      case 'remove':
        out = remove(out, op.path);
        break;
      case 'replace':
        get(out, op.path);
        out = add(remove(out, op.path), op.path, structuredClone(op.value));
        break;
      case 'move': {
        const value = get(out, op.from ?? '');
        out = add(remove(out, op.from ?? ''), op.path, value);
        break;
      }
      case 'copy':
        out = add(out, op.path, structuredClone(get(out, op.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(get(out, op.path)) !== JSON.stringify(op.value))
          throw new JsonPatchError(`test failed at '${op.path}'`);
        break;
      default:
        throw new JsonPatchError(`operation '${op.op}' is not supported`);
    }
  }
  return out as T;
}
