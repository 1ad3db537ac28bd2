import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type Call, type TestEmulator } from '../emulatorHarness.ts';
import { FLOW_SPEC, FS, SPEC, createOk, dataLakeTarget, flowCode } from './fixtures.ts';

let t: TestEmulator;
let call: Call;

beforeAll(async () => {
  t = await startTestEmulator();
  call = await t.platform();
});
afterAll(() => t.stop());

/**
 * The target steps of every tutorial, through the Schema Registry, Catalog and Data Prep
 * routes: an XDM profile schema, a dataset of it, and a mapping set (the tutorials' legacy body).
 */
async function targetSetup(mappings: Array<[string, string]>) {
  const schema = await call('POST', '/data/foundation/schemaregistry/tenant/schemas', {
    body: {
      type: 'object',
      title: `Tutorial profile ${Math.random().toString(36).slice(2, 8)}`,
      description: 'Profile schema of a sources tutorial',
      allOf: [
        { $ref: 'https://ns.adobe.com/xdm/context/profile' },
        { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' },
        { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details' },
      ],
    },
  });
  expect(schema.status).toBe(201);
  const schemaId: string = schema.body.$id;
  const dataset = await call('POST', '/data/foundation/catalog/dataSets', {
    body: {
      name: 'Tutorial dataset',
      schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' },
    },
  });
  expect(dataset.status).toBe(201);
  const dataSetId = (dataset.body as string[])[0]!.replace('@/dataSets/', '');
  const mapping = await call('POST', '/data/foundation/conversion/mappingSets', {
    body: {
      version: 0,
      xdmSchema: schemaId,
      xdmVersion: '1.0',
      id: null,
      mappings: mappings.map(([source, destination]) => ({
        destinationXdmPath: destination,
        sourceAttribute: source,
        identity: false,
        identityGroup: null,
        namespaceCode: null,
        version: 0,
      })),
    },
  });
  expect(mapping.status).toBe(200);
  expect(mapping.body.version).toBe(0);
  // the documented wrong input: a mapping to a field the schema lacks
  const badMapping = await call('POST', '/data/foundation/conversion/mappingSets', {
    body: {
      xdmSchema: schemaId,
      xdmVersion: '1.0',
      mappings: [{ sourceAttribute: 'x', destinationXdmPath: 'loyalty.tier' }],
    },
  });
  expect(badMapping.status).toBe(400);
  return { schemaId, dataSetId, mappingId: mapping.body.id as string };
}

describe('tutorial sequences, replayed through every service', () => {
  it('Generic OData on CRMToAEP with Copy + Mapping', async () => {
    const spec = await call('GET', `${FS}/connectionSpecs/${SPEC.odata}`);
    expect(spec.body.items[0].authSpec.map((a: { name: string }) => a.name)).toEqual(['Anonymous Authentication']);
    const base = await createOk(call, 'connections', {
      name: 'Generic OData base connection',
      auth: {
        specName: 'Anonymous Authentication',
        params: { url: 'https://services.odata.org/TripPinRESTierService' },
      },
      connectionSpec: { id: SPEC.odata, version: '1.0' },
    });
    const source = await createOk(call, 'sourceConnections', {
      name: 'OData source',
      baseConnectionId: base.id,
      data: { format: 'tabular' },
      params: { path: 'People' },
      connectionSpec: { id: SPEC.odata, version: '1.0' },
    });
    const { schemaId, dataSetId, mappingId } = await targetSetup([
      ['UserName', '_id'],
      ['FirstName', 'person.name.firstName'],
      ['Emails', 'personalEmail.address'],
    ]);
    const target = await createOk(call, 'targetConnections', dataLakeTarget(dataSetId, schemaId));
    const flowSpec = await call('GET', `${FS}/flowSpecs`, { query: { property: 'name=="CRMToAEP"' } });
    const flowSpecId = flowSpec.body.items[0].id;
    expect(flowSpecId).toBe(FLOW_SPEC.crm);
    const flowBody = {
      name: 'OData dataflow',
      flowSpec: { id: flowSpecId, version: '1.0' },
      sourceConnectionIds: [source.id],
      targetConnectionIds: [target.id],
      transformations: [
        { name: 'Copy', params: { deltaColumn: { name: 'updatedAt', dateFormat: 'YYYY-MM-DD', timezone: 'UTC' } } },
        { name: 'Mapping', params: { mappingId, mappingVersion: '0' } },
      ],
      scheduleParams: { startTime: '1625040887', frequency: 'minute', interval: '15' },
    };
    // Copy is optional on CRMToAEP: nothing requires it, its spec only requires deltaColumn when sent
    const withoutCopy = await call('POST', `${FS}/flows`, {
      body: { ...flowBody, transformations: [flowBody.transformations[1]] },
    });
    expect(withoutCopy.status).toBe(201);
    expect((await call('DELETE', `${FS}/flows/${withoutCopy.body.id}`)).status).toBe(204);
    const noDeltaName = await call('POST', `${FS}/flows`, {
      body: {
        ...flowBody,
        transformations: [{ name: 'Copy', params: { deltaColumn: {} } }, flowBody.transformations[1]],
      },
    });
    expect(noDeltaName.status).toBe(400);
    expect(noDeltaName.body.report['detailed-message']).toContain('name');
    const flow = await createOk(call, 'flows', flowBody);
    const bySource = await call('GET', `${FS}/flows`, { query: { property: `sourceConnectionIds[]==${source.id}` } });
    expect(bySource.body.items.map((f: { id: string }) => f.id)).toEqual([flow.id]);
    const byMapping = await call('GET', `${FS}/flows`, {
      query: { property: `transformations[].params.mappingId==${mappingId}` },
    });
    expect(byMapping.body.items).toHaveLength(1);
    // the flow without Copy (deleted since) and the tutorial's flow
    const log = await t.requests();
    expect(log.filter((e) => e.method === 'POST' && e.path === `${FS}/flows` && e.status === 201)).toHaveLength(2);
  });

  it('Azure File Storage delimited files on CloudStorageToAEP', async () => {
    const base = await createOk(call, 'connections', {
      name: 'Azure File Storage connection',
      auth: {
        specName: 'Basic Authentication',
        params: { host: '\\\\acme.file.core.windows.net\\share', userId: 'Azure\\acme', password: 'secret' },
      },
      connectionSpec: { id: SPEC.azureFile, version: '1.0' },
    });
    const source = await createOk(call, 'sourceConnections', {
      name: 'Azure File Storage source',
      baseConnectionId: base.id,
      data: { format: 'delimited', properties: { columnDelimiter: ',' } },
      params: { path: '/acme/summerCampaign/account.csv', type: 'file' },
      connectionSpec: { id: SPEC.azureFile, version: '1.0' },
    });
    const { schemaId, dataSetId, mappingId } = await targetSetup([
      ['UserName', '_id'],
      ['FirstName', 'person.name.firstName'],
      ['Emails', 'personalEmail.address'],
    ]);
    const target = await createOk(call, 'targetConnections', dataLakeTarget(dataSetId, schemaId));
    const flow = await createOk(call, 'flows', {
      name: 'Azure File Storage dataflow',
      flowSpec: { id: FLOW_SPEC.cloudStorage, version: '1.0' },
      sourceConnectionIds: [source.id],
      targetConnectionIds: [target.id],
      transformations: [{ name: 'Mapping', params: { mappingId, mappingVersion: 0 } }],
      scheduleParams: { startTime: '1597784298', frequency: 'hour', interval: '1', backfill: 'true' },
    });
    const got = (await call('GET', `${FS}/flows/${flow.id}`)).body.items[0];
    expect(got.scheduleParams).toEqual({ startTime: '1597784298', frequency: 'hour', interval: '1', backfill: 'true' });
    expect(got.inheritedAttributes.sourceConnections[0].baseConnection.id).toBe(base.id);
  });

  it('Salesforce Service Cloud tabular source on CRMToAEP', async () => {
    const base = await createOk(call, 'connections', {
      name: 'Salesforce Service Cloud connection',
      auth: {
        specName: 'Basic Authentication',
        params: { username: 'acme@example.com', password: 'pw', securityToken: 'tok' },
      },
      connectionSpec: { id: SPEC.ssc, version: '1.0' },
    });
    const params = (await call('GET', `${FS}/connections/${base.id}`)).body.items[0].auth.params;
    expect(params).toEqual({ username: 'acme@example.com', password: '****', securityToken: '****' });
    const source = await createOk(call, 'sourceConnections', {
      name: 'SSC source',
      baseConnectionId: base.id,
      data: { format: 'tabular' },
      params: { tableName: 'Case', columns: [{ name: 'Id', type: 'string' }] },
      connectionSpec: { id: SPEC.ssc, version: '1.0' },
    });
    const { schemaId, dataSetId, mappingId } = await targetSetup([
      ['UserName', '_id'],
      ['FirstName', 'person.name.firstName'],
      ['Emails', 'personalEmail.address'],
    ]);
    const target = await createOk(call, 'targetConnections', dataLakeTarget(dataSetId, schemaId));
    const body = {
      name: 'SSC dataflow',
      flowSpec: { id: FLOW_SPEC.crm, version: '1.0' },
      sourceConnectionIds: [source.id],
      targetConnectionIds: [target.id],
      transformations: [
        { name: 'Copy', params: { deltaColumn: { name: 'LastModifiedDate' } } },
        { name: 'Mapping', params: { mappingId, mappingVersion: 0 } },
      ],
      scheduleParams: { startTime: 1625040887, frequency: 'once' },
    };
    const flow = await createOk(call, 'flows', body);
    // The CRM tutorial's mix-up (§11 #35): a table source under CloudStorageToAEP is refused.
    const mismatched = await call('POST', `${FS}/flows`, {
      body: {
        ...body,
        flowSpec: { id: FLOW_SPEC.cloudStorage, version: '1.0' },
        transformations: [body.transformations[1]],
      },
    });
    expect(flowCode(mismatched.body)).toBe('FLOW-1413-400');
    const run = await createOk(call, 'runs', {
      flowId: flow.id,
      params: {
        startTime: '1663735590',
        windowStartTime: '1651584991',
        windowEndTime: '1651585956',
        deltaColumn: { name: 'LastModifiedDate' },
      },
    });
    expect(
      (await call('GET', `${FS}/runs`, { query: { property: `flowId==${flow.id}` } })).body.items.map(
        (r: { id: string }) => r.id,
      ),
    ).toEqual([run.id]);
  });
});
