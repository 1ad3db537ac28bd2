import type { Stack } from '../harness.ts';
import { DEMO_ORG } from '../harness.ts';

export const PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
export const PERSON_DETAILS = 'https://ns.adobe.com/xdm/context/profile-person-details';
export const PERSONAL_DETAILS = 'https://ns.adobe.com/xdm/context/profile-personal-details';

export const CREATE = `mutation Create($input: CreateDataflowInput!) {
  createDataflow(input: $input) {
    userErrors { field code message }
    steps { name status resourceId error request }
    replayed
    flow { id name state flowSpec { id name } schedule { frequency interval startTime } deltaColumn { name } mappingSetId
      sourceConnections { id format path tableName baseConnection { id name } }
      targetConnections { id datasetId schemaId } }
    sourceConnection { id }
    targetConnection { id }
    dataset { id name schemaId }
    targetSchema { id title }
    mappingSet { id mappingSetId version }
  }
}`;

/** The demo's base connection of a connection spec (by its `name`). */
export async function baseConnectionOf(stack: Stack, specName: string): Promise<string> {
  const res = await stack.gql(`{ baseConnections(first: 100) { nodes { id connectionSpec { name } } } }`);
  const found = res.data.baseConnections.nodes.find(
    (n: { connectionSpec: { name: string } }) => n.connectionSpec.name === specName,
  );
  if (found === undefined) throw new Error(`the demo has no ${specName} base connection`);
  return found.id;
}

/** Counts of every resource kind of the demo org, from the emulator. */
export async function demoCounts(stack: Stack): Promise<Record<string, number>> {
  const state = await stack.control('GET', '/__emulator/state');
  return state.partitions.find((p: { org: string; sandbox: string }) => p.org === DEMO_ORG && p.sandbox === 'prod')
    .counts;
}

/** Upstream writes in the request log. */
export function writes(log: Array<{ method: string; path: string }>): string[] {
  return log.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

/** Generic OData on CRMToAEP with Copy + Mapping, into a new schema and dataset. */
export function odataInput(baseConnectionId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Northwind customers',
    description: 'Customers from the Northwind OData feed',
    source: {
      baseConnectionId,
      tableName: 'Customers',
      columns: [
        { name: 'CustomerID', type: 'STRING' },
        { name: 'ContactName', type: 'STRING' },
        { name: 'Email', type: 'STRING' },
        { name: 'LastModified', type: 'STRING' },
      ],
    },
    target: {
      newSchema: {
        schema: {
          title: 'Northwind customer profile',
          classId: PROFILE_CLASS,
          fieldGroupIds: [PERSON_DETAILS, PERSONAL_DETAILS],
        },
        datasetName: 'Northwind customers',
      },
    },
    mappings: [
      { sourceAttribute: 'CustomerID', destinationXdmPath: '_id' },
      { sourceAttribute: 'ContactName', destinationXdmPath: 'person.name.fullName' },
      { sourceAttribute: 'Email', destinationXdmPath: 'personalEmail.address' },
    ],
    deltaColumn: { name: 'LastModified', dateFormat: 'yyyy-MM-ddTHH:mm:ssZ', timezone: 'UTC' },
    schedule: { startTime: '2026-12-01T00:00:00Z', frequency: 'HOUR', interval: 1 },
    ...overrides,
  };
}
