import type { AuthSpecDto } from './types.ts';

/**
 * Which auth params are secrets: the ones the auth spec marks `format: "password"`
 * (CONTRACT §2.2), and any param named like a password, key, secret or token whatever the
 * spec says. Secrets are write-only: never returned, logged or put in an error.
 */
const SECRET_NAME = /pass(word|phrase)|secret|token|key|credential|connectionstring|sas(uri|token)/i;

type Properties = Record<string, { format?: unknown } | undefined>;

export function isSecretParam(authSpec: AuthSpecDto | undefined, name: string): boolean {
  if (SECRET_NAME.test(name)) return true;
  const properties = authSpec?.spec['properties'] as Properties | undefined;
  if (properties === undefined) return false;
  const lower = name.toLowerCase();
  const entry = Object.entries(properties).find(([k]) => k.toLowerCase() === lower)?.[1];
  return entry?.format === 'password';
}

/** Names of the params that hold a value (not null, not empty), in the order given. */
export function setParamNames(params: Record<string, unknown> | undefined): string[] {
  return Object.entries(params ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k]) => k);
}
