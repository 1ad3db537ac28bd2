import { describe, it, expect } from 'vitest';
import { SOURCE_KIND, connectionSpecs, unnamedSpecIds } from '../../src/emulator/seed/connectionSpecs.ts';
import { flowSpecs } from '../../src/emulator/seed/flowSpecs.ts';
import { globalXdmResources } from '../../src/emulator/seed/xdmGlobals.ts';
import { xdmFieldPaths } from '../../src/upstream/schemaRegistry/wire.ts';
import type { XdmFieldDto, XdmResourceDto } from '../../src/upstream/schemaRegistry/types.ts';

const specById = new Map(connectionSpecs.map((spec) => [spec.id, spec]));
const flowSpecById = new Map(flowSpecs.map((spec) => [spec.id, spec]));

/** CONTRACT §10.2 table; `name` only where the docs (§10.2, §10.4) or aepp's defaults show one. */
const documented: Array<[id: string, name: string | null]> = [
  ['ecadc60c-7455-4d87-84dc-2a0e293d997b', 'amazon-s3'],
  ['4c10e202-c428-4796-9208-5f1f5732b1cf', 'azure-blob'],
  ['b3ba5556-48be-44b7-8b85-ff2b69b46dc4', 'adls-gen2'],
  ['be5ec48c-5b78-49d5-b8fa-7c89ec4569b8', 'azure-file-storage'],
  ['32e8f412-cdf7-464c-9885-78184cb113fd', 'google-cloud'],
  ['54e221aa-d342-4707-bcff-7a4bceef0001', null],
  ['c85f9425-fb21-426c-ad0b-405e9bd8a46c', null],
  ['b7bf2577-4520-42c9-bae9-cad01560f7bc', 'sftp'],
  ['fb2e94c9-c031-467d-8103-6bd6e0a432f2', null],
  ['26f526f2-58f4-4712-961d-e41bf1ccc0e8', 'landing-zone'],
  ['86043421-563b-46ec-8e6c-e23184711bf6', null],
  ['bf9f5905-92b7-48bf-bf20-455bc6b60a4e', null],
  ['70116022-a743-464a-bbfe-e226a7f8210c', null],
  ['bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', 'Streaming Connection'],
  ['cfc0fee1-7dc0-40ef-b73e-d8b134c436f5', 'salesforce'],
  ['38ad80fe-8b06-4938-94f4-d4ee80266b07', 'dynamics-online'],
  ['cb66ab34-8619-49cb-96d1-39b37ede86ea', 'salesforce-service-cloud'],
  ['eb13cb25-47ab-407f-ba89-c0125281c563', 'service-now'],
  ['8e6b41a8-d998-4545-ad7d-c6a9fff406c3', null],
  ['3c9b37f8-13a6-43d8-bad3-b863b941fedd', 'google-big-query'],
  ['3416976c-a9ca-4bba-901a-1f08f66978ff', 'amazon-redshift'],
  ['aac9bbd4-6c01-46ce-b47e-51c6f0f6db3f', null],
  ['6a8d82bc-1caf-45d1-908d-cadabc9d63a6', null],
  ['0479cc14-7651-4354-b233-7480606c2ac3', null],
  ['a49bcc7d-8038-43af-b1e4-5a7a089a7d79', null],
  ['ecde33f2-c56f-46cc-bdea-ad151c16cd69', null],
  ['1fe283f6-9bec-11ea-bb37-0242ac130002', null],
  ['37b6bf40-d318-4655-90be-5cd6f65d334b', null],
  ['09182899-b429-40c9-a15a-bf3ddbc8ced7', null],
  ['3000eb99-cd47-43f3-827c-43caf170f015', 'maria-db'],
  ['1f372ff9-38a4-4492-96f5-b9a4e4bd00ec', 'sql-server'],
  ['26d738e0-8963-47ea-aadf-c60de735468a', 'mysql'],
  ['d6b52d86-f0f8-475f-89d4-ce54c8527328', null],
  ['102706fb-a5cd-42ee-afe0-bc42f017ff43', null],
  ['74a1c565-4e59-48d7-9d67-7c03b8a13137', 'postgre-sql'],
  ['c604ff05-7f1a-43c0-8e18-33bf874cb11c', 'datalake'],
];

describe('connection spec seed', () => {
  it('seeds every §10.2 connection spec, with its documented name where the docs give one', () => {
    for (const [id, name] of documented) {
      const spec = specById.get(id);
      expect(spec, id).toBeDefined();
      if (name !== null) expect(spec?.name, id).toBe(name);
    }
  });

  it('seeds Snowflake, HubSpot and Google AdWords from §10.4, the last two under their documented names', () => {
    expect(specById.get('b2e08744-4f1a-40ce-af30-7abac3e23cf3')).toBeDefined();
    expect(specById.get('cc6a4487-9e91-433e-a3a3-9cf6626c1806')?.name).toBe('hubspot');
    expect(specById.get('d771e9c1-4f26-40dc-8617-ce58c4b53702')?.name).toBe('google-adwords');
  });

  it('gives every connection spec a unique id and a unique name', () => {
    expect(new Set(connectionSpecs.map((s) => s.id)).size).toBe(connectionSpecs.length);
    expect(new Set(connectionSpecs.map((s) => s.name)).size).toBe(connectionSpecs.length);
  });

  it('describes every authSpec with a name and an object JSON schema whose required params are properties', () => {
    for (const spec of connectionSpecs) {
      const names = spec.authSpec.map((a) => a.name);
      expect(new Set(names).size, spec.name).toBe(names.length);
      for (const authSpec of spec.authSpec) {
        expect(authSpec.name.length, spec.name).toBeGreaterThan(0);
        expect(authSpec.spec['$schema']).toBe('http://json-schema.org/draft-07/schema#');
        expect(authSpec.spec['type'], `${spec.name} / ${authSpec.name}`).toBe('object');
        const properties = authSpec.spec['properties'] as Record<string, unknown>;
        const required = authSpec.spec['required'] as string[];
        expect(Array.isArray(required)).toBe(true);
        for (const key of required) expect(Object.keys(properties), `${spec.name} / ${authSpec.name}`).toContain(key);
      }
    }
  });

  it('accepts the specNames of every documented revision, older names included', () => {
    const authNames = (id: string) => specById.get(id)?.authSpec.map((a) => a.name);
    expect(authNames('4c10e202-c428-4796-9208-5f1f5732b1cf')).toEqual(
      expect.arrayContaining(['ConnectionString', 'SAS URI Authentication', 'SasURIAuthentication']),
    );
    expect(authNames('b2e08744-4f1a-40ce-af30-7abac3e23cf3')).toEqual(
      expect.arrayContaining([
        'ConnectionString',
        'Basic Authentication for Snowflake',
        'KeyPair Authentication',
        'Basic Authentication',
      ]),
    );
    expect(authNames('74a1c565-4e59-48d7-9d67-7c03b8a13137')).toEqual(
      expect.arrayContaining([
        'Connection String Based Authentication',
        'Basic Authentication for PostgreSQL',
        'Basic Authentication',
      ]),
    );
    expect(authNames('d771e9c1-4f26-40dc-8617-ce58c4b53702')).toEqual(
      expect.arrayContaining(['Basic Authentication for google-adwords', 'Basic Authentication']),
    );
    expect(authNames('ecadc60c-7455-4d87-84dc-2a0e293d997b')).toEqual(['Access Key']);
    expect(authNames('26f526f2-58f4-4712-961d-e41bf1ccc0e8')).toEqual([]);
  });

  it('marks secrets with format password and leaves identifiers plain', () => {
    const s3 = specById.get('ecadc60c-7455-4d87-84dc-2a0e293d997b')?.authSpec[0]?.spec['properties'] as Record<
      string,
      { format?: string }
    >;
    expect(s3['s3SecretKey']?.format).toBe('password');
    expect(s3['s3SessionToken']?.format).toBe('password');
    expect(s3['s3AccessKey']?.format).toBeUndefined();
    expect(s3).not.toHaveProperty('accessKeyId');
  });

  it('describes the data lake as a non-source target with a dataSetId param', () => {
    const lake = specById.get('c604ff05-7f1a-43c0-8e18-33bf874cb11c');
    expect(lake?.attributes).toMatchObject({ category: 'dataLake', isSource: false, isDestination: false });
    expect(lake?.targetSpec?.spec['required']).toEqual(['dataSetId']);
    expect(lake?.sourceSpec).toBeUndefined();
  });

  it('shapes source params by kind: file path, table name, streaming params', () => {
    expect(specById.get('ecadc60c-7455-4d87-84dc-2a0e293d997b')?.sourceSpec).toMatchObject({
      name: 'CloudStorage',
      spec: { required: ['path'], properties: { recursive: { type: 'boolean', default: false } } },
    });
    expect(specById.get('ecadc60c-7455-4d87-84dc-2a0e293d997b')?.exploreSpec?.name).toBe('FileSystem');
    expect(specById.get('cfc0fee1-7dc0-40ef-b73e-d8b134c436f5')?.sourceSpec).toMatchObject({
      name: 'Table',
      spec: { required: ['tableName'] },
    });
    expect(specById.get('cfc0fee1-7dc0-40ef-b73e-d8b134c436f5')?.exploreSpec?.name).toBe('Table');
    expect(specById.get('bf9f5905-92b7-48bf-bf20-455bc6b60a4e')?.sourceSpec?.spec['properties']).toHaveProperty(
      'consumerGroup',
    );
    expect(specById.get('bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb')?.sourceSpec?.spec['properties']).toEqual({});
    expect(specById.get('bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb')?.providerId).toBe(
      '521eee4d-8cbe-4906-bb48-fb6bd4450033',
    );
    expect(specById.get('cfc0fee1-7dc0-40ef-b73e-d8b134c436f5')?.providerId).toBe(
      '0ed90a81-07f4-4586-8190-b40eccef1c5a',
    );
  });

  it('classifies every seeded source by the flow spec that accepts it', () => {
    const sources = connectionSpecs.filter((s) => s.attributes.isSource === true);
    expect(Object.keys(SOURCE_KIND).sort()).toEqual(sources.map((s) => s.id).sort());
    expect(SOURCE_KIND['26f526f2-58f4-4712-961d-e41bf1ccc0e8']).toBe('file');
    expect(SOURCE_KIND['38ad80fe-8b06-4938-94f4-d4ee80266b07']).toBe('table');
    expect(SOURCE_KIND['bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb']).toBe('streaming');
  });
});

describe('flow spec seed', () => {
  it('lists only connection specs that are seeded or known to be unnamed', () => {
    const unnamed = new Set(unnamedSpecIds);
    for (const flowSpec of flowSpecs) {
      for (const id of [...flowSpec.sourceConnectionSpecIds, ...flowSpec.targetConnectionSpecIds]) {
        expect(specById.has(id) || unnamed.has(id), `${flowSpec.name}: ${id}`).toBe(true);
      }
    }
  });

  it('never seeds an unnamed id and uses each unnamed id in some flow spec', () => {
    const listed = new Set(flowSpecs.flatMap((f) => [...f.sourceConnectionSpecIds, ...f.targetConnectionSpecIds]));
    for (const id of unnamedSpecIds) {
      expect(specById.has(id), id).toBe(false);
      expect(listed.has(id), id).toBe(true);
    }
  });

  it('carries the five §10.1 flow specs with their exact names', () => {
    expect(flowSpecs.map((f) => [f.id, f.name])).toEqual([
      ['9753525b-82c7-4dce-8a9b-5ccfce2b9876', 'CloudStorageToAEP'],
      ['14518937-270c-4525-bdec-c2ba7cce3860', 'CRMToAEP'],
      ['d69717ba-71b4-4313-b654-49f9cf126d7a', 'Stream data with optional transformation'],
      ['c1a19761-d2c7-4702-b9fa-fe91f0613e81', 'Steam data with transformation'],
      ['d8a6f005-7eaf-4153-983e-e8574508b877', 'Stream data without transformation'],
    ]);
  });

  it('accepts Data Landing Zone in CloudStorageToAEP and both CRM lists in CRMToAEP', () => {
    expect(flowSpecById.get('9753525b-82c7-4dce-8a9b-5ccfce2b9876')?.sourceConnectionSpecIds).toContain(
      '26f526f2-58f4-4712-961d-e41bf1ccc0e8',
    );
    const crm = flowSpecById.get('14518937-270c-4525-bdec-c2ba7cce3860')?.sourceConnectionSpecIds;
    expect(crm).toHaveLength(37);
    expect(crm).toEqual(
      expect.arrayContaining(['221c7626-58f6-4eec-8ee2-042b0226f03b', 'e9d7ec6b-0873-4e57-ad21-b3a7c65e310b']),
    );
  });

  it('gives both batch flow specs the exact if/then/else schedule schema of the contract', () => {
    const expected = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        startTime: { description: 'epoch time', type: 'integer' },
        frequency: { type: 'string', enum: ['once', 'minute', 'hour', 'day', 'week'] },
        interval: { type: 'integer' },
        backfill: { type: 'boolean', default: true },
      },
      required: ['startTime', 'frequency'],
      if: { properties: { frequency: { const: 'once' } } },
      then: { allOf: [{ not: { required: ['interval'] } }, { not: { required: ['backfill'] } }] },
      else: {
        required: ['interval'],
        if: { properties: { frequency: { const: 'minute' } } },
        then: { properties: { interval: { minimum: 15 } } },
        else: { properties: { interval: { minimum: 1 } } },
      },
    };
    for (const id of ['9753525b-82c7-4dce-8a9b-5ccfce2b9876', '14518937-270c-4525-bdec-c2ba7cce3860']) {
      expect(flowSpecById.get(id)?.scheduleSpec).toEqual({
        name: 'PeriodicSchedule',
        type: 'Periodic',
        spec: expected,
      });
    }
  });

  it('gives streaming flow specs no schedule and no run spec, and disables flow runs', () => {
    for (const spec of flowSpecs.filter((f) => f.attributes.frequency === 'streaming')) {
      expect(spec.scheduleSpec, spec.name).toBeUndefined();
      expect(spec.runSpec, spec.name).toBeUndefined();
      expect(spec.attributes.uiAttributes?.apiFeatures?.flowRunsSupported, spec.name).toBe(false);
    }
    expect(flowSpecs.filter((f) => f.attributes.frequency === 'streaming')).toHaveLength(3);
  });

  it('requires a delta column in CRMToAEP copies and runs but not in CloudStorageToAEP runs', () => {
    const crm = flowSpecById.get('14518937-270c-4525-bdec-c2ba7cce3860');
    const copy = crm?.transformationSpecs.find((t) => t.name === 'Copy');
    expect(copy?.spec['required']).toEqual(['deltaColumn']);
    expect(crm?.transformationSpecs.map((t) => t.name)).toEqual(['Copy', 'Mapping']);
    expect(crm?.runSpec?.spec['required']).toContain('deltaColumn');
    expect(crm?.attributes).toMatchObject({
      isDraftModeSupported: true,
      recordTypeEnabled: true,
      defaultRecordType: 'profile',
    });
    const cloud = flowSpecById.get('9753525b-82c7-4dce-8a9b-5ccfce2b9876');
    expect(cloud?.runSpec?.spec['required']).toEqual(['startTime', 'windowStartTime', 'windowEndTime']);
    expect(flowSpecById.get('d8a6f005-7eaf-4153-983e-e8574508b877')?.transformationSpecs).toEqual([]);
  });
});

/** Fields a resource declares itself: its `allOf` entries that point into its own `definitions`. */
function ownFields(resource: XdmResourceDto): Record<string, XdmFieldDto> {
  const fields: Record<string, XdmFieldDto> = {};
  for (const entry of resource.allOf ?? []) {
    const ref = entry.$ref;
    if (ref?.startsWith('#/definitions/') !== true) continue;
    Object.assign(fields, resource.definitions?.[ref.slice('#/definitions/'.length)]?.properties);
  }
  return fields;
}

function globalResource($id: string): XdmResourceDto {
  const resource = globalXdmResources.find((r) => r.$id === $id);
  if (resource === undefined) throw new Error(`no global resource ${$id}`);
  return resource;
}

describe('XDM global seed', () => {
  it('yields the tutorial mapping destinations from the profile class and its field groups', () => {
    const paths = [
      'https://ns.adobe.com/xdm/context/profile',
      'https://ns.adobe.com/xdm/context/profile-person-details',
      'https://ns.adobe.com/xdm/context/profile-personal-details',
      'https://ns.adobe.com/xdm/context/profile-work-details',
      'https://ns.adobe.com/xdm/context/identitymap',
    ].flatMap((id) => xdmFieldPaths(ownFields(globalResource(id))));
    expect(paths).toEqual(
      expect.arrayContaining([
        'person.name.firstName',
        'person.name.lastName',
        'personalEmail.address',
        '_id',
        '_repo.createDate',
        'createdByBatchID',
        'identityMap',
        'mobilePhone.number',
        'homeAddress.city',
        'workEmail.address',
      ]),
    );
    expect(paths).toContain('person.name');
    expect(paths).not.toContain('firstName');
  });

  it('lists nested objects and their leaves with a prefix', () => {
    expect(
      xdmFieldPaths(
        {
          a: { type: 'object', properties: { b: { type: 'string' }, c: { type: 'array', items: { type: 'string' } } } },
        },
        'x',
      ),
    ).toEqual(['x.a', 'x.a.b', 'x.a.c']);
  });

  it('keeps every global resource in the global container with an _xdm alt id', () => {
    for (const resource of globalXdmResources) {
      expect(resource['meta:containerId']).toBe('global');
      expect(resource['meta:altId']).toBe(`_${resource.$id.replace('https://ns.adobe.com/', '').replaceAll('/', '.')}`);
      expect(resource.type).toBe('object');
    }
    expect(globalResource('https://ns.adobe.com/xdm/context/profile')['meta:altId']).toBe('_xdm.context.profile');
    expect(globalResource('https://ns.adobe.com/xdm/data/time-series')['meta:resourceType']).toBe('behaviors');
  });

  it('builds the classes on their behaviors and points field groups at their class', () => {
    const profile = globalResource('https://ns.adobe.com/xdm/context/profile');
    expect(profile.allOf?.[0]).toEqual({ $ref: 'https://ns.adobe.com/xdm/data/record' });
    expect(profile['meta:extends']).toEqual(['https://ns.adobe.com/xdm/data/record']);
    const event = globalResource('https://ns.adobe.com/xdm/context/experienceevent');
    expect(event.allOf?.[0]).toEqual({ $ref: 'https://ns.adobe.com/xdm/data/time-series' });
    expect(event.definitions?.['experienceevent']?.['required']).toEqual(['_id', 'timestamp']);
    expect(xdmFieldPaths(ownFields(event))).toEqual(expect.arrayContaining(['timestamp', 'eventType']));
    for (const fieldGroup of globalXdmResources.filter((r) => r['meta:resourceType'] === 'mixins')) {
      expect(fieldGroup['meta:intendedToExtend']?.length, fieldGroup.$id).toBeGreaterThan(0);
    }
    expect(
      xdmFieldPaths(ownFields(globalResource('https://ns.adobe.com/xdm/context/experienceevent-commerce'))),
    ).toEqual(expect.arrayContaining(['commerce.order.priceTotal', 'commerce.purchases.value']));
  });

  it('types email and date-time fields with XDM formats', () => {
    const personal = ownFields(globalResource('https://ns.adobe.com/xdm/context/profile-personal-details'));
    expect(personal['personalEmail']?.properties?.['address']).toMatchObject({
      type: 'string',
      format: 'email',
      'meta:xdmType': 'string',
    });
    const profile = ownFields(globalResource('https://ns.adobe.com/xdm/context/profile'));
    expect(profile['_repo']?.properties?.['createDate']).toMatchObject({
      format: 'date-time',
      'meta:xdmType': 'date-time',
    });
  });
});
