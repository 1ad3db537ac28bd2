import type { GraphQLResolveInfo } from 'graphql';
import { selectedFields, selectedNodeFields } from '../selection.ts';
import type { DatasetKey } from './loaders.ts';

/** Catalog top-level properties each Dataset field reads (Catalog `properties=`). */
const PROPERTIES: Record<string, readonly string[]> = {
  name: ['name'],
  description: ['description'],
  createdAt: ['created'],
  updatedAt: ['updated'],
  version: ['version'],
  tags: ['tags'],
  schemaId: ['schemaRef'],
  schema: ['schemaRef'],
  lastBatchStatus: ['lastBatchStatus'],
};

/** The properties a Dataset field asks Catalog for when it selects `fields`. */
export function datasetProperties(fields: ReadonlySet<string>): string[] {
  const props = new Set<string>();
  for (const f of fields) for (const p of PROPERTIES[f] ?? []) props.add(p);
  // a dataset with none of the asked properties comes back as `{}`; `name` keeps it recognisable
  if (props.size === 0) props.add('name');
  return [...props].sort();
}

/** The loader key for a Dataset field: its id and the properties the query selects on it. */
export function datasetKey(id: string, info: GraphQLResolveInfo): DatasetKey {
  return { id, properties: datasetProperties(selectedFields(info)) };
}

/** The properties a dataset list must ask for, from what its nodes select. */
export function datasetListProperties(info: GraphQLResolveInfo): string[] {
  return datasetProperties(selectedNodeFields(info));
}
