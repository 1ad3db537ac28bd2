import type { OrderDirection } from '../generated/graphql.ts';
import { keysetPage, type ListShape, type SortKey } from './paging.ts';
import type { ConnectionModel, DatasetModel } from './models.ts';

/** What every Flow Service object carries and can be sorted on. */
interface AuditFields {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

/** An `orderBy` argument as GraphQL hands it over: `direction` has its input default. */
export interface OrderBy<F extends string> {
  field: F;
  direction?: OrderDirection | null;
}

/** A list's order with defaults applied: omitted or null `orderBy` is the list's default order. */
export interface Order<F extends string> {
  field: F;
  direction: OrderDirection;
}

export function orderOf<F extends string>(orderBy: OrderBy<F> | null | undefined, fallback: Order<F>): Order<F> {
  if (orderBy === null || orderBy === undefined) return fallback;
  return { field: orderBy.field, direction: orderBy.direction ?? 'ASC' };
}

/** The upstream property each GraphQL sort field names. */
const FLOW_SERVICE_FIELD = { CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt', NAME: 'name' } as const;
export const CATALOG_FIELD = { CREATED_AT: 'created', UPDATED_AT: 'updated', NAME: 'name' } as const;
const SCHEMA_REGISTRY_FIELD = { TITLE: 'title' } as const;

/** Flow Service `orderby`: `name` ascending, `-name` descending (CONTRACT §2.3). */
export function flowServiceOrderby(order: Order<keyof typeof FLOW_SERVICE_FIELD>): string {
  return `${order.direction === 'DESC' ? '-' : ''}${FLOW_SERVICE_FIELD[order.field]}`;
}

/** Catalog `orderBy`: `asc:name` / `desc:created` (CONTRACT §3.4). */
export function catalogOrderBy(order: Order<keyof typeof CATALOG_FIELD>): string {
  return `${order.direction === 'DESC' ? 'desc' : 'asc'}:${CATALOG_FIELD[order.field]}`;
}

/** Schema Registry `orderby`: `title` ascending, `-title` descending (CONTRACT §4.5). */
export function schemaRegistryOrderby(order: Order<keyof typeof SCHEMA_REGISTRY_FIELD>): string {
  return `${order.direction === 'DESC' ? '-' : ''}${SCHEMA_REGISTRY_FIELD[order.field]}`;
}

/** The default order of the Flow Service and Catalog lists: newest created first. */
export const NEWEST_FIRST = { field: 'CREATED_AT', direction: 'DESC' } as const;

/**
 * The sort key of a Flow Service object in a list read whole and sorted here (the
 * health-filtered fleet read, lists gathered from several reads): the value Flow Service
 * would sort on, then the id that breaks ties.
 */
function flowServiceSortKey<T extends AuditFields>(order: Order<keyof typeof FLOW_SERVICE_FIELD>): (x: T) => SortKey {
  const field = FLOW_SERVICE_FIELD[order.field];
  return (x) => [x[field], x.id];
}

/** The sort key of a Catalog dataset sorted here (read with the sort field): the value Catalog would sort on, then its id. */
export function catalogSortKey(order: Order<keyof typeof CATALOG_FIELD>): (d: DatasetModel) => SortKey {
  const field = CATALOG_FIELD[order.field];
  return (d) => [d.dto[field], d.id];
}

/** Compares sort keys in `direction`; ties on the value are broken by id, ascending either way. */
export function compareSortKeys(direction: OrderDirection) {
  return (a: SortKey, b: SortKey): number => {
    const order =
      typeof a[0] === 'number' && typeof b[0] === 'number' ? a[0] - b[0] : String(a[0]).localeCompare(String(b[0]));
    if (order !== 0) return direction === 'DESC' ? -order : order;
    return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  };
}

/** A page of Flow Service objects read whole and sorted here in `order` (see flowServiceSortKey). */
export function flowServicePage<T extends AuditFields>(
  items: readonly T[],
  first: number | null | undefined,
  after: string | null | undefined,
  shape: ListShape,
  order: Order<keyof typeof FLOW_SERVICE_FIELD>,
): ConnectionModel<T> {
  return keysetPage(items, first, after, shape, flowServiceSortKey<T>(order), compareSortKeys(order.direction));
}
