import { createRequire } from 'node:module';
import { pino, type Bindings, type DestinationStream, type Logger } from 'pino';
import type { LogConfig } from '../config.ts';

export type { DestinationStream, Logger };

/**
 * Keys whose values never reach a log line (pino redact paths, at the top of a line and in
 * its `headers`). Deeper keys and values under other names are caught by the scrubber of the
 * written line.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'accessToken',
  'access_token',
  'token',
  'apiKey',
  '["x-api-key"]',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'credentials',
  'auth',
];
// leading wildcards (`*.token`) cost pino ten times the line itself: nested keys are the scrubber's
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...['authorization', 'cookie', '["x-api-key"]'].map((key) =>
    key.startsWith('[') ? `headers${key}` : `headers.${key}`,
  ),
];

const REDACTED = '[REDACTED]';

/** Every `"key":"string"` of a JSON line; the key is then tested on its own, which is cheaper than one regex for both. */
const KEY_STRING_VALUE = /"([^"\\]{1,128})":"(?:[^"\\]|\\.)*"/g;
/** Secret-looking keys at any depth of the JSON line: their string value is replaced. */
const SECRET_KEY =
  /secret|password|passphrase|token|credential|assertion|connectionstring|sasuri|apikey|api-key|authorization/i;

/** Values that look like credentials wherever they appear: bearer tokens, JWTs, `key=value` secrets in text. */
const SECRET_TEXT: Array<[RegExp, string]> = [
  [/Bearer\s+[\w.~+/=-]+/gi, `Bearer ${REDACTED}`],
  [/\beyJ[\w-]{8,}(?:\.[\w-]*){0,2}/g, REDACTED],
  [/\b(client_secret|access_token|password|secret)(=|:\s*)[^"&\s,}\\]+/gi, `$1$2${REDACTED}`],
];

/** Shorter known secrets are not scrubbed by value: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Removes secrets from one serialised line: the known values (the server's client secret,
 * and those of the operation being logged, given to `withSecrets`), secret-looking keys at any
 * depth, and bearer- or JWT-looking strings.
 */
export function scrubLine(line: string, secrets: Iterable<string>): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    // as the JSON line spells it
    out = out.replaceAll(JSON.stringify(secret).slice(1, -1), REDACTED);
  }
  out = out.replace(KEY_STRING_VALUE, (pair, key: string) => (SECRET_KEY.test(key) ? `"${key}":"${REDACTED}"` : pair));
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

export interface LoggerOptions {
  config: LogConfig;
  /** Where JSON lines go (tests pass a stream that keeps them); default stdout, pretty when asked. */
  destination?: DestinationStream | undefined;
  /** Secrets known at start (the server's client secret), scrubbed by value from every line. */
  secrets?: readonly string[];
}

/** Where a logger made by `withSecrets` keeps its secrets; its children inherit them (pino children are prototype children). */
const LINE_SECRETS = Symbol('lineSecrets');
type SecretBearing = Logger & { [LINE_SECRETS]?: Iterable<string> };

/**
 * A child of `log` with `bindings` whose every line, and every line of its children, is
 * scrubbed of `secrets` as they are when the line is written (an operation's grows while it
 * runs: its token, the credentials in its variables).
 */
export function withSecrets(log: Logger, bindings: Bindings, secrets: Iterable<string>): Logger {
  const child: SecretBearing = log.child(bindings);
  child[LINE_SECRETS] = secrets;
  return child;
}

/** pino-pretty when installed (a dev dependency: production installs fall back to JSON lines). */
function prettyStream(): DestinationStream | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({ destination: 1, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
  } catch {
    return undefined;
  }
}

/**
 * The API's logger: JSON lines (or pino-pretty on a terminal or with LOG_FORMAT=pretty), every
 * line scrubbed of secrets after serialisation, so that neither a key nor a message nor an
 * error's stack can carry one out.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { config } = options;
  const wantPretty =
    options.destination === undefined &&
    (config.format === 'pretty' || (config.format === 'auto' && process.stdout.isTTY === true));
  const target =
    options.destination ?? (wantPretty ? prettyStream() : undefined) ?? pino.destination({ dest: 1, sync: true });
  const fixed = (options.secrets ?? []).filter((s) => s.length >= MIN_SECRET_LENGTH);
  // the secrets of the logger writing the current line: pino serialises and writes a line synchronously within the call
  let lineSecrets: Iterable<string> = [];
  const scrubbing: DestinationStream = {
    write(line: string) {
      target.write(scrubLine(line, [...fixed, ...lineSecrets]));
    },
  };
  return pino(
    {
      level: config.level,
      base: { service: 'ingestion-graph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
      hooks: {
        logMethod(args, method) {
          const outer = lineSecrets;
          lineSecrets = (this as SecretBearing)[LINE_SECRETS] ?? [];
          try {
            method.apply(this, args);
          } finally {
            lineSecrets = outer;
          }
        },
      },
    },
    scrubbing,
  );
}
