import type { Context } from '../context.ts';
import type { SendStreamingRecordsInput, StreamingRecordResult } from '../generated/graphql.ts';
import { UpstreamError } from '../upstream/http.ts';
import type { BatchMessageResultDto } from '../upstream/streaming/types.ts';
import type { StreamingMessage } from '../upstream/streaming/client.ts';
import type { InputLimits } from '../config.ts';
import { checkInputBounds, checkJsonDepth, checkRecordCount, MAX_REPORTED_ERRORS } from './inputBounds.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';
import { SYNC_VALIDATION_LIMIT } from '../upstream/streaming/wire.ts';
import { mapWithConcurrency } from '../mapWithConcurrency.ts';

export interface SendStreamingRecordsResult {
  /**
   * DCS's id of the batch request; null with `validate`, which sends one request per record,
   * and when the records took several batch requests (each record's `xactionId` stays).
   */
  batchId: string | null;
  results: StreamingRecordResult[];
  acceptedCount: number;
  rejectedCount: number;
  userErrors: UserError[];
}

/** DCS answers 413 above 1 MB per request (CONTRACT §1.7, §6.2). */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** `syncValidation=true` is limited to 60 requests per minute per inlet (CONTRACT §1.7). */
export const MAX_VALIDATED_RECORDS = SYNC_VALIDATION_LIMIT.requests;
/** Single-message requests in flight at once with `validate`. */
const SYNC_CONCURRENCY = 6;

type Input = Pick<SendStreamingRecordsInput, 'inletId' | 'records' | 'validate' | 'flowId'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));
const fail = (userErrors: UserError[]): SendStreamingRecordsResult => ({
  batchId: null,
  results: [],
  acceptedCount: 0,
  rejectedCount: 0,
  userErrors,
});

/**
 * The first `MAX_REPORTED_ERRORS` records that are not JSON objects or nest too deep (to be
 * measured, a record is serialized), and how many there are in all.
 */
function badRecords(records: readonly unknown[], limits: InputLimits): UserError[] {
  const errors: UserError[] = [];
  let count = 0;
  records.forEach((r, i) => {
    const at = ['input', 'records', String(i)];
    const problem = isObject(r)
      ? checkJsonDepth(r, limits, at)
      : userError(
          at,
          'INVALID',
          `record ${i} must be a JSON object: an XDM message {header, body} or, for a raw inlet, any object`,
        );
    if (problem === undefined) return;
    count++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(problem);
  });
  if (count > errors.length)
    errors.push(
      userError(['input', 'records'], 'INVALID', `${count} records are invalid; the first ${errors.length} are named`),
    );
  return errors;
}

/** Everything DCS would refuse for the whole request, found before anything is sent. */
function checkRecords(input: Input, validate: boolean, limits: InputLimits): UserError[] {
  const { records } = input;
  if (records.length === 0) return [userError(['input', 'records'], 'INVALID', 'records must not be empty')];
  const tooMany = checkRecordCount(records.length, limits, ['input', 'records']);
  if (tooMany !== undefined) return [tooMany];
  const ids = [
    ...checkInputBounds(input.inletId, ['input', 'inletId'], limits),
    ...checkInputBounds(input.flowId, ['input', 'flowId'], limits),
  ];
  if (ids.length > 0) return ids;
  const invalid = badRecords(records, limits);
  if (invalid.length > 0) return invalid;
  if (validate) {
    if (records.length > MAX_VALIDATED_RECORDS) {
      return [
        userError(
          ['input', 'records'],
          'INVALID',
          `validate: true sends one request per record with syncValidation=true, which DCS allows ${MAX_VALIDATED_RECORDS} times per minute per inlet; send at most ${MAX_VALIDATED_RECORDS} records (got ${records.length}) or leave validate off`,
        ),
      ];
    }
    const big = records.findIndex((r) => bytes(r) > MAX_REQUEST_BYTES);
    if (big >= 0)
      return [
        userError(
          ['input', 'records', String(big)],
          'INVALID',
          `record ${big} serializes to ${bytes(records[big])} bytes; DCS accepts at most 1 MB (${MAX_REQUEST_BYTES} bytes) per request`,
        ),
      ];
    return [];
  }
  const big = records.findIndex((r) => BATCH_ENVELOPE_BYTES + bytes(r) > MAX_REQUEST_BYTES);
  if (big >= 0)
    return [
      userError(
        ['input', 'records', String(big)],
        'INVALID',
        `record ${big} serializes to ${bytes(records[big])} bytes; with the batch envelope that is over the 1 MB (${MAX_REQUEST_BYTES} bytes) DCS accepts per request`,
      ),
    ];
  return [];
}

/** `{"messages":[]}`: what a batch body holds besides its records and the commas between them. */
const BATCH_ENVELOPE_BYTES = bytes({ messages: [] });

/**
 * The records cut, in order, into runs whose batch body (`{"messages":[...]}`) is at most
 * `maxBytes`: as few requests as a greedy cut makes. Each record must fit alone
 * (checked before). Returns the index where each run starts.
 */
export function batchStarts(sizes: readonly number[], maxBytes: number = MAX_REQUEST_BYTES): number[] {
  const starts: number[] = [];
  let used = 0;
  sizes.forEach((size, i) => {
    if (starts.length === 0 || used + 1 + size > maxBytes) {
      starts.push(i);
      used = BATCH_ENVELOPE_BYTES + size;
    } else used += 1 + size;
  });
  return starts;
}

/** A whole-request refusal: unknown inlet, too large, or another rejection the input caused. */
function requestRejection(err: unknown, inletId: string): UserError | undefined {
  if (!(err instanceof UpstreamError)) return undefined;
  if (err.status === 404) return userError(['input', 'inletId'], 'NOT_FOUND', `No streaming inlet ${inletId}`);
  if (err.status === 413)
    return userError(
      ['input', 'records'],
      'INVALID',
      `DCS refused the request as larger than 1 MB (${MAX_REQUEST_BYTES} bytes)`,
    );
  return upstreamRejection(err, ['input', 'records']);
}

function summarize(batchId: string | null, results: StreamingRecordResult[]): SendStreamingRecordsResult {
  const acceptedCount = results.filter((r) => r.accepted).length;
  return { batchId, results, acceptedCount, rejectedCount: results.length - acceptedCount, userErrors: [] };
}

function batchResult(index: number, r: BatchMessageResultDto | undefined): StreamingRecordResult {
  if (r === undefined)
    return {
      index,
      accepted: false,
      xactionId: null,
      statusCode: null,
      message: 'DCS returned no result for this record',
    };
  if ('statusCode' in r)
    return { index, accepted: false, xactionId: r.xactionId ?? null, statusCode: r.statusCode, message: r.message };
  return { index, accepted: true, xactionId: r.xactionId, statusCode: null, message: null };
}

/** One `POST /collection/batch/{inletId}`; the 207 holds one result per record, in order. */
async function sendBatch(ctx: Context, input: Input, records: StreamingMessage[]) {
  const s = ctx.clients.streaming;
  return input.flowId == null
    ? s.sendBatch(ctx.credentials, input.inletId, records)
    : s.sendBatchForFlow(ctx.credentials, input.inletId, input.flowId, records);
}

/**
 * The records in as many batch requests as 1 MB each needs, one after the other, results
 * merged in record order. Accepted records cannot be recalled: when a later request fails,
 * the records already accepted keep their results, the others say they were not sent, and
 * a user error says which request failed.
 */
async function sendAsBatches(
  ctx: Context,
  input: Input,
  records: StreamingMessage[],
): Promise<SendStreamingRecordsResult> {
  const starts = batchStarts(records.map(bytes));
  const results: StreamingRecordResult[] = [];
  let batchId: string | null = null;
  for (const [k, start] of starts.entries()) {
    const chunk = records.slice(start, starts[k + 1] ?? records.length);
    try {
      const res = await sendBatch(ctx, input, chunk);
      batchId = starts.length === 1 ? res.batchId : null;
      chunk.forEach((_, i) => results.push(batchResult(start + i, res.responses[i])));
    } catch (err) {
      const rejection = requestRejection(err, input.inletId);
      if (k === 0) {
        if (rejection === undefined) throw err;
        return fail([rejection]);
      }
      const last = records.length - 1;
      for (let i = start; i <= last; i++)
        results.push({
          index: i,
          accepted: false,
          xactionId: null,
          statusCode: null,
          message: `Not sent: batch request ${k + 1} of ${starts.length} failed`,
        });
      const failure =
        rejection ??
        userError(['input', 'records'], 'UPSTREAM_FAILED', err instanceof Error ? err.message : 'The request failed');
      const message = `${failure.message}. Batch request ${k + 1} of ${starts.length} (from record ${start}) failed, so records ${start} to ${last} were not sent; records 0 to ${start - 1} were sent and cannot be recalled`;
      return { ...summarize(null, results), userErrors: [{ ...failure, message }] };
    }
  }
  return summarize(batchId, results);
}

/** The DCS message plus the schema violations of a sync-validation 400 (`report.cause._streamingValidation`). */
function validationMessage(err: UpstreamError): string {
  const cause = (
    err.body as
      | {
          report?: {
            cause?: {
              _streamingValidation?: Array<{
                causingExceptions?: Array<{ pointerToViolation?: string; message?: string }>;
              }>;
            };
          };
        }
      | undefined
  )?.report?.cause;
  const violations = (cause?._streamingValidation ?? [])
    .flatMap((v) => v.causingExceptions ?? [])
    .map((e) => `${e.pointerToViolation ?? '#'}: ${e.message ?? ''}`);
  const head = err.upstreamMessage ?? `HTTP ${err.status}`;
  return violations.length === 0 ? head : `${head}: ${violations.join('; ')}`;
}

/** One record with `syncValidation=true`: a refusal is that record's result; an unknown inlet or bad credentials end the call. */
async function sendValidated(
  ctx: Context,
  input: Input,
  record: StreamingMessage,
  index: number,
): Promise<StreamingRecordResult | UserError> {
  try {
    const options = { syncValidation: true, ...(input.flowId == null ? {} : { flowId: input.flowId }) };
    const res = await ctx.clients.streaming.sendMessage(ctx.credentials, input.inletId, record, options);
    return { index, accepted: true, xactionId: res.xactionId, statusCode: 200, message: null };
  } catch (err) {
    if (!(err instanceof UpstreamError) || err.refusesCaller) throw err;
    if (err.status === 404) return userError(['input', 'inletId'], 'NOT_FOUND', `No streaming inlet ${input.inletId}`);
    return {
      index,
      accepted: false,
      xactionId: null,
      statusCode: err.status ?? null,
      message: err.status === undefined ? err.message : validationMessage(err),
    };
  }
}

/** Single-message requests, at most `SYNC_CONCURRENCY` in flight, results in record order. */
async function sendEachValidated(
  ctx: Context,
  input: Input,
  records: StreamingMessage[],
): Promise<SendStreamingRecordsResult> {
  const outcomes = await mapWithConcurrency(records, SYNC_CONCURRENCY, (record, i) =>
    sendValidated(ctx, input, record, i),
  );
  const unknownInlet = outcomes.find((o): o is UserError => 'code' in o);
  if (unknownInlet !== undefined) return fail([unknownInlet]);
  return summarize(null, outcomes as StreamingRecordResult[]);
}

/**
 * Sends records to a streaming inlet as given (XDM messages or raw objects): batch
 * requests of at most 1 MB each, or with `validate` one sync-validated request per record (the batch route does
 * not allow `syncValidation`, CONTRACT §11 #22). Accepted records cannot be recalled, so
 * everything DCS would refuse for the whole request is checked before sending.
 */
export async function sendStreamingRecords(ctx: Context, input: Input): Promise<SendStreamingRecordsResult> {
  const validate = input.validate === true;
  const errors = checkRecords(input, validate, ctx.inputLimits);
  if (errors.length > 0) return fail(errors);
  const records = input.records as StreamingMessage[];
  return validate ? sendEachValidated(ctx, input, records) : sendAsBatches(ctx, input, records);
}
