import { createPublicKey, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { request } from 'undici';
import { PUBLIC_KEY_PATH } from './wire.ts';

export interface PublicKeysOptions {
  /** Where the keys live, e.g. https://static.adobeioevents.com; the paths a delivery names are relative to it. */
  origin: string;
  /** How long a fetched key is trusted (I/O Events: at most 24 h). */
  ttlMs: number;
  /** Keys kept at once; the least recently used goes first. */
  maxEntries: number;
  /** Headers and body timeout of one key fetch. */
  timeoutMs: number;
  now?: () => number;
}

/** Why a key could not be had: a path that is not a key path of the origin, or the origin's answer. */
export class PublicKeyError extends Error {
  constructor(
    readonly kind: 'BAD_PATH' | 'NOT_FOUND' | 'UNAVAILABLE',
    message: string,
  ) {
    super(message);
  }
}

/** A PEM public key is well under this; a longer answer is not one. */
const MAX_KEY_BYTES = 16 * 1024;

/**
 * The I/O Events public keys, fetched from the configured origin only and cached (bounded, with
 * a TTL). Concurrent requests for one key share one fetch; a failed fetch is not cached.
 */
export class IoEventsPublicKeys {
  /** Key fetches made (cache misses). */
  fetches = 0;
  readonly #origin: URL;
  readonly #timeoutMs: number;
  readonly #cache: LRUCache<string, KeyObject>;

  constructor(options: PublicKeysOptions) {
    this.#origin = new URL(options.origin);
    this.#timeoutMs = options.timeoutMs;
    const now = options.now;
    this.#cache = new LRUCache<string, KeyObject>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      ...(now === undefined ? {} : { perf: { now } }),
      fetchMethod: (path) => this.#fetch(path),
    });
  }

  /** The URL of a key path, or a BAD_PATH error when it is not a key path or would leave the origin. */
  urlOf(path: string): URL {
    const url = PUBLIC_KEY_PATH.test(path) ? new URL(path, this.#origin) : undefined;
    if (url === undefined || url.origin !== this.#origin.origin || url.pathname !== path)
      throw new PublicKeyError(
        'BAD_PATH',
        `${JSON.stringify(path.slice(0, 200))} is not a public key path of ${this.#origin.origin}`,
      );
    return url;
  }

  async get(path: string): Promise<KeyObject> {
    this.urlOf(path);
    const key = await this.#cache.fetch(path);
    if (key === undefined) throw new PublicKeyError('UNAVAILABLE', `no key at ${path}`);
    return key;
  }

  async #fetch(path: string): Promise<KeyObject> {
    const url = this.urlOf(path);
    this.fetches++;
    let status: number;
    let text = '';
    try {
      const res = await request(url, { headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
      status = res.statusCode;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_KEY_BYTES) {
          res.body.destroy();
          throw new Error(`the answer is over ${MAX_KEY_BYTES} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      text = Buffer.concat(chunks).toString('utf8');
    } catch (err) {
      throw new PublicKeyError('UNAVAILABLE', `fetching ${url.href} failed: ${(err as Error).message}`);
    }
    if (status === 404) throw new PublicKeyError('NOT_FOUND', `${url.href} answered 404`);
    if (status !== 200) throw new PublicKeyError('UNAVAILABLE', `${url.href} answered ${status}`);
    let key: KeyObject;
    try {
      key = createPublicKey(text);
    } catch {
      throw new PublicKeyError('NOT_FOUND', `${url.href} holds no PEM public key`);
    }
    if (key.asymmetricKeyType !== 'rsa') throw new PublicKeyError('NOT_FOUND', `${url.href} is not an RSA key`);
    return key;
  }
}
