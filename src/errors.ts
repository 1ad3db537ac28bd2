import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { UpstreamError } from './upstream/http.ts';

/** Every error code the API answers with, in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A bad argument: names the argument (`field`) and the reason. */
export function badInput(field: string, reason: string): GraphQLError {
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, field } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

/** Codes our own resolvers and Apollo itself raise; they pass through unchanged. */
const KEPT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Tokens and secrets that must never reach a log line. */
const SECRET_PATTERNS: RegExp[] = [/Bearer\s+[\w.~+/=-]+/gi, /(client_secret|access_token|secret|password)(["'=:\s]+)[^"'&\s,}]+/gi];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, re) => acc.replace(re, (_m, a: string, b: string | undefined) => (b === undefined ? 'Bearer [redacted]' : `${a}${b}[redacted]`)), text);
}

function upstreamExtensions(err: UpstreamError): Record<string, unknown> {
  return {
    service: err.service,
    status: err.status ?? null,
    upstreamCode: err.code ?? null,
    path: err.path,
    requestId: err.requestId ?? null,
  };
}

/**
 * Translates every error once, at the edge (STYLE: errors in three layers). Never throws.
 * Upstream 401/403 keep their meaning; other upstream failures name the service, status,
 * upstream code and path; anything unexpected is logged (redacted) and answered generically.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  try {
    const original = unwrapResolverError(error);
    if (original instanceof UpstreamError) {
      const code = original.status === 401 ? ErrorCode.UNAUTHENTICATED : original.status === 403 ? ErrorCode.FORBIDDEN : ErrorCode.UPSTREAM_ERROR;
      const message =
        code === ErrorCode.UPSTREAM_ERROR
          ? `${original.service} answered ${original.status === undefined ? 'nothing' : `HTTP ${original.status}`}${original.code === undefined ? '' : ` (${original.code})`} for ${original.method} ${original.path}`
          : `${original.service} refused the credentials (HTTP ${original.status})`;
      return { message, locations: formatted.locations, path: formatted.path, extensions: { code, ...upstreamExtensions(original) } };
    }
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && KEPT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    console.error('internal error:', redactSecrets(original instanceof Error ? (original.stack ?? original.message) : String(original)));
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  } catch {
    return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
