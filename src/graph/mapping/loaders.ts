import type { Credentials } from '../../upstream/credentials.ts';
import type { UpstreamClients } from '../../upstream/clients.ts';
import type { MappingSetDto, ValidationResponseDto } from '../../upstream/dataPrep/types.ts';
import { fanOutLoader, type LoaderOptions } from '../batchLoaders.ts';

export interface MappingSetKey {
  id: string;
  /** Undefined = the latest version. */
  version?: number;
}

/** Data Prep has no multi-get (§8): one GET per distinct mapping set version, in parallel. */
export function createMappingLoaders(clients: UpstreamClients, c: Credentials, options: LoaderOptions = {}) {
  const dataPrep = clients.dataPrep;
  return {
    mappingSetById: fanOutLoader<MappingSetKey, MappingSetDto>(
      'mappingSetById',
      (key) => dataPrep.getMappingSet(c, key.id, key.version === undefined ? {} : { version: key.version }),
      (key) => `${key.id}@${key.version ?? 'latest'}`,
      options,
    ),
    validationByMappingSet: fanOutLoader<MappingSetDto, ValidationResponseDto>(
      'validationByMappingSet',
      (set) =>
        dataPrep.validateMappingSet(c, {
          outputSchema: { schemaRef: set.outputSchema.schemaRef },
          mappings: set.mappings.map((m) => ({
            sourceType: sourceTypeOf(m.sourceType),
            source: m.source,
            destination: m.destination,
          })),
        }),
      (set) => `${set.id}@${set.version}`,
      options,
    ),
  };
}

function sourceTypeOf(stored: string): 'ATTRIBUTE' | 'EXPRESSION' | 'STATIC' {
  return stored === 'EXPRESSION' || stored === 'STATIC' ? stored : 'ATTRIBUTE';
}

export type MappingLoaders = ReturnType<typeof createMappingLoaders>;
