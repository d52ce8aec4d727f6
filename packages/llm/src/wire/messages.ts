import { type ContentBlock, imageName, type JsonValue, type Message } from "@toad/core";
import { OPENAI_REASONING_PREFIX } from "./responses-stream.js";

/** Which provider produced a thinking block, judged by its signature. */
export function thinkingOrigin(signature: string): "anthropic" | "openai" | "none" {
  if (signature === "") return "none";
  return signature.startsWith(OPENAI_REASONING_PREFIX) ? "openai" : "anthropic";
}

/** Tool arguments as the object an API wants; malformed or non-object JSON becomes {}. */
export function argumentsObject(argumentsJson: string): { [key: string]: JsonValue } {
  try {
    const value: unknown = JSON.parse(argumentsJson);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as { [key: string]: JsonValue };
    }
  } catch {
    // fall through: the tool pipeline already answered the model about its bad JSON
  }
  return {};
}

/**
 * Prepares a conversation for an API: drops blocks `keep` rejects and empty
 * text, drops messages left empty, merges neighbours of one role (APIs want
 * strict alternation) and makes sure it opens with a user message.
 */
export function normalizeConversation(
  messages: readonly Message[],
  keep: (block: ContentBlock, role: Message["role"]) => boolean,
): Message[] {
  const out: Message[] = [];
  for (const message of messages) {
    const content = message.content.filter(
      (block) => keep(block, message.role) && (block.type !== "text" || block.text !== ""),
    );
    if (content.length === 0) continue;
    const last = out.at(-1);
    if (last?.role === message.role) last.content = [...last.content, ...content];
    else out.push({ role: message.role, content });
  }
  if (out[0]?.role === "assistant") {
    out.unshift({ role: "user", content: [{ type: "text", text: "(The conversation continues.)" }] });
  }
  return out;
}

export function dataUrl(mediaType: string, dataBase64: string): string {
  return `data:${mediaType};base64,${dataBase64}`;
}

/**
 * The conversation for a model that takes no images: each image becomes a
 * short text note, so the request is one the provider accepts and the model
 * knows something was attached that it cannot see.
 */
export function imagesAsNotes(messages: readonly Message[], modelId: string): Message[] {
  if (!messages.some((message) => message.content.some((block) => block.type === "image"))) {
    return [...messages];
  }
  return messages.map((message) => ({
    role: message.role,
    content: message.content.map((block) =>
      block.type === "image"
        ? {
            type: "text",
            text: `[image ${imageName(block)} (${block.mediaType}) not shown: ${modelId} does not take images]`,
          }
        : block,
    ),
  }));
}
