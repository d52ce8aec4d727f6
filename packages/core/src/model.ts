import type { Message, ModelTier, ToolSpec } from "./conversation.js";
import type {
  AgentEventBody,
  ErrorEvent,
  RetryEvent,
  TextDeltaEvent,
  ThinkingDeltaEvent,
  ToolCallCompleteEvent,
  ToolCallDeltaEvent,
  ToolCallStartEvent,
  TurnEndEvent,
  TurnStartEvent,
  UsageEvent,
} from "./events.js";

/** One request to a model, provider-neutral. */
export interface ModelRequest {
  /** Turn number within the session (echoed in turn_start / turn_end). */
  turn: number;
  /** Explicit model id; when absent the model layer picks one by `tier`. */
  model?: string;
  tier?: ModelTier;
  system: string;
  messages: Message[];
  tools: ToolSpec[];
  maxOutputTokens?: number;
  temperature?: number;
  /** Reasoning budget in tokens; 0 or absent disables it. */
  thinkingBudgetTokens?: number;
}

/** The events a model stream yields: a subset of the core event model. */
export type ModelStreamEvent =
  | TurnStartEvent
  | TextDeltaEvent
  | ThinkingDeltaEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallCompleteEvent
  | UsageEvent
  | RetryEvent
  | ErrorEvent
  | TurnEndEvent;

/**
 * The port between the agent loop and the models layer (`packages/llm`; the
 * router service in the cluster).
 *
 * Contract of `stream`: it yields `turn_start` first and `turn_end` last.
 * API and network failures do not throw: after retries and fallbacks are
 * exhausted it yields an `error` event and then `turn_end` with stop reason
 * "error". When `signal` aborts it stops promptly and ends with `turn_end`
 * "cancelled". A `retry` event with `discardPartial` means every delta since
 * the turn's start is void.
 */
export interface ModelClient {
  stream(request: ModelRequest, options?: { signal?: AbortSignal }): AsyncIterable<ModelStreamEvent>;
}

const MODEL_STREAM_TYPES = new Set<AgentEventBody["type"]>([
  "turn_start",
  "text_delta",
  "thinking_delta",
  "tool_call_start",
  "tool_call_delta",
  "tool_call_complete",
  "usage",
  "retry",
  "error",
  "turn_end",
]);

export function isModelStreamEvent(event: AgentEventBody): event is ModelStreamEvent {
  return MODEL_STREAM_TYPES.has(event.type);
}
