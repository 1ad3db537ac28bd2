import type { CallObserver } from '../upstream/http.ts';
import { networkCode, UpstreamError } from '../upstream/upstreamError.ts';
import { OperationLimitError } from '../upstream/callScope.ts';
import type { Logger } from './log.ts';
import { Operation } from './operation.ts';
import { routeTemplate } from '../upstream/routeTemplate.ts';
import type { Tracing } from './tracing.ts';

/** 404s are answers the clients expect (a `find` resolves null): they are logged at debug only. */
function failureLevel(error: unknown): 'debug' | 'info' | 'warn' {
  if (error instanceof UpstreamError && error.status !== undefined && error.status < 500)
    return error.status === 404 ? 'debug' : 'info';
  return 'warn';
}

/** A stable code for the failure, never its message (which may quote what the upstream echoed). */
function failureCode(error: unknown): string | null {
  if (error instanceof UpstreamError) return error.code ?? networkCode(error.cause) ?? null;
  if (error instanceof OperationLimitError) return error.kind;
  return null;
}

/**
 * Every upstream call of the transport: the request id and W3C trace headers it carries, a
 * span (service, method, route template, status, retries; never a token, id or body), the
 * count of the operation's requests, and one log line when the call fails.
 */
export function upstreamObserver(options: { log: Logger; tracing: Tracing | undefined }): CallObserver {
  return {
    start(call, origin) {
      const operation = origin instanceof Operation ? origin : undefined;
      const route = routeTemplate(call.path);
      const span = options.tracing?.startCall(
        `${call.method} ${route}`,
        { 'upstream.service': call.service, 'http.request.method': call.method, 'url.template': route },
        operation?.span,
      );
      const headers: Record<string, string> = {
        ...(operation === undefined ? {} : { 'x-request-id': operation.requestId }),
        ...span?.headers(),
      };
      return {
        headers,
        attempted() {
          if (operation !== undefined) operation.upstreamRequests++;
        },
        end({ status, attempts, error }) {
          const retries = Math.max(0, attempts - 1);
          span?.setAttributes({
            'http.request.resend_count': retries,
            ...(status === undefined ? {} : { 'http.response.status_code': status }),
          });
          if (error !== undefined) {
            const code = failureCode(error);
            span?.fail(code ?? (status === undefined ? 'no response' : `HTTP ${status}`));
            (operation?.log ?? options.log)[failureLevel(error)](
              {
                event: 'upstream_failure',
                service: call.service,
                method: call.method,
                route,
                status: status ?? null,
                retries,
                code,
              },
              `${call.service} ${call.method} ${route} failed`,
            );
          }
          span?.end();
        },
      };
    },
  };
}
