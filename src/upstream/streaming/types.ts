/** Streaming collection (DCS) wire types: `/collection/{inletId}` and `/collection/batch/{inletId}`. */

export interface XdmMessageDto {
  header: {
    schemaRef: { id: string; contentType: string };
    imsOrgId?: string;
    datasetId: string;
    flowId?: string;
    createdAt?: number;
    source?: { name: string };
  };
  body: {
    xdmMeta: { schemaRef: { id: string; contentType: string } };
    xdmEntity: Record<string, unknown>;
  };
}

export interface CollectionResponseDto {
  inletId: string;
  xactionId: string;
  receivedTimeMs: number;
  /** `{skipped: true}` in async mode; `{status: "pass"}` when `syncValidation=true` passed. */
  syncValidation?: { skipped?: boolean; status?: 'pass' };
}

export type BatchMessageResultDto = { xactionId: string } | { statusCode: number; message: string; xactionId?: string };

export interface BatchCollectionResponseDto {
  inletId: string;
  batchId: string;
  receivedTimeMs: number;
  responses: BatchMessageResultDto[];
}

export interface StreamingProblemDto {
  type: string;
  status: number | string;
  title: string;
  report: { message: string; cause?: unknown };
}
