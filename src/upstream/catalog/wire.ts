import type { CatalogRefsDto } from './types.ts';

/** Catalog wire rules shared by the client and the emulator: the base path and object references. Pure. */

export const CATALOG_BASE_PATH = '/data/foundation/catalog';

/** Page sizes of Catalog lists and multi-gets (§3.4): `limit` 1..100, 20 when absent, at most 20 with `observableSchema`. */
export const CATALOG_LIMITS = { default: 20, max: 100, maxWithObservableSchema: 20 } as const;

export type CatalogCollection = 'dataSets' | 'batches';

/** `@/dataSets/{id}`: how Catalog writes refer to an object (§3.2). */
export const catalogRef = (collection: CatalogCollection, id: string): string => `@/${collection}/${id}`;

/** The answer of a Catalog write: an array of one reference. */
export const catalogRefs = (collection: CatalogCollection, id: string): CatalogRefsDto => [catalogRef(collection, id)];

/** The id in a reference of `collection`, or undefined when `ref` is none. */
export function idOfCatalogRef(collection: CatalogCollection, ref: unknown): string | undefined {
  const prefix = `@/${collection}/`;
  if (typeof ref !== 'string' || !ref.startsWith(prefix)) return undefined;
  const id = ref.slice(prefix.length);
  return id === '' || id.includes('/') ? undefined : id;
}
