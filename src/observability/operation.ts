import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { collectSecrets } from '../upstream/upstreamError.ts';
import { withSecrets, type Logger } from './log.ts';
import type { TraceCarrier, TraceSpan, Tracing } from './tracing.ts';

/** Headers as `IncomingMessage.headers` gives them. */
type Headers = Record<string, string | string[] | undefined>;

/**
 * The operation of each error Apollo is about to format (noted by `Operation.owns`): its
 * `formatError` is told no request.
 */
const errorOperations = new WeakMap<object, Operation>();

/** The operation that noted `error` (or the error it wraps) as its own, if any. */
export function operationOfError(error: unknown): Operation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const noted = errorOperations.get(error);
  if (noted !== undefined || !(error instanceof GraphQLError) || error.originalError === undefined) return noted;
  return errorOperations.get(error.originalError);
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What is known about one GraphQL request while it runs, for its log line and its span:
 * the request id, the operation, the tenant, the upstream requests it sent and the error
 * codes it answered with; also the secrets it carries, which no log line may show.
 */
export class Operation {
  readonly requestId: string;
  /** The secrets its log lines must not show; they grow while it runs. */
  readonly secrets = new Set<string>();
  /** Every line of the operation carries its request id and is scrubbed of its secrets. */
  readonly log: Logger;
  readonly span: TraceSpan | undefined;
  readonly errorCodes = new Set<string>();
  operationName: string | null = null;
  operationType: string | null = null;
  documentHash: string | null = null;
  org: string | null = null;
  sandbox: string | null = null;
  /** Upstream requests sent (attempts, retries included). */
  upstreamRequests = 0;
  /**
   * Set when Apollo's request pipeline sends the answer: every error of it was noted and
   * formatted knowing the operation. Unset, the answer is Apollo's refusal of the request.
   */
  answeredByPipeline = false;
  readonly #started = performance.now();

  constructor(options: { requestId: string; log: Logger; tracing: Tracing | undefined; headers: Headers }) {
    this.requestId = options.requestId;
    this.log = withSecrets(options.log, { requestId: options.requestId }, this.secrets);
    const { headers } = options;
    const authorization = one(headers.authorization);
    const apiKey = one(headers['x-api-key']);
    this.addSecrets(
      collectSecrets(
        {
          ...(authorization === undefined ? {} : { authorization }),
          ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }),
        },
        undefined,
      ),
    );
    const caller: TraceCarrier = { traceparent: one(headers.traceparent), tracestate: one(headers.tracestate) };
    this.span = options.tracing?.startOperation('graphql', { 'request.id': options.requestId }, caller);
  }

  /** Notes `errors` as the operation's, for `operationOfError` when Apollo formats them. */
  owns(errors: Iterable<object>): void {
    for (const error of errors) errorOperations.set(error, this);
  }

  addSecrets(secrets: Iterable<string>): void {
    for (const s of secrets) if (s !== '') this.secrets.add(s);
  }

  /** Notes an error of the answer (its code) and gives it the request id, so a caller can quote it. */
  formatted(error: GraphQLFormattedError): GraphQLFormattedError {
    const code = error.extensions?.['code'];
    if (typeof code === 'string') this.errorCodes.add(code);
    return { ...error, extensions: { ...error.extensions, requestId: this.requestId } };
  }

  /** The operation's log line and the end of its span; `status` is the HTTP status answered. */
  finish(status: number): void {
    const durationMs = Math.round((performance.now() - this.#started) * 1000) / 1000;
    const errorCodes = [...this.errorCodes];
    const level = errorCodes.includes('INTERNAL_SERVER_ERROR') || status >= 500 ? 'error' : 'info';
    this.log[level](
      {
        event: 'operation',
        operationName: this.operationName,
        operationType: this.operationType,
        documentHash: this.documentHash,
        org: this.org,
        sandbox: this.sandbox,
        status,
        durationMs,
        upstreamRequests: this.upstreamRequests,
        errorCodes,
      },
      `${this.operationType ?? 'operation'} ${this.operationName ?? '(anonymous)'}`,
    );
    if (this.span === undefined) return;
    this.span.setAttributes({
      'http.response.status_code': status,
      'upstream.request_count': this.upstreamRequests,
      ...(this.org === null ? {} : { 'platform.org_id': this.org }),
      ...(this.sandbox === null ? {} : { 'platform.sandbox': this.sandbox }),
      ...(this.documentHash === null ? {} : { 'graphql.document.hash': this.documentHash }),
      ...(errorCodes.length === 0 ? {} : { 'graphql.error.codes': errorCodes }),
    });
    if (status >= 400 || errorCodes.length > 0) this.span.fail(errorCodes.join(', ') || `HTTP ${status}`);
    this.span.end();
  }
}
