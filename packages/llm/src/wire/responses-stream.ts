import type { StopReason } from "@toad/core";
import { type CredentialHint, classifyProviderError } from "../errors.js";
import { BaseStreamDecoder } from "./base-decoder.js";
import {
  type ContentEvent,
  type DecodeOutcome,
  emptyUsage,
  isRecord,
  num,
  str,
  type WireUsage,
} from "./types.js";

// OpenAI Responses streaming: typed events with sequence numbers, output items
// (message, function_call, reasoning, …), a terminal response.completed /
// .incomplete / .failed. A function call is echoed back by `call_id`, not the
// item id.

/**
 * Marks a thinking signature that holds Responses `encrypted_content`, so it is
 * only ever sent back to the Responses API (Anthropic signatures are base64 and
 * never contain this prefix).
 */
export const OPENAI_REASONING_PREFIX = "openai-reasoning:";

interface Call {
  callId: string;
  name: string;
  args: string;
  completed: boolean;
}

/** Responses usage: input_tokens includes cached reads (and writes, where reported). */
export function responsesUsage(raw: Record<string, unknown>): WireUsage {
  const usage = emptyUsage();
  const details = isRecord(raw.input_tokens_details) ? raw.input_tokens_details : {};
  usage.cacheReadTokens = num(details.cached_tokens);
  usage.cacheWriteTokens = num(details.cache_write_tokens) || num(raw.cache_write_tokens);
  usage.inputTokens = Math.max(0, num(raw.input_tokens) - usage.cacheReadTokens - usage.cacheWriteTokens);
  usage.outputTokens = num(raw.output_tokens);
  if (isRecord(raw.output_tokens_details))
    usage.reasoningTokens = num(raw.output_tokens_details.reasoning_tokens);
  return usage;
}

export class ResponsesStreamDecoder extends BaseStreamDecoder {
  private readonly calls = new Map<string, Call>();
  private readonly reasoningItems = new Set<string>();
  private refused = false;
  private terminal:
    | { stopReason: StopReason; usage: WireUsage | undefined; model: string | undefined }
    | undefined;

  constructor(hint: CredentialHint) {
    super(hint, { unit: "event", terminal: "response.completed" });
  }

  protected override onPayload(data: Record<string, unknown>, out: ContentEvent[]): void {
    switch (data.type) {
      case "response.output_item.added":
        this.onItemAdded(data, out);
        return;
      case "response.output_text.delta":
      case "response.refusal.delta": {
        const text = str(data.delta);
        if (data.type === "response.refusal.delta") this.refused = true;
        if (text) out.push({ type: "text_delta", text });
        return;
      }
      case "response.function_call_arguments.delta": {
        const call = this.calls.get(str(data.item_id) ?? "");
        const delta = str(data.delta) ?? "";
        if (call === undefined || delta === "") return;
        call.args += delta;
        out.push({ type: "tool_call_delta", callId: call.callId, argumentsDelta: delta });
        return;
      }
      case "response.reasoning_summary_part.added":
        // Parts of one summary read as paragraphs.
        if (num(data.summary_index) > 0) out.push({ type: "thinking_delta", text: "\n\n", redacted: false });
        return;
      case "response.reasoning_summary_text.delta":
      case "response.reasoning_text.delta": {
        const text = str(data.delta);
        if (text) out.push({ type: "thinking_delta", text, redacted: false });
        return;
      }
      case "response.output_item.done":
        this.onItemDone(data, out);
        return;
      case "response.completed":
      case "response.incomplete":
        this.onFinished(data);
        return;
      case "response.failed":
        this.onFailed(data);
        return;
      default:
        return; // lifecycle, annotations, web search, custom tool input and newer events
    }
  }

  protected override complete(): DecodeOutcome | undefined {
    const terminal = this.terminal;
    if (terminal === undefined) return undefined;
    return {
      ok: true,
      stopReason: terminal.stopReason,
      usage: terminal.usage,
      responseModel: terminal.model,
    };
  }

  private onItemAdded(data: Record<string, unknown>, out: ContentEvent[]): void {
    const item = isRecord(data.item) ? data.item : {};
    const itemId = str(item.id) ?? "";
    if (item.type === "function_call") {
      const call: Call = {
        callId: str(item.call_id) ?? itemId,
        name: str(item.name) ?? "",
        args: str(item.arguments) ?? "",
        completed: false,
      };
      this.calls.set(itemId, call);
      out.push({ type: "tool_call_start", callId: call.callId, name: call.name });
      if (call.args !== "")
        out.push({ type: "tool_call_delta", callId: call.callId, argumentsDelta: call.args });
    } else if (item.type === "reasoning") {
      this.reasoningItems.add(itemId);
    }
  }

  private onItemDone(data: Record<string, unknown>, out: ContentEvent[]): void {
    const item = isRecord(data.item) ? data.item : {};
    const itemId = str(item.id) ?? "";
    if (item.type === "function_call") {
      const call = this.calls.get(itemId);
      if (call === undefined || call.completed) return;
      call.completed = true;
      const argumentsJson = str(item.arguments) ?? call.args;
      out.push({
        type: "tool_call_complete",
        callId: call.callId,
        name: call.name,
        argumentsJson: argumentsJson || "{}",
      });
    } else if (item.type === "reasoning" && this.reasoningItems.has(itemId)) {
      const encrypted = str(item.encrypted_content);
      if (encrypted) {
        const signature = `${OPENAI_REASONING_PREFIX}${encrypted}`;
        out.push({ type: "thinking_delta", text: "", signature, redacted: false });
      }
    }
  }

  private onFinished(data: Record<string, unknown>): void {
    const response = isRecord(data.response) ? data.response : {};
    const usage = isRecord(response.usage) ? responsesUsage(response.usage) : undefined;
    const incomplete = isRecord(response.incomplete_details)
      ? str(response.incomplete_details.reason)
      : undefined;
    let stopReason: StopReason;
    if (data.type === "response.incomplete") {
      stopReason = incomplete === "content_filter" ? "refusal" : "max_tokens";
    } else if (this.refused) {
      stopReason = "refusal";
    } else {
      stopReason = [...this.calls.values()].some((call) => call.completed) ? "tool_use" : "end_turn";
    }
    this.terminal = { stopReason, usage, model: str(response.model) };
    this.done = true;
  }

  private onFailed(data: Record<string, unknown>): void {
    const response = isRecord(data.response) ? data.response : {};
    const error = isRecord(response.error) ? response.error : { message: "response.failed" };
    this.fail(classifyProviderError(0, { error }, this.hint));
  }
}
