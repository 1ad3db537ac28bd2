import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { XdmResourceDto } from '../../upstream/schemaRegistry/types.ts';
import { fanOutBatch, PrefetchingLoader, type LoaderOptions } from '../batchLoaders.ts';

/** Schema Registry has no multi-get (§8): one GET per distinct schema, in parallel. */
export function createSchemaLoaders(clients: UpstreamClients, c: Credentials, options: LoaderOptions = {}) {
  const schemaById: PrefetchingLoader<string, XdmResourceDto> = new PrefetchingLoader(
    'schemaById',
    c,
    (cc) =>
      fanOutBatch(async (id: string) => {
        const schema = await clients.schemaRegistry.getSchema(cc, id, { full: true });
        // the same schema is asked for by `$id` (targets, datasets) and by altId (legacy mappings)
        if (schema !== null) {
          if (schema.$id !== id) schemaById.prime(schema.$id, schema);
          if (schema['meta:altId'] !== id) schemaById.prime(schema['meta:altId'], schema);
        }
        return schema;
      }),
    options,
  );
  return { schemaById };
}

export type SchemaLoaders = ReturnType<typeof createSchemaLoaders>;
