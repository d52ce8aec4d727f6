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

describe("ServiceMetrics.callTally", () => {
  it("reports calls in progress and calls ended by code, each scrape in full and nothing twice", async () => {
    const metrics = new ServiceMetrics("test");
    const text = () => metrics.registry.metrics();
    const active = /toad_grpc_server_active_calls\{service="RouterService",method="Complete"[^}]*\} (\d+)/;
    const handled = (code: string) =>
      new RegExp(
        `toad_grpc_server_handled_total\\{service="RouterService",method="Complete",code="${code}"[^}]*\\} (\\d+)`,
      );
    const tally = metrics.callTally({ service: "RouterService", method: "Complete" });
    expect(active.exec(await text())).toBeNull(); // no call yet: no series
    tally.begin();
    tally.begin();
    tally.begin();
    tally.end("OK");
    expect(active.exec(await text())?.[1]).toBe("2");
    expect(handled("OK").exec(await text())?.[1]).toBe("1");
    tally.end("CANCELLED");
    tally.end("OK");
    const after = await text();
    expect(active.exec(after)?.[1]).toBe("0");
    expect(handled("OK").exec(after)?.[1]).toBe("2");
    expect(handled("CANCELLED").exec(after)?.[1]).toBe("1");
    expect(handled("OK").exec(await text())?.[1]).toBe("2");
  });
});
