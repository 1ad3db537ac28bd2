import type { AuthSpecDto, ConnectionSpecDto } from '../upstream/flowService/types.ts';
import { validateSchema } from '../upstream/flowService/wire.ts';
import { isSecretParam } from '../upstream/flowService/secretParams.ts';
import { userError, type UserError } from './userErrors.ts';

type Params = Record<string, unknown>;

const isRecord = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Params keyed as the auth spec spells them: the docs drift in key case (`userId` vs the
 * schema's `userid`, CONTRACT §10.4 ⚠b), which the Flow Service accepts, so keys are matched
 * case-insensitively. Null and empty values count as absent.
 */
function asSpelledBySpec(authSpec: AuthSpecDto, params: Params): Params {
  const properties = isRecord(authSpec.spec['properties']) ? Object.keys(authSpec.spec['properties']) : [];
  const spelling = new Map(properties.map((k) => [k.toLowerCase(), k]));
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === '') continue;
    out[spelling.get(key.toLowerCase()) ?? key] = value;
  }
  return out;
}

/**
 * Checks `auth` against the connection spec's own auth spec (exact `specName`, then the
 * params against its JSON schema). Every problem at once, each at its input path; messages
 * name params and rules, never a value.
 */
export function checkAuth(
  spec: ConnectionSpecDto,
  auth: { specName: string; params: unknown },
  at: readonly string[],
): { authSpec?: AuthSpecDto; userErrors: UserError[] } {
  const authSpec = spec.authSpec.find((a) => a.name === auth.specName);
  if (authSpec === undefined) {
    const accepted = spec.authSpec.map((a) => `"${a.name}"`).join(', ');
    return {
      userErrors: [
        userError(
          [...at, 'specName'],
          'NOT_FOUND',
          accepted === ''
            ? `Connection spec ${spec.id} takes no credentials: it is not a source to connect to`
            : `Connection spec ${spec.id} has no auth spec "${auth.specName}"; use one of ${accepted}`,
        ),
      ],
    };
  }
  if (!isRecord(auth.params))
    return {
      authSpec,
      userErrors: [userError([...at, 'params'], 'INVALID', 'params must be a JSON object of auth params')],
    };
  const violations = validateSchema(authSpec.spec, asSpelledBySpec(authSpec, auth.params));
  return {
    authSpec,
    userErrors: violations.map((v) => {
      const key = v.pointer.split('/').filter((p) => p !== '');
      const required = /is required$/.test(v.message);
      const where = key.length === 0 ? 'params' : `param ${key.join('.')}`;
      return userError(
        [...at, 'params', ...key],
        required ? 'REQUIRED' : 'INVALID',
        required
          ? `${where} is required by auth spec "${authSpec.name}"`
          : `${where} ${v.message} (auth spec "${authSpec.name}")`,
      );
    }),
  };
}

/** Every string under a secret param (however deep), to scrub from anything the upstream answers. */
export function secretValues(authSpec: AuthSpecDto | undefined, params: unknown): string[] {
  if (!isRecord(params)) return [];
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string' && v.length > 0) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) Object.values(v).forEach(walk);
  };
  for (const [key, value] of Object.entries(params)) if (isSecretParam(authSpec, key)) walk(value);
  return out;
}

/** A user error whose message cannot carry a secret the upstream echoed back. */
export function scrubbed(error: UserError, secrets: readonly string[]): UserError {
  let message = error.message;
  for (const s of secrets) message = message.replaceAll(s, '[REDACTED]');
  return { ...error, message };
}
