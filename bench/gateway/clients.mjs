// The benchmark's clients: each one its own gRPC connection to the gateway and
// its own API token, as separate developers' CLIs would be. They stand in for
// machines elsewhere but share this one's two cores, so they read the stream
// on grpc-js directly (events, no async-iterator layers): what they spend is
// CPU the services under test do not get.

import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { SessionServiceDefinition, ToolLocation } from "@toad/proto";

const methods = SessionServiceDefinition.methods;
const pathOf = (method) => `/${SessionServiceDefinition.fullName}/${method.name}`;
const serialize = (type) => (message) => Buffer.from(type.encode(type.fromPartial(message)).finish());
const deserialize = (type) => (bytes) => type.decode(bytes);

// A delta carries one stamp per model chunk it holds (a session service behind merges waiting deltas).
const STAMPS = /@(\d+)/g;
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

export function openClient(address, token) {
  // A local subchannel pool: a connection of its own, not one shared by every client of this process.
  const client = new Client(address, credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  const { createSession, sendMessage } = methods;
  return {
    createSession: (request) =>
      new Promise((resolve, reject) =>
        client.makeUnaryRequest(
          pathOf(createSession),
          serialize(createSession.requestType),
          deserialize(createSession.responseType),
          request,
          metadata,
          (error, response) => (error ? reject(error) : resolve(response)),
        ),
      ),
    /** Calls onEvent with each streamed event; resolves when the stream ends. */
    sendMessage: (request, onEvent) =>
      new Promise((resolve, reject) => {
        const call = client.makeServerStreamRequest(
          pathOf(sendMessage),
          serialize(sendMessage.requestType),
          deserialize(sendMessage.responseType),
          request,
          metadata,
        );
        call.on("data", onEvent);
        call.on("error", reject);
        call.on("end", resolve);
      }),
    close: () => client.close(),
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
        for (const [, stamp] of stamps) latencies.push(at - Number(stamp));
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

/** The p-th percentile (0..100) of sorted numbers, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
