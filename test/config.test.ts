import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('operation limits and per-tenant connections', () => {
  it('default to 500 upstream requests and 30 s per operation, and half the connections per tenant', () => {
    const config = loadConfig({});
    expect(config.maxUpstreamRequestsPerOperation).toBe(500);
    expect(config.operationTimeoutMs).toBe(30_000);
    expect(config.upstreamConnectionsPerTenant).toBe(16);
    expect(loadConfig({ UPSTREAM_CONNECTIONS: '10' }).upstreamConnectionsPerTenant).toBe(5);
    expect(loadConfig({ UPSTREAM_CONNECTIONS: '1' }).upstreamConnectionsPerTenant).toBe(1);
  });

  it("give unconfirmed callers a quarter of one tenant's connections, together, and never more than a tenant", () => {
    expect(loadConfig({}).upstreamConnectionsUnverified).toBe(4);
    expect(loadConfig({ UPSTREAM_CONNECTIONS_PER_TENANT: '2' }).upstreamConnectionsUnverified).toBe(1);
    expect(loadConfig({ UPSTREAM_CONNECTIONS_UNVERIFIED: '8' }).upstreamConnectionsUnverified).toBe(8);
    expect(() => loadConfig({ UPSTREAM_CONNECTIONS_UNVERIFIED: '17' })).toThrow(
      /UPSTREAM_CONNECTIONS_UNVERIFIED=17: must not exceed UPSTREAM_CONNECTIONS_PER_TENANT \(16\)/,
    );
  });

  it('keep 32 MB of parsed upstream answers by default, a quarter of it per tenant, and none with 0', () => {
    const MB = 1024 * 1024;
    expect(loadConfig({})).toMatchObject({
      upstreamParsedAnswersBytes: 32 * MB,
      upstreamParsedAnswersBytesPerTenant: 8 * MB,
    });
    expect(loadConfig({ UPSTREAM_PARSED_ANSWERS_MB: '6' }).upstreamParsedAnswersBytesPerTenant).toBe(2 * MB);
    expect(loadConfig({ UPSTREAM_PARSED_ANSWERS_MB: '0' })).toMatchObject({
      upstreamParsedAnswersBytes: 0,
      upstreamParsedAnswersBytesPerTenant: 0,
    });
    expect(() => loadConfig({ UPSTREAM_PARSED_ANSWERS_PER_TENANT_MB: '33' })).toThrow(
      /UPSTREAM_PARSED_ANSWERS_PER_TENANT_MB=33: must not exceed UPSTREAM_PARSED_ANSWERS_MB \(32\)/,
    );
  });

  it('read the three variables', () => {
    const config = loadConfig({
      MAX_UPSTREAM_REQUESTS_PER_OPERATION: '40',
      OPERATION_TIMEOUT_MS: '5000',
      UPSTREAM_CONNECTIONS_PER_TENANT: '4',
    });
    expect(config).toMatchObject({
      maxUpstreamRequestsPerOperation: 40,
      operationTimeoutMs: 5000,
      upstreamConnectionsPerTenant: 4,
    });
  });

  it('name every bad value in one error', () => {
    expect(
      problems({
        MAX_UPSTREAM_REQUESTS_PER_OPERATION: '0',
        OPERATION_TIMEOUT_MS: 'soon',
        UPSTREAM_CONNECTIONS: '8',
        UPSTREAM_CONNECTIONS_PER_TENANT: '9',
      }),
    ).toEqual([
      'MAX_UPSTREAM_REQUESTS_PER_OPERATION="0": must be an integer from 1 to 1000000',
      'OPERATION_TIMEOUT_MS="soon": must be an integer from 100 to 600000',
      'UPSTREAM_CONNECTIONS_PER_TENANT=9: must not exceed UPSTREAM_CONNECTIONS (8), or one tenant can take every connection',
    ]);
  });
});

describe('IMS_ORG_ID', () => {
  it('must have the IMS form', () => {
    for (const bad of ['ACME@Example', '../x@AdobeOrg', `${'A'.repeat(65)}@AdobeOrg`, 'AC ME@AdobeOrg', '@AdobeOrg'])
      expect(problems({ IMS_ORG_ID: bad })).toEqual([
        'IMS_ORG_ID: must be an IMS org id, <up to 64 ASCII letters and digits>@AdobeOrg',
      ]);
    expect(problems({ IMS_ORG_ID: 'ACME0000000000000000DEMO@AdobeOrg' })).toEqual([]);
  });
});

describe('the I/O Events webhook', () => {
  const REAL = {
    PLATFORM_URL: 'https://platform.example',
    STREAMING_URL: 'https://dcs.example',
    IMS_URL: 'https://ims.example',
    IMS_CLIENT_ID: 'my-client',
    IMS_CLIENT_SECRET: 'x',
    IMS_ORG_ID: 'ABC@AdobeOrg',
  };

  it('takes the keys from I/O Events and the server client as recipient by default; the emulator origin when embedded', () => {
    expect(loadConfig(REAL).ioEvents).toEqual({
      keyOrigin: 'https://static.adobeioevents.com',
      clientId: 'my-client',
      keyCacheTtlMs: 3_600_000,
      keyCacheMaxEntries: 16,
      keyFetchTimeoutMs: 5_000,
      dedupTtlMs: 90_000_000,
      maxBodyBytes: 262_144,
    });
    expect(loadConfig({}).ioEvents).toMatchObject({ keyOrigin: undefined, clientId: 'ingestion-graph-demo' });
    expect(
      loadConfig({ ...REAL, IO_EVENTS_KEY_ORIGIN: 'http://keys.example/', IO_EVENTS_CLIENT_ID: 'hook' }).ioEvents,
    ).toMatchObject({
      keyOrigin: 'http://keys.example',
      clientId: 'hook',
    });
  });

  it('names every bad value', () => {
    expect(
      problems({
        IO_EVENTS_KEY_ORIGIN: 'ftp://keys',
        IO_EVENTS_KEY_CACHE_TTL_SECONDS: '90000',
        IO_EVENTS_KEY_CACHE_MAX_ENTRIES: '0',
        IO_EVENTS_MAX_BODY_BYTES: 'big',
      }),
    ).toEqual([
      'IO_EVENTS_KEY_CACHE_TTL_SECONDS="90000": must be an integer from 1 to 86400',
      'IO_EVENTS_KEY_CACHE_MAX_ENTRIES="0": must be an integer from 1 to 10000',
      'IO_EVENTS_MAX_BODY_BYTES="big": must be an integer from 1024 to 16777216',
      'IO_EVENTS_KEY_ORIGIN="ftp://keys": must be an http(s) URL',
    ]);
  });
});

describe('logs and tracing', () => {
  it('default to info, an automatic format, 128-character request ids and no tracing', () => {
    expect(loadConfig({}).log).toEqual({ level: 'info', format: 'auto', requestIdMaxLength: 128 });
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'pretty' }).log).toMatchObject({
      level: 'debug',
      format: 'pretty',
    });
  });

  it('trace to the OTLP endpoint given, with its headers, service name and sampler', () => {
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k%3D1, x-team = ops',
        OTEL_SERVICE_NAME: 'graph-a',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }).tracing,
    ).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      headers: { 'x-api-key': 'k=1', 'x-team': 'ops' },
      serviceName: 'graph-a',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/t' }).tracing?.tracesUrl).toBe(
      'http://c:4318/t',
    );
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBe(
      undefined,
    );
  });

  it('name every bad value in one error, never echoing a header value', () => {
    const found = problems({
      LOG_LEVEL: 'loud',
      LOG_FORMAT: 'xml',
      REQUEST_ID_MAX_LENGTH: '4',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector',
      OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-secret-value',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
    });
    expect(found).toHaveLength(8);
    for (const name of [
      'LOG_LEVEL',
      'LOG_FORMAT',
      'REQUEST_ID_MAX_LENGTH',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_HEADERS',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
    ])
      expect(found.some((p) => p.startsWith(name))).toBe(true);
    expect(found.join('\n')).not.toContain('no-equals-secret-value');
  });
});

describe("V8's heap growth", () => {
  it('defaults to 75 percent, reads 0 as V8 own, and names a bad value', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(75);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent).toBe(50);
    expect(problems({ HEAP_GROWING_PERCENT: '-1' })).toEqual([
      'HEAP_GROWING_PERCENT="-1": must be an integer from 0 to 1000',
    ]);
    expect(problems({ HEAP_GROWING_PERCENT: 'lots' })).toEqual([
      'HEAP_GROWING_PERCENT="lots": must be an integer from 0 to 1000',
    ]);
  });
});
