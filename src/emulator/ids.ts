import { randomBytes, randomUUID } from 'node:crypto';

/** Flow Service ids: UUID v4. */
export const uuid = (): string => randomUUID();

/** Flow Service etags are quoted strings, quotes included (§1.5). */
export const newEtag = (): string =>
  `"${randomBytes(4).toString('hex')}-0000-0200-0000-${randomBytes(6).toString('hex')}"`;

/** Catalog dataset ids: 24 hex characters. */
export const hex24 = (): string => randomBytes(12).toString('hex');

/** Mapping set ids and schema suffixes: 32 hex characters. */
export const hex32 = (): string => randomBytes(16).toString('hex');

/** Inlet ids: 64 hex characters. */
export const hex64 = (): string => randomBytes(32).toString('hex');

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Catalog batch ids: 26-character ULID-like strings, time-ordered. */
export function batchId(nowMs: number): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[rand[i]! % 32];
  return time + tail;
}

/** A request id for the `x-request-id` header and error reports. */
export const requestId = (): string => randomUUID().replaceAll('-', '');
