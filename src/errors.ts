import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApolloServerValidationErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { OperationLimitError, type OperationLimitKind } from './upstream/callScope.ts';
import { isUnknownSandbox, UpstreamError } from './upstream/http.ts';
import { routeOperation } from './upstream/routeTemplate.ts';
import { hideVariableValue } from './variableErrors.ts';

/** Every error code the API answers with, in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A credential or tenant header sent twice, or several values joined by commas. */
  DUPLICATE_HEADER: 'DUPLICATE_HEADER',
  /** A header whose value does not have its form (an org id that is not `<id>@AdobeOrg`). */
  INVALID_HEADER: 'INVALID_HEADER',
  /** An argument names something that does not exist where a list or object must belong to it (names the argument). */
  NOT_FOUND: 'NOT_FOUND',
  /** The upstream does not know the request's sandbox (`x-sandbox-name`). */
  SANDBOX_NOT_FOUND: 'SANDBOX_NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  /** The operation made all the upstream requests it may (MAX_UPSTREAM_REQUESTS_PER_OPERATION). */
  UPSTREAM_BUDGET_EXCEEDED: 'UPSTREAM_BUDGET_EXCEEDED',
  /** The operation passed its deadline (OPERATION_TIMEOUT_MS). */
  OPERATION_TIMEOUT: 'OPERATION_TIMEOUT',
  /** The client went away; no one reads this but the logs. */
  OPERATION_ABORTED: 'OPERATION_ABORTED',
  /** The upstream asked to be retried later than the operation's deadline allows. */
  RETRY_AFTER_EXCEEDS_DEADLINE: 'RETRY_AFTER_EXCEEDS_DEADLINE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The operation nests fields deeper than MAX_QUERY_DEPTH. */
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  /** The operation's cost (objects its answer can hold) is over MAX_QUERY_COST, or cannot be estimated within MAX_QUERY_NODES. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** More aliases than MAX_QUERY_ALIASES. */
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  /** More directives than MAX_QUERY_DIRECTIVES. */
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
  /** A document of more tokens than MAX_QUERY_TOKENS (it is not parsed further). */
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  /** The caller is over RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_MS and its queue is full (HTTP 429, Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',

  // I/O Events webhook deliveries (POST /webhooks/io-events), in the `code` of the JSON answer
  /** A delivery without both signatures and both public key paths. */
  WEBHOOK_UNSIGNED: 'WEBHOOK_UNSIGNED',
  /** A public key path that is not a key path of IO_EVENTS_KEY_ORIGIN. */
  WEBHOOK_BAD_KEY_PATH: 'WEBHOOK_BAD_KEY_PATH',
  /** No signature verifies over the body with the key its path names. */
  WEBHOOK_BAD_SIGNATURE: 'WEBHOOK_BAD_SIGNATURE',
  /** The keys could not be fetched now (the sender retries). */
  WEBHOOK_KEY_UNAVAILABLE: 'WEBHOOK_KEY_UNAVAILABLE',
  /** A body that is not a run notification (names the field). */
  WEBHOOK_BAD_PAYLOAD: 'WEBHOOK_BAD_PAYLOAD',
  /** `recipient_client_id` is not IO_EVENTS_CLIENT_ID. */
  WEBHOOK_WRONG_RECIPIENT: 'WEBHOOK_WRONG_RECIPIENT',
  /** A body over IO_EVENTS_MAX_BODY_BYTES. */
  WEBHOOK_BODY_TOO_LARGE: 'WEBHOOK_BODY_TOO_LARGE',
  /** The verified event could not be published now (the bus failed); it is not marked seen, so the sender's retry publishes it. */
  WEBHOOK_PUBLISH_FAILED: 'WEBHOOK_PUBLISH_FAILED',
  /** A handshake GET without a usable `challenge`. */
  WEBHOOK_BAD_CHALLENGE: 'WEBHOOK_BAD_CHALLENGE',
  /** More subscriptions on one WebSocket than MAX_SUBSCRIPTIONS_PER_CONNECTION. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A bad argument: names the argument (`field`) and the reason. */
export function badInput(field: string, reason: string): GraphQLError {
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, field } });
}

/** An argument that names nothing: names the argument (`field`) and what is missing. */
export function notFound(field: string, reason: string): GraphQLError {
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code: ErrorCode.NOT_FOUND, field } });
}

/** A request header that cannot be read unambiguously; the whole request is refused (400). */
export function badHeader(
  code: typeof ErrorCode.DUPLICATE_HEADER | typeof ErrorCode.INVALID_HEADER,
  header: string,
  reason: string,
): GraphQLError {
  return new GraphQLError(`${header}: ${reason}`, { extensions: { code, header } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

/** Codes of the limits an operation is checked against before it executes. */
export type LimitCode =
  | typeof ErrorCode.QUERY_TOO_DEEP
  | typeof ErrorCode.QUERY_TOO_COMPLEX
  | typeof ErrorCode.TOO_MANY_ALIASES
  | typeof ErrorCode.TOO_MANY_DIRECTIVES
  | typeof ErrorCode.TOO_MANY_TOKENS
  | typeof ErrorCode.TOO_MANY_SUBSCRIPTIONS;

const LIMIT_CODES = new Set<string>([
  ErrorCode.TOO_MANY_SUBSCRIPTIONS,
  ErrorCode.QUERY_TOO_DEEP,
  ErrorCode.QUERY_TOO_COMPLEX,
  ErrorCode.TOO_MANY_ALIASES,
  ErrorCode.TOO_MANY_DIRECTIVES,
  ErrorCode.TOO_MANY_TOKENS,
]);

/** An operation over a limit: the whole request fails with HTTP 400 before anything executes. */
export function limitExceeded(code: LimitCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** graphql-js's own message when the parser stops at `maxTokens`. */
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/**
 * The limit behind a request error: Apollo wraps a validation rule's error (code
 * GRAPHQL_VALIDATION_FAILED) and the parser's (GRAPHQL_PARSE_FAILED); the cause says which limit.
 */
function limitCause(error: unknown): { code: LimitCode; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof GraphQLError; depth++) {
    const code = current.extensions['code'];
    if (typeof code === 'string' && LIMIT_CODES.has(code)) return { code: code as LimitCode, message: current.message };
    if (current.extensions['validationErrorCode'] === ApolloServerValidationErrorCode.MAX_RECURSIVE_SELECTIONS_EXCEEDED)
      return {
        code: ErrorCode.QUERY_TOO_COMPLEX,
        message: `${current.message} Fragments count once per spread: the operation expands past MAX_QUERY_NODES selections.`,
      };
    const tokens = TOKEN_LIMIT.exec(current.message);
    if (tokens !== null)
      return {
        code: ErrorCode.TOO_MANY_TOKENS,
        message: `Token limit of ${tokens[1]} exceeded: the document is not parsed further.`,
      };
    current = current.originalError;
  }
  return undefined;
}

function upstreamCode(err: UpstreamError): ErrorCode {
  if (isUnknownSandbox(err)) return ErrorCode.SANDBOX_NOT_FOUND;
  return err.status === 401
    ? ErrorCode.UNAUTHENTICATED
    : err.status === 403
      ? ErrorCode.FORBIDDEN
      : ErrorCode.UPSTREAM_ERROR;
}

const REQUEST_STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.SANDBOX_NOT_FOUND]: 404,
  [ErrorCode.DUPLICATE_HEADER]: 400,
  [ErrorCode.INVALID_HEADER]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.UPSTREAM_ERROR]: 502,
};

/**
 * An error raised before execution (reading the caller's credentials) as the error of the
 * whole request, with the HTTP status that says so: 400, 401, 403, or 502 when the server's
 * own IMS token could not be had. Anything else is left to `formatError` as internal.
 */
export function requestError(err: unknown): unknown {
  if (err instanceof UpstreamError) {
    const code = upstreamCode(err);
    return new GraphQLError(err.message, {
      originalError: err,
      extensions: { code, http: { status: REQUEST_STATUS[code] } },
    });
  }
  const code = (err as { extensions?: Record<string, unknown> } | null)?.extensions?.['code'];
  const status = typeof code === 'string' ? REQUEST_STATUS[code] : undefined;
  if (!(err instanceof GraphQLError) || status === undefined) return err;
  return new GraphQLError(err.message, { extensions: { ...err.extensions, http: { status } } });
}

/** Codes our own resolvers and Apollo itself raise; they pass through unchanged. */
const KEPT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.DUPLICATE_HEADER,
  ErrorCode.INVALID_HEADER,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** graphql-js's "Did you mean" hints: in validation errors and in variable coercion errors alike. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Strips "Did you mean" suggestions from every error of a request (unknown fields, enum
 * values, input fields, whether in the document or in the variables): where introspection
 * is off they would tell the schema name by name.
 */
export function hideSuggestionsPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          hideSuggestions(errors);
        },
      };
    },
  };
}

/**
 * Answers a request's errors in the order of their paths (errors without one first, as they
 * came): fields resolve in whatever order their upstream reads answer, so without it the same
 * failures could be listed in a different order from one request to the next. A list index
 * compares as a number, a field name as text.
 */
export function orderedErrorsPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          if (errors !== undefined && errors.length > 1)
            response.body.singleResult.errors = [...errors].sort((a, b) => comparePaths(a.path, b.path));
        },
      };
    },
  };
}

function comparePaths(
  a: readonly (string | number)[] | undefined,
  b: readonly (string | number)[] | undefined,
): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/** What hideSuggestionsPlugin does, for errors that do not pass through Apollo (subscriptions). */
export function hideSuggestions(errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    error.message = error.message.replace(SUGGESTION, '');
    // formatError rebuilds variable errors from the original reason: it must lose them too
    if (error.originalError !== undefined)
      error.originalError.message = error.originalError.message.replace(SUGGESTION, '');
  }
}

function upstreamExtensions(err: UpstreamError): Record<string, unknown> {
  return {
    service: err.service,
    status: err.status ?? null,
    upstreamCode: err.code ?? null,
    // the call by its words (`GET flows`): the REST path, its ids and the upstream's host stay in the logs
    operation: routeOperation(err.method, err.path),
    // the upstream's own id of the failed call; extensions.requestId is this API's id of the request
    upstreamRequestId: err.requestId ?? null,
  };
}

/** The error of class `type` behind an error, however many GraphQL errors wrap it. */
function causeOf<E>(error: unknown, type: abstract new (...args: never[]) => E): E | undefined {
  let current: unknown = unwrapResolverError(error);
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof type) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

const OPERATION_LIMIT_CODE: Record<OperationLimitKind, ErrorCode> = {
  BUDGET: ErrorCode.UPSTREAM_BUDGET_EXCEEDED,
  DEADLINE: ErrorCode.OPERATION_TIMEOUT,
  ABORTED: ErrorCode.OPERATION_ABORTED,
  RETRY_AFTER: ErrorCode.RETRY_AFTER_EXCEEDS_DEADLINE,
};

function operationLimitExtensions(err: OperationLimitError): Record<string, unknown> {
  return {
    code: OPERATION_LIMIT_CODE[err.kind],
    service: err.call?.service ?? null,
    method: err.call?.method ?? null,
    operation: err.call === undefined ? null : routeOperation(err.call.method, err.call.path),
    ...(err.kind === 'RETRY_AFTER'
      ? { status: err.status ?? null, retryAfterSeconds: Math.ceil((err.retryAfterMs ?? 0) / 1000) }
      : {}),
  };
}

/** Apollo prefixes errors raised while building the context (depending on how graphql is loaded). */
const CONTEXT_PREFIX = 'Context creation failed: ';

/**
 * Translates every error once, at the edge (STYLE: errors in three layers). Never throws.
 * Upstream 401/403 keep their meaning; other upstream failures name the service, status,
 * upstream code and operation (never the REST path or host); anything unexpected goes to `reportInternal` (the server logs it) and is
 * answered generically.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  reportInternal: (error: unknown) => void = () => {},
): GraphQLFormattedError {
  try {
    const original = unwrapResolverError(error);
    const operationLimit = causeOf(error, OperationLimitError);
    if (operationLimit !== undefined)
      return {
        message: operationLimit.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: operationLimitExtensions(operationLimit),
      };
    const upstream = causeOf(error, UpstreamError);
    if (upstream !== undefined) {
      const code = upstreamCode(upstream);
      const message =
        code === ErrorCode.UPSTREAM_ERROR
          ? `${upstream.service} answered ${upstream.status === undefined ? 'nothing' : `HTTP ${upstream.status}`}${upstream.code === undefined ? '' : ` (${upstream.code})`} to ${routeOperation(upstream.method, upstream.path)}`
          : code === ErrorCode.SANDBOX_NOT_FOUND
            ? `${upstream.service} does not know the sandbox ${upstream.sandbox === undefined ? 'of this request' : `"${upstream.sandbox}"`} in this org (x-sandbox-name)`
            : `${upstream.service} refused the credentials (HTTP ${upstream.status})`;
      return {
        message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: {
          code,
          ...upstreamExtensions(upstream),
          ...(code === ErrorCode.SANDBOX_NOT_FOUND ? { sandbox: upstream.sandbox ?? null } : {}),
        },
      };
    }
    const limit = limitCause(error);
    if (limit !== undefined)
      return { message: limit.message, locations: formatted.locations, extensions: { code: limit.code } };
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && KEPT_CODES.has(code)) {
      const { stacktrace: _stack, http: _http, ...extensions } = formatted.extensions ?? {};
      const message = hideVariableValue(
        formatted.message.startsWith(CONTEXT_PREFIX)
          ? formatted.message.slice(CONTEXT_PREFIX.length)
          : formatted.message,
        (original as { originalError?: { message?: string } } | null)?.originalError?.message,
      );
      return { ...formatted, message, extensions };
    }
    // the logger scrubs secrets from the whole line, the stack included
    reportInternal(original);
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  } catch {
    return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
