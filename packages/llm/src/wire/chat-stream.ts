import type { StopReason } from "@toad/core";
import type { CredentialHint } from "../errors.js";
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

// OpenAI Chat Completions streaming and the servers that copy it (vLLM, Ollama
// /v1, llama.cpp, DeepSeek, xAI): data-only chunks, tool calls keyed by `index`
// (not position, not always from 0), finish_reason in its own chunk, usage in a
// `choices: []` chunk (or on the finish chunk), then [DONE].

interface ToolCall {
  id: string;
  name: string;
  args: string;
  started: boolean;
  completed: boolean;
}

/** Chat usage: prompt_tokens includes the cached part; completion_tokens includes reasoning. */
export function chatUsage(raw: Record<string, unknown>): WireUsage {
  const usage = emptyUsage();
  const prompt = num(raw.prompt_tokens);
  const details = isRecord(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
  // DeepSeek reports its cache hits beside the OpenAI field.
  const cached = num(details.cached_tokens) || num(raw.prompt_cache_hit_tokens);
  usage.cacheReadTokens = cached;
  usage.inputTokens = Math.max(0, prompt - cached);
  usage.outputTokens = num(raw.completion_tokens);
  if (isRecord(raw.completion_tokens_details))
    usage.reasoningTokens = num(raw.completion_tokens_details.reasoning_tokens);
  return usage;
}

export class ChatStreamDecoder extends BaseStreamDecoder {
  private readonly calls = new Map<number, ToolCall>();
  private lastIndex = 0;
  private finishReason: string | undefined;
  private refused = false;
  private usage: WireUsage | undefined;
  private model: string | undefined;

  constructor(hint: CredentialHint) {
    super(hint, { unit: "chunk", terminal: "its finish_reason" });
  }

  protected override isEndMarker(data: string): boolean {
    return data.trim() === "[DONE]";
  }

  protected override isErrorPayload(data: Record<string, unknown>): boolean {
    return data.error !== undefined && data.error !== null;
  }

  protected override onPayload(data: Record<string, unknown>, out: ContentEvent[]): void {
    this.model ??= str(data.model);
    if (isRecord(data.usage)) this.usage = chatUsage(data.usage);
    const choices = Array.isArray(data.choices) ? data.choices : [];
    for (const choice of choices) {
      // TOAD asks for one choice; any other index (n > 1) is not part of this turn.
      if (isRecord(choice) && num(choice.index) === 0) this.onChoice(choice, out);
    }
  }

  protected override complete(out: ContentEvent[]): DecodeOutcome | undefined {
    // [DONE] is the terminal event; a finish_reason alone still means the content is whole.
    if (!this.done && this.finishReason === undefined) return undefined;
    this.completeCalls(out);
    return { ok: true, stopReason: this.stopReason(), usage: this.usage, responseModel: this.model };
  }

  private onChoice(choice: Record<string, unknown>, out: ContentEvent[]): void {
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = str(delta.reasoning_content) || str(delta.reasoning);
    if (reasoning) out.push({ type: "thinking_delta", text: reasoning, redacted: false });
    const content = str(delta.content);
    if (content) out.push({ type: "text_delta", text: content });
    const refusal = str(delta.refusal);
    if (refusal) {
      this.refused = true;
      out.push({ type: "text_delta", text: refusal });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (isRecord(call)) this.onToolCall(call, out);
    }
    const finish = str(choice.finish_reason);
    if (finish) {
      this.finishReason = finish;
      this.completeCalls(out);
    }
  }

  private onToolCall(call: Record<string, unknown>, out: ContentEvent[]): void {
    const index = typeof call.index === "number" ? call.index : this.lastIndex;
    this.lastIndex = index;
    const fn = isRecord(call.function) ? call.function : {};
    let state = this.calls.get(index);
    if (state === undefined) {
      state = { id: "", name: "", args: "", started: false, completed: false };
      this.calls.set(index, state);
    }
    const id = str(call.id);
    if (id && !state.started) state.id = id;
    // Some servers repeat `name: ""` on later fragments: append, never overwrite.
    const name = str(fn.name);
    if (name && !state.started) state.name += name;
    const args = str(fn.arguments) ?? "";
    state.args += args;
    if (!state.started && state.name !== "") {
      state.started = true;
      if (state.id === "") state.id = `call_${index}`;
      out.push({ type: "tool_call_start", callId: state.id, name: state.name });
      if (state.args !== "")
        out.push({ type: "tool_call_delta", callId: state.id, argumentsDelta: state.args });
    } else if (state.started && args !== "") {
      out.push({ type: "tool_call_delta", callId: state.id, argumentsDelta: args });
    }
  }

  private completeCalls(out: ContentEvent[]): void {
    const indexes = [...this.calls.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const call = this.calls.get(index);
      if (call === undefined || call.completed || !call.started) continue;
      const argumentsJson = call.args === "" ? "{}" : call.args;
      // Cut off by the token limit: the arguments are unfinished, so the call must not run.
      if (this.finishReason === "length" && !isValidJson(argumentsJson)) continue;
      call.completed = true;
      out.push({ type: "tool_call_complete", callId: call.id, name: call.name, argumentsJson });
    }
  }

  private stopReason(): StopReason {
    switch (this.finishReason) {
      case "tool_calls":
      case "function_call":
        return "tool_use";
      case "length":
        return "max_tokens";
      case "content_filter":
        return "refusal";
      default: {
        if (this.refused) return "refusal";
        // Some servers say "stop" after a tool call; the call is what matters.
        const called = [...this.calls.values()].some((call) => call.completed);
        return called ? "tool_use" : "end_turn";
      }
    }
  }
}
