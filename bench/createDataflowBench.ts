/**
 * createDataflow with a new target schema and dataset, through the API and as the seven
 * sequential tutorial calls (source connection; target schema; dataset; target connection;
 * mapping set; flow spec lookup; flow) with the same request bodies. Input as in
 * test/orchestration/smokeCreate.test.ts: a Generic OData table into a new profile schema.
 */
import { SCHEMA_REF_CONTENT_TYPE } from '../src/upstream/schemaRegistry/wire.ts';
import { DATA_LAKE_CONNECTION_SPEC_ID } from '../src/upstream/flowService/types.ts';
import { postGraphql, type RestCaller } from './dashboard.ts';

const PROFILE = 'https://ns.adobe.com/xdm/context/profile';
const PERSONAL_DETAILS = 'https://ns.adobe.com/xdm/context/profile-personal-details';
const COLUMNS = [
  { name: 'OrderID', type: 'STRING' },
  { name: 'CustomerEmail', type: 'STRING' },
  { name: 'Modified', type: 'STRING' },
];
const MAPPINGS = [
  { sourceAttribute: 'OrderID', destinationXdmPath: '_id' },
  { sourceAttribute: 'CustomerEmail', destinationXdmPath: 'personalEmail.address' },
];
const DELTA = { name: 'Modified', dateFormat: 'yyyy-MM-ddTHH:mm:ssZ', timezone: 'UTC' };
const START = '2026-12-01T00:00:00Z';

/**
 * The payload a caller ends with after the seven calls: every created id, plus what the API
 * holds without reading anything back. (Asking for the mapping set's stored mappings costs
 * one read after the last write: Data Prep answers a create with the id alone.)
 */
export const CREATE_MUTATION = /* GraphQL */ `
  mutation Create($input: CreateDataflowInput!) {
    createDataflow(input: $input) {
      userErrors {
        field
        code
        message
      }
      steps {
        name
        status
        resourceId
      }
      flow {
        id
        name
        state
        flowSpec {
          name
        }
        mappingSetId
        sourceConnections {
          id
          tableName
          baseConnection {
            name
          }
        }
        targetConnections {
          id
          datasetId
          schemaId
        }
      }
      sourceConnection {
        id
      }
      targetConnection {
        id
      }
      dataset {
        id
        name
      }
      targetSchema {
        id
        title
      }
      mappingSet {
        id
      }
    }
  }
`;

export interface CreateArgs {
  baseConnectionId: string;
  /** The OData connection spec of that base connection. */
  connectionSpecId: string;
  /** Makes names unique per attempt. */
  tag: string;
}

export interface CreateResult {
  wallMs: number;
  flowId: string;
}

export function createInput(args: CreateArgs) {
  return {
    name: `Bench orders ${args.tag}`,
    source: { baseConnectionId: args.baseConnectionId, tableName: 'Orders', columns: COLUMNS },
    target: {
      newSchema: {
        schema: { title: `Bench orders profile ${args.tag}`, classId: PROFILE, fieldGroupIds: [PERSONAL_DETAILS] },
        datasetName: `Bench orders ${args.tag}`,
      },
    },
    mappings: MAPPINGS,
    deltaColumn: DELTA,
    schedule: { startTime: START, frequency: 'HOUR', interval: 1 },
  };
}

export async function graphqlCreate(
  apiUrl: string,
  headers: Record<string, string>,
  args: CreateArgs,
): Promise<CreateResult> {
  const started = performance.now();
  const { json } = await postGraphql(apiUrl, CREATE_MUTATION, { input: createInput(args) }, headers);
  const wallMs = performance.now() - started;
  const payload = json.data.createDataflow;
  if (payload.userErrors.length > 0 || payload.flow === null)
    throw new Error(`createDataflow: ${JSON.stringify(payload.userErrors)} ${JSON.stringify(payload.steps)}`);
  return { wallMs, flowId: payload.flow.id };
}

/** The tutorials' sequence, one call after the other, with the bodies the API sends. */
export async function sequentialCreate(r: RestCaller, args: CreateArgs): Promise<CreateResult> {
  const { flowService: fs, schemaRegistry, catalog, dataPrep } = r.clients;
  const c = r.c;
  const input = createInput(args);
  const started = performance.now();
  const source = await fs.createSourceConnection(c, {
    name: `${input.name} source`,
    baseConnectionId: args.baseConnectionId,
    data: { format: 'tabular' },
    params: { tableName: 'Orders', columns: COLUMNS.map((c) => ({ ...c, type: c.type.toLowerCase() })) },
    connectionSpec: { id: args.connectionSpecId, version: '1.0' },
  });
  const schema = await schemaRegistry.createSchema(c, {
    type: 'object',
    title: input.target.newSchema.schema.title,
    description: `Created by ingestion-graph for ${input.target.newSchema.schema.title}`,
    allOf: [{ $ref: PROFILE }, { $ref: PERSONAL_DETAILS }],
  });
  const datasetId = await catalog.createDataSet(c, {
    name: input.target.newSchema.datasetName,
    schemaRef: { id: schema.$id, contentType: SCHEMA_REF_CONTENT_TYPE },
  });
  const target = await fs.createTargetConnection(c, {
    name: `${input.name} target`,
    data: { schema: { id: schema.$id, version: SCHEMA_REF_CONTENT_TYPE } },
    params: { dataSetId: datasetId },
    connectionSpec: { id: DATA_LAKE_CONNECTION_SPEC_ID, version: '1.0' },
  });
  const mapping = await dataPrep.createMappingSet(c, {
    version: 0,
    xdmSchema: schema.$id,
    xdmVersion: '1.0',
    mappings: MAPPINGS.map((m) => ({ ...m, identity: false, identityGroup: null, namespaceCode: null, version: 0 })),
  });
  const [flowSpec] = await fs.listFlowSpecs(c, { property: ['name==CRMToAEP'] });
  if (flowSpec === undefined) throw new Error('no CRMToAEP flow spec');
  const flow = await fs.createFlow(c, {
    name: input.name,
    flowSpec: { id: flowSpec.id, version: flowSpec.version },
    sourceConnectionIds: [source.id],
    targetConnectionIds: [target.id],
    transformations: [
      { name: 'Copy', params: { deltaColumn: DELTA } },
      { name: 'Mapping', params: { mappingId: mapping.id, mappingVersion: mapping.version } },
    ],
    scheduleParams: { startTime: Math.floor(Date.parse(START) / 1000), frequency: 'hour', interval: 1 },
  });
  return { wallMs: performance.now() - started, flowId: flow.id };
}
