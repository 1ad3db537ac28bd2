import type { Credentials } from '../../upstream/credentials.ts';
import type { ConnectionSpecDto, FlowSpecDto } from '../../upstream/flowService/types.ts';
import { Loader, observedBatch, PrefetchingLoader, type LoaderOptions } from '../batchLoaders.ts';
import type { SpecCache } from './specCache.ts';

/** Per-request loaders in front of the cross-request spec cache. */
export function createSpecLoaders(specs: SpecCache, c: Credentials, options: LoaderOptions = {}) {
  return {
    connectionSpecById: new PrefetchingLoader<string, ConnectionSpecDto>(
      'connectionSpecById',
      c,
      (cc) => (ids) => specs.connectionSpecsByIds(cc, ids),
      options,
    ),
    flowSpecById: new Loader<string, FlowSpecDto | null>(
      observedBatch('flowSpecById', options, (ids) => specs.flowSpecsByIds(c, ids)),
      {
        batch: options.batch,
      },
    ),
  };
}

export type SpecLoaders = ReturnType<typeof createSpecLoaders>;
