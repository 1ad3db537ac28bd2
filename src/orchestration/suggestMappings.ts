import type { Context } from '../context.ts';
import type { SuggestMappingsInput } from '../generated/graphql.ts';
import type { XdmFieldDto, XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import { fieldTree, type FieldNode } from '../upstream/schemaRegistry/fieldPaths.ts';
import { suggestMappingsFor, type SchemaLeaf, type Suggestion } from './mappingSuggestions.ts';
import { userError, type UserError } from './userErrors.ts';

export interface SuggestMappingsResult {
  schema: XdmResourceDto | null;
  suggestions: Suggestion[];
  mappings: Array<{ sourceAttribute: string; destinationXdmPath: string }>;
  unmappedRequiredFields: string[];
  userErrors: UserError[];
}

const fail = (userErrors: UserError[]): SuggestMappingsResult => ({
  schema: null,
  suggestions: [],
  mappings: [],
  unmappedRequiredFields: [],
  userErrors,
});

/** Fields the platform sets itself (repository and batch metadata): never a mapping's destination. */
const SYSTEM_FIELDS = new Set([
  '_repo',
  'repositoryCreatedBy',
  'repositoryLastModifiedBy',
  'createdByBatchID',
  'modifiedByBatchID',
]);

/** Scalar fields only: objects are reached through their leaves, arrays are not mapped column by column. */
function leavesOf(nodes: readonly FieldNode[]): SchemaLeaf[] {
  return nodes.flatMap((n) => {
    if (SYSTEM_FIELDS.has(n.path)) return [];
    if (n.fields !== null) return leavesOf(n.fields);
    return n.type === 'array' || n.type === 'object' ? [] : [n];
  });
}

type Fields = Record<string, XdmFieldDto>;

/** `required` lists of a field tree, as dotted paths. */
function requiredIn(properties: Fields | undefined, prefix: string, own: unknown): string[] {
  const here = Array.isArray(own) ? own.filter((r): r is string => typeof r === 'string').map((r) => prefix + r) : [];
  const nested = Object.entries(properties ?? {}).flatMap(([k, f]) =>
    requiredIn(f.properties, `${prefix}${k}.`, f['required']),
  );
  return [...here, ...nested];
}

/** Required paths of the schema and of its class (the resolved form may not carry the class's `required`). */
function requiredPaths(schema: XdmResourceDto, xdmClass: XdmResourceDto | null): string[] {
  const fromClass = Object.values(xdmClass?.definitions ?? {}).flatMap((d) =>
    requiredIn(d.properties, '', d['required']),
  );
  const own = requiredIn(schema.properties, '', schema['required']);
  return [...new Set([...own, ...requiredIn(xdmClass?.properties, '', xdmClass?.['required']), ...fromClass])].sort();
}

function checkColumns(input: SuggestMappingsInput): UserError[] {
  const errors: UserError[] = [];
  if (input.columns.length === 0)
    errors.push(userError(['input', 'columns'], 'REQUIRED', 'Give at least one source column'));
  const seen = new Set<string>();
  input.columns.forEach((c, i) => {
    if (c.name.trim() === '')
      errors.push(userError(['input', 'columns', String(i), 'name'], 'REQUIRED', 'A column needs a name'));
    else if (seen.has(c.name))
      errors.push(userError(['input', 'columns', String(i), 'name'], 'INVALID', `Column ${c.name} is given twice`));
    seen.add(c.name);
    if (c.type === 'UNKNOWN')
      errors.push(
        userError(['input', 'columns', String(i), 'type'], 'INVALID', 'Give the column a known type, not UNKNOWN'),
      );
  });
  return errors;
}

/**
 * Reads the target schema (resolved) and its class, then suggests a destination for every
 * column (mappingSuggestions.ts). Reads only; nothing is written.
 */
export async function suggestMappings(ctx: Context, input: SuggestMappingsInput): Promise<SuggestMappingsResult> {
  const errors = checkColumns(input);
  const schema = await ctx.loaders.schemaById.load(input.schemaId);
  if (schema === null)
    errors.push(userError(['input', 'schemaId'], 'NOT_FOUND', `No XDM schema ${input.schemaId} in this sandbox`));
  if (errors.length > 0 || schema === null) return fail(errors);
  const classId = schema['meta:class'];
  const xdmClass = classId === undefined ? null : await ctx.clients.schemaRegistry.getClass(ctx.credentials, classId);
  const suggestions = suggestMappingsFor(input.columns, leavesOf(fieldTree(schema.properties)));
  const mappings = suggestions.flatMap((s) =>
    s.destinationXdmPath === null
      ? []
      : [{ sourceAttribute: s.sourceAttribute, destinationXdmPath: s.destinationXdmPath }],
  );
  const mapped = new Set(mappings.map((m) => m.destinationXdmPath));
  return {
    schema,
    suggestions,
    mappings,
    unmappedRequiredFields: requiredPaths(schema, xdmClass).filter((p) => !mapped.has(p)),
    userErrors: [],
  };
}
