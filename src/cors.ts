import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { CorsConfig } from './config.ts';
import { ErrorCode } from './errors.ts';

/**
 * The request headers a browser page may send: the caller and tenant headers the API reads
 * (src/context.ts), the JSON content type, and the two headers Apollo's CSRF prevention accepts
 * as proof that a request was preflighted.
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'x-api-key',
  'x-gw-ims-org-id',
  'x-sandbox-name',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a page of `origin` may read the API's answers. */
export function originAllowed(config: CorsConfig, origin: string): boolean {
  if (config.anyOrigin) return true;
  if (config.origins.includes(origin)) return true;
  if (!config.localhost) return false;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

export type CorsOutcome = 'continue' | 'answered';

/**
 * CORS for the GraphQL routes, with the `cors` package: an allowed origin gets
 * `Access-Control-Allow-Origin` (and `Vary: Origin`) on every answer; a preflight (OPTIONS) is
 * answered here, 204 with the allowed methods and headers, or 403 naming CORS_ORIGINS when the
 * origin is not allowed. Every other request goes on to Apollo, whose CSRF prevention still
 * refuses simple (unpreflighted) requests.
 */
export function createCorsHandler(
  config: CorsConfig,
): (req: IncomingMessage, res: ServerResponse) => Promise<CorsOutcome> {
  const middleware = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && originAllowed(config, origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    maxAge: config.maxAgeSeconds,
    // the preflight is ended below, where a refused origin also gets an answer that says why
    preflightContinue: true,
  });
  return async (req, res) => {
    // with preflightContinue the middleware sets its headers, then always calls next() (with no
    // error: the origin callback above never passes one)
    await new Promise<void>((resolve) => middleware(req, res, () => resolve()));
    if (req.method !== 'OPTIONS') return 'continue';
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(config, origin)) {
      const text = JSON.stringify({
        errors: [
          {
            message: `Origin ${origin} may not call this API from a browser; add it to CORS_ORIGINS`,
            extensions: { code: ErrorCode.FORBIDDEN },
          },
        ],
      });
      res
        .writeHead(403, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          vary: 'Origin',
        })
        .end(text);
    } else {
      res.writeHead(204, { 'content-length': '0' }).end();
    }
    return 'answered';
  };
}
