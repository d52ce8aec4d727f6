import type { ContentBlock, JsonValue, Message, ModelRequest, ToolSpec } from "@toad/core";
import * as pb from "@toad/proto";
import { invalidArgument } from "../errors.js";
import { tiers } from "./enums.js";

/** Core conversation ↔ `toad.v1.Message`, lossless both ways. */
export function messageToProto(message: Message): pb.Message {
  return {
    role: message.role === "user" ? pb.Role.ROLE_USER : pb.Role.ROLE_ASSISTANT,
    content: message.content.map(blockToProto),
  };
}

function blockToProto(block: ContentBlock): pb.ContentBlock {
  switch (block.type) {
    case "text":
      return { block: { $case: "text", value: { text: block.text } } };
    case "thinking":
      return {
        block: {
          $case: "thinking",
          value: { text: block.text, signature: block.signature, redacted: block.redacted },
        },
      };
    case "tool_use":
      return {
        block: {
          $case: "toolUse",
          value: { callId: block.callId, name: block.name, argumentsJson: block.argumentsJson },
        },
      };
    case "tool_result":
      return {
        block: {
          $case: "toolResult",
          value: { callId: block.callId, output: block.output, isError: block.isError },
        },
      };
    case "image":
      return {
        block: {
          $case: "image",
          value: {
            mediaType: block.mediaType,
            data: Buffer.from(block.dataBase64, "base64"),
            source: block.source,
          },
        },
      };
  }
}

export function messageFromProto(message: pb.Message): Message {
  if (message.role !== pb.Role.ROLE_USER && message.role !== pb.Role.ROLE_ASSISTANT) {
    throw invalidArgument(`message role ${message.role} is neither user nor assistant`);
  }
  return {
    role: message.role === pb.Role.ROLE_USER ? "user" : "assistant",
    content: message.content.map(blockFromProto),
  };
}

function blockFromProto(block: pb.ContentBlock): ContentBlock {
  const inner = block.block;
  if (inner === undefined) throw invalidArgument("a content block has no content");
  switch (inner.$case) {
    case "text":
      return { type: "text", text: inner.value.text };
    case "thinking":
      return { type: "thinking", ...inner.value };
    case "toolUse":
      return { type: "tool_use", ...inner.value };
    case "toolResult":
      return { type: "tool_result", ...inner.value };
    case "image":
      return {
        type: "image",
        mediaType: inner.value.mediaType,
        dataBase64: Buffer.from(inner.value.data).toString("base64"),
        ...(inner.value.source !== undefined && { source: inner.value.source }),
      };
  }
}

// Every model request of a run carries the same tool specs: each schema is converted once.
// Specs are not changed once made, so a converted schema is shared by the requests that use it.
const schemaJsonOf = new WeakMap<ToolSpec["inputSchema"], string>();
const parsedSchemas = new Map<string, ToolSpec["inputSchema"]>();
const MAX_PARSED_SCHEMAS = 256;

export function toolSpecToProto(spec: ToolSpec): pb.ToolSpec {
  let inputSchemaJson = schemaJsonOf.get(spec.inputSchema);
  if (inputSchemaJson === undefined) {
    inputSchemaJson = JSON.stringify(spec.inputSchema);
    schemaJsonOf.set(spec.inputSchema, inputSchemaJson);
  }
  return { name: spec.name, description: spec.description, inputSchemaJson };
}

export function toolSpecFromProto(spec: pb.ToolSpec): ToolSpec {
  return { name: spec.name, description: spec.description, inputSchema: parsedSchema(spec) };
}

function parsedSchema(spec: pb.ToolSpec): ToolSpec["inputSchema"] {
  const json = spec.inputSchemaJson || "{}";
  const known = parsedSchemas.get(json);
  if (known) return known;
  let schema: unknown;
  try {
    schema = JSON.parse(json);
  } catch {
    throw invalidArgument(`tool ${spec.name}: input_schema_json is not JSON`);
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw invalidArgument(`tool ${spec.name}: input_schema_json must be a JSON object`);
  }
  const parsed = schema as { [key: string]: JsonValue };
  // A bounded cache: the oldest schema goes when a new one would pass the limit.
  if (parsedSchemas.size >= MAX_PARSED_SCHEMAS) parsedSchemas.delete(parsedSchemas.keys().next().value ?? "");
  parsedSchemas.set(json, parsed);
  return parsed;
}

/** What the session side sends the router for one model request. */
export function completeRequestFromModelRequest(
  sessionId: string,
  request: ModelRequest,
): pb.CompleteRequest {
  return {
    sessionId,
    model: request.model ?? "",
    tier: request.tier === undefined ? pb.ModelTier.MODEL_TIER_UNSPECIFIED : tiers.toProto(request.tier),
    system: request.system,
    messages: request.messages.map(messageToProto),
    tools: request.tools.map(toolSpecToProto),
    maxOutputTokens: request.maxOutputTokens ?? 0,
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    thinkingBudgetTokens: request.thinkingBudgetTokens ?? 0,
    cacheableMessageCount: 0,
  };
}

/**
 * The router's side. The proto carries no turn number: the router numbers
 * its stream 1 and the session side puts the real turn back.
 */
export function modelRequestFromComplete(request: pb.CompleteRequest): ModelRequest {
  const tier = tiers.fromProto(request.tier);
  return {
    turn: 1,
    ...(request.model !== "" && { model: request.model }),
    ...(tier !== undefined && { tier }),
    system: request.system,
    messages: request.messages.map(messageFromProto),
    tools: request.tools.map(toolSpecFromProto),
    ...(request.maxOutputTokens > 0 && { maxOutputTokens: request.maxOutputTokens }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.thinkingBudgetTokens > 0 && { thinkingBudgetTokens: request.thinkingBudgetTokens }),
  };
}
