import { CatalogClient } from './catalog/client.ts';
import { DataPrepClient } from './dataPrep/client.ts';
import { FlowServiceClient } from './flowService/client.ts';
import { ObservabilityClient } from './observability/client.ts';
import type { HttpTransport } from './http.ts';
import { SchemaRegistryClient } from './schemaRegistry/client.ts';
import { StreamingClient } from './streaming/client.ts';

export interface UpstreamClients {
  flowService: FlowServiceClient;
  catalog: CatalogClient;
  schemaRegistry: SchemaRegistryClient;
  dataPrep: DataPrepClient;
  streaming: StreamingClient;
  observability: ObservabilityClient;
}

/** Built once at start; every method takes the caller's credentials. */
export function createUpstreamClients(options: {
  platformUrl: string;
  streamingUrl: string;
  transport: HttpTransport;
}): UpstreamClients {
  const { transport, platformUrl } = options;
  return {
    flowService: new FlowServiceClient({ transport, baseUrl: platformUrl }),
    catalog: new CatalogClient({ transport, baseUrl: platformUrl }),
    schemaRegistry: new SchemaRegistryClient({ transport, baseUrl: platformUrl }),
    dataPrep: new DataPrepClient({ transport, baseUrl: platformUrl }),
    streaming: new StreamingClient({ transport, baseUrl: options.streamingUrl }),
    observability: new ObservabilityClient({ transport, baseUrl: platformUrl }),
  };
}
