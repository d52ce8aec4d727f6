import { isModelStreamEvent, type ModelClient, type ModelStreamEvent } from "@toad/core";
import { eventFromProto } from "@toad/core/proto";
import type { RouterServiceClient } from "@toad/proto";
import type { Metadata } from "nice-grpc-common";
import { completeRequestFromModelRequest } from "../convert/messages.js";

/**
 * The `ModelClient` port over the router service, for the session service:
 * the agent loop cannot tell it from a local models layer. The contract
 * holds across the network too: a router that fails or cannot be reached
 * ends the turn with an `error` event and `turn_end` "error" (never a throw),
 * and the turn number the proto does not carry is put back.
 */
export function routerModelClient(
  router: Pick<RouterServiceClient, "complete">,
  sessionId: string,
  metadata: () => Metadata | undefined = () => undefined,
): ModelClient {
  return {
    async *stream(request, options) {
      const signal = options?.signal;
      let started = false;
      let ended = false;
      const renumber = (event: ModelStreamEvent): ModelStreamEvent =>
        event.type === "turn_start" || event.type === "turn_end" ? { ...event, turn: request.turn } : event;
      try {
        const callMetadata = metadata();
        const stream = router.complete(completeRequestFromModelRequest(sessionId, request), {
          ...(signal !== undefined && { signal }),
          ...(callMetadata !== undefined && { metadata: callMetadata }),
        });
        for await (const message of stream) {
          const { sessionId: _s, seq: _q, timestamp: _t, ...body } = eventFromProto(message);
          if (!isModelStreamEvent(body)) continue;
          started ||= body.type === "turn_start";
          ended ||= body.type === "turn_end";
          yield renumber(body);
        }
      } catch (error) {
        if (!started)
          yield { type: "turn_start", turn: request.turn, model: request.model ?? "", provider: "router" };
        if (signal?.aborted) {
          yield { type: "turn_end", turn: request.turn, stopReason: "cancelled" };
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        yield {
          type: "error",
          code: "network",
          message: `the router service failed: ${message}`,
          retryable: true,
        };
        yield { type: "turn_end", turn: request.turn, stopReason: "error" };
        return;
      }
      if (!ended) {
        if (!started)
          yield { type: "turn_start", turn: request.turn, model: request.model ?? "", provider: "router" };
        yield { type: "turn_end", turn: request.turn, stopReason: signal?.aborted ? "cancelled" : "error" };
      }
    },
  };
}
