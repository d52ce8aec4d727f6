import { type AgentEvent, stampEvent } from "@toad/core";
import { eventToProto } from "@toad/core/proto";
import type * as pb from "@toad/proto";
import type { SessionStore } from "@toad/store";
import type { DelegatedCall, SessionBus } from "../bus/port.js";
import { AsyncQueue } from "../util/async-queue.js";

/** A delegated tool call as it travels down a stream: an event with seq 0, which no log has. */
export function delegationFrame(sessionId: string, call: DelegatedCall, at: number): AgentEvent {
  return stampEvent(
    { type: "tool_call_complete", callId: call.callId, name: call.name, argumentsJson: call.argumentsJson },
    { sessionId, seq: 0, timestamp: at },
  );
}

/**
 * Replays a session's log after `afterSeq`, then follows it live, gapless
 * and without duplicates: it subscribes before reading the store, skips live
 * events it already replayed, and fills any gap in what the bus delivered
 * from the store (the store is the truth; the bus only says "there is more").
 * Tool calls waiting for the client are sent again, so a client that
 * reconnects can still answer them.
 */
export async function* followSession(
  deps: { store: SessionStore; bus: SessionBus; now: () => number },
  sessionId: string,
  afterSeq: number,
  signal: AbortSignal,
): AsyncGenerator<pb.AgentEvent> {
  const live = new AsyncQueue<AgentEvent>();
  const unsubscribe = await deps.bus.watch(sessionId, (event) => live.push(event));
  const stop = () => live.end();
  signal.addEventListener("abort", stop, { once: true });
  try {
    let last = afterSeq;
    for (const event of await deps.store.events(sessionId, { afterSeq })) {
      last = event.seq;
      yield eventToProto(event);
    }
    const status = await deps.bus.command(sessionId, { type: "status" });
    if (status?.ok) {
      for (const call of status.pendingCalls)
        yield eventToProto(delegationFrame(sessionId, call, deps.now()));
    }
    for await (const event of live) {
      if (event.seq === 0) {
        yield eventToProto(event);
        continue;
      }
      if (event.seq <= last) continue;
      if (event.seq > last + 1) {
        for (const missed of await deps.store.events(sessionId, {
          afterSeq: last,
          limit: event.seq - last - 1,
        })) {
          last = missed.seq;
          yield eventToProto(missed);
        }
      }
      if (event.seq === last + 1) {
        last = event.seq;
        yield eventToProto(event);
      }
    }
  } finally {
    signal.removeEventListener("abort", stop);
    await unsubscribe();
  }
}
