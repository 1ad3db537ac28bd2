import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger, scrubLine, withSecrets } from '../../src/observability/log.ts';
import { CapturedLog } from './capturedLog.ts';

const config = { ...loadConfig({}).log, level: 'trace' as const };

describe('the logger', () => {
  it('redacts secret keys, known values, bearer tokens and JWTs wherever they are in a line', () => {
    const out = new CapturedLog();
    const requestSecret = 'per-request-secret-value-42';
    const log = withSecrets(createLogger({ config, destination: out, secrets: ['server-client-secret-xyz'] }), {}, [
      requestSecret,
    ]);
    log.info(
      {
        authorization: 'Bearer abc.def.ghi',
        headers: { 'x-api-key': 'api-key-value-1', authorization: 'Bearer zzz' },
        auth: { specName: 'Access Key', params: { s3SecretKey: 'nested-secret-1' } },
        deep: { deeper: { connectionString: 'Server=db;Password=hunter2-long' } },
        note: `the caller sent ${requestSecret} and server-client-secret-xyz`,
      },
      'sent Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig with client_secret=abcdef123456',
    );
    log.error({ err: new Error(`upstream echoed ${requestSecret}: token eyJ0eXAiOiJKV1QiLCJhbGc`) }, 'failed');
    const text = out.lines.join('');
    for (const secret of [
      'abc.def.ghi',
      'api-key-value-1',
      'zzz',
      'nested-secret-1',
      'hunter2-long',
      requestSecret,
      'server-client-secret-xyz',
      'eyJhbGciOiJIUzI1NiJ9',
      'abcdef123456',
      'eyJ0eXAiOiJKV1QiLCJhbGc',
    ])
      expect(text).not.toContain(secret);
    const [first, second] = out.entries();
    expect(first).toMatchObject({ level: 'info', authorization: '[REDACTED]', auth: '[REDACTED]' });
    expect(second!.err).toMatchObject({ type: 'Error', message: expect.stringContaining('[REDACTED]') });
  });

  it('keeps ordinary values, and short known values that would mangle words', () => {
    expect(scrubLine('{"msg":"query Dashboard","org":"ACME"}', ['ACME'])).toBe(
      '{"msg":"query Dashboard","org":"ACME"}',
    );
  });

  it("scrubs a bound logger's lines, and its children's, of the secrets it holds when each line is written", () => {
    const out = new CapturedLog();
    const log = createLogger({ config, destination: out });
    const secrets = new Set(['first-secret-of-op']);
    const bound = withSecrets(log, { requestId: 'r1' }, secrets);
    bound.info(`sees first-secret-of-op`);
    secrets.add('added-while-it-runs');
    bound.child({ component: 'x' }).warn(`sees added-while-it-runs and first-secret-of-op`);
    log.info('the root logger does not hold added-while-it-runs');
    const [first, second, third] = out.entries();
    expect(first).toMatchObject({ requestId: 'r1', msg: 'sees [REDACTED]' });
    expect(second).toMatchObject({ requestId: 'r1', component: 'x', msg: 'sees [REDACTED] and [REDACTED]' });
    expect(third!.msg).toBe('the root logger does not hold added-while-it-runs');
  });
});
