// The benchmark's clients: each one its own gRPC connection to the gateway and
// its own API token, as separate developers' CLIs would be. They stand in for
// machines elsewhere but share this one's two cores, so they speak gRPC on
// node:http2 directly (grpc-wire.mjs): what they spend is CPU the services
// under test do not get.

import { SessionServiceDefinition, ToolLocation } from "@toad/proto";
import { openConnection } from "./grpc-wire.mjs";

const { createSession, sendMessage } = SessionServiceDefinition.methods;
const pathOf = (method) => `/${SessionServiceDefinition.fullName}/${method.name}`;
const encode = (type, message) => type.encode(type.fromPartial(message)).finish();

// A delta carries one stamp per model chunk it holds (a session service behind merges waiting deltas).
const STAMPS = /@(\d+)/g;
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

export function openClient(address, token) {
  const connection = openConnection(address, token);
  return {
    createSession: async (request) => {
      let session;
      await connection.call(pathOf(createSession), encode(createSession.requestType, request), (bytes) => {
        session = createSession.responseType.decode(bytes);
      });
      return session;
    },
    /** Calls onEvent with each streamed event; resolves when the stream ends. */
    sendMessage: (request, onEvent) =>
      connection.call(pathOf(sendMessage), encode(sendMessage.requestType, request), (bytes) =>
        onEvent(sendMessage.responseType.decode(bytes)),
      ),
    close: () => connection.close(),
  };
}

/**
 * Creates a session and sends one message, reading the whole stream. Returns
 * the added latency of every model chunk (µs: when this client got the text
 * delta holding it minus when the model server sent it), how long the start
 * took (ms from the createSession call to the first event), when the session
 * streamed (`performance.now()` at its first event and at its end) and what
 * went wrong, if anything: a failed call, a gap or repeat in seqs, a delta
 * missing or without its stamp.
 */
export async function runSession(client, { index, words }) {
  const latencies = [];
  /** performance.now() when each model chunk of `latencies` arrived, in the same order. */
  const arrivals = [];
  const problems = [];
  const startedAt = performance.now();
  let firstEventAt;
  try {
    const created = await client.createSession({
      cwd: `/bench/${index}`,
      model: "claude-sonnet-4-5",
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    });
    let lastSeq;
    let deltas = 0;
    let textEvents = 0;
    let turnEnd = false;
    await client.sendMessage({ sessionId: created.id, text: `bench session ${index}` }, (event) => {
      const at = nowMicros();
      firstEventAt ??= performance.now();
      if (lastSeq !== undefined && event.seq !== lastSeq + 1)
        problems.push(`seq ${event.seq} after ${lastSeq}`);
      lastSeq = event.seq;
      const kind = event.kind;
      if (kind?.$case === "textDelta") {
        textEvents++;
        const stamps = [...kind.value.text.matchAll(STAMPS)];
        if (stamps.length === 0) problems.push(`a text delta without a stamp: ${kind.value.text}`);
        const arrived = performance.now();
        for (const [, stamp] of stamps) {
          latencies.push(at - Number(stamp));
          arrivals.push(arrived);
        }
        deltas += stamps.length;
      } else if (kind?.$case === "turnEnd") {
        turnEnd = true;
      } else if (kind?.$case === "error") {
        problems.push(`error event: ${kind.value.code} ${kind.value.message}`);
      }
    });
    if (deltas !== words) problems.push(`${deltas} model chunks of ${words} arrived`);
    if (!turnEnd) problems.push("no turn_end");
    const endedAt = performance.now();
    const startMs = (firstEventAt ?? endedAt) - startedAt;
    return {
      sessionId: created.id,
      latencies,
      arrivals,
      textEvents,
      startMs,
      streamed: [firstEventAt ?? endedAt, endedAt],
      problems,
    };
  } catch (error) {
    problems.push(`call failed: ${error instanceof Error ? error.message : String(error)}`);
    return {
      sessionId: undefined,
      latencies,
      arrivals,
      textEvents: 0,
      startMs: Number.NaN,
      streamed: undefined,
      problems,
    };
  }
}

/** The most sessions streaming at the same moment, from each one's [first event, end]. */
export function peakOverlap(spans) {
  const edges = spans.flatMap(([from, to]) => [
    [from, 1],
    [to, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, step] of edges) {
    open += step;
    peak = Math.max(peak, open);
  }
  return peak;
}

/**
 * The p99 of the latencies (µs) that arrived in each `windowMs` from `from`
 * (performance.now()), as ms: where in a run the slow events were.
 */
export function p99ByWindow(results, from, windowMs) {
  const windows = [];
  for (const { latencies, arrivals } of results) {
    latencies.forEach((latency, i) => {
      const index = Math.floor((arrivals[i] - from) / windowMs);
      windows[index] ??= [];
      windows[index].push(latency);
    });
  }
  return Array.from(windows, (window) =>
    window
      ? (
          percentile(
            window.sort((a, b) => a - b),
            99,
          ) / 1000
        ).toFixed(0)
      : "-",
  );
}

/** The p-th percentile (0..100) of sorted numbers, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
