import { estimateTokens } from "./chunking.js";
import { newId } from "./ids.js";
import type { ContentBlock, ScriptedTurn, StopReason, WireFormat } from "./script.js";

// A turn with every default filled in, ready for a renderer. Renderers are pure
// functions of a PlannedTurn, so the same turn renders identically to every wire.

export interface PlannedText {
  type: "text";
  text: string;
}

export interface PlannedThinking {
  type: "thinking";
  text: string;
  signature: string;
}

export interface PlannedToolCall {
  type: "tool_call";
  id: string;
  name: string;
  /** The exact argument string to send (raw when the script gave rawArguments). */
  argumentsJson: string;
  /** The parsed arguments, or undefined when argumentsJson is not valid JSON. */
  input: unknown;
  /** True when the script gave `arguments` that are an empty object (Anthropic then streams only ""). */
  noArguments: boolean;
}

export type PlannedBlock = PlannedText | PlannedThinking | PlannedToolCall;

export interface PlannedUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export interface PlannedTurn {
  model: string;
  blocks: PlannedBlock[];
  stopReason: StopReason;
  usage: PlannedUsage;
  /** Unix seconds, as in OpenAI's `created`. */
  created: number;
}

export interface PlanContext {
  wire: WireFormat;
  /** The `model` the client asked for. */
  requestModel: string | undefined;
  /** Size of the request body, for the default input-token count. */
  requestBytes: number;
}

function tryParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function planBlock(block: ContentBlock, wire: WireFormat): PlannedBlock {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "thinking":
      return { type: "thinking", text: block.text, signature: block.signature ?? newId.signature() };
    case "tool_call": {
      const argumentsJson = block.rawArguments ?? JSON.stringify(block.arguments ?? {});
      return {
        type: "tool_call",
        id: block.id ?? (wire === "anthropic" ? newId.anthropicToolUse() : newId.toolCall()),
        name: block.name,
        argumentsJson,
        input: tryParse(argumentsJson),
        noArguments: block.rawArguments === undefined && Object.keys(block.arguments ?? {}).length === 0,
      };
    }
  }
}

export function planTurn(turn: ScriptedTurn, ctx: PlanContext): PlannedTurn {
  const blocks = (turn.content ?? []).map((block) => planBlock(block, ctx.wire));

  let outputChars = 0;
  let thinkingChars = 0;
  for (const block of blocks) {
    if (block.type === "tool_call") outputChars += block.argumentsJson.length + block.name.length;
    else outputChars += block.text.length;
    if (block.type === "thinking") thinkingChars += block.text.length;
  }
  const usage = turn.usage ?? {};
  const hasToolCall = blocks.some((block) => block.type === "tool_call");
  return {
    model: turn.model ?? ctx.requestModel ?? "mock-model",
    blocks,
    stopReason: turn.stopReason ?? (hasToolCall ? "tool_use" : "end_turn"),
    usage: {
      inputTokens: usage.inputTokens ?? Math.max(1, estimateTokens(ctx.requestBytes)),
      outputTokens: usage.outputTokens ?? Math.max(1, estimateTokens(outputChars)),
      cacheReadTokens: usage.cacheReadTokens ?? 0,
      cacheWriteTokens: usage.cacheWriteTokens ?? 0,
      reasoningTokens: usage.reasoningTokens ?? estimateTokens(thinkingChars),
    },
    created: Math.floor(Date.now() / 1000),
  };
}
