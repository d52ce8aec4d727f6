// The script format: what the mock model says, turn by turn. Everything here is
// plain JSON so a script can live in a file next to a test or be handed to the
// `toad-mock-llm` binary.

import { isRecord } from "./json.js";

/** The three wire formats the mock server speaks. */
export type WireFormat = "anthropic" | "openai-chat" | "openai-responses";

/** Stop reasons in Anthropic terms; each renderer maps them to its own wire values. */
export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "refusal";

export interface TextBlock {
  type: "text";
  text: string;
}

export interface ThinkingBlock {
  type: "thinking";
  text: string;
  /** Anthropic `signature_delta` / Responses `encrypted_content`. Generated when absent. */
  signature?: string;
}

export interface ToolCallBlock {
  type: "tool_call";
  /** Tool-use id (Anthropic) or call id (OpenAI). Generated in the wire's style when absent. */
  id?: string;
  name: string;
  /** The arguments, serialised with JSON.stringify. */
  arguments?: Record<string, unknown>;
  /** Sent verbatim instead of `arguments`: use it to inject malformed JSON. */
  rawArguments?: string;
}

export type ContentBlock = TextBlock | ThinkingBlock | ToolCallBlock;

/**
 * Token counts reported for a turn. `inputTokens` counts only the uncached input
 * (Anthropic semantics); OpenAI's prompt_tokens / input_tokens are the sum
 * inputTokens + cacheReadTokens + cacheWriteTokens, and cached_tokens = cacheReadTokens.
 */
export interface ScriptedUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Reported as OpenAI reasoning_tokens (part of outputTokens). Defaults from the thinking text. */
  reasoningTokens?: number;
}

/** Answer the request with an HTTP error instead of a completion. */
export interface HttpFault {
  kind: "http";
  status: number;
  /** Sets `retry-after` (seconds). */
  retryAfterSeconds?: number;
  /** Sets `retry-after-ms`, which the SDKs prefer over `retry-after`. */
  retryAfterMs?: number;
  message?: string;
  /** Overrides error.type (both wire families). */
  errorType?: string;
  /** Overrides error.code (OpenAI bodies only). */
  code?: string;
  /** Sets `x-should-retry: true|false`, which the SDKs obey over the status. */
  shouldRetry?: boolean;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Replaces the whole error body (for example a recorded one from a fixture). */
  body?: unknown;
}

/** Close the socket in the middle of a stream: N whole events, half of the next one, then destroy. */
export interface CutFault {
  kind: "cut";
  afterEvents: number;
}

/**
 * After HTTP 200 and some events, send the wire's in-stream error and end the body:
 * Anthropic `event: error` (overloaded_error), Responses `error` + `response.failed`,
 * Chat a `data: {"error":{...}}` chunk. Default position: after the content, before
 * the terminal events.
 */
export interface MidstreamErrorFault {
  kind: "midstream_error";
  afterEvents?: number;
  errorType?: string;
  message?: string;
}

export type Fault = HttpFault | CutFault | MidstreamErrorFault;

/**
 * Selects a turn by what the request contains. A string is short for
 * `{ lastUserText: string }`. Every given field must match (substring tests).
 */
export type MatchSpec =
  | string
  | {
      /** Substring of the last user turn: its text plus any tool-result content. */
      lastUserText?: string;
      /** Substring of the tool-result content in the last user turn. */
      toolResult?: string;
      /** Substring of the raw request body. */
      anyText?: string;
      /** Exact requested model. */
      model?: string;
      wire?: WireFormat;
    };

export interface ScriptedTurn {
  /** Free text shown in recorded requests and errors. */
  label?: string;
  content?: ContentBlock[];
  /** Default: tool_use when the turn has tool calls, else end_turn. */
  stopReason?: StopReason;
  usage?: ScriptedUsage;
  /** Only requests that match may take this turn. */
  match?: MatchSpec;
  /** How many requests this turn answers before it is used up (default 1). */
  times?: number;
  fault?: Fault;
  /** Paces the stream: one content delta every 1000/tokensPerSecond ms. */
  tokensPerSecond?: number;
  /** Streams this recorded file byte for byte instead of rendering `content`. */
  replay?: string;
  /** The model name to report (default: the requested model). */
  model?: string;
}

export interface MockScript {
  turns: ScriptedTurn[];
}

const STOP_REASONS: readonly string[] = ["end_turn", "tool_use", "max_tokens", "refusal"];
const WIRES: readonly string[] = ["anthropic", "openai-chat", "openai-responses"];

/** Thrown when a script does not have the documented shape. */
export class ScriptError extends Error {
  override name = "ScriptError";
}

function optional(obj: Record<string, unknown>, key: string, type: string, where: string): void {
  const value = obj[key];
  if (value !== undefined && typeof value !== type) {
    throw new ScriptError(`${where}.${key} must be a ${type}`);
  }
}

function checkBlock(block: unknown, where: string): void {
  if (!isRecord(block)) throw new ScriptError(`${where} must be an object`);
  switch (block.type) {
    case "text":
    case "thinking":
      if (typeof block.text !== "string") throw new ScriptError(`${where}.text must be a string`);
      optional(block, "signature", "string", where);
      return;
    case "tool_call":
      if (typeof block.name !== "string") throw new ScriptError(`${where}.name must be a string`);
      optional(block, "id", "string", where);
      optional(block, "rawArguments", "string", where);
      if (block.arguments !== undefined && !isRecord(block.arguments)) {
        throw new ScriptError(`${where}.arguments must be an object`);
      }
      return;
    default:
      throw new ScriptError(`${where}.type must be "text", "thinking" or "tool_call"`);
  }
}

function checkFault(fault: unknown, where: string): void {
  if (!isRecord(fault)) throw new ScriptError(`${where} must be an object`);
  switch (fault.kind) {
    case "http":
      if (typeof fault.status !== "number") throw new ScriptError(`${where}.status must be a number`);
      for (const key of ["retryAfterSeconds", "retryAfterMs"]) optional(fault, key, "number", where);
      for (const key of ["message", "errorType", "code"]) optional(fault, key, "string", where);
      optional(fault, "shouldRetry", "boolean", where);
      return;
    case "cut":
      if (typeof fault.afterEvents !== "number")
        throw new ScriptError(`${where}.afterEvents must be a number`);
      return;
    case "midstream_error":
      optional(fault, "afterEvents", "number", where);
      optional(fault, "errorType", "string", where);
      optional(fault, "message", "string", where);
      return;
    default:
      throw new ScriptError(`${where}.kind must be "http", "cut" or "midstream_error"`);
  }
}

function checkMatch(match: unknown, where: string): void {
  if (typeof match === "string") return;
  if (!isRecord(match)) throw new ScriptError(`${where} must be a string or an object`);
  for (const key of ["lastUserText", "toolResult", "anyText", "model"]) optional(match, key, "string", where);
  if (match.wire !== undefined && !WIRES.includes(String(match.wire))) {
    throw new ScriptError(`${where}.wire must be one of ${WIRES.join(", ")}`);
  }
}

/** Checks one turn and throws a ScriptError that names the offending field. */
export function checkTurn(turn: unknown, where = "turn"): asserts turn is ScriptedTurn {
  if (!isRecord(turn)) throw new ScriptError(`${where} must be an object`);
  if (turn.content !== undefined) {
    if (!Array.isArray(turn.content)) throw new ScriptError(`${where}.content must be an array`);
    turn.content.forEach((block, i) => {
      checkBlock(block, `${where}.content[${i}]`);
    });
  }
  if (turn.stopReason !== undefined && !STOP_REASONS.includes(String(turn.stopReason))) {
    throw new ScriptError(`${where}.stopReason must be one of ${STOP_REASONS.join(", ")}`);
  }
  if (turn.usage !== undefined) {
    if (!isRecord(turn.usage)) throw new ScriptError(`${where}.usage must be an object`);
    for (const key of Object.keys(turn.usage)) optional(turn.usage, key, "number", `${where}.usage`);
  }
  if (turn.match !== undefined) checkMatch(turn.match, `${where}.match`);
  if (turn.fault !== undefined) checkFault(turn.fault, `${where}.fault`);
  for (const key of ["times", "tokensPerSecond"]) optional(turn, key, "number", where);
  for (const key of ["label", "replay", "model"]) optional(turn, key, "string", where);
  if (typeof turn.times === "number" && !(turn.times >= 1))
    throw new ScriptError(`${where}.times must be >= 1`);
  if (typeof turn.tokensPerSecond === "number" && !(turn.tokensPerSecond > 0)) {
    throw new ScriptError(`${where}.tokensPerSecond must be > 0`);
  }
}

/** Validates a parsed JSON value as a MockScript. */
export function parseScript(value: unknown): MockScript {
  if (!isRecord(value) || !Array.isArray(value.turns)) {
    throw new ScriptError('a script must be an object with a "turns" array');
  }
  value.turns.forEach((turn, i) => {
    checkTurn(turn, `turns[${i}]`);
  });
  return { turns: value.turns as ScriptedTurn[] };
}
