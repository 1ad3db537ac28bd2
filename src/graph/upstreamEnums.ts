import type {
  BatchStatus,
  ColumnType,
  ConnectionState,
  ConnectorCategory,
  DataFormat,
  FlowOperationKind,
  FlowOperationStatus,
  MappingSetStatus,
  MappingSourceType,
  RunStatus,
  StreamingDataType,
  XdmType,
} from '../generated/graphql.ts';

/**
 * Upstream strings to schema enums. The upstream vocabularies are open (a service may add a
 * state tomorrow), so a value not listed here serializes as UNKNOWN instead of failing the
 * field: the rest of the object stands, and the schema says UNKNOWN means "new upstream
 * value". Each table spells every upstream value it knows, in the upstream's own spelling.
 */
type Table<E extends string> = Readonly<Record<string, Exclude<E, 'UNKNOWN'>>>;

function lookup<E extends string>(table: Table<E>, raw: string): E | 'UNKNOWN' {
  return Object.hasOwn(table, raw) ? table[raw]! : 'UNKNOWN';
}

/** Maps one upstream value; null and undefined stay null. */
function mapper<E extends string>(table: Table<E>) {
  function map(raw: string): E | 'UNKNOWN';
  function map(raw: string | null | undefined): E | 'UNKNOWN' | null;
  function map(raw: string | null | undefined): E | 'UNKNOWN' | null {
    return raw === null || raw === undefined ? null : lookup(table, raw);
  }
  return map;
}

export const connectionState = mapper<ConnectionState>({
  enabled: 'ENABLED',
  disabled: 'DISABLED',
  initializing: 'INITIALIZING',
  inProgress: 'IN_PROGRESS',
  updating: 'UPDATING',
  enabling: 'ENABLING',
  disabling: 'DISABLING',
});

export const dataFormat = mapper<DataFormat>({
  delimited: 'DELIMITED',
  csv: 'DELIMITED',
  json: 'JSON',
  parquet: 'PARQUET',
  parquet_xdm: 'PARQUET_XDM',
  tabular: 'TABULAR',
  flat: 'FLAT',
  xdm: 'XDM',
});

export const batchStatus = mapper<BatchStatus>({
  loading: 'LOADING',
  loaded: 'LOADED',
  queued: 'QUEUED',
  staging: 'STAGING',
  staged: 'STAGED',
  processing: 'PROCESSING',
  retrying: 'RETRYING',
  stalled: 'STALLED',
  success: 'SUCCESS',
  active: 'ACTIVE',
  failed: 'FAILED',
  failure: 'FAILED',
  aborted: 'ABORTED',
  abandoned: 'ABANDONED',
  inactive: 'INACTIVE',
  deleted: 'DELETED',
});

const CATEGORIES: Table<ConnectorCategory> = {
  cloudStorage: 'CLOUD_STORAGE',
  crm: 'CRM',
  customerSuccess: 'CUSTOMER_SUCCESS',
  database: 'DATABASE',
  protocols: 'PROTOCOLS',
  streaming: 'STREAMING',
  dataLake: 'DATA_LAKE',
  advertising: 'ADVERTISING',
  marketingAutomation: 'MARKETING_AUTOMATION',
  analytics: 'ANALYTICS',
  eCommerce: 'ECOMMERCE',
  payments: 'PAYMENTS',
};

export const connectorCategory = mapper(CATEGORIES);

/** The upstream spelling of a category, to compare with `attributes.category`. */
export function upstreamCategory(category: ConnectorCategory): string | undefined {
  return Object.entries(CATEGORIES).find(([, v]) => v === category)?.[0];
}

export const flowOperationKind = mapper<FlowOperationKind>({ create: 'CREATE', update: 'UPDATE' });

export const flowOperationStatus = mapper<FlowOperationStatus>({
  inProgress: 'IN_PROGRESS',
  completed: 'COMPLETED',
  failed: 'FAILED',
});

/** Column types arrive in any case (`string`, `STRING`); they are compared lower-cased. */
const columnTypes = mapper<ColumnType>({
  string: 'STRING',
  integer: 'INTEGER',
  int: 'INTEGER',
  long: 'LONG',
  number: 'NUMBER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
});
export function columnType(raw: string): ColumnType {
  return columnTypes(raw.toLowerCase());
}

export const xdmType = mapper<XdmType>({
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  object: 'OBJECT',
  array: 'ARRAY',
});

export const mappingSetStatus = mapper<MappingSetStatus>({ PUBLISHED: 'PUBLISHED', DRAFT: 'DRAFT' });

export const mappingSourceType = mapper<MappingSourceType>({
  ATTRIBUTE: 'ATTRIBUTE',
  'text/x.schema-path': 'ATTRIBUTE',
  EXPRESSION: 'EXPRESSION',
  'text/x.aep-xl': 'EXPRESSION',
  STATIC: 'STATIC',
});

const runStatuses = mapper<RunStatus>({
  scheduled: 'SCHEDULED',
  inprogress: 'IN_PROGRESS',
  success: 'SUCCESS',
  partialsuccess: 'PARTIAL_SUCCESS',
  failed: 'FAILED',
  failure: 'FAILED',
});
/** Run statuses arrive in several casings (§2.7); a missing one is UNKNOWN. */
export function runStatus(raw: string | undefined): RunStatus {
  return runStatuses((raw ?? '').toLowerCase());
}

/** Streaming inlets have no UNKNOWN: any data type other than `raw` is XDM, as the inlet treats it. */
export function streamingDataType(raw: string | null | undefined): StreamingDataType | null {
  if (raw === null || raw === undefined) return null;
  return raw.toLowerCase() === 'raw' ? 'RAW' : 'XDM';
}
