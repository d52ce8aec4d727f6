import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

type CallLabels = { service: string; method: string };

/** A count kept as a plain number; Prometheus reads it when it scrapes. */
export interface Tally {
  inc(): void;
}

/** A method's calls as plain numbers: starting and ending a call costs no label hashing. */
export interface CallTally {
  begin(): void;
  end(code: string): void;
}

interface CallCounts {
  labels: CallLabels;
  begun: boolean;
  active: number;
  handled: Map<string, { count: number; reported: number }>;
}

/** The Prometheus metrics every service exposes on TOAD_METRICS_PORT at /metrics. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly handled: Counter<"service" | "method" | "code">;
  readonly latency: Histogram<"service" | "method">;
  readonly active: Gauge<"service" | "method">;
  readonly streamed: Counter<"service" | "method">;
  private readonly callCounts = new Map<string, CallCounts>();
  private readonly streamedTallies = new Map<
    string,
    { labels: CallLabels; count: number; reported: number }
  >();

  constructor(service: string) {
    this.registry.setDefaultLabels({ toad_service: service });
    collectDefaultMetrics({ register: this.registry });
    const calls = this.callCounts;
    // Calls are counted in plain numbers (`callTally`) and read into these two at scrape time.
    this.handled = new Counter({
      name: "toad_grpc_server_handled_total",
      help: "gRPC calls finished, by status code name",
      labelNames: ["service", "method", "code"],
      registers: [this.registry],
      collect() {
        for (const counts of calls.values()) {
          for (const [code, tally] of counts.handled) {
            if (tally.count === tally.reported) continue;
            this.inc({ ...counts.labels, code }, tally.count - tally.reported);
            tally.reported = tally.count;
          }
        }
      },
    });
    this.latency = new Histogram({
      name: "toad_grpc_server_handling_seconds",
      help: "Time from a call's arrival to its end (whole stream for streaming calls)",
      labelNames: ["service", "method"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [this.registry],
    });
    this.active = new Gauge({
      name: "toad_grpc_server_active_calls",
      help: "Calls in progress (open streams included)",
      labelNames: ["service", "method"],
      registers: [this.registry],
      collect() {
        for (const counts of calls.values()) if (counts.begun) this.set(counts.labels, counts.active);
      },
    });
    const tallies = this.streamedTallies;
    this.streamed = new Counter({
      name: "toad_grpc_server_stream_messages_total",
      help: "Messages sent on server streams",
      labelNames: ["service", "method"],
      registers: [this.registry],
      // Streamed messages are counted in plain numbers (`streamedTally`) and added here at scrape time.
      collect() {
        for (const tally of tallies.values()) {
          if (tally.count === tally.reported) continue;
          this.inc(tally.labels, tally.count - tally.reported);
          tally.reported = tally.count;
        }
      },
    });
  }

  /** A gauge read when Prometheus scrapes: `read` gives its value for each value of `label`. */
  gaugeOf(name: string, help: string, label: string, read: () => Record<string, number>): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      collect() {
        for (const [value, reading] of Object.entries(read())) this.set({ [label]: value }, reading);
      },
    });
  }

  /** The counts of a method's calls (`toad_grpc_server_active_calls`, `toad_grpc_server_handled_total`). */
  callTally(labels: CallLabels): CallTally {
    const key = `${labels.service}/${labels.method}`;
    let counts = this.callCounts.get(key);
    if (!counts) {
      counts = { labels, begun: false, active: 0, handled: new Map() };
      this.callCounts.set(key, counts);
    }
    const own = counts;
    return {
      begin: () => {
        own.begun = true;
        own.active++;
      },
      end: (code) => {
        own.active--;
        const tally = own.handled.get(code);
        if (tally) tally.count++;
        else own.handled.set(code, { count: 1, reported: 0 });
      },
    };
  }

  /**
   * The counter of messages a method streams, as a plain number: counting a
   * message is one addition (a prom-client `inc` hashes its labels every time).
   */
  streamedTally(labels: CallLabels): Tally {
    const key = `${labels.service}/${labels.method}`;
    let tally = this.streamedTallies.get(key);
    if (!tally) {
      tally = { labels, count: 0, reported: 0 };
      this.streamedTallies.set(key, tally);
    }
    const counted = tally;
    return {
      inc: () => {
        counted.count++;
      },
    };
  }
}

/**
 * Serves GET /metrics (Prometheus text format) and GET /healthz (200 while
 * serving, 503 while draining) on its own port.
 */
export async function startMetricsServer(
  metrics: ServiceMetrics,
  port: number,
  serving: () => boolean,
  host = "0.0.0.0",
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "GET" && path === "/metrics") {
      metrics.registry.metrics().then(
        (body) => {
          response.writeHead(200, { "content-type": metrics.registry.contentType });
          response.end(body);
        },
        (error: unknown) => {
          response.writeHead(500, { "content-type": "text/plain" });
          response.end(String(error));
        },
      );
      return;
    }
    if (request.method === "GET" && path === "/healthz") {
      const ok = serving();
      response.writeHead(ok ? 200 : 503, { "content-type": "text/plain" });
      response.end(ok ? "serving\n" : "draining\n");
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found: GET /metrics or /healthz\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
