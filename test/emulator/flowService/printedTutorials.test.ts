import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { createDataSet, createProfileSchema } from '../schemaFixtures.ts';
import { FS } from './fixtures.ts';

/**
 * Tutorials of AdobeDocs/experience-platform.en replayed exactly as printed. Generic OData: `help/sources/tutorials/api/create/protocols/odata.md` (the base connection),
 * then `help/sources/tutorials/api/collect/protocols.md` (source connection, target
 * connection, mapping set, flow spec lookup, dataflow). Each body is the printed text with
 * its typos corrected (noted where they are), and the printed ids replaced by the ones the
 * emulator gave in the earlier steps. Each response is checked for the printed keys. The
 * target schema and dataset the tutorial sends readers elsewhere to create are made here.
 * HTTP API streaming: `help/sources/tutorials/api/create/streaming/http.md` (a
 * non-authenticated and an authenticated connection, then the connection's inlet URL).
 * Azure File Storage: `help/sources/tutorials/api/create/cloud-storage/azure-file-storage.md`
 * (the base connection), then `help/sources/tutorials/api/collect/cloud-storage.md` at
 * fd52295 (a delimited file's source connection, target connection, mapping set, flow spec
 * lookup, dataflow on CloudStorageToAEP). Salesforce Service Cloud:
 * `help/sources/tutorials/api/create/customer-success/salesforce-service-cloud.md` (the base
 * connection), then `help/sources/tutorials/api/collect/customer-success.md` at 4c8de22 (a
 * table's source connection, target connection, mapping set, flow spec lookup) and, for the
 * dataflow that revision does not print, its previous revision 01ba68d.
 */

let t: TestEmulator;
let call: Call;
/** Printed id → the id this run got for it. */
const carried = new Map<string, string>();

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
});
afterAll(() => t.stop());

async function replay(method: string, path: string, printed?: string) {
  let body = printed;
  for (const [from, to] of carried) body = body?.replaceAll(from, to);
  const res = await call(method, path, {
    ...(body === undefined ? {} : { rawBody: body, headers: { 'content-type': 'application/json' } }),
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res;
}

const keysOf = (o: object) => Object.keys(o).sort();

describe('the Generic OData tutorials, as printed', () => {
  it('create the base connection, the source and target connections, the mapping set and the dataflow', async () => {
    const connection = await replay(
      'POST',
      `${FS}/connections`,
      `{
        "name": "Protocols",
        "description": "A test connection for a Protocols source",
        "auth": {
            "specName": "Anonymous Authentication",
        "params": {
            "url" :  "{URL}"
            }
        },
        "connectionSpec": {
            "id": "8e6b41a8-d998-4545-ad7d-c6a9fff406c3",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(connection.body)).toEqual(['etag', 'id']);
    carried.set('a5c6b647-e784-4b58-86b6-47e784ab580b', connection.body.id);

    // typo corrected: a trailing comma after "format": "tabular"
    const source = await replay(
      'POST',
      `${FS}/sourceConnections`,
      `{
        "name": "Generic OData source connection",
        "baseConnectionId": "a5c6b647-e784-4b58-86b6-47e784ab580b",
        "description": "Generic OData source connection",
        "data": {
            "format": "tabular"
        },
        "params": {
            "tableName": "Orders",
            "columns": [
                {
                "name": "OrderID",
                "type": "integer",
                "xdm": {
                    "type": "integer",
                    "minimum": -2147483648,
                    "maximum": 2147483647
                }
                },
                {
                    "name": "CustomerID",
                    "type": "string",
                    "xdm": {
                        "type": "string"
                    }
                },
                {
                    "name": "OrderDate",
                    "type": "string",
                    "meta:xdmType": "date-time",
                    "xdm": {
                        "type": "string",
                        "format": "date-time"
                    }
                },
                {
                    "name": "ShippedDate",
                    "type": "string",
                    "meta:xdmType": "date-time",
                    "xdm": {
                        "type": "string",
                        "format": "date-time"
                    }
                }
            ]
        },
        "connectionSpec": {
            "id": "8e6b41a8-d998-4545-ad7d-c6a9fff406c3",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(source.body)).toEqual(['etag', 'id']);
    carried.set('0a768941-ddfb-499d-b689-41ddfbf99db0', source.body.id);

    const schema = await createProfileSchema(call, 'Orders');
    carried.set(
      'https://ns.adobe.com/{TENANT_ID}/schemas/e669d7aba5a02f294fafb7b269af25f7cd4a66ce59193545',
      schema.$id,
    );
    carried.set('5e8a55ca53662c18af37a83a', await createDataSet(call, schema.$id, 'Orders'));

    // typo corrected: "version" "application/…" lacked its colon
    const target = await replay(
      'POST',
      `${FS}/targetConnections`,
      `{
        "name": "Target Connection for protocols",
        "description": "Target Connection for protocols",
        "data": {
            "format": "parquet_xdm",
            "schema": {
                "id": "https://ns.adobe.com/{TENANT_ID}/schemas/e669d7aba5a02f294fafb7b269af25f7cd4a66ce59193545",
                "version": "application/vnd.adobe.xed-full+json;version=1"
            }
        },
        "params": {
            "dataSetId": "5e8a55ca53662c18af37a83a"
        },
        "connectionSpec": {
            "id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(target.body)).toEqual(['etag', 'id']);
    carried.set('576d5ecf-f114-4587-ad5e-cff1144587f4', target.body.id);

    const mapping = await replay(
      'POST',
      '/data/foundation/conversion/mappingSets',
      `{
        "version": 0,
        "xdmSchema": "https://ns.adobe.com/{TENANT_ID}/schemas/e669d7aba5a02f294fafb7b269af25f7cd4a66ce59193545",
        "xdmVersion": "1.0",
        "id": null,
        "mappings": [
            {
                "destinationXdmPath": "_id",
                "sourceAttribute": "OrderID",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            },
            {
                "destinationXdmPath": "_id",
                "sourceAttribute": "CustomerID",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            },
            {
                "destinationXdmPath": "_id",
                "sourceAttribute": "EmployeeID",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            },
            {
                "destinationXdmPath": "createdByBatchID",
                "sourceAttribute": "OrderDate",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            }
        ]
    }`,
    );
    expect(keysOf(mapping.body)).toEqual(['createdBy', 'createdDate', 'id', 'modifiedBy', 'modifiedDate', 'version']);
    expect(mapping.body.createdBy).toMatch(/@AdobeID$/);
    // the flow below prints the mapping id one character short ("7409d30…" for "37409d30…")
    carried.set('7409d3017e24a3eb4a2dc21020f7a5b', mapping.body.id);

    const flowSpecs = await replay('GET', `${FS}/flowSpecs?property=name=="CRMToAEP"`);
    expect(keysOf(flowSpecs.body)).toEqual(['items']);
    expect(Object.keys(flowSpecs.body.items[0])).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'providerId',
        'version',
        'sourceConnectionSpecIds',
        'targetConnectionSpecIds',
        'optionSpec',
        'transformationSpecs',
        'scheduleSpec',
        'attributes',
        'permissionsInfo',
      ]),
    );
    expect(flowSpecs.body.items[0]).toMatchObject({ id: '14518937-270c-4525-bdec-c2ba7cce3860', name: 'CRMToAEP' });

    // printed without its Authorization header, which every platform call needs (sent here)
    const flow = await replay(
      'POST',
      `${FS}/flows`,
      `{
        "name": "Creating a dataflow for a protocols source",
        "description": "Creating a dataflow for a protocols source",
        "flowSpec": {
            "id": "14518937-270c-4525-bdec-c2ba7cce3860",
            "version": "1.0"
        },
        "sourceConnectionIds": [
            "0a768941-ddfb-499d-b689-41ddfbf99db0"
        ],
        "targetConnectionIds": [
            "576d5ecf-f114-4587-ad5e-cff1144587f4"
        ],
        "transformations": [
            {
                "name": "Copy",
                "params": {
                    "deltaColumn": {
                        "name": "updatedAt",
                        "dateFormat": "YYYY-MM-DD",
                        "timezone": "UTC"
                    }
                }
            },
            {
                "name": "Mapping",
                "params": {
                    "mappingId": "7409d3017e24a3eb4a2dc21020f7a5b",
                    "mappingVersion": "0"
                }
            }
        ],
        "scheduleParams": {
            "startTime": "1567411548",
            "frequency":"minute",
            "interval":"30"
        }
    }`,
    );
    expect(keysOf(flow.body)).toEqual(['etag', 'id']);

    const created = (await call('GET', `${FS}/flows/${flow.body.id}`)).body.items[0];
    expect(created).toMatchObject({
      sourceConnectionIds: [source.body.id],
      targetConnectionIds: [target.body.id],
      scheduleParams: { startTime: '1567411548', frequency: 'minute', interval: '30' },
      inheritedAttributes: { properties: { isSourceFlow: true } },
    });
  });
});

describe('the HTTP API streaming connection tutorial, as printed', () => {
  // both bodies were printed without the closing quote of curl's -d '…'
  const body = (extra: string) => `{
     "name": "Sample streaming connection",
     "providerId": "521eee4d-8cbe-4906-bb48-fb6bd4450033",
     "description": "Sample description",
     "connectionSpec": {
         "id": "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb",
         "version": "1.0"
     },
     "auth": {
         "specName": "Streaming Connection",
         "params": {
             "sourceId": "Sample connection",
             "dataType": "xdm",
             "name": "Sample connection"${extra}
         }
     }
 }`;

  it('creates a non-authenticated and an authenticated connection, and gives each an inlet URL', async () => {
    const open = await replay('POST', `${FS}/connections`, body(''));
    expect(open.status).toBe(201);
    expect(keysOf(open.body)).toEqual(['etag', 'id']);
    const authenticated = await replay(
      'POST',
      `${FS}/connections`,
      body(`,
             "authenticationRequired": true`),
    );
    expect(keysOf(authenticated.body)).toEqual(['etag', 'id']);

    const got = await replay('GET', `${FS}/connections/${open.body.id}`);
    expect(keysOf(got.body)).toEqual(['items']);
    const [connection] = got.body.items;
    expect(Object.keys(connection)).toEqual(
      expect.arrayContaining([
        'createdAt',
        'updatedAt',
        'createdBy',
        'updatedBy',
        'createdClient',
        'updatedClient',
        'id',
        'name',
        'description',
        'connectionSpec',
        'state',
        'auth',
        'version',
        'etag',
      ]),
    );
    expect(Object.keys(connection.auth.params)).toEqual(
      expect.arrayContaining(['sourceId', 'inletUrl', 'inletId', 'dataType', 'name']),
    );
    expect(connection.auth.params.inletUrl).toMatch(new RegExp(`/collection/${connection.auth.params.inletId}$`));
    expect(connection.auth.params.inletId).toMatch(/^[0-9a-f]{64}$/);
    const second = (await replay('GET', `${FS}/connections/${authenticated.body.id}`)).body.items[0];
    expect(second.auth.params.authenticationRequired).toBe(true);
  });
});

/** The keys of the flow spec the cloud storage and customer success tutorials print (a bare object). */
const printedFlowSpecKeys = (transformation: string) => [
  'id',
  'name',
  'providerId',
  'version',
  'attributes',
  'sourceConnectionSpecIds',
  'targetConnectionSpecIds',
  'permissionsInfo',
  'optionSpec',
  'scheduleSpec',
  transformation,
  'runSpec',
];

describe('the Azure File Storage tutorials, as printed', () => {
  it('create the base connection, the delimited source connection, the target connection, the mapping set and the dataflow', async () => {
    const connection = await replay(
      'POST',
      `${FS}/connections`,
      `{
        "name": "Azure File Storage connection",
        "description": "An Azure File Storage test connection",
        "auth": {
            "specName": "Basic Authentication",
            "params": {
                    "host": "{HOST}",
                    "userId": "{USER_ID}",
                    "password": "{PASSWORD}"
                }
        },
        "connectionSpec": {
            "id": "be5ec48c-5b78-49d5-b8fa-7c89ec4569b8",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(connection.body)).toEqual(['etag', 'id']);
    // the collect tutorial is written for every cloud storage source: its base connection id is
    // not the one the create tutorial printed ("f9377f50…"), and its connection spec is Azure
    // Blob's, where the reader gives their own source's from its appendix
    carried.set('1f164d1b-debe-4b39-b4a9-df767f7d6f7c', connection.body.id);
    carried.set('4c10e202-c428-4796-9208-5f1f5732b1cf', 'be5ec48c-5b78-49d5-b8fa-7c89ec4569b8');

    // typo corrected: "description lacked its closing quote; the three {…} placeholders of
    // data.properties are given values the property table lists
    const source = await replay(
      'POST',
      `${FS}/sourceConnections`,
      `{
      "name": "Cloud Storage source connection",
      "description": "Source connection for a cloud storage source",
      "baseConnectionId": "1f164d1b-debe-4b39-b4a9-df767f7d6f7c",
      "data": {
          "format": "delimited",
          "properties": {
              "columnDelimiter": ",",
              "encoding": "UTF-8",
              "compressionType": "gzip"
          }
      },
      "params": {
          "path": "/acme/summerCampaign/account.csv",
          "type": "file"
      },
      "connectionSpec": {
          "id": "4c10e202-c428-4796-9208-5f1f5732b1cf",
          "version": "1.0"
      }
  }`,
    );
    expect(keysOf(source.body)).toEqual(['etag', 'id']);
    carried.set('26b53912-1005-49f0-b539-12100559f0e2', source.body.id);

    const schema = await createProfileSchema(call, 'Accounts');
    carried.set(
      'https://ns.adobe.com/{TENANT_ID}/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4',
      schema.$id,
    );
    carried.set('5f3c3cedb2805c194ff0b69a', await createDataSet(call, schema.$id, 'Accounts'));

    const target = await replay(
      'POST',
      `${FS}/targetConnections`,
      `{
        "name": "Target Connection for a Cloud Storage connector",
        "description": "Target Connection for a Cloud Storage connector",
        "data": {
            "schema": {
                "id": "https://ns.adobe.com/{TENANT_ID}/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4",
                "version": "application/vnd.adobe.xed-full+json;version=1"
            }
        },
        "params": {
            "dataSetId": "5f3c3cedb2805c194ff0b69a"
        },
            "connectionSpec": {
            "id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(target.body)).toEqual(['etag', 'id']);
    // the flow below names a target connection no step printed ("f7eb08fa…"; this one answered "dbc5c132…")
    carried.set('f7eb08fa-5f04-4e45-ab08-fa5f046e45ee', target.body.id);

    const mapping = await replay(
      'POST',
      '/data/foundation/conversion/mappingSets',
      `{
        "version": 0,
        "xdmSchema": "https://ns.adobe.com/{TENANT_ID}/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4",
        "xdmVersion": "1.0",
        "id": null,
        "mappings": [
            {
                "destinationXdmPath": "_id",
                "sourceAttribute": "Id",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            },
            {
                "destinationXdmPath": "person.name.firstName",
                "sourceAttribute": "FirstName",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            },
            {
                "destinationXdmPath": "person.name.lastName",
                "sourceAttribute": "LastName",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            }
        ]
    }`,
    );
    expect(keysOf(mapping.body)).toEqual(['createdBy', 'createdDate', 'id', 'modifiedBy', 'modifiedDate', 'version']);
    carried.set('bf5286a9c1ad4266baca76ba3adc9366', mapping.body.id);

    // printed as the bare flow spec with an old-style `transformationSpec`; the emulator answers
    // `{items}` with `transformationSpecs`, as the spec and the newer docs do
    const flowSpecs = await replay('GET', `${FS}/flowSpecs?property=name==%22CloudStorageToAEP%22`);
    expect(keysOf(flowSpecs.body)).toEqual(['items']);
    expect(keysOf(flowSpecs.body.items[0])).toEqual(
      expect.arrayContaining(printedFlowSpecKeys('transformationSpecs').sort()),
    );
    expect(flowSpecs.body.items[0]).toMatchObject({
      id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876',
      name: 'CloudStorageToAEP',
    });
    expect(flowSpecs.body.items[0].sourceConnectionSpecIds).toContain('be5ec48c-5b78-49d5-b8fa-7c89ec4569b8');

    // printed without its Authorization header, which every platform call needs (sent here)
    const flow = await replay(
      'POST',
      `${FS}/flows`,
      `{
        "name": "Cloud Storage flow to Platform",
        "description": "Cloud Storage flow to Platform",
        "flowSpec": {
            "id": "9753525b-82c7-4dce-8a9b-5ccfce2b9876",
            "version": "1.0"
        },
        "sourceConnectionIds": [
            "26b53912-1005-49f0-b539-12100559f0e2"
        ],
        "targetConnectionIds": [
            "f7eb08fa-5f04-4e45-ab08-fa5f046e45ee"
        ],
        "transformations": [
            {
                "name": "Mapping",
                "params": {
                    "mappingId": "bf5286a9c1ad4266baca76ba3adc9366",
                    "mappingVersion": 0
                }
            }
        ],
        "scheduleParams": {
            "startTime": "1597784298",
            "frequency":"minute",
            "interval":"30"
        }
    }`,
    );
    expect(keysOf(flow.body)).toEqual(['etag', 'id']);

    const created = (await call('GET', `${FS}/flows/${flow.body.id}`)).body.items[0];
    expect(created).toMatchObject({
      flowSpec: { id: '9753525b-82c7-4dce-8a9b-5ccfce2b9876' },
      sourceConnectionIds: [source.body.id],
      targetConnectionIds: [target.body.id],
      transformations: [{ name: 'Mapping', params: { mappingId: mapping.body.id } }],
      scheduleParams: { startTime: '1597784298', frequency: 'minute', interval: '30' },
    });
    expect(created.inheritedAttributes.sourceConnections[0].baseConnection.id).toBe(connection.body.id);
  });
});

describe('the Salesforce Service Cloud tutorials, as printed', () => {
  it('create the base connection, the tabular source connection, the target connection, the mapping set and the dataflow', async () => {
    // typo corrected: the connection spec id was printed without its leading "c" ("b66ab34-…")
    const connection = await replay(
      'POST',
      `${FS}/connections`,
      `{
        "name": "Base connection for salesforce service cloud",
        "description": "Base connection for salesforce service cloud",
        "auth": {
            "specName": "Basic Authentication",
            "params": {
                "username": "{USERNAME}",
                "password": "{PASSWORD}",
                "securityToken": "{SECURITY_TOKEN}"
            }
        },
        "connectionSpec": {
            "id": "cb66ab34-8619-49cb-96d1-39b37ede86ea",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(connection.body)).toEqual(['etag', 'id']);
    // the collect tutorial names a base connection the create tutorial did not print ("4267c2ab…")
    carried.set('f1da3694-38a9-403d-9a36-9438a9203d42', connection.body.id);

    // typo corrected: a trailing comma after "format": "tabular"
    const source = await replay(
      'POST',
      `${FS}/sourceConnections`,
      `{
        "name": "Source connection for Customer Success",
        "baseConnectionId": "f1da3694-38a9-403d-9a36-9438a9203d42",
        "description": "Source connection for a Customer Success connector",
        "data": {
            "format": "tabular"
        },
        "params": {
            "tableName": "Account",
            "columns": [
                {
                    "name": "Id",
                    "type": "string",
                    "xdm": {
                        "type": "string"
                    }
                },
                {
                    "name": "Name",
                    "type": "string",
                    "xdm": {
                        "type": "string"
                    }
                },
                {
                    "name": "Phone",
                    "type": "string",
                    "xdm": {
                        "type": "string"
                    }
                },
                {
                    "name": "CreatedDate",
                    "type": "string",
                    "meta:xdmType": "date-time",
                    "xdm": {
                        "type": "string",
                        "format": "date-time"
                    }
                }
            ]
        },
        "connectionSpec": {
            "id": "cb66ab34-8619-49cb-96d1-39b37ede86ea",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(source.body)).toEqual(['etag', 'id']);
    carried.set('17faf955-2cf8-4b15-baf9-552cf88b1540', source.body.id);

    // the target connection and the mapping set name two different schemas ("deb3e109…",
    // "b750bd16…"); the one target schema made here stands for both
    const schema = await createProfileSchema(call, 'Service Cloud accounts');
    carried.set(
      'https://ns.adobe.com/{TENANT_ID}/schemas/deb3e1096c35d8311b5d80868c4bd5b3cdfd4b3150e7345f',
      schema.$id,
    );
    carried.set(
      'https://ns.adobe.com/{TENANT_ID}/schemas/b750bd161fef405bc324d0c8809b02c494d73e60e7ae9b3e',
      schema.$id,
    );
    carried.set('5e543e8a60b15218ad44b95f', await createDataSet(call, schema.$id, 'Service Cloud accounts'));

    const target = await replay(
      'POST',
      `${FS}/targetConnections`,
      `{
        "name": "Target Connection for a customer success connector",
        "description": "Target Connection for a customer success connector",
        "data": {
            "format": "parquet_xdm",
            "schema": {
                "id": "https://ns.adobe.com/{TENANT_ID}/schemas/deb3e1096c35d8311b5d80868c4bd5b3cdfd4b3150e7345f",
                "version": "application/vnd.adobe.xed-full+json;version=1"
            }
        },
        "params": {
            "dataSetId": "5e543e8a60b15218ad44b95f"
        },
        "connectionSpec": {
            "id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
            "version": "1.0"
        }
    }`,
    );
    expect(keysOf(target.body)).toEqual(['etag', 'id']);
    // the dataflow below names a target connection no step printed ("bc36ecd6…"; this one answered "1f5af99c…")
    carried.set('bc36ecd6-3b04-4067-b6ec-d63b04b0673d', target.body.id);

    const mapping = await replay(
      'POST',
      '/data/foundation/conversion/mappingSets',
      `{
        "version": 0,
        "xdmSchema": "https://ns.adobe.com/{TENANT_ID}/schemas/b750bd161fef405bc324d0c8809b02c494d73e60e7ae9b3e",
        "xdmVersion": "1.0",
        "id": null,
        "mappings": [
            {
                "destinationXdmPath": "_id",
                "sourceAttribute": "Id",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            },
            {
                "destinationXdmPath": "person.name.fullName",
                "sourceAttribute": "Name",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            },
            {
                "destinationXdmPath": "_repo.createDate",
                "sourceAttribute": "CreatedDate",
                "identity": false,
                "identityGroup": null,
                "namespaceCode": null,
                "version": 0
            }
        ]
    }`,
    );
    expect(keysOf(mapping.body)).toEqual(['createdBy', 'createdDate', 'id', 'modifiedBy', 'modifiedDate', 'version']);
    carried.set('7c3547d3cfc14f568a51c32b4c0ed739', mapping.body.id);

    // printed as the bare flow spec with an old-style `transformationSpec`; the emulator answers
    // `{items}` with `transformationSpecs`, as the spec and the newer docs do
    const flowSpecs = await replay('GET', `${FS}/flowSpecs?property=name=="CRMToAEP"`);
    expect(keysOf(flowSpecs.body)).toEqual(['items']);
    expect(keysOf(flowSpecs.body.items[0])).toEqual(
      expect.arrayContaining(printedFlowSpecKeys('transformationSpecs').sort()),
    );
    expect(flowSpecs.body.items[0]).toMatchObject({ id: '14518937-270c-4525-bdec-c2ba7cce3860', name: 'CRMToAEP' });
    expect(flowSpecs.body.items[0].sourceConnectionSpecIds).toContain('cb66ab34-8619-49cb-96d1-39b37ede86ea');

    // This revision prints the dataflow's property table and response but not its request; the
    // request is the one the revision before it (01ba68d) printed, whose source connection and
    // mapping ids are the ones this revision's responses give. Printed without its
    // Authorization header, which every platform call needs (sent here).
    const flow = await replay(
      'POST',
      `${FS}/flows`,
      `{
        "name": "Creating a dataflow for a Customer Success connector",
        "description": "Creating a dataflow for a Customer Success connector",
        "flowSpec": {
            "id": "14518937-270c-4525-bdec-c2ba7cce3860",
            "version": "1.0"
        },
        "sourceConnectionIds": [
            "17faf955-2cf8-4b15-baf9-552cf88b1540"
        ],
        "targetConnectionIds": [
            "bc36ecd6-3b04-4067-b6ec-d63b04b0673d"
        ],
        "transformations": [
            {
                "name": "Copy",
                "params": {
                    "deltaColumn": {
                        "name": "date-time"
                    }
                }
            },
            {
                "name": "Mapping",
                "params": {
                    "mappingId": "7c3547d3cfc14f568a51c32b4c0ed739",
                    "mappingVersion": "0"
                }
            }
        ],
        "scheduleParams": {
            "startTime": "1590792316",
            "frequency": "minute",
            "interval": "15",
            "backfill": "true"
        }
    }`,
    );
    expect(keysOf(flow.body)).toEqual(['etag', 'id']);

    const created = (await call('GET', `${FS}/flows/${flow.body.id}`)).body.items[0];
    expect(created).toMatchObject({
      flowSpec: { id: '14518937-270c-4525-bdec-c2ba7cce3860' },
      sourceConnectionIds: [source.body.id],
      targetConnectionIds: [target.body.id],
      transformations: [
        { name: 'Copy', params: { deltaColumn: { name: 'date-time' } } },
        { name: 'Mapping', params: { mappingId: mapping.body.id, mappingVersion: '0' } },
      ],
      scheduleParams: { startTime: '1590792316', frequency: 'minute', interval: '15', backfill: 'true' },
    });
  });
});
