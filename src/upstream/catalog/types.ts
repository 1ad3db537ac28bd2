/**
 * Catalog wire types: JSON exactly as `/data/foundation/catalog` sends it.
 * Lists and lookups are objects keyed by id; creates answer `["@/dataSets/{id}"]`.
 */

export type KeyedDto<T> = Record<string, T>;

/** `["@/dataSets/5c8c..."]`: the reference array every Catalog write answers with. */
export type CatalogRefsDto = string[];

export interface SchemaRefDto {
  id: string;
  contentType: string;
}

export interface DataSetDto {
  name: string;
  description?: string;
  imsOrg: string;
  sandboxId?: string;
  version: string;
  created: number;
  updated: number;
  createdClient: string;
  createdUser: string;
  updatedUser: string;
  schemaRef?: SchemaRefDto;
  tags?: Record<string, string[]>;
  viewId?: string;
  files?: string;
  fileDescription?: { format?: string; [key: string]: unknown };
  lastBatchId?: string;
  lastBatchStatus?: string;
  enableErrorDiagnostics?: boolean;
  state?: string;
  /** Set by the Platform: the schema class's behavior and who manages the dataset. */
  classification?: { dataBehavior: string; managedBy: string };
  [key: string]: unknown;
}

export interface CreateDataSetDto {
  name: string;
  description?: string;
  schemaRef: SchemaRefDto;
  tags?: Record<string, string[]>;
  fileDescription?: { format?: string; [key: string]: unknown };
  enableErrorDiagnostics?: boolean;
}

export type BatchStatus =
  | 'processing'
  | 'success'
  | 'failure'
  | 'queued'
  | 'retrying'
  | 'stalled'
  | 'aborted'
  | 'abandoned'
  | 'inactive'
  | 'failed'
  | 'loading'
  | 'loaded'
  | 'staged'
  | 'active'
  | 'staging'
  | 'deleted';

export interface BatchDto {
  imsOrg: string;
  sandboxId?: string;
  created: number;
  updated: number;
  createdClient: string;
  createdUser: string;
  updatedUser: string;
  status: BatchStatus;
  externalId?: string;
  started?: number;
  completed?: number;
  recordCount?: number;
  failedRecordCount?: number;
  size?: number;
  /** `rows`: the rows (or hyphenated ranges, `"3-5"`) that had the error. */
  errors?: Array<{ code: string; rows?: string[]; description: string }>;
  relatedObjects: Array<{ type: string; id: string; tag?: string }>;
  inputFormat?: { format: string };
  tags?: Record<string, string[]>;
  version: string;
  [key: string]: unknown;
}

export interface CreateBatchDto {
  datasetId?: string;
  relatedObjects?: Array<{ type: string; id: string }>;
  inputFormat?: { format: string };
  externalId?: string;
  tags?: Record<string, string[]>;
}

/** `GET /lastBatches?dataSetId=a,b`: keyed by dataset id. */
export interface LastBatchDto {
  lastBatchId?: string;
  lastBatchStatus?: BatchStatus;
  lastSuccessfulBatchId?: string;
  lastFailedBatchId?: string;
  imsOrg: string;
  sandboxId?: string;
  created?: number;
  updated?: number;
}

/** Catalog documents no error body; the emulator uses the Flow-style problem with `CAT-{code}-{status}`. */
export interface CatalogProblemDto {
  type: string;
  title: string;
  status: number;
  report: { 'detailed-message': string; 'request-id': string };
}
