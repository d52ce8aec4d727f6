import type { StopReason } from "@toad/core";
import { type CredentialHint, modelError } from "../errors.js";
import { BaseStreamDecoder } from "./base-decoder.js";
import {
  type ContentEvent,
  type DecodeOutcome,
  emptyUsage,
  isRecord,
  isValidJson,
  num,
  str,
  type WireUsage,
} from "./types.js";

// Anthropic Messages streaming (fixtures/wire/anthropic, llm_streaming.md):
// message_start, per block start / deltas / stop, message_delta (stop reason,
// cumulative usage), message_stop. Switch on data.type, not the SSE name.

type BlockKind = "text" | "thinking" | "tool" | "other";

interface Block {
  kind: BlockKind;
  id: string;
  name: string;
  json: string;
  signature: string;
}

const STOP_REASONS: Record<string, StopReason> = {
  end_turn: "end_turn",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
  stop_sequence: "stop_sequence",
  refusal: "refusal",
  pause_turn: "pause_turn",
  // Newer models stop here when the context window, not max_tokens, ran out.
  model_context_window_exceeded: "max_tokens",
};

export function mapAnthropicStopReason(reason: string | undefined): StopReason {
  return (reason && STOP_REASONS[reason]) || "end_turn";
}

/** Reads Anthropic usage; message_delta usage is cumulative and overrides what message_start said. */
function mergeUsage(into: WireUsage, raw: Record<string, unknown>): void {
  if ("input_tokens" in raw) into.inputTokens = num(raw.input_tokens);
  if ("output_tokens" in raw) into.outputTokens = num(raw.output_tokens);
  if ("cache_read_input_tokens" in raw) into.cacheReadTokens = num(raw.cache_read_input_tokens);
  if ("cache_creation_input_tokens" in raw) into.cacheWriteTokens = num(raw.cache_creation_input_tokens);
  if (isRecord(raw.cache_creation)) {
    into.cacheWrite1hTokens = num(raw.cache_creation.ephemeral_1h_input_tokens);
  }
  if (isRecord(raw.output_tokens_details))
    into.reasoningTokens = num(raw.output_tokens_details.thinking_tokens);
}

export class AnthropicStreamDecoder extends BaseStreamDecoder {
  private messageId: string | undefined;
  private model: string | undefined;
  private readonly blocks = new Map<number, Block>();
  private stopReason: string | undefined;
  private readonly usage = emptyUsage();
  private sawUsage = false;
  private stopped = false;
  private readonly heldBack: ContentEvent[] = [];

  constructor(hint: CredentialHint) {
    super(hint, { unit: "event", terminal: "message_stop" });
  }

  protected override onPayload(data: Record<string, unknown>, out: ContentEvent[]): void {
    switch (data.type) {
      case "message_start":
        this.onMessageStart(data);
        return;
      case "content_block_start":
        this.onBlockStart(data, out);
        return;
      case "content_block_delta":
        this.onBlockDelta(data, out);
        return;
      case "content_block_stop":
        this.onBlockStop(data, out);
        return;
      case "message_delta":
        if (isRecord(data.delta)) this.stopReason = str(data.delta.stop_reason) ?? this.stopReason;
        if (isRecord(data.usage)) {
          mergeUsage(this.usage, data.usage);
          this.sawUsage = true;
        }
        return;
      case "message_stop":
        this.stopped = true;
        this.done = true;
        return;
      default:
        return; // ping and event types newer than this code
    }
  }

  protected override complete(out: ContentEvent[]): DecodeOutcome | undefined {
    if (!this.stopped) return undefined;
    const stopReason = mapAnthropicStopReason(this.stopReason);
    // Malformed but finished arguments go to the tool pipeline, which tells the model.
    if (stopReason !== "max_tokens") out.push(...this.heldBack);
    return {
      ok: true,
      stopReason,
      usage: this.sawUsage ? { ...this.usage } : undefined,
      responseModel: this.model,
    };
  }

  private onMessageStart(data: Record<string, unknown>): void {
    const message = isRecord(data.message) ? data.message : {};
    const id = str(message.id);
    if (this.messageId !== undefined) {
      // A repeat of the same message is harmless; a different one spliced in is corrupt data.
      if (id === this.messageId) return;
      this.fail(
        modelError(
          "bad_response",
          `${this.hint.provider}: message ${id ?? "?"} started inside message ${this.messageId}.`,
        ),
      );
      return;
    }
    this.messageId = id ?? "";
    this.model = str(message.model);
    if (isRecord(message.usage)) {
      mergeUsage(this.usage, message.usage);
      this.sawUsage = true;
    }
  }

  private onBlockStart(data: Record<string, unknown>, out: ContentEvent[]): void {
    const index = num(data.index);
    const start = isRecord(data.content_block) ? data.content_block : {};
    const block: Block = { kind: "other", id: "", name: "", json: "", signature: "" };
    this.blocks.set(index, block);
    switch (start.type) {
      case "text": {
        block.kind = "text";
        const text = str(start.text);
        if (text) out.push({ type: "text_delta", text });
        return;
      }
      case "thinking": {
        block.kind = "thinking";
        const text = str(start.thinking);
        if (text) out.push({ type: "thinking_delta", text, redacted: false });
        block.signature = str(start.signature) ?? "";
        return;
      }
      case "redacted_thinking":
        // The opaque `data` is what must go back; it rides in the signature.
        out.push({ type: "thinking_delta", text: "", signature: str(start.data) ?? "", redacted: true });
        return;
      case "tool_use":
        block.kind = "tool";
        block.id = str(start.id) ?? `toolu_${index}`;
        block.name = str(start.name) ?? "";
        out.push({ type: "tool_call_start", callId: block.id, name: block.name });
        return;
      default:
        // server_tool_use, web_search_tool_result, mcp_*, compaction, fallback…: run by
        // the server, not by TOAD, so they are not tool calls for the agent.
        return;
    }
  }

  private onBlockDelta(data: Record<string, unknown>, out: ContentEvent[]): void {
    const block = this.blocks.get(num(data.index));
    const delta = isRecord(data.delta) ? data.delta : {};
    if (block === undefined) return;
    switch (delta.type) {
      case "text_delta": {
        const text = str(delta.text);
        if (text && block.kind === "text") out.push({ type: "text_delta", text });
        return;
      }
      case "input_json_delta": {
        const part = str(delta.partial_json) ?? "";
        if (block.kind !== "tool") return;
        block.json += part;
        if (part !== "") out.push({ type: "tool_call_delta", callId: block.id, argumentsDelta: part });
        return;
      }
      case "thinking_delta": {
        const text = str(delta.thinking);
        if (text && block.kind === "thinking") out.push({ type: "thinking_delta", text, redacted: false });
        return;
      }
      case "signature_delta":
        block.signature += str(delta.signature) ?? "";
        return;
      default:
        return; // citations_delta, compaction_delta and newer kinds
    }
  }

  private onBlockStop(data: Record<string, unknown>, out: ContentEvent[]): void {
    const block = this.blocks.get(num(data.index));
    if (block === undefined) return;
    if (block.kind === "tool") {
      // A tool with no arguments streams only "", which means {}.
      const argumentsJson = block.json === "" ? "{}" : block.json;
      const complete: ContentEvent = {
        type: "tool_call_complete",
        callId: block.id,
        name: block.name,
        argumentsJson,
      };
      // Unparsable arguments wait for the stop reason: cut by max_tokens, the call must not run.
      if (isValidJson(argumentsJson)) out.push(complete);
      else this.heldBack.push(complete);
    } else if (block.kind === "thinking" && block.signature !== "") {
      out.push({ type: "thinking_delta", text: "", signature: block.signature, redacted: false });
    }
  }
}
