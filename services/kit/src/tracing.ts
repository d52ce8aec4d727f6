import { randomFillSync } from "node:crypto";
import {
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { parseTraceParent, TraceState, W3CTraceContextPropagator } from "@opentelemetry/core";
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

/** Starts the server span of one call (see `startServerSpan`); `end` records the call's status. */
export type ServerSpans = (name: string, metadata: Metadata) => { end(code: Status): void };

export interface Tracing {
  tracer: Tracer;
  /** How the calls' server spans start: recorded when exported, else only carried on (`carryTraceContext`). */
  serverSpan: ServerSpans;
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
  const tracer = provider.getTracer("toad");
  return {
    tracer,
    serverSpan: endpoint ? (name, metadata) => startServerSpan(tracer, name, metadata) : carryTraceContext,
    shutdown: () => provider.shutdown(),
  };
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

const NOTHING_TO_END = { end() {} };

/**
 * What `startServerSpan` does to the call's metadata, without a span object:
 * for a service that exports nothing, a span would be built, sampled and
 * dropped on every call only for its ids. The metadata gets the same
 * `traceparent` the SDK would write (the caller's trace id, a new span id,
 * sampled unless the caller's span is not; a new trace when the caller sent
 * none or an invalid one) and the caller's `tracestate`.
 */
export function carryTraceContext(_name: string, metadata: Metadata): { end(code: Status): void } {
  const header = metadata.get("traceparent");
  const parent = typeof header === "string" ? parseTraceParent(header) : null;
  const spanId = randomId(8);
  if (parent && isSpanContextValid(parent)) {
    const state = metadata.get("tracestate");
    metadata.set("traceparent", `00-${parent.traceId}-${spanId}-0${parent.traceFlags & 1}`);
    metadata.delete("tracestate");
    if (typeof state === "string" && state !== "") {
      const serialized = new TraceState(state).serialize();
      if (serialized !== "") metadata.set("tracestate", serialized);
    }
  } else {
    metadata.delete("tracestate");
    metadata.set("traceparent", `00-${randomId(16)}-${spanId}-01`);
  }
  return NOTHING_TO_END;
}

// Ids come from a pool of random bytes refilled 4 KiB at a time (one system call per ~340 calls, not one per id).
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** `bytes` random bytes as lowercase hex, never all zeros (an invalid trace or span id). */
function randomId(bytes: number): string {
  for (;;) {
    if (poolAt + bytes > pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    const id = pool.toString("hex", poolAt, poolAt + bytes);
    poolAt += bytes;
    if (!/^0+$/.test(id)) return id;
  }
}

/** The trace id in a `traceparent` header value, if it is one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? "")?.[1];
}
