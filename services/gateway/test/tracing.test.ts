import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Headers, NatsSessionBus } from "@toad/platform";
import { ToolLocation } from "@toad/proto";
import { traceIdOf } from "@toad/service-kit";
import { Metadata } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { gatewayClients } from "./support/clients.js";
import { MODEL, startCluster } from "./support/cluster.js";
import { SCRIPTED_MODEL } from "./support/scripted.js";

interface ExportedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
}

/** A stand-in OpenTelemetry collector: takes OTLP/HTTP JSON trace exports and keeps the spans. */
async function startCollector() {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const parsed = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: Omit<ExportedSpan, "service">[] }[];
        }[];
      };
      for (const resourceSpans of parsed.resourceSpans) {
        const service =
          resourceSpans.resource.attributes.find((attribute) => attribute.key === "service.name")?.value
            .stringValue ?? "";
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans)
            spans.push({ ...span, service, parentSpanId: span.parentSpanId ?? "" });
        }
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("trace context across the cluster", () => {
  it("one trace id from the client through gateway → session → router (gRPC metadata) and on NATS headers", async () => {
    const collector = await startCollector();
    const cluster = await startCluster({
      llm: SCRIPTED_MODEL,
      nats: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint },
    });
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const clientSpan = "00f067aa0ba902b7";
    const { session, close } = gatewayClients(cluster.gatewayAddress);
    const metadata = Metadata({
      authorization: `Bearer ${cluster.bootstrapToken}`,
      traceparent: `00-${traceId}-${clientSpan}-01`,
    });
    const created = await session.createSession(
      { cwd: cluster.dir, model: MODEL, toolLocation: ToolLocation.TOOL_LOCATION_CLIENT },
      { metadata },
    );

    const bus = await NatsSessionBus.connect({ servers: cluster.nats?.url ?? "" });
    const headers: Headers[] = [];
    const stop = await bus.watch(created.id, (_event, received) => headers.push(received));
    for await (const _event of session.sendMessage({ sessionId: created.id, text: "say hi" }, { metadata })) {
      // read to the end
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stop();
    await bus.close();
    close();
    await cluster.stop(); // flushes every service's spans to the collector

    expect(headers.length).toBeGreaterThan(0);
    expect(headers.every((received) => traceIdOf(received.traceparent) === traceId)).toBe(true);

    const find = (service: string, name: string) =>
      collector.spans.find(
        (span) => span.service === service && span.name === name && span.traceId === traceId,
      );
    const atGateway = find("toad-gateway", "toad.v1.SessionService/SendMessage");
    const atSession = find("toad-session", "toad.v1.SessionService/SendMessage");
    const atRouter = find("toad-router", "toad.v1.RouterService/Complete");
    expect(atGateway?.parentSpanId).toBe(clientSpan);
    expect(atSession?.parentSpanId).toBe(atGateway?.spanId);
    expect(atRouter?.parentSpanId).toBe(atSession?.spanId);
    // The events on NATS name the session service's span as their parent.
    expect(headers[0]?.traceparent).toContain(atSession?.spanId);
    await collector.close();
  }, 30_000);
});
