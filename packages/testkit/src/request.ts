import type { IncomingHttpHeaders } from "node:http";
import { isRecord } from "./json.js";
import type { WireFormat } from "./script.js";

/** What a path is: one of the wire formats, a side endpoint, or unknown. */
export type Route = WireFormat | "models" | "count_tokens" | "unknown";

/** Which source answered a request. */
export interface AnsweredBy {
  source: "script" | "responder" | "none";
  /** Position of the turn in the script (source "script"). */
  turnIndex?: number;
  label?: string;
}

/** One request the server received, in arrival order. */
export interface RecordedRequest {
  /** 0-based arrival order on this server. */
  index: number;
  method: string;
  /** The path as sent, query included. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when the body was empty or not JSON. */
  body: unknown;
  rawBody: string;
  wire: Route;
  /** True when the body asked for a stream (`"stream": true`). */
  stream: boolean;
  /** Filled in once a turn (or nothing) has been chosen. */
  answeredBy: AnsweredBy;
  /** Date.now() when the body had been read. */
  receivedAt: number;
}

/**
 * Routes by path suffix, so a client whose base URL has or lacks `/v1` still
 * lands on the right handler (`?beta=true` and other queries are ignored).
 */
export function routeOf(method: string, path: string): Route {
  const pathname = (path.split("?")[0] ?? "").replace(/\/+$/u, "");
  if (method === "GET" && pathname.endsWith("/models")) return "models";
  if (method !== "POST") return "unknown";
  if (pathname.endsWith("/messages/count_tokens")) return "count_tokens";
  if (pathname.endsWith("/messages")) return "anthropic";
  if (pathname.endsWith("/chat/completions")) return "openai-chat";
  if (pathname.endsWith("/responses")) return "openai-responses";
  return "unknown";
}

/** All the text inside a message content value, whatever its shape (string, parts, tool results). */
function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    return value
      .map(textOf)
      .filter((text) => text !== "")
      .join("\n");
  }
  if (!isRecord(value)) return "";
  if (typeof value.text === "string") return value.text;
  if ("content" in value) return textOf(value.content);
  if ("output" in value) return textOf(value.output);
  return "";
}

interface UserTurn {
  /** Everything the user side said last: text and tool results. */
  parts: unknown[];
  /** Only the tool results among them. */
  toolResults: unknown[];
}

function anthropicUserTurn(body: Record<string, unknown>): UserTurn {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const last = messages.filter((message) => message.role === "user").at(-1);
  if (last === undefined) return { parts: [], toolResults: [] };
  const blocks = Array.isArray(last.content) ? last.content : [last.content];
  return {
    parts: blocks,
    toolResults: blocks.filter((block) => isRecord(block) && block.type === "tool_result"),
  };
}

/** Chat and Responses: the items after the last assistant-side item, user side only. */
function trailingUserItems(
  items: Record<string, unknown>[],
  isAssistant: (item: Record<string, unknown>) => boolean,
  isUser: (item: Record<string, unknown>) => boolean,
): Record<string, unknown>[] {
  let start = 0;
  items.forEach((item, i) => {
    if (isAssistant(item)) start = i + 1;
  });
  return items.slice(start).filter(isUser);
}

function chatUserTurn(body: Record<string, unknown>): UserTurn {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const trailing = trailingUserItems(
    messages,
    (m) => m.role === "assistant",
    (m) => m.role === "user" || m.role === "tool",
  );
  return { parts: trailing, toolResults: trailing.filter((m) => m.role === "tool") };
}

function responsesUserTurn(body: Record<string, unknown>): UserTurn {
  if (typeof body.input === "string") return { parts: [body.input], toolResults: [] };
  const items = Array.isArray(body.input) ? body.input.filter(isRecord) : [];
  const isOutput = (item: Record<string, unknown>): boolean =>
    typeof item.type === "string" && item.type.endsWith("_call_output");
  const trailing = trailingUserItems(
    items,
    (item) =>
      item.role === "assistant" ||
      (typeof item.type === "string" && item.type !== "message" && !isOutput(item)),
    (item) => item.role === "user" || isOutput(item),
  );
  return { parts: trailing, toolResults: trailing.filter(isOutput) };
}

function userTurn(request: Pick<RecordedRequest, "wire" | "body">): UserTurn {
  if (!isRecord(request.body)) return { parts: [], toolResults: [] };
  switch (request.wire) {
    case "anthropic":
      return anthropicUserTurn(request.body);
    case "openai-chat":
      return chatUserTurn(request.body);
    case "openai-responses":
      return responsesUserTurn(request.body);
    default:
      return { parts: [], toolResults: [] };
  }
}

/**
 * The text of the last user turn: the last user message, or everything the user
 * side sent after the last assistant output, tool results included.
 */
export function lastUserText(request: Pick<RecordedRequest, "wire" | "body">): string {
  return textOf(userTurn(request).parts);
}

/** The content of the tool results in the last user turn (empty when there are none). */
export function toolResultText(request: Pick<RecordedRequest, "wire" | "body">): string {
  return textOf(userTurn(request).toolResults);
}
