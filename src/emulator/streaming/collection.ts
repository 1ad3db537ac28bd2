import type {
  BatchCollectionResponseDto,
  BatchMessageResultDto,
  CollectionResponseDto,
} from '../../upstream/streaming/types.ts';
import { dcsError } from '../errors.ts';
import type { Reply, RouteContext } from '../router.ts';
import type { Partition } from '../store.ts';
import { entitySchemaOf } from './entitySchema.ts';
import { inletPrefix, openInlet, type Inlet } from './inlet.ts';
import { landRecords, type AcceptedRecord } from './landing.ts';
import { prepareRawMessage, rawTarget, type RawTarget } from './rawMessage.ts';
import { SYNC_REQUESTS_PER_MINUTE, takeSyncSlot } from './syncRateLimit.ts';
import { transactionId } from './transactionIds.ts';
import { prepareXdmMessage, type Prepared, type PreparedRecord } from './xdmMessage.ts';
import {
  MAX_VIOLATIONS,
  streamingValidationCause,
  validateXdmEntity,
  type EntitySchema,
  type SchemaViolation,
} from './xdmValidation.ts';

/** DCS answers 413 above 1 MB per request (§1.7, §6.2). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

function checkPayloadSize(ctx: RouteContext, inlet: Inlet): void {
  if (ctx.rawBody.length > MAX_PAYLOAD_BYTES) {
    throw dcsError(
      413,
      '/payload-too-large',
      'Payload Too Large',
      `${inletPrefix(ctx, inlet.inletId)} The payload is larger than 1 MB (${ctx.rawBody.length} bytes)`,
    );
  }
}

const invalidMessage = (ctx: RouteContext, inlet: Inlet, message: string) =>
  dcsError(400, '/inlet', 'Invalid XDM Message Format', `${inletPrefix(ctx, inlet.inletId)} ${message}`);

/** Validates records against their dataset schema, resolving each schema once per request. */
class RecordValidator {
  private readonly schemas = new Map<string, EntitySchema | undefined>();

  constructor(private readonly part: Partition) {}

  violations(record: PreparedRecord): SchemaViolation[] {
    if (!this.schemas.has(record.schemaId))
      this.schemas.set(record.schemaId, entitySchemaOf(this.part, record.schemaId));
    const schema = this.schemas.get(record.schemaId);
    const mapping = (record.mappingErrors ?? []).map((message): SchemaViolation => ({
      schemaLocation: '#',
      pointerToViolation: '#',
      causingExceptions: [],
      keyword: 'mapping',
      message,
    }));
    if (schema === undefined) {
      return [
        ...mapping,
        {
          schemaLocation: '#',
          pointerToViolation: '#',
          causingExceptions: [],
          keyword: '$ref',
          message: `schema [${record.schemaId}] not found`,
        },
      ];
    }
    return [...mapping, ...validateXdmEntity(schema, record.entity)].slice(0, MAX_VIOLATIONS);
  }
}

const describeViolation = (v: SchemaViolation): string => `${v.pointerToViolation}: ${v.message}`;

function flowIdOf(message: unknown, raw: RawTarget | undefined): string | undefined {
  if (raw !== undefined) return raw.flowId;
  const header = (message as { header?: { flowId?: unknown } } | null)?.header;
  return typeof header?.flowId === 'string' ? header.flowId : undefined;
}

function prepare(
  ctx: RouteContext,
  inlet: Inlet,
  raw: RawTarget | undefined,
  message: unknown,
  size: number,
): Prepared {
  return raw === undefined ? prepareXdmMessage(ctx.part, inlet, message, size) : prepareRawMessage(raw, message, size);
}

/**
 * `POST /collection/{inletId}[?syncValidation=true]` → 200. Async (default): an envelope
 * error is a 400, schema violations only fail the record in its Catalog batch. Sync: schema
 * violations are a 400 with `_streamingValidation` and nothing lands; 60 per minute per inlet.
 */
export function collectMessage(ctx: RouteContext): Reply {
  const inlet = openInlet(ctx);
  checkPayloadSize(ctx, inlet);
  const receivedTimeMs = ctx.runtime.clock.now();
  const sync = ctx.query.get('syncValidation') === 'true';
  if (sync && !takeSyncSlot(ctx.runtime, inlet.inletId)) {
    throw dcsError(
      429,
      '/rate-limit',
      'Too Many Requests',
      `${inletPrefix(ctx, inlet.inletId)} syncValidation is limited to ${SYNC_REQUESTS_PER_MINUTE} requests per minute per inlet`,
    );
  }
  const raw = inlet.dataType === 'raw' ? rawTarget(ctx, inlet) : undefined;
  const prepared = prepare(ctx, inlet, raw, ctx.body, ctx.rawBody.length);
  if (!prepared.ok) throw invalidMessage(ctx, inlet, prepared.message);
  const violations = new RecordValidator(ctx.part).violations(prepared.record);
  if (sync && violations.length > 0) {
    throw dcsError(
      400,
      '/inlet',
      'Invalid XDM Message Format',
      `${inletPrefix(ctx, inlet.inletId)} Message is invalid`,
      streamingValidationCause(violations),
    );
  }
  const flowId = flowIdOf(ctx.body, raw);
  const problems = violations.map(describeViolation);
  landRecords(ctx.runtime, ctx.part, inlet, [
    { record: prepared.record, problems, ...(flowId === undefined ? {} : { flowId }) },
  ]);
  const body: CollectionResponseDto = {
    inletId: inlet.inletId,
    xactionId: transactionId(ctx.runtime),
    receivedTimeMs,
    syncValidation: sync ? { status: 'pass' } : { skipped: true },
  };
  return { status: 200, body };
}

/**
 * `POST /collection/batch/{inletId}` with `{messages: [...]}` → 207 with one response per
 * message, in order, whether all, some or none were accepted (§6.2). `syncValidation` is
 * not allowed here (§11 #22).
 */
export function collectBatch(ctx: RouteContext): Reply {
  const inlet = openInlet(ctx);
  checkPayloadSize(ctx, inlet);
  const prefix = inletPrefix(ctx, inlet.inletId);
  // `syncValidation=false` asks for what the batch route does anyway
  if (ctx.query.get('syncValidation') === 'true') {
    throw dcsError(
      400,
      '/inlet',
      'Bad Request',
      `${prefix} syncValidation is only supported on the single message route /collection/{inletId}`,
    );
  }
  const messages = (ctx.body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages))
    throw dcsError(
      400,
      '/inlet',
      'Invalid Batch Format',
      `${prefix} The batch must be an object with a messages array`,
    );
  const receivedTimeMs = ctx.runtime.clock.now();
  const raw = inlet.dataType === 'raw' ? rawTarget(ctx, inlet) : undefined;
  const batchId = transactionId(ctx.runtime);
  const validator = new RecordValidator(ctx.part);
  const accepted: AcceptedRecord[] = [];
  const responses = messages.map((message, index): BatchMessageResultDto => {
    const xactionId = `${batchId}:${index}`;
    const prepared = prepare(ctx, inlet, raw, message, Buffer.byteLength(JSON.stringify(message)));
    if (!prepared.ok) return { statusCode: 400, message: `${prefix} ${prepared.message}`, xactionId };
    const flowId = flowIdOf(message, raw);
    const problems = validator.violations(prepared.record).map(describeViolation);
    accepted.push({ record: prepared.record, problems, ...(flowId === undefined ? {} : { flowId }) });
    return { xactionId };
  });
  landRecords(ctx.runtime, ctx.part, inlet, accepted);
  const body: BatchCollectionResponseDto = { inletId: inlet.inletId, batchId, receivedTimeMs, responses };
  return { status: 207, body };
}
