import type { ContentBlock, Message, ModelRequest, ToolSpec } from "@toad/core";
import type { ModelEntry } from "../config/types.js";
import { dataUrl, normalizeConversation, thinkingOrigin } from "./messages.js";
import { OPENAI_REASONING_PREFIX } from "./responses-stream.js";

// ModelRequest → OpenAI Chat Completions and Responses bodies. OpenAI caches
// prompt prefixes by itself; keeping the prefix stable is all it needs.

type Json = Record<string, unknown>;

/**
 * "openai" for api.openai.com (max_completion_tokens, reasoning_effort);
 * "compat" for vLLM, Ollama, llama.cpp and other servers (max_tokens, nothing newer).
 */
export type ChatDialect = "openai" | "compat";

export function dialectOf(baseUrl: string): ChatDialect {
  try {
    return new URL(baseUrl).hostname === "api.openai.com" ? "openai" : "compat";
  } catch {
    return "compat";
  }
}

export function reasoningEffort(budgetTokens: number): "low" | "medium" | "high" {
  if (budgetTokens <= 4096) return "low";
  return budgetTokens <= 16_384 ? "medium" : "high";
}

function outputLimit(request: ModelRequest, model: ModelEntry): number {
  return Math.min(request.maxOutputTokens ?? model.maxOutputTokens, model.maxOutputTokens);
}

// ---- Chat Completions -------------------------------------------------------

export function chatTool(tool: ToolSpec): Json {
  return {
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  };
}

function chatUserMessages(content: ContentBlock[]): Json[] {
  const out: Json[] = [];
  // Tool answers are messages of their own and must follow the assistant's calls directly.
  for (const block of content) {
    if (block.type === "tool_result")
      out.push({ role: "tool", tool_call_id: block.callId, content: block.output });
  }
  const parts: Json[] = [];
  for (const block of content) {
    if (block.type === "text") parts.push({ type: "text", text: block.text });
    if (block.type === "image") {
      parts.push({ type: "image_url", image_url: { url: dataUrl(block.mediaType, block.dataBase64) } });
    }
  }
  if (parts.length === 0) return out;
  const onlyText = parts.every((part) => part.type === "text");
  out.push({
    role: "user",
    content: onlyText ? parts.map((part) => String(part.text)).join("\n\n") : parts,
  });
  return out;
}

function chatAssistantMessage(content: ContentBlock[]): Json {
  const text = content.map((block) => (block.type === "text" ? block.text : "")).join("");
  const calls = content.flatMap((block) =>
    block.type === "tool_use"
      ? [
          {
            id: block.callId,
            type: "function",
            function: { name: block.name, arguments: block.argumentsJson },
          },
        ]
      : [],
  );
  const message: Json = { role: "assistant", content: text === "" ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

export function chatMessages(system: string, messages: readonly Message[]): Json[] {
  const out: Json[] = system === "" ? [] : [{ role: "system", content: system }];
  for (const message of normalizeConversation(messages, (block) => block.type !== "thinking")) {
    if (message.role === "user") out.push(...chatUserMessages(message.content));
    else out.push(chatAssistantMessage(message.content));
  }
  return out;
}

export function chatBody(request: ModelRequest, model: ModelEntry, dialect: ChatDialect): Json {
  const body: Json = {
    model: model.apiModel ?? model.id,
    messages: chatMessages(request.system, request.messages),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools.length > 0) body.tools = request.tools.map(chatTool);
  const limit = outputLimit(request, model);
  if (dialect === "openai") body.max_completion_tokens = limit;
  else body.max_tokens = limit;
  const budget = request.thinkingBudgetTokens ?? 0;
  if (dialect === "openai" && model.reasoning && budget > 0) body.reasoning_effort = reasoningEffort(budget);
  // Reasoning models accept only the default temperature.
  if (request.temperature !== undefined && !model.reasoning) body.temperature = request.temperature;
  return body;
}

// ---- Responses ---------------------------------------------------------------

export function responsesTool(tool: ToolSpec): Json {
  return {
    type: "function",
    name: tool.name,
    description: tool.description,
    parameters: tool.inputSchema,
    strict: false,
  };
}

function keepForResponses(block: ContentBlock): boolean {
  return block.type !== "thinking" || thinkingOrigin(block.signature) === "openai";
}

function responsesItems(message: Message): Json[] {
  const items: Json[] = [];
  if (message.role === "user") {
    for (const block of message.content) {
      if (block.type === "tool_result")
        items.push({ type: "function_call_output", call_id: block.callId, output: block.output });
    }
    const parts: Json[] = [];
    for (const block of message.content) {
      if (block.type === "text") parts.push({ type: "input_text", text: block.text });
      if (block.type === "image")
        parts.push({ type: "input_image", image_url: dataUrl(block.mediaType, block.dataBase64) });
    }
    if (parts.length > 0) items.push({ role: "user", content: parts });
    return items;
  }
  for (const block of message.content) {
    if (block.type === "thinking") {
      // Reasoning goes back as the encrypted item it came in (store: false keeps no state server-side).
      items.push({
        type: "reasoning",
        summary: block.text === "" ? [] : [{ type: "summary_text", text: block.text }],
        encrypted_content: block.signature.slice(OPENAI_REASONING_PREFIX.length),
      });
    } else if (block.type === "text") {
      items.push({
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: block.text }],
      });
    } else if (block.type === "tool_use") {
      items.push({
        type: "function_call",
        call_id: block.callId,
        name: block.name,
        arguments: block.argumentsJson,
      });
    }
  }
  return items;
}

export function responsesBody(request: ModelRequest, model: ModelEntry): Json {
  const body: Json = { model: model.apiModel ?? model.id };
  if (request.system !== "") body.instructions = request.system;
  body.input = normalizeConversation(request.messages, keepForResponses).flatMap(responsesItems);
  if (request.tools.length > 0) body.tools = request.tools.map(responsesTool);
  body.stream = true;
  body.store = false;
  body.max_output_tokens = outputLimit(request, model);
  if (model.reasoning) {
    body.include = ["reasoning.encrypted_content"];
    const budget = request.thinkingBudgetTokens ?? 0;
    body.reasoning = budget > 0 ? { effort: reasoningEffort(budget), summary: "auto" } : { summary: "auto" };
  } else if (request.temperature !== undefined) {
    body.temperature = request.temperature;
  }
  return body;
}
