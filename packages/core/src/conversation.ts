/**
 * Conversation content in TOAD's provider-neutral form (twin of
 * proto/toad/v1/messages.proto). Provider adapters translate it to each API's
 * shape; the session log rebuilds it from events (`conversationFromEvents`).
 */

export interface TextBlock {
  type: "text";
  text: string;
}

/** Reasoning as the provider returned it; `signature` must be sent back verbatim. */
export interface ThinkingBlock {
  type: "thinking";
  text: string;
  signature: string;
  redacted: boolean;
}

export interface ToolUseBlock {
  type: "tool_use";
  callId: string;
  name: string;
  /** Exactly what the model produced (may be malformed; the tool pipeline answers that). */
  argumentsJson: string;
}

export interface ToolResultBlock {
  type: "tool_result";
  callId: string;
  output: string;
  isError: boolean;
}

export interface ImageBlock {
  type: "image";
  mediaType: string;
  dataBase64: string;
  /** Where it came from ("./shot.png"), for the note a model that takes no images reads instead. */
  source?: string;
}

export type ContentBlock = TextBlock | ThinkingBlock | ToolUseBlock | ToolResultBlock | ImageBlock;

export interface Message {
  role: "user" | "assistant";
  content: ContentBlock[];
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A tool offered to the model; `inputSchema` is a JSON Schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: { [key: string]: JsonValue };
}

export const MODEL_TIERS = ["fast", "balanced", "premium", "reasoning"] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];
