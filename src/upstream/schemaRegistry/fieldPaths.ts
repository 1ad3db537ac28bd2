import type { XdmFieldDto } from './types.ts';

export interface FieldNode {
  name: string;
  path: string;
  type: string | null;
  title: string | null;
  description: string | null;
  format: string | null;
  fields: FieldNode[] | null;
}

/** The resolved (`xed-full`) properties as a tree; array items' objects are shown as the array's children. */
export function fieldTree(props: Record<string, XdmFieldDto> | undefined, prefix = ''): FieldNode[] {
  return Object.entries(props ?? {}).map(([name, f]) => {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const children = f.properties ?? f.items?.properties;
    return {
      name,
      path,
      type: f.type ?? f['meta:xdmType'] ?? null,
      title: f.title ?? null,
      description: f.description ?? null,
      format: f.format ?? null,
      fields: children === undefined ? null : fieldTree(children, path),
    };
  });
}

export function flatPaths(nodes: FieldNode[]): string[] {
  return nodes.flatMap((n) => [n.path, ...flatPaths(n.fields ?? [])]);
}
