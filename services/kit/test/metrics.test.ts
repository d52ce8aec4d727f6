import { describe, expect, it } from "vitest";
import { ServiceMetrics } from "../src/metrics.js";

const streamedLine =
  /toad_grpc_server_stream_messages_total\{service="SessionService",method="SendMessage"[^}]*\} (\d+)/;

describe("ServiceMetrics.streamedTally", () => {
  it("counts streamed messages in plain numbers that every scrape reports in full", async () => {
    const metrics = new ServiceMetrics("test");
    const labels = { service: "SessionService", method: "SendMessage" };
    const tally = metrics.streamedTally(labels);
    for (let i = 0; i < 3; i++) tally.inc();
    expect(streamedLine.exec(await metrics.registry.metrics())?.[1]).toBe("3");
    // A second tally of the same method adds to the same count; scraping twice counts nothing twice.
    metrics.streamedTally(labels).inc();
    tally.inc();
    expect(streamedLine.exec(await metrics.registry.metrics())?.[1]).toBe("5");
    expect(streamedLine.exec(await metrics.registry.metrics())?.[1]).toBe("5");
  });
});
