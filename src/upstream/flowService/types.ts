/**
 * Flow Service wire types: JSON exactly as `/data/foundation/flowservice` sends it.
 * Times are epoch milliseconds except `scheduleParams.startTime` and run `params.*Time`
 * (epoch seconds, sent by the docs as numbers or numeric strings).
 */

export interface SpecRefDto {
  id: string;
  version: string;
}

/** Audit fields carried by every Flow Service instance object. */
export interface AuditDto {
  id: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  updatedBy: string;
  createdClient: string;
  updatedClient: string;
  sandboxId: string;
  sandboxName: string;
  imsOrgId: string;
  version: string;
  etag: string;
}

export interface ItemsDto<T> {
  items: T[];
  _links?: { next?: { href: string } };
  count?: number;
}

export interface IdEtagDto {
  id: string;
  etag: string;
}

export interface CountDto {
  count: number;
}

export interface AuthSpecDto {
  name: string;
  type: string;
  spec: JsonSchemaDto;
}

export type JsonSchemaDto = Record<string, unknown>;

export interface ConnectionSpecDto {
  id: string;
  name: string;
  providerId: string;
  version: string;
  authSpec: AuthSpecDto[];
  sourceSpec?: {
    name: string;
    type: string;
    spec: JsonSchemaDto;
    attributes?: Record<string, unknown>;
  };
  targetSpec?: { name: string; type: string; spec: JsonSchemaDto };
  exploreSpec?: { name: string; type: string; requestSpec?: JsonSchemaDto; responseSpec?: JsonSchemaDto };
  attributes: {
    category: string;
    connectorName?: string;
    isSource?: boolean;
    isDestination?: boolean;
    uiAttributes?: Record<string, unknown>;
    filterAtSource?: Record<string, unknown>;
    [key: string]: unknown;
  };
  permissionsInfo?: { manage: PermissionDto[]; view: PermissionDto[] };
}

export interface PermissionDto {
  '@type': string;
  name: string;
  permissions: string[];
}

export interface TransformationSpecDto {
  name: string;
  spec: JsonSchemaDto;
}

export interface FlowSpecDto {
  id: string;
  name: string;
  providerId: string;
  version: string;
  sourceConnectionSpecIds: string[];
  targetConnectionSpecIds: string[];
  optionSpec?: { name: string; spec: JsonSchemaDto };
  scheduleSpec?: { name: string; type: string; spec: JsonSchemaDto };
  transformationSpecs: TransformationSpecDto[];
  runSpec?: { name: string; spec: JsonSchemaDto };
  attributes: {
    isSourceFlow?: boolean;
    flacValidationSupported?: boolean;
    frequency?: string;
    isDraftModeSupported?: boolean;
    notification?: Record<string, unknown>;
    uiAttributes?: {
      apiFeatures?: { flowRunsSupported?: boolean; deleteSupported?: boolean; updateSupported?: boolean };
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  permissionsInfo?: { manage: PermissionDto[]; view: PermissionDto[] };
}

export type ConnectionState =
  'enabled' | 'disabled' | 'initializing' | 'inProgress' | 'updating' | 'enabling' | 'disabling';

export interface ConnectionDto extends AuditDto {
  name: string;
  description?: string;
  connectionSpec: SpecRefDto;
  state: ConnectionState;
  auth?: { specName: string; params: Record<string, unknown> };
  providerId?: string;
}

export interface CreateConnectionDto {
  name: string;
  description?: string;
  auth?: { specName: string; params: Record<string, unknown> };
  connectionSpec: SpecRefDto;
}

export interface SourceConnectionDataDto {
  format?: string;
  schema?: { id: string; version?: string };
  properties?: { columnDelimiter?: string; encoding?: string; compressionType?: string; [key: string]: unknown };
}

export interface ColumnDto {
  name: string;
  type: string;
  meta?: { originalType?: string };
}

export interface SourceConnectionParamsDto {
  path?: string;
  type?: 'file' | 'folder';
  recursive?: boolean;
  tableName?: string;
  columns?: ColumnDto[];
  [key: string]: unknown;
}

export interface SourceConnectionDto extends AuditDto {
  name: string;
  description?: string;
  baseConnectionId?: string;
  state: ConnectionState;
  data?: SourceConnectionDataDto;
  params?: SourceConnectionParamsDto;
  connectionSpec: SpecRefDto;
  providerRefId?: string;
  inheritedAttributes?: { baseConnection?: { id: string; connectionSpec: SpecRefDto } };
}

export interface CreateSourceConnectionDto {
  name: string;
  description?: string;
  baseConnectionId?: string;
  data?: SourceConnectionDataDto;
  params?: SourceConnectionParamsDto;
  connectionSpec: SpecRefDto;
}

export interface TargetConnectionDto extends AuditDto {
  name: string;
  description?: string;
  state: ConnectionState;
  data?: { format?: string; schema?: { id: string; version?: string } };
  params?: { dataSetId?: string; [key: string]: unknown };
  connectionSpec: SpecRefDto;
}

export interface CreateTargetConnectionDto {
  name: string;
  description?: string;
  data?: { format?: string; schema?: { id: string; version?: string } };
  params?: { dataSetId?: string; [key: string]: unknown };
  connectionSpec: SpecRefDto;
}

export type ScheduleFrequency = 'once' | 'minute' | 'hour' | 'day' | 'week';

/** The docs send numbers as strings; the emulator echoes what it was sent. */
export interface ScheduleParamsDto {
  startTime: number | string;
  frequency: ScheduleFrequency;
  interval?: number | string;
  backfill?: boolean | string;
}

export interface DeltaColumnDto {
  name: string;
  dateFormat?: string;
  timezone?: string;
}

export type TransformationDto =
  | { name: 'Copy'; params: { deltaColumn: DeltaColumnDto } }
  | { name: 'Mapping'; params: { mappingId: string; mappingVersion: number | string } }
  | { name: string; params: Record<string, unknown> };

export interface FlowDto extends AuditDto {
  name: string;
  description?: string;
  flowSpec: SpecRefDto;
  state: 'enabled' | 'disabled';
  sourceConnectionIds: string[];
  targetConnectionIds: string[];
  inheritedAttributes: {
    sourceConnections: Array<{
      id: string;
      connectionSpec: SpecRefDto;
      baseConnection?: { id: string; connectionSpec: SpecRefDto };
    }>;
    targetConnections: Array<{ id: string; connectionSpec: SpecRefDto }>;
    properties?: { isSourceFlow?: boolean; isDestinationFlow?: boolean };
  };
  scheduleParams?: ScheduleParamsDto;
  transformations: TransformationDto[];
  options?: { partialIngestionPercent?: number; errorDiagnosticsEnabled?: boolean };
  runs: string;
  lastOperation: {
    started: number;
    updated: number;
    operation: 'create' | 'update';
    percentCompleted?: number;
    status?: { value: string; errors?: unknown[] };
    ops?: JsonPatchOpDto[];
  };
  lastRunDetails?: { id: string; state: 'success' | 'failed'; startedAtUTC: number; completedAtUTC: number };
}

export interface CreateFlowDto {
  name: string;
  description?: string;
  flowSpec: SpecRefDto;
  sourceConnectionIds: string[];
  targetConnectionIds: string[];
  transformations?: TransformationDto[];
  scheduleParams?: ScheduleParamsDto;
  options?: { partialIngestionPercent?: number; errorDiagnosticsEnabled?: boolean };
}

export interface JsonPatchOpDto {
  op: string;
  path: string;
  value?: unknown;
}

export type RunStatus = 'scheduled' | 'inProgress' | 'success' | 'failed' | 'partialSuccess';

export interface RunErrorDto {
  code: string;
  message: string;
  recordCount?: number;
}

export interface DurationSummaryDto {
  startedAtUTC: number;
  completedAtUTC?: number;
}

export interface SizeSummaryDto {
  inputBytes: number;
  outputBytes: number;
}

export interface RecordSummaryDto {
  inputRecordCount: number;
  outputRecordCount: number;
  failedRecordCount: number;
  skippedRecordCount?: number;
}

export interface FileSummaryDto {
  inputFileCount: number;
  outputFileCount: number;
  skippedFileCount?: number;
  failedFileCount?: number;
}

export interface StatusSummaryDto {
  status: RunStatus;
  errors?: RunErrorDto[];
  extensions?: { errors?: RunErrorDto[]; manifest?: { failedRecords?: string; sampleErrors?: string } };
}

export interface RunActivityDto {
  id: string;
  name: string;
  updatedAtUTC: number;
  durationSummary: DurationSummaryDto;
  sizeSummary: SizeSummaryDto;
  recordSummary: RecordSummaryDto;
  fileSummary: FileSummaryDto;
  statusSummary: StatusSummaryDto;
  sourceInfo?: Array<{ id: string; type: 'SourceConnection'; reference: { type: string; ids: string[] } }>;
  targetInfo?: Array<{ id: string; type: 'TargetConnection'; reference: { type: 'Batch'; ids: string[] } }>;
}

export interface RunDto extends AuditDto {
  flowId: string;
  flowSpec: SpecRefDto;
  providerRefId: string;
  params?: {
    startTime?: number | string;
    windowStartTime?: number | string;
    windowEndTime?: number | string;
    deltaColumn?: { name: string };
  };
  metrics: {
    durationSummary: DurationSummaryDto;
    sizeSummary: SizeSummaryDto;
    recordSummary: RecordSummaryDto;
    fileSummary: FileSummaryDto;
    statusSummary: StatusSummaryDto;
  };
  activities: RunActivityDto[];
}

export interface CreateRunDto {
  flowId: string;
  params?: RunDto['params'];
}

/** Flow Service problem body (errors are `FLOW-{code}-{status}`). */
export interface FlowProblemDto {
  type: string;
  title: string;
  status: number;
  report: { 'detailed-message': string; 'request-id': string; id?: string; type?: string };
  errorMessage: string;
  errorDetails?: string;
}

/** Gateway-level header/auth failure body, shared by every platform service. */
export interface GatewayErrorDto {
  error_code: string;
  message: string;
}

export const DATA_LAKE_CONNECTION_SPEC_ID = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
export const HTTP_API_CONNECTION_SPEC_ID = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb';
export const FLOW_SPEC_IDS = {
  cloudStorageToAep: '9753525b-82c7-4dce-8a9b-5ccfce2b9876',
  crmToAep: '14518937-270c-4525-bdec-c2ba7cce3860',
  streamOptionalTransformation: 'd69717ba-71b4-4313-b654-49f9cf126d7a',
  streamWithTransformation: 'c1a19761-d2c7-4702-b9fa-fe91f0613e81',
  streamWithoutTransformation: 'd8a6f005-7eaf-4153-983e-e8574508b877',
} as const;

/** `GET /connections/{id}/test` (OpenAPI `TestConnectionResponse`). */
export interface TestConnectionDto {
  result: boolean;
}

/**
 * One entry of `GET /connections/{id}/explore` (OpenAPI `ExploreConnectionResponse`). Older
 * docs capitalise `type` (`File`, `Folder`). `size` (bytes) and `lastModified` (epoch ms)
 * are not in the OpenAPI file: [EMU] the emulator adds them, real answers may lack them.
 */
export interface ExploreItemDto {
  type: string;
  name: string;
  path: string;
  canPreview?: boolean;
  canFetchSchema?: boolean;
  size?: number;
  lastModified?: number;
}

/** A column of an inspected file or table (`schema.columns[]`, `help/sources/tutorials/api/explore/tabular.md`). */
export interface ExploreColumnDto {
  name: string;
  type: string;
  'meta:xdmType'?: string;
  xdm?: { type: string; format?: string; [key: string]: unknown };
}

/**
 * `explore?objectType=file|table&object=…&preview=true`: the structure and first rows. The
 * older cloud storage doc shows a bare array of columns instead; the client reads both.
 */
export interface ExplorePreviewDto {
  format: string;
  schema: { columns: ExploreColumnDto[] };
  data?: Array<Record<string, unknown>>;
}

/** The query of one explore call; names and casing as the docs send them. */
export interface ExploreQueryDto {
  objectType: 'root' | 'folder' | 'file' | 'table';
  object?: string;
  preview?: boolean;
  fileType?: string;
  columnDelimiter?: string;
  compressionType?: string;
}
