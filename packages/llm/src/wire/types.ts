import type {
  StopReason,
  TextDeltaEvent,
  ThinkingDeltaEvent,
  ToolCallCompleteEvent,
  ToolCallDeltaEvent,
  ToolCallStartEvent,
} from "@toad/core";
import type { ModelError } from "../errors.js";
import type { SseEvent } from "./sse.js";

/** What a provider stream decoder yields while the response streams. */
export type ContentEvent =
  | TextDeltaEvent
  | ThinkingDeltaEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallCompleteEvent;

/**
 * Token counts in one convention for every provider: `inputTokens` is the
 * uncached input only (Anthropic's meaning); OpenAI's prompt/input totals are
 * split into uncached + cache reads (+ cache writes where reported).
 */
export interface WireUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** All cache writes; `cacheWrite1hTokens` of them at the 1-hour price. */
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  /** Part of outputTokens, when the provider says. */
  reasoningTokens: number;
}

export function emptyUsage(): WireUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
  };
}

export type DecodeOutcome =
  | { ok: true; stopReason: StopReason; usage: WireUsage | undefined; responseModel: string | undefined }
  | { ok: false; error: ModelError };

/**
 * A provider's stream as a state machine: SSE events in, core content events
 * out. It never throws; protocol violations and in-stream errors end it with a
 * failed outcome.
 */
export interface StreamDecoder {
  /** Handles one event and appends what it yields to `out`. */
  push(event: SseEvent, out: ContentEvent[]): void;
  /** True once a terminal event (success or in-stream failure) has arrived: stop reading. */
  readonly done: boolean;
  /** True once any event has been handled (a cut before this is a cut "before the first event"). */
  readonly started: boolean;
  /** The body ended (or `done`): the outcome, with any closing events appended to `out`. */
  finish(out: ContentEvent[], cut: boolean): DecodeOutcome;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Parses one event's JSON payload; undefined when it is not a JSON object. */
export function parsePayload(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
