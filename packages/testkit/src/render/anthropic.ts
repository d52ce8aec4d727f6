import { splitJson, splitText } from "../chunking.js";
import { newId } from "../ids.js";
import type { PlannedBlock, PlannedTurn, PlannedUsage } from "../plan.js";
import { type SseFrame, type StreamRender, sseFrame } from "../sse.js";

// Anthropic Messages API (POST /v1/messages). The event order and field sets follow
// real captures (fixtures/wire/anthropic): message_start, per block
// content_block_start / deltas / content_block_stop, a ping after the first block
// start, message_delta with cumulative usage, message_stop.

function startUsage(usage: PlannedUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation: { ephemeral_5m_input_tokens: usage.cacheWriteTokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: 1,
    service_tier: "standard",
  };
}

function finalUsage(usage: PlannedUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    output_tokens: usage.outputTokens,
  };
}

function blockStart(block: PlannedBlock): Record<string, unknown> {
  switch (block.type) {
    case "text":
      return { type: "text", text: "" };
    case "thinking":
      return { type: "thinking", thinking: "", signature: "" };
    case "tool_call":
      return { type: "tool_use", id: block.id, name: block.name, input: {} };
  }
}

function blockDeltas(block: PlannedBlock): Array<Record<string, unknown>> {
  switch (block.type) {
    case "text":
      return splitText(block.text).map((text) => ({ type: "text_delta", text }));
    case "thinking":
      return [
        ...splitText(block.text).map((thinking) => ({ type: "thinking_delta", thinking })),
        { type: "signature_delta", signature: block.signature },
      ];
    case "tool_call": {
      // The real service opens every tool block with an empty fragment; a tool
      // with no arguments gets only that one, which clients read as {}.
      const fragments = block.noArguments ? [] : splitJson(block.argumentsJson);
      return ["", ...fragments].map((partial_json) => ({ type: "input_json_delta", partial_json }));
    }
  }
}

export function renderAnthropicStream(turn: PlannedTurn): StreamRender {
  const frames: SseFrame[] = [];
  const push = (data: Record<string, unknown>, paced = false): void => {
    frames.push(sseFrame(String(data.type), data, paced));
  };
  push({
    type: "message_start",
    message: {
      id: newId.anthropicMessage(),
      type: "message",
      role: "assistant",
      model: turn.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: startUsage(turn.usage),
    },
  });
  turn.blocks.forEach((block, index) => {
    push({ type: "content_block_start", index, content_block: blockStart(block) });
    if (index === 0) push({ type: "ping" });
    for (const delta of blockDeltas(block)) push({ type: "content_block_delta", index, delta }, true);
    push({ type: "content_block_stop", index });
  });
  if (turn.blocks.length === 0) push({ type: "ping" });
  const terminalIndex = frames.length;
  push({
    type: "message_delta",
    delta: { stop_reason: turn.stopReason, stop_sequence: null },
    usage: finalUsage(turn.usage),
  });
  push({ type: "message_stop" });
  return {
    frames,
    terminalIndex,
    errorFrames: (_at, type, message) => anthropicMidstreamError(type, message),
  };
}

function jsonBlock(block: PlannedBlock): Record<string, unknown> {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "thinking":
      return { type: "thinking", thinking: block.text, signature: block.signature };
    case "tool_call":
      // A JSON body cannot carry malformed JSON, so unparsable rawArguments
      // arrive as a string where the client expects an object.
      return { type: "tool_use", id: block.id, name: block.name, input: block.input ?? block.argumentsJson };
  }
}

export function renderAnthropicJson(turn: PlannedTurn): Record<string, unknown> {
  return {
    id: newId.anthropicMessage(),
    type: "message",
    role: "assistant",
    model: turn.model,
    content: turn.blocks.map(jsonBlock),
    stop_reason: turn.stopReason,
    stop_sequence: null,
    usage: { ...startUsage(turn.usage), output_tokens: turn.usage.outputTokens },
  };
}

/** The in-stream error sent after HTTP 200; no message_stop follows it. */
function anthropicMidstreamError(errorType?: string, message?: string): SseFrame[] {
  return [
    sseFrame("error", {
      type: "error",
      error: { type: errorType ?? "overloaded_error", message: message ?? "Overloaded" },
    }),
  ];
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const DEFAULT_MESSAGES: Record<string, string> = {
  invalid_request_error: "Invalid request",
  authentication_error: "invalid x-api-key",
  rate_limit_error:
    "This request would exceed the rate limit for your organization of 20,000 input tokens per minute. Please try again later.",
  api_error: "Internal server error",
  overloaded_error: "Overloaded",
};

export function anthropicErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export function anthropicErrorBody(
  status: number,
  requestId: string,
  override: { errorType?: string; message?: string } = {},
): Record<string, unknown> {
  const type = override.errorType ?? anthropicErrorType(status);
  return {
    type: "error",
    error: { type, message: override.message ?? DEFAULT_MESSAGES[type] ?? `Error ${status}` },
    request_id: requestId,
  };
}
