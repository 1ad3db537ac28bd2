/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A source column, as a preview reports it. */
export type ColumnInput = {
  /** The column's name; mappings refer to it as `sourceAttribute`. */
  name: string;
  /** The column's type; UNKNOWN is refused. */
  type: ColumnType;
};

/** The type of a source column (Flow Service `params.columns[].type`, preview `type`). */
export type ColumnType =
  /** True or false (`boolean`). */
  | 'BOOLEAN'
  /** A double-precision number (`double`). */
  | 'DOUBLE'
  /** A whole number (`integer`, or `int`). */
  | 'INTEGER'
  /** A 64-bit whole number (`long`). */
  | 'LONG'
  /** A number, whole or not (`number`). */
  | 'NUMBER'
  /** Text (`string`). */
  | 'STRING'
  /** A type the source reported that this API does not know yet; never accepted as input. */
  | 'UNKNOWN';

/** Everything a new batch dataflow needs. */
export type CreateDataflowInput = {
  /** The Copy transformation's incremental column (required by table-source flow specs). */
  deltaColumn?: DeltaColumnInput | null | undefined;
  /** The dataflow's description. */
  description?: string | null | undefined;
  /** Validate and return the plan; write nothing. */
  dryRun?: boolean | null | undefined;
  /** Default: the flow spec that accepts the source's connection spec. */
  flowSpecId?: string | null | undefined;
  /**
   * A retry with the same key and the same input returns the first call's result without new writes.
   * 1 to 200 characters; kept 24 hours per org and sandbox; the same key with another input is an
   * `IDEMPOTENCY_KEY_REUSED` user error, and a replay whose dataflow (or a connection it created)
   * was deleted since is a `DELETED_SINCE` user error naming what is gone.
   */
  idempotencyKey?: string | null | undefined;
  /**
   * How source columns map onto the target schema, each destination checked against it first;
   * omitted or empty, no mapping set is created and the source fields are written as they are named.
   */
  mappings?: Array<MappingInput> | null | undefined;
  /** The dataflow's name; the created source and target connections are named after it. Not empty. */
  name: string;
  /** When the dataflow runs. */
  schedule: ScheduleInput;
  /** What to read. */
  source: DataflowSourceInput;
  /** Where to write. */
  target: DataflowTargetInput;
};

/** What a new dataflow reads: a file or folder path of a file source, or a table of a table source. */
export type DataflowSourceInput = {
  /**
   * The base connection to read through; its connection spec decides the flow spec and whether this
   * is a file or a table source.
   */
  baseConnectionId: string;
  /**
   * The source's columns (e.g. a preview's `columns { name type }`); when given, every mapping's
   * `sourceAttribute` and the delta column must be among them.
   */
  columns?: Array<ColumnInput> | null | undefined;
  /** Default: the base connection's spec. */
  connectionSpecId?: string | null | undefined;
  /** Default: DELIMITED for file sources, TABULAR for table sources. */
  format?: SourceFormat | null | undefined;
  /** Extra source connection params, merged last. */
  params?: unknown;
  /** File sources: the file or folder path. */
  path?: string | null | undefined;
  /** File sources: also read the folders below `path`; Flow Service's default is false. */
  recursive?: boolean | null | undefined;
  /** An ad-hoc XDM schema `$id` describing the source data. */
  sourceSchemaId?: string | null | undefined;
  /** Table sources: the table or object name. */
  tableName?: string | null | undefined;
};

/** What happened to one step (one resource) of a multi-step mutation. */
export type DataflowStepStatus =
  /**
   * A replay: the first call with this idempotency key created the resource, and it was deleted
   * since; `resourceId` names it.
   */
  | 'DELETED_SINCE'
  /** Done: the resource was created (or deleted). */
  | 'DONE'
  /** The step's write failed; `error` says why. */
  | 'FAILED'
  /** Created, then could not be deleted (or cannot be: Data Prep has no delete); `resourceId` names it. */
  | 'LEFT_BEHIND'
  /** A dry run: the step would run, with `request`. */
  | 'PLANNED'
  /** Created, then deleted again because a later step failed. */
  | 'ROLLED_BACK'
  /**
   * Not run: an earlier step failed, an existing resource is used instead, or it is kept by choice
   * (`error` says which).
   */
  | 'SKIPPED';

/** Where the data goes: exactly one of an existing dataset, a new dataset of an existing schema, or a new dataset of a new schema. */
export type DataflowTargetInput =
  {   /** Write into a dataset that exists. */
  existingDataset: ExistingDatasetTargetInput; newDataset?: never; newSchema?: never; }
  |  { existingDataset?: never;   /** Create a dataset of an existing XDM schema and write into it. */
  newDataset: NewDatasetTargetInput; newSchema?: never; }
  |  { existingDataset?: never; newDataset?: never;   /** Create an XDM schema and a dataset of it, and write into that. */
  newSchema: NewSchemaTargetInput; };

/** Which dataflow to delete, and whether to delete what it uses. */
export type DeleteDataflowInput = {
  /** Also delete its source connection, target connection and mapping set where no other dataflow uses them. */
  deleteCreatedResources?: boolean | null | undefined;
  /** The dataflow's id. */
  id: string;
};

/** The column a table-source dataflow reads incrementally. */
export type DeltaColumnInput = {
  /** The date format of the column's values when they are strings. */
  dateFormat?: string | null | undefined;
  /** The column's name; when `source.columns` is given, one of them. */
  name: string;
  /** The time zone of the column's values, e.g. `UTC`. */
  timezone?: string | null | undefined;
};

/** Which dataflow to disable. */
export type DisableDataflowInput = {
  /** The dataflow's id. */
  id: string;
};

/** Which dataflow to enable. */
export type EnableDataflowInput = {
  /** The dataflow's id. */
  id: string;
};

/** An existing Catalog dataset as a dataflow's target. */
export type ExistingDatasetTargetInput = {
  /** The dataset's Catalog id. */
  datasetId: string;
  /** When given, must be the dataset's schema (`$id`): a `SCHEMA_MISMATCH` user error otherwise. */
  schemaId?: string | null | undefined;
};

/** How a dataflow is doing, computed from its state, its schedule and its last run. */
export type FlowHealth =
  /** The flow is disabled; nothing else is considered. */
  | 'DISABLED'
  /** Enabled and the last completed run failed (takes precedence over LATE). */
  | 'FAILING'
  /** Enabled, the last completed run succeeded (or, for a streaming flow, none failed), and not LATE. */
  | 'HEALTHY'
  /**
   * Enabled, not FAILING, on a recurring schedule, and the schedule has fired at least
   * twice since the start of the last completed run (or since the flow's start time when
   * it never ran): a run is missing or overdue.
   */
  | 'LATE'
  /** Enabled batch flow, no run has completed yet, and it is not LATE. */
  | 'NEVER_RUN';

/** Whether a dataflow is switched on. */
export type FlowState =
  /** Disabled: no runs are scheduled and streamed data is not ingested. */
  | 'DISABLED'
  /** Enabled: the dataflow runs on its schedule, or accepts streamed data. */
  | 'ENABLED';

/** One mapping of a new dataflow: a source column and the target schema field it is written to. */
export type MappingInput = {
  /**
   * A field path of the target schema as `XdmSchema.fieldPaths` lists it; inside an array of
   * objects an index (`orders[0].sku`) or the wildcard (`orders[*].sku`) addresses the items.
   */
  destinationXdmPath: string;
  /** Whether the destination is an identity of the record; default false. */
  identity?: boolean | null | undefined;
  /** The identity namespace of an identity mapping, e.g. `Email`. */
  namespaceCode?: string | null | undefined;
  /** The source column (or attribute) to read. */
  sourceAttribute: string;
};

/** A new dataset of an existing XDM schema as a dataflow's target. */
export type NewDatasetTargetInput = {
  /** The new dataset's description. */
  datasetDescription?: string | null | undefined;
  /** The new dataset's name; not blank. */
  datasetName: string;
  /** The schema's `$id` or `meta:altId`. */
  schemaId: string;
};

/** A new XDM schema to create for the target dataset. */
export type NewSchemaInput = {
  /** The XDM class `$id`, e.g. https://ns.adobe.com/xdm/context/profile. */
  classId: string;
  /** The schema's description; default `Created by ingestion-graph for {title}`. */
  description?: string | null | undefined;
  /** `$id`s of field groups to add; each must extend the class. */
  fieldGroupIds?: Array<string> | null | undefined;
  /** The schema's title; not empty. */
  title: string;
};

/** A new XDM schema, and a new dataset of it, as a dataflow's target. */
export type NewSchemaTargetInput = {
  /** The new dataset's description. */
  datasetDescription?: string | null | undefined;
  /** The new dataset's name; not blank. */
  datasetName: string;
  /** The schema to create. */
  schema: NewSchemaInput;
};

/** An on-demand run of a run-once (ONCE) batch dataflow. */
export type RunDataflowInput = {
  /** Table sources on their first run: the incremental column. */
  deltaColumn?: string | null | undefined;
  /** The dataflow to run; its schedule must be ONCE and its flow spec must support runs. */
  id: string;
  /** End of the source window; default: now. */
  windowEnd?: string | null | undefined;
  /** Start of the source window; default: the flow's schedule start. */
  windowStart?: string | null | undefined;
};

/** The status of a run or of one of its activities. */
export type RunStatus =
  /** The run failed; `errors` says why. */
  | 'FAILED'
  /** Running. */
  | 'IN_PROGRESS'
  /** Completed with failed records within the flow's partial ingestion threshold. */
  | 'PARTIAL_SUCCESS'
  /** Created (by the schedule or on demand) and not started yet. */
  | 'SCHEDULED'
  /** Completed; every record was ingested. */
  | 'SUCCESS'
  /** A status Flow Service reported that this API does not know; cannot be used as a filter. */
  | 'UNKNOWN';

/** The unit of a batch dataflow's schedule. */
export type ScheduleFrequency =
  /** Every `interval` days. */
  | 'DAY'
  /** Every `interval` hours. */
  | 'HOUR'
  /** Every `interval` minutes (at least 15). */
  | 'MINUTE'
  /** A single run at the start time; further runs only on demand (`runDataflow`). */
  | 'ONCE'
  /** Every `interval` weeks. */
  | 'WEEK';

/** When a new batch dataflow runs, checked with the flow spec's own schedule rules. */
export type ScheduleInput = {
  /**
   * Also ingest what the source held before the start time; not allowed with ONCE; Flow Service's
   * default is true.
   */
  backfill?: boolean | null | undefined;
  /** The unit of the period between runs; ONCE for a dataflow run on demand. */
  frequency: ScheduleFrequency;
  /** Required unless ONCE: at least 15 for MINUTE, at least 1 otherwise (the flow spec's rules). */
  interval?: number | null | undefined;
  /**
   * The first run's time, sent to Flow Service to the second; between SCHEDULE_MAX_START_AGE_DAYS
   * (default 3650) before and SCHEDULE_MAX_START_LEAD_DAYS (default 1830) after now.
   */
  startTime: string;
};

/** A change to a dataflow's schedule; what is omitted stays. */
export type ScheduleUpdateInput = {
  /** A new frequency; a schedule cannot change from or to ONCE. */
  frequency?: ScheduleFrequency | null | undefined;
  /**
   * A new interval in units of the frequency: at least 15 for MINUTE, at least 1 otherwise; not for
   * ONCE; the period at most SCHEDULE_MAX_INTERVAL_DAYS (default 366) days.
   */
  interval?: number | null | undefined;
};

/** The format of a dataflow's source data. */
export type SourceFormat =
  /** Delimiter-separated files (CSV, TSV ...). */
  | 'DELIMITED'
  /** JSON files. */
  | 'JSON'
  /** Apache Parquet files. */
  | 'PARQUET'
  /** The rows of a table source. */
  | 'TABULAR';

/** Changes to a dataflow: at least one of name, description, schedule. */
export type UpdateDataflowInput = {
  /** A new description. */
  description?: string | null | undefined;
  /** The etag the caller last read; a stale one is rejected instead of overwriting. */
  etag: string;
  /** The dataflow to change. */
  id: string;
  /** A new name; not empty. */
  name?: string | null | undefined;
  /**
   * A new frequency or interval, checked with the flow spec's schedule rules; not for streaming
   * dataflows.
   */
  schedule?: ScheduleUpdateInput | null | undefined;
};

/** The kinds of problem a `UserError` reports. */
export type UserErrorCode =
  /** A control character, a bidirectional override (e.g. U+202E) or an unpaired surrogate. */
  | 'BAD_CHARACTER'
  /**
   * A replay of an idempotency key whose dataflow (or another resource the first call created) was
   * deleted since; the message names each one, and a new key creates the dataflow again.
   */
  | 'DELETED_SINCE'
  /** The idempotency key was used before with a different input. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The value is malformed or breaks a rule (of this API or of the upstream's own JSON schema). */
  | 'INVALID'
  /** The resource is used by others (named in the message) and was not deleted. */
  | 'IN_USE'
  /**
   * The resources exist but do not fit together, e.g. a flow spec that does not accept the source's
   * connection spec, or a field group that does not extend the class.
   */
  | 'NOT_ACCEPTED'
  /**
   * The operation does not apply to this resource, e.g. an on-demand run of a scheduled dataflow, or
   * a schedule change of a streaming one.
   */
  | 'NOT_ALLOWED'
  /** The id names nothing in this org and sandbox. */
  | 'NOT_FOUND'
  /** A number or time outside the range allowed (SCHEDULE_MAX_*). */
  | 'OUT_OF_RANGE'
  /** A value that must be given is missing or empty. */
  | 'REQUIRED'
  /** The dataset's schema is not the schema given. */
  | 'SCHEMA_MISMATCH'
  /** The resource changed since its etag was read; read it again and retry. */
  | 'STALE_ETAG'
  /** JSON nested deeper than allowed (INPUT_MAX_JSON_DEPTH). */
  | 'TOO_DEEP'
  /** A string longer than its configured maximum (INPUT_MAX_*_LENGTH). */
  | 'TOO_LONG'
  /** A list with more items than allowed (INPUT_MAX_LIST_ITEMS, STREAMING_MAX_RECORDS). */
  | 'TOO_MANY'
  /** A mapping or column names a field that the target schema or the declared source columns lack. */
  | 'UNKNOWN_FIELD'
  /** An upstream service failed during the writes; what the call created was rolled back (see steps). */
  | 'UPSTREAM_FAILED'
  /**
   * The upstream service refused the request for a reason of its own; the message carries its status
   * and code.
   */
  | 'UPSTREAM_REJECTED'
  /**
   * The id names the wrong kind of thing, e.g. a target connection spec where a source is needed, or
   * a streaming flow spec for a batch dataflow.
   */
  | 'WRONG_KIND';

export type CreateDataflowMutationVariables = Exact<{
  input: CreateDataflowInput;
}>;


export type CreateDataflowMutation = { createDataflow: { replayed: boolean, userErrors: Array<{ field: Array<string>, code: UserErrorCode, message: string }>, steps: Array<{ name: string, status: DataflowStepStatus, resourceId: string | null, error: string | null }>, flow: { id: string, name: string, etag: string, state: FlowState, health: FlowHealth, schedule: { id: string, frequency: ScheduleFrequency, interval: number | null, startTime: string } | null } | null, dataset: { id: string, name: string } | null, targetSchema: { id: string, title: string } | null, mappingSet: { id: string } | null } | null };

export type DashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardQuery = { flows: { totalCount: number | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, health: FlowHealth, nextRunAt: string | null, flowSpec: { id: string, name: string } | null, sourceConnections: Array<{ id: string, name: string, baseConnection: { id: string, name: string, connectionSpec: { id: string, name: string } | null } | null }> | null, targetConnections: Array<{ id: string, dataset: { id: string, name: string, schema: { id: string, title: string } | null } | null }> | null, mappingSet: { id: string } | null, lastRun: { id: string, status: RunStatus, startedAt: string | null, metrics: { id: string, inputRecords: number, outputRecords: number, failedRecords: number } } | null }> } | null };

export type DeleteDataflowMutationVariables = Exact<{
  input: DeleteDataflowInput;
}>;


export type DeleteDataflowMutation = { deleteDataflow: { deletedFlowId: string | null, userErrors: Array<{ field: Array<string>, code: UserErrorCode, message: string }>, steps: Array<{ name: string, status: DataflowStepStatus, resourceId: string | null, error: string | null }> } | null };

export type DisableDataflowMutationVariables = Exact<{
  input: DisableDataflowInput;
}>;


export type DisableDataflowMutation = { disableDataflow: { userErrors: Array<{ field: Array<string>, code: UserErrorCode, message: string }>, flow: { id: string, state: FlowState, health: FlowHealth, etag: string } | null } | null };

export type EnableDataflowMutationVariables = Exact<{
  input: EnableDataflowInput;
}>;


export type EnableDataflowMutation = { enableDataflow: { userErrors: Array<{ field: Array<string>, code: UserErrorCode, message: string }>, flow: { id: string, state: FlowState, health: FlowHealth, etag: string } | null } | null };

export type FleetQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetQuery = { fleetHealth: { total: number, byHealth: Array<{ health: FlowHealth, count: number }>, bySourceConnectionSpec: Array<{ count: number, connectionSpec: { id: string, name: string } | null, byHealth: Array<{ health: FlowHealth, count: number }> }> } | null, failing: { nodes: Array<{ id: string, name: string, health: FlowHealth, consecutiveFailures: number | null, lastSuccessfulRun: { id: string, completedAt: string | null } | null, errorSummary: Array<{ code: string, message: string }> | null }> } | null };

export type FlowByIdQueryVariables = Exact<{
  id: string;
}>;


export type FlowByIdQuery = { flow: { id: string, name: string, health: FlowHealth, lastRun: { id: string, status: RunStatus } | null } | null };

export type FlowRunUpdatedSubscriptionVariables = Exact<{
  flowIds?: Array<string> | string | null | undefined;
  statuses?: Array<RunStatus> | RunStatus | null | undefined;
}>;


export type FlowRunUpdatedSubscription = { flowRunUpdated: { id: string, flowId: string, status: RunStatus, completedAt: string | null, errors: Array<{ code: string, message: string }>, flow: { id: string, name: string, health: FlowHealth } | null } };

export type RunDataflowMutationVariables = Exact<{
  input: RunDataflowInput;
}>;


export type RunDataflowMutation = { runDataflow: { userErrors: Array<{ field: Array<string>, code: UserErrorCode, message: string }>, run: { id: string, status: RunStatus, windowStart: string | null, windowEnd: string | null } | null } | null };

export type UpdateDataflowMutationVariables = Exact<{
  input: UpdateDataflowInput;
}>;


export type UpdateDataflowMutation = { updateDataflow: { userErrors: Array<{ field: Array<string>, code: UserErrorCode, message: string }>, flow: { id: string, name: string, description: string | null, etag: string, schedule: { id: string, frequency: ScheduleFrequency, interval: number | null } | null } | null } | null };


export const CreateDataflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateDataflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateDataflowInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDataflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"resourceId"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"etag"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"schedule"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"frequency"}},{"kind":"Field","name":{"kind":"Name","value":"interval"}},{"kind":"Field","name":{"kind":"Name","value":"startTime"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"targetSchema"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mappingSet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<CreateDataflowMutation, CreateDataflowMutationVariables>;
export const DashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dashboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"flows"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"nextRunAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowSpec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sourceConnections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"baseConnection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"connectionSpec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"targetConnections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"schema"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"mappingSet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"inputRecords"}},{"kind":"Field","name":{"kind":"Name","value":"outputRecords"}},{"kind":"Field","name":{"kind":"Name","value":"failedRecords"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DashboardQuery, DashboardQueryVariables>;
export const DeleteDataflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteDataflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteDataflowInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteDataflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"deletedFlowId"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"resourceId"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteDataflowMutation, DeleteDataflowMutationVariables>;
export const DisableDataflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DisableDataflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DisableDataflowInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disableDataflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"etag"}}]}}]}}]}}]} as unknown as DocumentNode<DisableDataflowMutation, DisableDataflowMutationVariables>;
export const EnableDataflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EnableDataflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EnableDataflowInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enableDataflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"etag"}}]}}]}}]}}]} as unknown as DocumentNode<EnableDataflowMutation, EnableDataflowMutationVariables>;
export const FleetDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Fleet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fleetHealth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"byHealth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"bySourceConnectionSpec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectionSpec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"byHealth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"failing"},"name":{"kind":"Name","value":"flows"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"state"},"value":{"kind":"EnumValue","value":"ENABLED"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"lastSuccessfulRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errorSummary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<FleetQuery, FleetQueryVariables>;
export const FlowByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FlowById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"flow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"health"}},{"kind":"Field","name":{"kind":"Name","value":"lastRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<FlowByIdQuery, FlowByIdQueryVariables>;
export const FlowRunUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FlowRunUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"flowIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RunStatus"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"flowRunUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"flowIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"flowIds"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"statuses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"flowId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"health"}}]}}]}}]}}]} as unknown as DocumentNode<FlowRunUpdatedSubscription, FlowRunUpdatedSubscriptionVariables>;
export const RunDataflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RunDataflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RunDataflowInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runDataflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"windowStart"}},{"kind":"Field","name":{"kind":"Name","value":"windowEnd"}}]}}]}}]}}]} as unknown as DocumentNode<RunDataflowMutation, RunDataflowMutationVariables>;
export const UpdateDataflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateDataflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateDataflowInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateDataflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"etag"}},{"kind":"Field","name":{"kind":"Name","value":"schedule"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"frequency"}},{"kind":"Field","name":{"kind":"Name","value":"interval"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UpdateDataflowMutation, UpdateDataflowMutationVariables>;