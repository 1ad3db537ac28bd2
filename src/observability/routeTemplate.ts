import { CATALOG_BASE_PATH } from '../upstream/catalog/wire.ts';
import { DATA_PREP_BASE_PATH } from '../upstream/dataPrep/wire.ts';
import { FLOW_SERVICE_BASE_PATH } from '../upstream/flowService/wire.ts';
import { IMS_TOKEN_PATH } from '../upstream/ims/wire.ts';
import { METRICS_PATH, OBSERVABILITY_BASE_PATH } from '../upstream/observability/wire.ts';
import { SCHEMA_REGISTRY_BASE_PATH } from '../upstream/schemaRegistry/wire.ts';
import { COLLECTION_PATH } from '../upstream/streaming/wire.ts';

/** The fixed segments of every path the clients call; any other segment is an id. */
const FIXED_SEGMENTS = new Set(
  [
    CATALOG_BASE_PATH,
    DATA_PREP_BASE_PATH,
    FLOW_SERVICE_BASE_PATH,
    IMS_TOKEN_PATH,
    OBSERVABILITY_BASE_PATH,
    METRICS_PATH,
    SCHEMA_REGISTRY_BASE_PATH,
    COLLECTION_PATH,
    // Flow Service
    '/connectionSpecs/flowSpecs/connections/sourceConnections/targetConnections/flows/runs/action/test/explore',
    // Catalog, Data Prep
    '/dataSets/batches/lastBatches/mappingSets/validate/preview',
    // Schema Registry containers and kinds, streaming batches
    '/tenant/global/schemas/classes/fieldgroups/datatypes/behaviors/unions/descriptors/batch',
  ].flatMap((path) => path.split('/').filter((s) => s !== '')),
);

/**
 * The route of an upstream path with every id replaced by `{id}`
 * (`/data/foundation/flowservice/flows/{id}/action`): what logs, spans and metrics may name.
 * A segment is kept only when it is one of the clients' fixed words, so an id, however it
 * looks, never reaches them.
 */
export function routeTemplate(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  return `/${segments.map((s) => (FIXED_SEGMENTS.has(s) ? s : '{id}')).join('/')}`;
}
