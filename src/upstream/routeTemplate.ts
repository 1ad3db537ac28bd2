/** The words of a route that only say which service it is (the service is named apart). */
const BASE_WORDS: ReadonlySet<string> = new Set([
  'data',
  'foundation',
  'infrastructure',
  'flowservice',
  'catalog',
  'schemaregistry',
  'conversion',
  'observability',
  'insights',
  'collection',
  'ims',
]);

/**
 * The route of an upstream path with its ids taken out, for labels and names that must not
 * grow with the data: `/data/foundation/flowservice/flows/{id}/action`. Only the fixed words
 * of the routes our clients call are kept; every other segment (an id, a comma-joined
 * multi-get, an encoded XDM `$id`, an inlet) becomes `{id}`, so the set of templates is
 * bounded by this list whatever the upstream or the caller sends.
 */
const ROUTE_WORDS: ReadonlySet<string> = new Set([
  ...BASE_WORDS,
  // IMS
  'token',
  'v3',
  // Flow Service
  'connectionSpecs',
  'flowSpecs',
  'connections',
  'sourceConnections',
  'targetConnections',
  'flows',
  'runs',
  'action',
  'explore',
  'test',
  'preview',
  // Catalog
  'dataSets',
  'batches',
  'lastBatches',
  // Schema Registry
  'global',
  'tenant',
  'schemas',
  'classes',
  'fieldgroups',
  'mixins',
  'datatypes',
  'behaviors',
  'unions',
  'descriptors',
  // Data Prep
  'mappingSets',
  'validate',
  // Observability, streaming
  'metrics',
  'batch',
]);

/** `path` without its query, each segment outside the route words as `{id}`. */
export function routeTemplate(path: string): string {
  const pathname = path.split('?', 1)[0] ?? '';
  const segments = pathname.split('/').filter((s) => s !== '');
  return `/${segments.map((s) => (ROUTE_WORDS.has(s) ? s : '{id}')).join('/')}`;
}

/**
 * A call's operation in words for messages (`GET flows`, `GET connections test`): its method and
 * the fixed words of its route, never the path itself with its ids.
 */
export function routeOperation(method: string, path: string): string {
  const words = routeTemplate(path)
    .split('/')
    .filter((w) => w !== '' && w !== '{id}' && !BASE_WORDS.has(w));
  return [method, ...words].join(' ');
}
