import { randomBytes } from 'node:crypto';
import type { TokenErrorDto, TokenResponseDto } from '../upstream/ims/types.ts';
import { EmulatorHttpError } from './errors.ts';
import type { Router } from './router.ts';
import { IMS_TOKEN_PATH } from '../upstream/ims/wire.ts';

function imsError(error: string, description: string, status = 400): EmulatorHttpError {
  const body: TokenErrorDto = { error, error_description: description };
  return new EmulatorHttpError(status, body);
}

/**
 * `POST /ims/token/v3`, client-credentials grant. The emulator has no accounts: it
 * issues a token for any client id and secret; every platform route accepts only
 * tokens issued here and not yet expired.
 */
export function registerIms(router: Router, tokenTtlSeconds: () => number): void {
  router.add('ims', 'POST', IMS_TOKEN_PATH, (ctx) => {
    const contentType = String(ctx.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      throw imsError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(ctx.rawBody.toString('utf8'));
    for (const [key, value] of ctx.query) if (!form.has(key)) form.set(key, value);
    const grantType = form.get('grant_type');
    if (grantType === null) throw imsError('invalid_request', 'missing grant_type parameter');
    if (grantType !== 'client_credentials')
      throw imsError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
    const clientId = form.get('client_id');
    if (clientId === null || clientId === '') throw imsError('invalid_client', 'missing client_id parameter', 401);
    const secret = form.get('client_secret');
    if (secret === null || secret === '') throw imsError('invalid_client', 'missing client_secret parameter', 401);
    if ((form.get('scope') ?? '') === '') throw imsError('invalid_scope', 'missing scope parameter');
    const ttl = tokenTtlSeconds();
    const accessToken = `eyJ${randomBytes(24).toString('base64url')}`;
    ctx.runtime.store.tokens.set(accessToken, { clientId, expiresAt: ctx.runtime.wallClock() + ttl * 1000 });
    const body: TokenResponseDto = { access_token: accessToken, token_type: 'bearer', expires_in: ttl };
    return { status: 200, body };
  });
}
