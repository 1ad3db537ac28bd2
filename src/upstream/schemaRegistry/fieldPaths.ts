import type { XdmFieldDto } from './types.ts';
import { childFields, childPath } from './wire.ts';

export interface FieldNode {
  name: string;
  /** The field's path under the rule of `xdmFieldPaths` (`orders[*].sku` inside arrays). */
  path: string;
  type: string | null;
  title: string | null;
  description: string | null;
  format: string | null;
  fields: FieldNode[] | null;
}

/** The resolved (`xed-full`) properties as a tree; array items' objects are shown as the array's children. */
export function fieldTree(props: Record<string, XdmFieldDto> | undefined, prefix = '', separator = '.'): FieldNode[] {
  return Object.entries(props ?? {}).map(([name, f]) => {
    const path = childPath(prefix, separator, name);
    const children = childFields(f);
    return {
      name,
      path,
      type: f.type ?? f['meta:xdmType'] ?? null,
      title: f.title ?? null,
      description: f.description ?? null,
      format: f.format ?? null,
      fields: children === undefined ? null : fieldTree(children.fields, path, children.separator),
    };
  });
}
