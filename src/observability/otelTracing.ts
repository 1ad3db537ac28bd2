import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from '../config.ts';
import type { SpanAttributes, TraceCarrier, TraceSpan, Tracing } from './tracing.ts';

const propagator = new W3CTraceContextPropagator();

class OtelSpan implements TraceSpan {
  readonly context: Context;

  constructor(readonly span: Span) {
    this.context = trace.setSpan(ROOT_CONTEXT, span);
  }

  setAttributes(attributes: SpanAttributes): void {
    this.span.setAttributes(attributes);
  }

  updateName(name: string): void {
    this.span.updateName(name);
  }

  fail(message: string): void {
    this.span.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  end(): void {
    this.span.end();
  }

  headers(): Record<string, string> {
    const carrier: Record<string, string> = {};
    propagator.inject(this.context, carrier, defaultTextMapSetter);
    return carrier;
  }
}

function sampler(config: TracingConfig | undefined): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config?.samplerRatio ?? 1);
  switch (config?.sampler ?? 'parentbased_always_on') {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * A tracer provider of the server's own: not registered globally, so two servers in one
 * process (tests) keep their spans apart, and spans are parented explicitly (the operation's
 * span travels with the operation), never through a global context manager.
 */
export function createOtelTracing(config: TracingConfig | undefined, exporter: SpanExporter | undefined): Tracing {
  const processor =
    exporter !== undefined
      ? new SimpleSpanProcessor(exporter)
      : new BatchSpanProcessor(new OTLPTraceExporter({ url: config!.tracesUrl, headers: config!.headers }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config?.serviceName ?? 'ingestion-graph' }),
    sampler: sampler(config),
    spanProcessors: [processor],
  });
  const tracer: Tracer = provider.getTracer('ingestion-graph');
  return {
    startOperation(name, attributes, caller: TraceCarrier) {
      const parent = propagator.extract(ROOT_CONTEXT, caller, defaultTextMapGetter);
      return new OtelSpan(tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent));
    },
    startCall(name, attributes, parent) {
      const context = parent instanceof OtelSpan ? parent.context : ROOT_CONTEXT;
      return new OtelSpan(tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context));
    },
    shutdown: () => provider.shutdown(),
  };
}
