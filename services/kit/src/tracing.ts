import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Metadata } from "nice-grpc-common";
import { Status } from "nice-grpc-common";

const propagator = new W3CTraceContextPropagator();

/** Reads and writes W3C trace headers (`traceparent`, `tracestate`) on nice-grpc metadata. */
const metadataCarrier = {
  get: (carrier: Metadata, key: string): string | undefined => {
    const value = carrier.get(key);
    return typeof value === "string" ? value : undefined;
  },
  keys: () => ["traceparent", "tracestate"],
  set: (carrier: Metadata, key: string, value: string) => {
    carrier.set(key, value);
  },
};

export interface Tracing {
  tracer: Tracer;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * One tracer provider per service. Spans always get real trace and span ids
 * (so trace context crosses services even when nothing is exported); they are
 * exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function setupTracing(service: string, env: NodeJS.ProcessEnv): Tracing {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": `toad-${service}` }),
    spanProcessors: endpoint
      ? [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, "")}/v1/traces` }), {
            scheduledDelayMillis: 1_000,
          }),
        ]
      : [],
  });
  return { tracer: provider.getTracer("toad"), shutdown: () => provider.shutdown() };
}

/**
 * The server span of one call: a child of the caller's trace context (from
 * the call's metadata), or a new trace. The call's metadata is rewritten to
 * carry this span as the parent, so whatever the implementation forwards
 * (gRPC metadata upstream, NATS headers on events and jobs) continues the
 * trace from here without the domain code knowing OpenTelemetry.
 */
export function startServerSpan(
  tracer: Tracer,
  name: string,
  metadata: Metadata,
): { span: Span; end(code: Status): void } {
  const parent = propagator.extract(ROOT_CONTEXT, metadata, metadataCarrier);
  const span = tracer.startSpan(
    name,
    { kind: SpanKind.SERVER, attributes: { "rpc.system": "grpc" } },
    parent,
  );
  metadata.delete("traceparent");
  metadata.delete("tracestate");
  propagator.inject(trace.setSpan(parent, span), metadata, metadataCarrier);
  return {
    span,
    end(code) {
      span.setAttribute("rpc.grpc.status_code", code);
      if (code !== Status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: Status[code] });
      span.end();
    },
  };
}

/** The trace id in a `traceparent` header value, if it is one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? "")?.[1];
}
