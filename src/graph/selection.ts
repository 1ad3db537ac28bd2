import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * graphql-js hands every object of a list the same `fieldNodes` array, so the selection of a
 * field is walked once per request, not once per object. Keys are parsed documents only.
 */
const selectedByNodes = new WeakMap<readonly FieldNode[], Set<string>>();

/** Names of the fields selected on the field being resolved, through fragments. Shared: do not modify. */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const known = selectedByNodes.get(info.fieldNodes);
  if (known !== undefined) return known;
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet);
      else visit(info.fragments[sel.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  selectedByNodes.set(info.fieldNodes, names);
  return names;
}

/** True when the query asks nothing of a linked object but what its parent already holds. */
export function onlyIdSelected(info: GraphQLResolveInfo, idFields: readonly string[] = ['id']): boolean {
  for (const name of selectedFields(info)) if (name !== '__typename' && !idFields.includes(name)) return false;
  return true;
}

/** The fields selected on the nodes of a connection field (`edges.node` and `nodes`). */
export function selectedNodeFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const collect = (set: SelectionSetNode | undefined, depth: 'conn' | 'edge' | 'node') => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.INLINE_FRAGMENT) collect(sel.selectionSet, depth);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) collect(info.fragments[sel.name.value]?.selectionSet, depth);
      else if (depth === 'node') names.add(sel.name.value);
      else if (depth === 'conn' && sel.name.value === 'edges') collect(sel.selectionSet, 'edge');
      else if (depth === 'conn' && sel.name.value === 'nodes') collect(sel.selectionSet, 'node');
      else if (depth === 'edge' && sel.name.value === 'node') collect(sel.selectionSet, 'node');
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet, 'conn');
  return names;
}
