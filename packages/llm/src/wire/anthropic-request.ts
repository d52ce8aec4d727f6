import type { ContentBlock, Message, ModelRequest, ToolSpec } from "@toad/core";
import type { ModelEntry } from "../config/types.js";
import { argumentsObject, normalizeConversation, thinkingOrigin } from "./messages.js";

// ModelRequest → Anthropic Messages body, with prompt-cache breakpoints.

type Json = Record<string, unknown>;

/** Anthropic accepts at most four cache_control breakpoints per request. */
export const MAX_CACHE_BREAKPOINTS = 4;
const EPHEMERAL = { type: "ephemeral" } as const;
const MIN_THINKING_BUDGET = 1024;

export function anthropicTool(tool: ToolSpec): Json {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}

function keepForAnthropic(block: ContentBlock): boolean {
  // Thinking goes back only with an Anthropic signature (the API checks it).
  if (block.type === "thinking") return thinkingOrigin(block.signature) === "anthropic";
  return true;
}

function blockJson(block: ContentBlock): Json {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "thinking":
      return block.redacted
        ? { type: "redacted_thinking", data: block.signature }
        : { type: "thinking", thinking: block.text, signature: block.signature };
    case "tool_use":
      return {
        type: "tool_use",
        id: block.callId,
        name: block.name,
        input: argumentsObject(block.argumentsJson),
      };
    case "tool_result": {
      const result: Json = { type: "tool_result", tool_use_id: block.callId, content: block.output };
      if (block.isError) result.is_error = true;
      return result;
    }
    case "image":
      return {
        type: "image",
        source: { type: "base64", media_type: block.mediaType, data: block.dataBase64 },
      };
  }
}

function messageJson(message: Message): Json {
  // Tool results must open a user message, before any text.
  const blocks =
    message.role === "user"
      ? [
          ...message.content.filter((b) => b.type === "tool_result"),
          ...message.content.filter((b) => b.type !== "tool_result"),
        ]
      : message.content;
  return { role: message.role, content: blocks.map(blockJson) };
}

/**
 * Where the breakpoints go, so that every request's prefix is byte-identical
 * to the previous request's and is read from the cache:
 * 1. the last tool (tools come first in Anthropic's prefix order),
 * 2. the end of the system prompt (system text, repository map),
 * 3. the end of the newest message (this request's whole conversation: written now, read next turn),
 * 4. the end of the user message before the newest assistant turn (where the
 *    previous request put its breakpoint 3: read now).
 * Breakpoints carry no content, so moving them does not change the prefix.
 */
export function cacheBreakpointMessages(messages: readonly Json[]): number[] {
  const last = messages.length - 1;
  if (last < 0) return [];
  const out = [last];
  let assistantSeen = false;
  for (let i = last - 1; i >= 0; i--) {
    if (messages[i]?.role === "assistant") assistantSeen = true;
    else if (assistantSeen && messages[i]?.role === "user") {
      out.push(i);
      break;
    }
  }
  return out;
}

function markLastBlock(message: Json | undefined): boolean {
  const content = message?.content;
  if (!Array.isArray(content)) return false;
  // cache_control cannot sit on thinking blocks; take the last block that can hold it.
  for (let i = content.length - 1; i >= 0; i--) {
    const block = content[i] as Json;
    if (block.type !== "thinking" && block.type !== "redacted_thinking") {
      content[i] = { ...block, cache_control: EPHEMERAL };
      return true;
    }
  }
  return false;
}

/**
 * With thinking on, an assistant turn that called tools must open with its
 * thinking block. When that turn came from a model without Anthropic thinking
 * (a fallback, an older session), thinking stays off until the tool loop ends.
 */
function thinkingAllowed(messages: readonly Json[]): boolean {
  const last = messages.at(-1);
  const assistant = messages.at(-2);
  if (last?.role !== "user" || assistant?.role !== "assistant" || !Array.isArray(last.content)) return true;
  const answersTools = last.content.some((block) => (block as Json).type === "tool_result");
  if (!answersTools) return true;
  const first = Array.isArray(assistant.content) ? (assistant.content[0] as Json | undefined) : undefined;
  return first?.type === "thinking" || first?.type === "redacted_thinking";
}

export interface AnthropicBodyOptions {
  /** Off: no cache_control at all (for servers that reject it). Default on. */
  promptCaching?: boolean;
}

export function anthropicBody(
  request: ModelRequest,
  model: ModelEntry,
  options: AnthropicBodyOptions = {},
): Json {
  const caching = options.promptCaching ?? true;
  let budget = request.thinkingBudgetTokens ?? 0;
  let maxTokens = Math.min(request.maxOutputTokens ?? model.maxOutputTokens, model.maxOutputTokens);
  if (budget > 0) {
    // max_tokens includes the thinking budget and must exceed it.
    budget = Math.max(MIN_THINKING_BUDGET, Math.min(budget, model.maxOutputTokens - MIN_THINKING_BUDGET));
    maxTokens = Math.min(model.maxOutputTokens, Math.max(maxTokens, budget + MIN_THINKING_BUDGET));
  }
  const body: Json = { model: model.apiModel ?? model.id, max_tokens: maxTokens, stream: true };
  let breakpoints = 0;
  if (request.tools.length > 0) {
    const tools = request.tools.map(anthropicTool);
    const lastTool = tools.length - 1;
    if (caching) {
      tools[lastTool] = { ...tools[lastTool], cache_control: EPHEMERAL };
      breakpoints++;
    }
    body.tools = tools;
  }
  if (request.system !== "") {
    const system: Json = { type: "text", text: request.system };
    if (caching) {
      system.cache_control = EPHEMERAL;
      breakpoints++;
    }
    body.system = [system];
  }
  const messages = normalizeConversation(request.messages, keepForAnthropic).map(messageJson);
  if (caching) {
    for (const index of cacheBreakpointMessages(messages)) {
      if (breakpoints >= MAX_CACHE_BREAKPOINTS) break;
      if (markLastBlock(messages[index])) breakpoints++;
    }
  }
  body.messages = messages;
  if (budget > 0 && thinkingAllowed(messages)) body.thinking = { type: "enabled", budget_tokens: budget };
  else if (request.temperature !== undefined) body.temperature = request.temperature;
  return body;
}
