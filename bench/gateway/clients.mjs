// The benchmark's clients: each one its own gRPC connection to the gateway and
// its own API token, as separate developers' CLIs would be.

import { SessionServiceDefinition, ToolLocation } from "@toad/proto";
import { createChannel, createClient, Metadata } from "nice-grpc";

// A delta carries one stamp per model chunk it holds (a session service behind merges waiting deltas).
const STAMPS = /@(\d+)/g;
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

export function openClient(address, token) {
  const channel = createChannel(address);
  const session = createClient(SessionServiceDefinition, channel);
  const metadata = Metadata({ authorization: `Bearer ${token}` });
  return { session, metadata, close: () => channel.close() };
}

/**
 * Creates a session and sends one message, reading the whole stream. Returns
 * the added latency of every model chunk (µs: when this client got the text
 * delta holding it minus when the model server sent it) and what went wrong, if anything: a failed
 * call, a gap or repeat in seqs, a delta missing or without its stamp.
 */
export async function runSession(client, { index, words }) {
  const latencies = [];
  const problems = [];
  try {
    const created = await client.session.createSession(
      { cwd: `/bench/${index}`, model: "claude-sonnet-4-5", toolLocation: ToolLocation.TOOL_LOCATION_CLIENT },
      { metadata: client.metadata },
    );
    let lastSeq;
    let deltas = 0;
    let textEvents = 0;
    let turnEnd = false;
    const stream = client.session.sendMessage(
      { sessionId: created.id, text: `bench session ${index}` },
      { metadata: client.metadata },
    );
    for await (const event of stream) {
      const at = nowMicros();
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
    }
    if (deltas !== words) problems.push(`${deltas} model chunks of ${words} arrived`);
    if (!turnEnd) problems.push("no turn_end");
    return { sessionId: created.id, latencies, textEvents, problems };
  } catch (error) {
    problems.push(`call failed: ${error instanceof Error ? error.message : String(error)}`);
    return { sessionId: undefined, latencies, textEvents: 0, problems };
  }
}

/** The p-th percentile (0..100) of sorted numbers, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
