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
  const names = fieldNames(info.fieldNodes, info.fragments);
  selectedByNodes.set(info.fieldNodes, names);
  return names;
}

/** Names of the fields selected on `nodes` (one field's nodes), through fragments. */
export function fieldNames(nodes: readonly FieldNode[], fragments: GraphQLResolveInfo['fragments']): Set<string> {
  const names = new Set<string>();
  forEachField(nodes, fragments, (sel) => names.add(sel.name.value));
  return names;
}

/**
 * The nodes of the field `name` selected on `nodes`, one list per response key (a field asked
 * for under two aliases is resolved twice, each time with its own selection).
 */
export function childFields(
  nodes: readonly FieldNode[],
  fragments: GraphQLResolveInfo['fragments'],
  name: string,
): FieldNode[][] {
  const byKey = new Map<string, FieldNode[]>();
  forEachField(nodes, fragments, (sel) => {
    if (sel.name.value !== name) return;
    const responseKey = sel.alias?.value ?? name;
    const list = byKey.get(responseKey);
    if (list === undefined) byKey.set(responseKey, [sel]);
    else list.push(sel);
  });
  return [...byKey.values()];
}

function forEachField(
  nodes: readonly FieldNode[],
  fragments: GraphQLResolveInfo['fragments'],
  visitField: (field: FieldNode) => void,
): void {
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) visitField(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet);
      else visit(fragments[sel.name.value]?.selectionSet);
    }
  };
  for (const node of nodes) visit(node.selectionSet);
}

/** True when `names` asks nothing of a linked object but what its parent already holds. */
export function onlyIds(names: ReadonlySet<string>, idFields: readonly string[] = ['id']): boolean {
  for (const name of names) if (name !== '__typename' && !idFields.includes(name)) return false;
  return true;
}

/** True when the query asks nothing of a linked object but what its parent already holds. */
export function onlyIdSelected(info: GraphQLResolveInfo, idFields: readonly string[] = ['id']): boolean {
  return onlyIds(selectedFields(info), idFields);
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
