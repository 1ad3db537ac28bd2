import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startTracing } from '../../src/observability/tracing.ts';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform } from '../platform.ts';

const ORG = 'TRACING00000000000000000@AdobeOrg';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** The README's dashboard query, as printed. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const DASHBOARD = /```graphql\n(query Dashboard \{[\s\S]*?)```/.exec(readme)![1]!;

const exporter = new InMemorySpanExporter();
let stack: Stack;
let caller: Platform;

const hex = (span: ReadableSpan) => span.spanContext().spanId;

beforeAll(async () => {
  stack = await startStack({ server: { traceExporter: exporter } });
  caller = await platform(stack.emulator.url, ORG, 'prod', 'tracing-client');
  await seedFlows(caller, { flows: 4, schemas: 2, baseConnections: 2, runs: true, prefix: 'Traced' });
});
afterAll(() => stack.stop());
beforeEach(async () => {
  exporter.reset();
  await stack.clearRequests();
});

describe('tracing the dashboard query', () => {
  it("continues the caller's traceparent: one operation span, parent of one span per upstream request", async () => {
    const res = await stack.gql(DASHBOARD, {}, { ...caller.headers, traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.nodes).toHaveLength(4);
    const spans = exporter.getFinishedSpans();
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(servers).toHaveLength(1);
    const operation = servers[0]!;
    expect(operation.name).toBe('query Dashboard');
    expect(operation.spanContext().traceId).toBe(TRACE_ID);
    expect(operation.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'Dashboard',
      'graphql.operation.type': 'query',
      'platform.org_id': ORG,
      'platform.sandbox': 'prod',
      'http.response.status_code': 200,
      'upstream.request_count': clients.length,
    });

    const upstream = await stack.requests();
    expect(clients).toHaveLength(upstream.length);
    expect(clients.length).toBeGreaterThanOrEqual(5);
    for (const span of clients) {
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(hex(operation));
      expect(span.attributes).toEqual({
        'upstream.service': expect.stringMatching(/^(flowService|catalog|schemaRegistry|dataPrep)$/),
        'http.request.method': 'GET',
        'url.template': expect.stringMatching(/^(\/[a-zA-Z]+|\/\{id\})+$/),
        'http.response.status_code': 200,
        'http.request.resend_count': 0,
      });
      expect(span.name).toBe(`GET ${String(span.attributes['url.template'])}`);
    }
    // the emulator saw each request with the traceparent of its own span
    expect(upstream.map((r) => r.traceparent).sort()).toEqual(clients.map((s) => `00-${TRACE_ID}-${hex(s)}-01`).sort());
    // no id of the org, no token, no body in any attribute
    const attributes = JSON.stringify(spans.map((s) => s.attributes));
    for (const r of upstream)
      for (const segment of r.path.split('/').filter((p) => /\d/.test(p))) expect(attributes).not.toContain(segment);
    expect(attributes).not.toContain(caller.headers.authorization!.slice(7));
    expect(attributes).not.toContain(caller.headers['x-api-key']!);
  });

  it('starts a new trace when the caller sends no traceparent, or one that is malformed', async () => {
    for (const traceparent of [undefined, '00-not-a-trace-01', `00-${'0'.repeat(32)}-${CALLER_SPAN}-01`]) {
      exporter.reset();
      await stack.gql(
        '{ flows(first: 2) { nodes { name } } }',
        {},
        { ...caller.headers, ...(traceparent === undefined ? {} : { traceparent }) },
      );
      const spans = exporter.getFinishedSpans();
      const operation = spans.find((s) => s.kind === SpanKind.SERVER)!;
      expect(operation.parentSpanContext).toBeUndefined();
      expect(operation.spanContext().traceId).not.toBe(TRACE_ID);
      for (const span of spans.filter((s) => s.kind === SpanKind.CLIENT))
        expect(span.parentSpanContext?.spanId).toBe(hex(operation));
    }
  });

  it('records a failed upstream request: its status, its retries, the error status of both spans', async () => {
    await stack.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: '^/data/foundation/flowservice/flows$',
      status: 503,
      times: 10,
    });
    const res = await stack.gql('query Failing { flows(first: 2) { nodes { name } } }', {}, caller.headers);
    await stack.control('DELETE', '/__emulator/faults');
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    const spans = exporter.getFinishedSpans();
    const failed = spans.find((s) => s.kind === SpanKind.CLIENT)!;
    expect(failed.attributes).toMatchObject({
      'url.template': '/data/foundation/flowservice/flows',
      'http.response.status_code': 503,
      // 503 is retried twice (CONTRACT §1.7): three attempts, three requests in the emulator's log
      'http.request.resend_count': 2,
    });
    expect(failed.status.code).toBe(2);
    expect((await stack.requests()).filter((r) => r.path === '/data/foundation/flowservice/flows')).toHaveLength(3);
    const operation = spans.find((s) => s.kind === SpanKind.SERVER)!;
    expect(operation.status.code).toBe(2);
    expect(operation.attributes['graphql.error.codes']).toEqual(['UPSTREAM_ERROR']);
  });
});

describe('tracing off', () => {
  it('loads nothing and sends no traceparent unless OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(await startTracing(loadConfig({}).tracing)).toBeUndefined();
    const plain = await startStack();
    try {
      await plain.gql('{ flows(first: 1) { totalCount } }', {}, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
      const log = await plain.requests();
      expect(log.length).toBeGreaterThan(0);
      for (const r of log) expect(r.traceparent).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});

describe('the OTLP exporter', () => {
  it('sends the spans as OTLP protobuf to OTEL_EXPORTER_OTLP_ENDPOINT with OTEL_EXPORTER_OTLP_HEADERS', async () => {
    const received: Array<{ url: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const traced = await startStack({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=collector-secret-value',
        OTEL_SERVICE_NAME: 'graph-under-test',
      },
    });
    try {
      await traced.gql('{ flows(first: 1) { totalCount } }', {}, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
    } finally {
      // stopping flushes the batch of spans
      await traced.stop();
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
    expect(received.length).toBeGreaterThan(0);
    const [first] = received;
    expect(first!.url).toBe('/v1/traces');
    expect(first!.headers['content-type']).toBe('application/x-protobuf');
    expect(first!.headers['x-collector-key']).toBe('collector-secret-value');
    const bodies = Buffer.concat(received.map((r) => r.body));
    expect(bodies.includes(Buffer.from(TRACE_ID, 'hex'))).toBe(true);
    expect(bodies.includes(Buffer.from('graph-under-test'))).toBe(true);
  });
});
