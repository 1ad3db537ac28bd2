import type { AuthSpecDto, ConnectionDto, ConnectionSpecDto } from '../../upstream/flowService/types.ts';
import { FLOW_CODES } from './codes.ts';
import { badRequest } from './replies.ts';

/** What a secret param reads back as: stored, never echoed (§2.2). */
export const MASK = '****';

type Params = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function lowerKeys(params: Params): Set<string> {
  return new Set(
    Object.keys(params)
      .filter((k) => params[k] !== undefined && params[k] !== null && params[k] !== '')
      .map((k) => k.toLowerCase()),
  );
}

function missingOf(required: unknown, present: Set<string>): string[] {
  return Array.isArray(required)
    ? required.filter((k): k is string => typeof k === 'string' && !present.has(k.toLowerCase()))
    : [];
}

/**
 * `auth.specName` must equal one `authSpec[].name` exactly (`FLOW-1415`); the auth spec's
 * required params must be present, keys compared case-insensitively (§10.4 ⚠b), extra keys
 * allowed. An `anyOf` of required sets (Hive: host/username/password or connectionString)
 * is satisfied by any one set.
 */
export function validateAuth(spec: ConnectionSpecDto, auth: unknown): AuthSpecDto | undefined {
  if (spec.authSpec.length === 0) return undefined;
  if (!isRecord(auth) || typeof auth['specName'] !== 'string') {
    throw badRequest(
      `auth.specName is required; connection spec ${spec.name} accepts ${spec.authSpec.map((a) => `"${a.name}"`).join(', ')}.`,
      FLOW_CODES.AUTH_SPEC_INVALID,
    );
  }
  const specName = auth['specName'];
  const authSpec = spec.authSpec.find((a) => a.name === specName);
  if (authSpec === undefined) {
    throw badRequest(
      `Invalid auth spec name "${specName}" for connection spec ${spec.name}; expected one of ${spec.authSpec.map((a) => `"${a.name}"`).join(', ')}.`,
      FLOW_CODES.AUTH_SPEC_INVALID,
    );
  }
  const params = isRecord(auth['params']) ? auth['params'] : {};
  const present = lowerKeys(params);
  const missing = missingOf(authSpec.spec['required'], present);
  const alternatives = Array.isArray(authSpec.spec['anyOf'])
    ? (authSpec.spec['anyOf'] as Array<Record<string, unknown>>)
    : [];
  const alternativeMissing = alternatives.map((alt) => missingOf(alt['required'], present));
  if (alternatives.length > 0 && alternativeMissing.every((m) => m.length > 0)) {
    missing.push(alternativeMissing.map((m) => m.join('+')).join(' or '));
  }
  if (missing.length > 0) {
    throw badRequest(`Missing required auth params for "${specName}": ${missing.join(', ')}.`);
  }
  return authSpec;
}

/** Secret params are the ones whose schema says `format: "password"`. */
function isSecret(authSpec: AuthSpecDto, key: string): boolean {
  const properties = authSpec.spec['properties'];
  if (!isRecord(properties)) return false;
  const lower = key.toLowerCase();
  const entry = Object.entries(properties).find(([k]) => k.toLowerCase() === lower)?.[1];
  return isRecord(entry) && entry['format'] === 'password';
}

/** The connection as every read returns it: secret params replaced by `MASK`. */
export function maskConnection(conn: ConnectionDto, spec: ConnectionSpecDto | undefined): ConnectionDto {
  const authSpec = spec?.authSpec.find((a) => a.name === conn.auth?.specName);
  if (conn.auth === undefined || authSpec === undefined) return conn;
  const params: Params = {};
  for (const [key, value] of Object.entries(conn.auth.params))
    params[key] = isSecret(authSpec, key) && value !== undefined ? MASK : value;
  return { ...conn, auth: { ...conn.auth, params } };
}
