import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ClaimResult, IdempotencyRecord, IdempotencyStore } from '../orchestration/idempotency.ts';

/**
 * The claim in one script, so that it is atomic across replicas: a key without a record, or
 * with a failed one of the same fingerprint, becomes pending (keeping the leftovers); any
 * other record is answered as it is. The record is a hash, so the script never decodes the
 * stored result: `state`, `fingerprint`, and the JSON texts `result` and `leftovers`.
 */
const CLAIM = `
local found = redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'result', 'leftovers')
if found[1] and not (found[1] == 'failed' and found[2] == ARGV[1]) then
  return {0, found[1], found[2], found[3], found[4]}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'pending', 'fingerprint', ARGV[1])
if found[4] then redis.call('HSET', KEYS[1], 'leftovers', found[4]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, found[4]}
`;

/** Idempotency records in Redis, shared by every replica; each key expires with its TTL. */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async claim<R>(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult<R>> {
    const reply = (await this.redis.eval(CLAIM, 1, this.#key(key), fingerprint, String(ttlMs))) as Array<
      number | string | null
    >;
    if (reply[0] === 1) {
      const leftovers = parse<Record<string, string>>(reply[1]);
      return leftovers === undefined ? { claimed: true } : { claimed: true, leftovers };
    }
    return {
      claimed: false,
      record: record<R>(String(reply[1]), String(reply[2]), reply[3] ?? null, reply[4] ?? null),
    };
  }

  async get<R>(key: string): Promise<IdempotencyRecord<R> | undefined> {
    const found = await this.redis.hgetall(this.#key(key));
    if (found['state'] === undefined) return undefined;
    return record<R>(found['state'], found['fingerprint'] ?? '', found['result'] ?? null, found['leftovers'] ?? null);
  }

  async put<R>(key: string, value: IdempotencyRecord<R>, ttlMs: number): Promise<void> {
    const fields: Record<string, string> = { state: value.state, fingerprint: value.fingerprint };
    if (value.result !== undefined) fields['result'] = JSON.stringify(value.result);
    if (value.leftovers !== undefined) fields['leftovers'] = JSON.stringify(value.leftovers);
    const k = this.#key(key);
    await this.redis.multi().del(k).hset(k, fields).pexpire(k, ttlMs).exec();
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.#key(key));
  }

  /** Hashed: the caller's key holds org, sandbox and free text, none of which belongs in a Redis key. */
  #key(key: string): string {
    return `${this.prefix}idempotency:${createHash('sha256').update(key).digest('hex')}`;
  }
}

function parse<T>(text: string | number | null | undefined): T | undefined {
  return typeof text === 'string' ? (JSON.parse(text) as T) : undefined;
}

function record<R>(
  state: string,
  fingerprint: string,
  result: string | number | null,
  leftovers: string | number | null,
): IdempotencyRecord<R> {
  const out: IdempotencyRecord<R> = { state: state as IdempotencyRecord<R>['state'], fingerprint };
  const r = parse<R>(result);
  const l = parse<Record<string, string>>(leftovers);
  if (r !== undefined) out.result = r;
  if (l !== undefined) out.leftovers = l;
  return out;
}
