import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from '../config.ts';

export type SpanAttributes = Record<string, string | number | boolean | string[]>;

/** One span; the OpenTelemetry SDK stays behind this, loaded only when tracing is on. */
export interface TraceSpan {
  setAttributes(attributes: SpanAttributes): void;
  updateName(name: string): void;
  /** Marks the span failed (status ERROR) with a message that carries no secret. */
  fail(message: string): void;
  end(): void;
  /** The W3C `traceparent` (and `tracestate`) that carry this span to the service called next. */
  headers(): Record<string, string>;
}

/** The caller's W3C trace headers, continued by the operation's span. */
export interface TraceCarrier {
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

export interface Tracing {
  /** The span of one GraphQL operation (kind SERVER), a child of the caller's `traceparent` when it sent a valid one. */
  startOperation(name: string, attributes: SpanAttributes, caller: TraceCarrier): TraceSpan;
  /** The span of one upstream call (kind CLIENT), a child of `parent`, or a root without one. */
  startCall(name: string, attributes: SpanAttributes, parent: TraceSpan | undefined): TraceSpan;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Tracing as configured: undefined (nothing loaded, nothing started) unless the OTLP
 * endpoint is configured or an exporter is given (tests pass an InMemorySpanExporter).
 */
export async function startTracing(
  config: TracingConfig | undefined,
  exporter?: SpanExporter,
): Promise<Tracing | undefined> {
  if (config === undefined && exporter === undefined) return undefined;
  const { createOtelTracing } = await import('./otelTracing.ts');
  return createOtelTracing(config, exporter);
}
