import type {
  FlowSpecDto,
  JsonSchemaDto,
  PermissionDto,
  TransformationSpecDto,
} from '../../upstream/flowService/types.ts';
import {
  DATA_LAKE_CONNECTION_SPEC_ID,
  FLOW_SPEC_IDS,
  HTTP_API_CONNECTION_SPEC_ID,
} from '../../upstream/flowService/types.ts';

/** CONTRACT §10.2 "Providers". */
export const BATCH_SOURCE_PROVIDER_ID = '0ed90a81-07f4-4586-8190-b40eccef1c5a';
export const STREAMING_SOURCE_PROVIDER_ID = '521eee4d-8cbe-4906-bb48-fb6bd4450033';

export const JSON_SCHEMA_DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

export function permissionsFor(name: string): { manage: PermissionDto[]; view: PermissionDto[] } {
  return {
    manage: [{ '@type': 'lowLevel', name, permissions: ['write'] }],
    view: [{ '@type': 'lowLevel', name, permissions: ['read'] }],
  };
}

/** Order as in the spec example, then Data Landing Zone, which only the docs list (CONTRACT §10.1). */
const CLOUD_STORAGE_SOURCE_SPEC_IDS = [
  'b3ba5556-48be-44b7-8b85-ff2b69b46dc4',
  'ecadc60c-7455-4d87-84dc-2a0e293d997b',
  'b7829c2f-2eb0-4f49-a6ee-55e33008b629',
  '4c10e202-c428-4796-9208-5f1f5732b1cf',
  'fb2e94c9-c031-467d-8103-6bd6e0a432f2',
  '32e8f412-cdf7-464c-9885-78184cb113fd',
  'b7bf2577-4520-42c9-bae9-cad01560f7bc',
  '998b8ae3-cec0-43b7-8abe-40b1eb4ee069',
  'be5ec48c-5b78-49d5-b8fa-7c89ec4569b8',
  '54e221aa-d342-4707-bcff-7a4bceef0001',
  'c85f9425-fb21-426c-ad0b-405e9bd8a46c',
  '26f526f2-58f4-4712-961d-e41bf1ccc0e8',
];

/** Union of the older and newest doc lists, newest order (CONTRACT §10.1 [EMU]). */
const CRM_SOURCE_SPEC_IDS = [
  '3416976c-a9ca-4bba-901a-1f08f66978ff',
  '38ad80fe-8b06-4938-94f4-d4ee80266b07',
  'd771e9c1-4f26-40dc-8617-ce58c4b53702',
  '3c9b37f8-13a6-43d8-bad3-b863b941fedd',
  'cc6a4487-9e91-433e-a3a3-9cf6626c1806',
  '3000eb99-cd47-43f3-827c-43caf170f015',
  '26d738e0-8963-47ea-aadf-c60de735468a',
  '74a1c565-4e59-48d7-9d67-7c03b8a13137',
  'cfc0fee1-7dc0-40ef-b73e-d8b134c436f5',
  '4f63aa36-bd48-4e33-bb83-49fbcd11c708',
  'cb66ab34-8619-49cb-96d1-39b37ede86ea',
  'eb13cb25-47ab-407f-ba89-c0125281c563',
  '1f372ff9-38a4-4492-96f5-b9a4e4bd00ec',
  '37b6bf40-d318-4655-90be-5cd6f65d334b',
  'a49bcc7d-8038-43af-b1e4-5a7a089a7d79',
  '221c7626-58f6-4eec-8ee2-042b0226f03b',
  'a8b6a1a4-5735-42b4-952c-85dce0ac38b5',
  '6a8d82bc-1caf-45d1-908d-cadabc9d63a6',
  'aac9bbd4-6c01-46ce-b47e-51c6f0f6db3f',
  '8e6b41a8-d998-4545-ad7d-c6a9fff406c3',
  'ecde33f2-c56f-46cc-bdea-ad151c16cd69',
  '102706fb-a5cd-42ee-afe0-bc42f017ff43',
  '09182899-b429-40c9-a15a-bf3ddbc8ced7',
  '0479cc14-7651-4354-b233-7480606c2ac3',
  'd6b52d86-f0f8-475f-89d4-ce54c8527328',
  'a8f4d393-1a6b-43f3-931f-91a16ed857f4',
  '1fe283f6-9bec-11ea-bb37-0242ac130002',
  'fcad62f3-09b0-41d3-be11-449d5a621b69',
  'ea1c2a08-b722-11eb-8529-0242ac130003',
  '35d6c4d8-c9a9-11eb-b8bc-0242ac130003',
  'ff4274f2-c9a9-11eb-b8bc-0242ac130003',
  'ba5126ec-c9ac-11eb-b8bc-0242ac130003',
  'b2e08744-4f1a-40ce-af30-7abac3e23cf3',
  '929e4450-0237-4ed2-9404-b7e1e0a00309',
  '2acf109f-9b66-4d5e-bc18-ebb2adcff8d5',
  '2fa8af9c-2d1a-43ea-a253-f00a00c74412',
  'e9d7ec6b-0873-4e57-ad21-b3a7c65e310b',
];

const EVENT_HUBS_SPEC_ID = 'bf9f5905-92b7-48bf-bf20-455bc6b60a4e';

/** Copied verbatim from the flow spec JSON (CONTRACT §10.1, §9.2). */
const periodicScheduleSpec: JsonSchemaDto = {
  $schema: JSON_SCHEMA_DRAFT_07,
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

const optionSpec = {
  name: 'OptionSpec',
  spec: {
    $schema: JSON_SCHEMA_DRAFT_07,
    type: 'object',
    properties: {
      errorDiagnosticsEnabled: {
        title: 'Error diagnostics.',
        description: 'Flag to enable detailed and sample error diagnostics summary.',
        type: 'boolean',
        default: false,
      },
      partialIngestionPercent: {
        title: 'Partial ingestion threshold.',
        description: 'Percentage which defines the threshold of errors allowed before the run is marked as failed.',
        type: 'number',
        exclusiveMinimum: 0,
      },
    },
  },
};

/**
 * `mappingVersion` is typed string as in the spec example although the docs post numbers;
 * whoever validates must accept both (CONTRACT §2.5).
 */
const mappingTransformation: TransformationSpecDto = {
  name: 'Mapping',
  spec: {
    $schema: JSON_SCHEMA_DRAFT_07,
    type: 'object',
    description: 'defines various params required for different mapping from source to target',
    properties: {
      mappingId: { type: 'string' },
      mappingVersion: { type: 'string' },
    },
    required: ['mappingId', 'mappingVersion'],
  },
};

const copyTransformation: TransformationSpecDto = {
  name: 'Copy',
  spec: {
    $schema: JSON_SCHEMA_DRAFT_07,
    type: 'object',
    description: 'defines various params required for different types of copy',
    properties: {
      deltaColumn: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          dateFormat: { type: 'string' },
          timezone: { type: 'string' },
        },
        required: ['name'],
      },
    },
    required: ['deltaColumn'],
  },
};

function providerParamsRunSpec(requireDeltaColumn: boolean): FlowSpecDto['runSpec'] {
  const epoch = (description: string): JsonSchemaDto => ({ type: 'integer', description });
  return {
    name: 'ProviderParams',
    spec: {
      $schema: JSON_SCHEMA_DRAFT_07,
      type: 'object',
      properties: {
        startTime: epoch(
          'An integer that defines the start time of the run. The value is represented in Unix epoch time.',
        ),
        windowStartTime: epoch(
          'An integer that defines the start time of the window against which data is to be pulled. The value is represented in Unix epoch time.',
        ),
        windowEndTime: epoch(
          'An integer that defines the end time of the window against which data is to be pulled. The value is represented in Unix epoch time.',
        ),
        deltaColumn: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
        },
      },
      required: ['startTime', 'windowStartTime', 'windowEndTime', ...(requireDeltaColumn ? ['deltaColumn'] : [])],
    },
  };
}

function apiFeatures(flowRunsSupported: boolean, deleteSupported: boolean, updateSupported: boolean) {
  return { apiFeatures: { flowRunsSupported, deleteSupported, updateSupported } };
}

const sourcesNotification = { category: 'sources', flowRun: { enabled: true } };

export const flowSpecs: readonly FlowSpecDto[] = [
  {
    id: FLOW_SPEC_IDS.cloudStorageToAep,
    name: 'CloudStorageToAEP',
    providerId: BATCH_SOURCE_PROVIDER_ID,
    version: '1.0',
    sourceConnectionSpecIds: CLOUD_STORAGE_SOURCE_SPEC_IDS,
    targetConnectionSpecIds: [DATA_LAKE_CONNECTION_SPEC_ID],
    optionSpec,
    scheduleSpec: { name: 'PeriodicSchedule', type: 'Periodic', spec: periodicScheduleSpec },
    transformationSpecs: [mappingTransformation],
    runSpec: providerParamsRunSpec(false),
    attributes: {
      isSourceFlow: true,
      flacValidationSupported: true,
      frequency: 'batch',
      notification: sourcesNotification,
      uiAttributes: apiFeatures(true, true, true),
    },
    permissionsInfo: permissionsFor('EnterpriseSource'),
  },
  {
    id: FLOW_SPEC_IDS.crmToAep,
    name: 'CRMToAEP',
    providerId: BATCH_SOURCE_PROVIDER_ID,
    version: '1.0',
    sourceConnectionSpecIds: CRM_SOURCE_SPEC_IDS,
    targetConnectionSpecIds: [DATA_LAKE_CONNECTION_SPEC_ID],
    optionSpec,
    scheduleSpec: { name: 'PeriodicSchedule', type: 'Periodic', spec: periodicScheduleSpec },
    transformationSpecs: [copyTransformation, mappingTransformation],
    runSpec: providerParamsRunSpec(true),
    attributes: {
      isSourceFlow: true,
      flacValidationSupported: true,
      frequency: 'batch',
      isDraftModeSupported: true,
      recordTypeEnabled: true,
      defaultRecordType: 'profile',
      notification: sourcesNotification,
      uiAttributes: apiFeatures(true, true, true),
    },
    permissionsInfo: permissionsFor('EnterpriseSource'),
  },
  {
    id: FLOW_SPEC_IDS.streamOptionalTransformation,
    name: 'Stream data with optional transformation',
    providerId: STREAMING_SOURCE_PROVIDER_ID,
    version: '1.0',
    sourceConnectionSpecIds: [
      HTTP_API_CONNECTION_SPEC_ID,
      EVENT_HUBS_SPEC_ID,
      '86043421-563b-46ec-8e6c-e23184711bf6',
      '70116022-a743-464a-bbfe-e226a7f8210c',
    ],
    targetConnectionSpecIds: [EVENT_HUBS_SPEC_ID, DATA_LAKE_CONNECTION_SPEC_ID, 'db4fe783-ef79-4a12-bda9-32b2b1bc3b2c'],
    transformationSpecs: [mappingTransformation],
    attributes: {
      isSourceFlow: true,
      frequency: 'streaming',
      notification: sourcesNotification,
      uiAttributes: apiFeatures(false, true, true),
    },
    permissionsInfo: permissionsFor('StreamingSource'),
  },
  {
    id: FLOW_SPEC_IDS.streamWithTransformation,
    // "Steam" is Adobe's spelling (CONTRACT §10.1).
    name: 'Steam data with transformation',
    providerId: STREAMING_SOURCE_PROVIDER_ID,
    version: '1.0',
    sourceConnectionSpecIds: [
      'd27d4907-7351-47dd-bbc2-05a04365703d',
      '51ae16c2-bdad-42fd-9fce-8d5dfddaf140',
      HTTP_API_CONNECTION_SPEC_ID,
    ],
    targetConnectionSpecIds: [DATA_LAKE_CONNECTION_SPEC_ID],
    transformationSpecs: [mappingTransformation],
    attributes: {
      isSourceFlow: true,
      frequency: 'streaming',
      notification: sourcesNotification,
      uiAttributes: apiFeatures(false, false, false),
    },
    permissionsInfo: permissionsFor('StreamingSource'),
  },
  {
    id: FLOW_SPEC_IDS.streamWithoutTransformation,
    // Name, provider and source list are [EMU]: the docs never show this spec's body (CONTRACT §10.1).
    name: 'Stream data without transformation',
    providerId: STREAMING_SOURCE_PROVIDER_ID,
    version: '1.0',
    sourceConnectionSpecIds: [HTTP_API_CONNECTION_SPEC_ID],
    targetConnectionSpecIds: [DATA_LAKE_CONNECTION_SPEC_ID],
    transformationSpecs: [],
    attributes: {
      isSourceFlow: true,
      frequency: 'streaming',
      notification: sourcesNotification,
      uiAttributes: apiFeatures(false, true, true),
    },
    permissionsInfo: permissionsFor('StreamingSource'),
  },
];

/**
 * Transformations a flow must carry, by flow spec id. A transformation spec only describes
 * params, so which ones are mandatory is stated here (CRMToAEP takes `Copy` but does not require it),
 * "Steam data with transformation" needs `Mapping` (§10.1, §6.1 step 6).
 */
export const REQUIRED_TRANSFORMATIONS: Readonly<Record<string, readonly string[]>> = {
  [FLOW_SPEC_IDS.cloudStorageToAep]: [],
  // Copy is optional: its spec requires deltaColumn when it is sent, nothing requires it sent
  [FLOW_SPEC_IDS.crmToAep]: [],
  [FLOW_SPEC_IDS.streamOptionalTransformation]: [],
  [FLOW_SPEC_IDS.streamWithTransformation]: ['Mapping'],
  [FLOW_SPEC_IDS.streamWithoutTransformation]: [],
};
