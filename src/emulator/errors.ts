import type { FlowProblemDto, GatewayErrorDto } from '../upstream/flowService/types.ts';
import type { XdmProblemDto } from '../upstream/schemaRegistry/types.ts';
import type { InsightsProblemDto } from '../upstream/observability/types.ts';

/**
 * Thrown by route handlers; the server turns it into the response. `body` is the
 * exact error body of the service's family (§1.6), `requestId` is filled in later.
 */
export class EmulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export type ProblemFamily = 'flow' | 'catalog' | 'dataPrep';

const PROBLEM_TYPE: Record<ProblemFamily, string> = {
  flow: 'https://ns.adobe.com/aep/errors/FLOW',
  catalog: 'https://ns.adobe.com/aep/errors/CAT',
  dataPrep: 'https://ns.adobe.com/aep/errors/DPREP',
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Resource not found',
  405: 'Method not allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** The request id is patched into error bodies by the server after the handler threw. */
export const REQUEST_ID_PLACEHOLDER = '{REQUEST_ID}';

/**
 * Flow Service problem body (`FLOW-{code}-{status}`); Catalog and Data Prep document no
 * error body, so the emulator uses the same shape with `CAT-`/`DPREP-` (§1.6).
 */
export function problem(
  family: ProblemFamily,
  status: number,
  code: number | string,
  message: string,
  extra: { id?: string; type?: string; details?: string } = {},
): EmulatorHttpError {
  const body: FlowProblemDto = {
    type: `${PROBLEM_TYPE[family]}-${code}-${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    report: {
      'detailed-message': message,
      'request-id': REQUEST_ID_PLACEHOLDER,
      ...(extra.id === undefined ? {} : { id: extra.id }),
      ...(extra.type === undefined ? {} : { type: extra.type }),
    },
    errorMessage: message,
    errorDetails: extra.details ?? message,
  };
  return new EmulatorHttpError(status, body);
}

export const flowError = (
  status: number,
  code: number,
  message: string,
  extra?: { id?: string; type?: string; details?: string },
) => problem('flow', status, code, message, extra);

export const catalogError = (status: number, code: number, message: string) =>
  problem('catalog', status, code, message);

export const dataPrepError = (status: number, code: number, message: string) =>
  problem('dataPrep', status, code, message);

/** Gateway header/auth failures (§1.3): `{error_code, message}`. */
export function gatewayError(status: number, errorCode: string, message: string): EmulatorHttpError {
  const body: GatewayErrorDto = { error_code: errorCode, message };
  return new EmulatorHttpError(status, body);
}

/** Schema Registry problem body (`XDM-{code}-{status}`). */
export function xdmError(status: number, code: number, message: string, subErrors: unknown[] = []): EmulatorHttpError {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const timestamp = `${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}-${now.getUTCFullYear()} ${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}`;
  const body: XdmProblemDto = {
    type: `http://ns.adobe.com/aep/errors/XDM-${code}-${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    report: {
      registryRequestId: REQUEST_ID_PLACEHOLDER,
      timestamp,
      'detailed-message': message,
      'sub-errors': subErrors,
    },
    detail: message,
  };
  return new EmulatorHttpError(status, body);
}

/** Streaming collection (DCS) problem body. */
export function dcsError(
  status: number,
  typeSuffix: string,
  title: string,
  message: string,
  cause?: unknown,
  statusAsString = false,
): EmulatorHttpError {
  return new EmulatorHttpError(status, {
    type: `http://ns.adobe.com/adobecloud/problem/data-collection-service${typeSuffix}`,
    status: statusAsString ? String(status) : status,
    title,
    report: cause === undefined ? { message } : { message, cause },
  });
}

/** Observability Insights error body (`INSGHT-{code}-{status}`), as the metrics guide shows it. */
export function insightsError(
  status: number,
  code: number,
  title: string,
  tenant: { sandboxName: string; sandboxId: string; imsOrgId: string },
  nowMs: number,
): EmulatorHttpError {
  const errorCode = `INSGHT-${code}-${status}`;
  const body: InsightsProblemDto = {
    type: `http://ns.adobe.com/aep/errors/${errorCode}`,
    title,
    status,
    report: { tenantInfo: tenant, additionalContext: null },
    'error-chain': [{ serviceId: 'INSGHT', errorCode, invokingServiceId: 'INSGHT', unixTimeStampMs: nowMs }],
  };
  return new EmulatorHttpError(status, body);
}
