/**
 * Where the official OpenAPI files contradict themselves (their own examples, the docs, or
 * what Adobe's own clients send), the emulator follows the evidence and the contract test
 * lets exactly that problem through. Each entry names one operation, one place in the body
 * or request, and the evidence. Keep it short: anything else that fails validation fails the run.
 */
export interface AllowlistEntry {
  /** operationIds in contract/openapi/. */
  operations: string[];
  direction: 'response' | 'request';
  /** Only for this status; any status when absent. */
  status?: number;
  /** Where the problem is: `body/...` (a JSON pointer into the body), `query.name`, `header.name`. */
  at: RegExp;
  /** The failing JSON Schema keyword (`type`, `enum`, `required`, `additionalProperties`, ...). */
  keyword?: string;
  /** What the spec says, and what the emulator does instead. */
  reason: string;
  /** Where the evidence is: the spec's own example, a docs page, Adobe's client code. */
  evidence: string[];
}

const FLOW_READS = ['listFlows', 'retrieveFlow'];
const DATA_PREP_READS = [
  'createMappingSet',
  'listMappingSets',
  'retrieveMappingSet',
  'putMappingSet',
  'listMappings',
  'retrieveMapping',
];
const SCHEMA_LISTS = ['listSchemas', 'listClasses', 'listFieldGroups', 'listMixins', 'listDataTypes', 'listUnions'];

export const ALLOWLIST: AllowlistEntry[] = [
  {
    operations: FLOW_READS,
    direction: 'response',
    at: /\/scheduleParams\/(startTime|interval|backfill)$|\/params\/mappingVersion$/,
    keyword: 'type',
    reason:
      'ScheduleSpecDTO types startTime integer, interval string, backfill boolean and TransformationSpecDTO ' +
      'mappingVersion string, but the Platform keeps the types the caller sent; the emulator echoes them.',
    evidence: [
      'flow-service.yaml: the flow spec example types scheduleSpec interval integer (components ScheduleSpecDTO: string)',
      'AdobeDocs/experience-platform.en help/sources/tutorials/api/update-dataflows.md: GET /flows/{id} answers ' +
        '"startTime": "1612310466", "interval": "15", "backfill": "true"; its PATCH sends "mappingVersion": 2',
    ],
  },
  {
    operations: ['createFlow', 'patchFlow'],
    direction: 'request',
    at: /\/scheduleParams\/interval$|\/params\/mappingVersion$/,
    keyword: 'type',
    reason: 'The client sends interval and mappingVersion as integers, as the flow spec JSON schema types interval.',
    evidence: [
      'flow-service.yaml: the flow spec example scheduleSpec.spec.properties.interval is {type: integer}',
      'help/sources/tutorials/api/update-dataflows.md: PATCH /transformations/0 sends "mappingVersion": 2',
    ],
  },
  {
    operations: ['patchFlow'],
    direction: 'request',
    at: /^body\/\d+\/(op|value)$/,
    reason:
      'PatchInstruction types op as ADD|REPLACE|REMOVE and value as an object; the docs send lowercase ops ' +
      'and plain values.',
    evidence: [
      'help/sources/tutorials/api/update-dataflows.md: [{"op": "replace", "path": "/name", "value": "Database Dataflow Feb2021"}]',
    ],
  },
  {
    operations: ['postStateTransition'],
    direction: 'request',
    at: /^query\.(op|subOp)$/,
    reason: 'The spec lists op in upper case and subOp as required; the docs and aepp send ?op=enable alone.',
    evidence: [
      'adobe/aepp aepp/flowservice.py postFlowAction: "/flows/" + flowId + "/action?op=" + action, no body; ' +
        'aepp/exportDatasetToDataLandingZone.py calls it with "enable" and "disable"',
    ],
  },
  {
    operations: ['postBatchOfStreamingMessages'],
    direction: 'request',
    at: /^body\/messages\/\d+\/(header|body)$/,
    keyword: 'required',
    reason:
      'The message schema requires an XDM envelope, yet the batch route answers every message on its own ' +
      'in the 207 and raw-data inlets take any JSON object: our API passes the records its caller gave, so ' +
      "each gets DCS's own verdict (a malformed one comes back as its statusCode 400 entry).",
    evidence: [
      'streaming-ingestion.yaml, 207: "consult the contents of the multi-status response body for further ' +
        'information about the success or failure"',
      'help/ingestion/tutorials/streaming-multiple-messages.md: a batch with invalid messages answers 207 with ' +
        '{"statusCode": 400, "message": "... Message has unknown xdm format"} entries',
      'help/sources/tutorials/api/create/streaming/http.md: raw data is sent as any JSON object',
    ],
  },
  {
    operations: ['patchConnection'],
    direction: 'request',
    at: /^body$/,
    keyword: 'type',
    reason: 'The spec takes one PatchInstruction object; the docs send a JSON Patch array, as for every other PATCH.',
    evidence: [
      'AdobeDocs/experience-platform.en sources tutorials, "Update your connection": PATCH ' +
        '/connections/{BASE_CONNECTION_ID} -d \'[{"op": "replace", ...}]\'',
    ],
  },
  {
    operations: ['getByConnectionId'],
    direction: 'request',
    at: /^query\.(objectType|preview|fileType|compressionType)$/,
    reason:
      'The spec lists objectType in upper case and no preview parameters; the explore tutorials send ' +
      'objectType=root|folder|file in lower case and preview=true&fileType=… for a file preview.',
    evidence: [
      'help/sources/tutorials/api/explore/cloud-storage.md: GET /connections/{BASE_CONNECTION_ID}/explore?objectType=root, ' +
        '?objectType=folder&object={PATH}, ?objectType=file&object={FILE_PATH}&fileType={FILE_TYPE}&preview=true',
    ],
  },
  {
    operations: ['getByConnectionId'],
    direction: 'response',
    at: /^body$/,
    keyword: 'type',
    reason: 'The spec gives the explore answer as an array; a file preview answers one {format, schema, data} object.',
    evidence: [
      'help/sources/tutorials/api/explore/cloud-storage.md, "Inspect the structure of a file": the response is an object',
    ],
  },
  {
    operations: ['retrieveMetricsV2'],
    direction: 'request',
    at: /^header\.x-sandbox-id$/,
    keyword: 'required',
    reason: "The spec marks x-sandbox-id required; Adobe's own client sends it only for one kind of token.",
    evidence: [
      'adobe/aepp aepp/connector.py: "x-sandbox-id is required when using non-user token, but forbidden for ' +
        'user token", set only when connectionType == "oauthV1"',
    ],
  },
  {
    operations: ['retrieveDataset', 'retrieveBatch'],
    direction: 'request',
    at: /^query\.limit$/,
    reason:
      'The lookup declares only properties, yet the same path serves multi-id lookups, and Catalog answers ' +
      'at most `limit` objects (default 20) per response; the client sends limit so no id is dropped.',
    evidence: [
      'help/catalog/api/look-up-multiple-objects.md: GET /{OBJECT_TYPE}/{ID_1},{ID_2},... on the lookup path',
      'help/catalog/api/filter-data.md: limit, default 20, maximum 100',
    ],
  },
  {
    operations: ['listConnectionSpecs', 'retrieveConnectionSpec'],
    direction: 'response',
    at: /\/sourceSpec\/attributes\/uiAttributes\/(category|icon|description|label)$/,
    keyword: 'type',
    reason: "The schema types them strings; the spec's own connection spec example gives {key: ...} objects.",
    evidence: [
      'flow-service.yaml, the Dynamics connection spec example: uiAttributes {category: {key: crm}, icon: {key: msDynamics}, ...}',
    ],
  },
  {
    operations: ['listFlowSpecs', 'retrieveFlowSpec'],
    direction: 'response',
    at: /\/transformationSpecs$/,
    keyword: 'type',
    reason: 'The schema types transformationSpecs as one object; the examples and the docs give an array.',
    evidence: [
      'flow-service.yaml: the flow spec examples list transformationSpec as an array of {name, spec}',
      'help/sources/tutorials/api/collect/protocols.md: GET /flowSpecs answers "transformationSpecs": [{"name": "Copy", ...}]',
    ],
  },
  {
    operations: DATA_PREP_READS,
    direction: 'response',
    at: /(^body|\/)\/?(createdDate|modifiedDate)$/,
    keyword: 'type',
    reason: 'The schemas type the dates as date-time strings; every example gives epoch milliseconds.',
    evidence: [
      'data-prep.yaml: the MappingSet example "createdDate: 1614901254724", the MappingOperation example "createdDate: 1614909614000"',
      'help/sources/tutorials/api/collect/protocols.md: POST /mappingSets answers "createdDate": 1586124873209',
    ],
  },
  {
    operations: ['listMappings'],
    direction: 'response',
    at: /^body$/,
    keyword: 'type',
    reason: 'The schema gives one MappingOperation object; the docs answer an array of mappings.',
    evidence: ['help/data-prep/api/mapping-set.md, "List mappings for a mapping set": the response is [{...}, ...]'],
  },
  {
    operations: ['previewMappingSet'],
    direction: 'response',
    at: /^body$/,
    keyword: 'type',
    reason:
      'For `data` sent as an array of rows (the request schema) the docs answer one {data, errors} per row, ' +
      'as an array; `data` sent as one object answers one object.',
    evidence: [
      'data-prep.yaml: PreviewRequest.data is an array, its example an object; PreviewResponse is an object',
      'help/data-prep/api/mapping-set.md, "Preview data": the response is [{"data": {...}, "errors": null}]',
    ],
  },
  {
    operations: SCHEMA_LISTS,
    direction: 'response',
    at: /^body\/(_page|_links)\/next$/,
    keyword: 'type',
    reason: "The schema types next as a string; the spec's own list examples give null on the last page.",
    evidence: [
      'schema-registry.yaml, the listResponse examples: _page {orderby, next: null, count: 2}, _links {next: null}',
    ],
  },
];
