import { UpstreamError } from '../http.ts';
import type { HttpTransport } from '../http.ts';
import type { TokenResponseDto } from './types.ts';
import { IMS_TOKEN_PATH } from './wire.ts';

export interface ImsTokenProviderOptions {
  transport: HttpTransport;
  /** IMS origin (and optional base path), e.g. `https://ims-na1.adobelogin.com`. */
  imsUrl: string;
  clientId: string;
  clientSecret: string;
  /** Comma-separated scopes, sent as `scope`. */
  scopes: string;
  /** A token is refreshed this long before it expires (default 60 s). */
  refreshMarginMs?: number;
  now?: () => number;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is refreshed (expiry minus the margin). */
  refreshAt: number;
}

/**
 * Client-credentials access tokens from IMS (`POST /ims/token/v3`). Caches one token until
 * `expires_in - refreshMarginMs`; concurrent callers share one in-flight request; a failed
 * request is not cached, so the next call tries again.
 */
export class ImsTokenProvider {
  readonly #options: ImsTokenProviderOptions;
  readonly #now: () => number;
  readonly #margin: number;
  #cached: CachedToken | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(options: ImsTokenProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#margin = options.refreshMarginMs ?? 60_000;
  }

  /**
   * The server's token, fetched when none is cached. `operation`: what it is fetched for (see
   * `UpstreamRequest.operation`); a fetch already under way stays the first asker's.
   */
  getToken(operation?: object): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && this.#now() < cached.refreshAt) return Promise.resolve(cached.token);
    this.#inFlight ??= this.#fetch(operation).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Drops `token` if it is the cached one (the platform answered 401 to it); the next call fetches anew. */
  invalidate(token: string): void {
    if (this.#cached?.token === token) this.#cached = undefined;
  }

  async #fetch(operation: object | undefined): Promise<string> {
    const requestedAt = this.#now();
    const o = this.#options;
    const url = `${o.imsUrl.replace(/\/+$/, '')}${IMS_TOKEN_PATH}`;
    const res = await o.transport.request<TokenResponseDto | undefined>({
      service: 'ims',
      method: 'POST',
      url,
      operation,
      body: {
        form: {
          grant_type: 'client_credentials',
          client_id: o.clientId,
          client_secret: o.clientSecret,
          scope: o.scopes,
        },
      },
    });
    const token = res.body?.access_token;
    const expiresIn = res.body?.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number') {
      const path = new URL(url).pathname;
      throw new UpstreamError({
        service: 'ims',
        method: 'POST',
        path,
        status: res.status,
        reason: 'token response lacks access_token or expires_in',
      });
    }
    // a short-lived token is refreshed at half its life rather than never reused
    const margin = Math.min(this.#margin, (expiresIn * 1000) / 2);
    this.#cached = { token, refreshAt: requestedAt + expiresIn * 1000 - margin };
    return token;
  }
}
