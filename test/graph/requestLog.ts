import type { RequestLogEntry } from '../harness.ts';

const SERVICES: Array<[string, string]> = [
  ['/data/foundation/flowservice', 'flowService'],
  ['/data/foundation/catalog', 'catalog'],
  ['/data/foundation/schemaregistry', 'schemaRegistry'],
  ['/data/foundation/conversion', 'dataPrep'],
];

/** A log entry's route with ids folded away: `GET catalog/dataSets/{ids}`, `GET flowService/runs`. */
export function routeOf(entry: Pick<RequestLogEntry, 'method' | 'path'>): string {
  let path = entry.path;
  for (const [prefix, name] of SERVICES) if (path.startsWith(prefix)) path = name + path.slice(prefix.length);
  path = path
    .replace(/^(catalog\/(dataSets|batches))\/[^/]+$/, '$1/{ids}')
    .replace(/^(schemaRegistry\/(tenant|global)\/\w+)\/[^/]+$/, '$1/{id}')
    .replace(/^(dataPrep\/mappingSets)\/(?!validate$)[^/]+$/, '$1/{id}')
    .replace(/^(flowService\/\w+)\/[^/]+$/, '$1/{id}');
  return `${entry.method} ${path}`;
}

/** How many upstream requests went to each route. */
export function routeCounts(log: readonly RequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of log) {
    const route = routeOf(entry);
    counts[route] = (counts[route] ?? 0) + 1;
  }
  return counts;
}

/** The entries of one route. */
export function onRoute(log: readonly RequestLogEntry[], route: string): RequestLogEntry[] {
  return log.filter((e) => routeOf(e) === route);
}
