import type { Message, ModelRequest } from "@toad/core";
import { describe, expect, it } from "vitest";
import { defaultLlmConfig } from "../src/config/load.js";
import type { ModelEntry } from "../src/config/types.js";
import { classifyProviderError, retryHintFromMessage } from "../src/errors.js";
import { retryDelay } from "../src/retry.js";
import { retryAfterFromHeaders } from "../src/transport.js";
import { anthropicBody } from "../src/wire/anthropic-request.js";
import { normalizeConversation } from "../src/wire/messages.js";
import { chatBody, dialectOf, responsesBody } from "../src/wire/openai-request.js";
import { OPENAI_REASONING_PREFIX } from "../src/wire/responses-stream.js";

const config = defaultLlmConfig({});
const model = (id: string): ModelEntry => {
  const entry = config.models[id];
  if (entry === undefined) throw new Error(id);
  return entry;
};
const req = (messages: Message[], extra: Partial<ModelRequest> = {}): ModelRequest => ({
  turn: 1,
  system: "sys",
  messages,
  tools: [],
  ...extra,
});

const MIXED: Message[] = [
  { role: "user", content: [{ type: "text", text: "hi" }] },
  {
    role: "assistant",
    content: [
      { type: "thinking", text: "claude thought", signature: "c2ln", redacted: false },
      { type: "thinking", text: "", signature: "cmVkYWN0ZWQ=", redacted: true },
      { type: "thinking", text: "gpt thought", signature: `${OPENAI_REASONING_PREFIX}enc`, redacted: false },
      { type: "thinking", text: "unsigned", signature: "", redacted: false },
      { type: "text", text: "" },
      { type: "tool_use", callId: "t1", name: "run", argumentsJson: "{not json" },
    ],
  },
  {
    role: "user",
    content: [
      { type: "text", text: "also this" },
      { type: "tool_result", callId: "t1", output: "ok", isError: true },
    ],
  },
];

describe("one conversation, three wire forms", () => {
  it("Anthropic: only Anthropic-signed thinking goes back, redacted as data; tool results first; bad JSON as {}", () => {
    const body = anthropicBody(req(MIXED), model("claude-sonnet-4-6"), { promptCaching: false });
    const messages = body.messages as { content: Record<string, unknown>[] }[];
    expect(messages[1]?.content).toEqual([
      { type: "thinking", thinking: "claude thought", signature: "c2ln" },
      { type: "redacted_thinking", data: "cmVkYWN0ZWQ=" },
      { type: "tool_use", id: "t1", name: "run", input: {} },
    ]);
    expect(messages[2]?.content.map((b) => b.type)).toEqual(["tool_result", "text"]);
    expect(messages[2]?.content[0]).toEqual({
      type: "tool_result",
      tool_use_id: "t1",
      content: "ok",
      is_error: true,
    });
  });

  it("Anthropic: a thinking budget keeps max_tokens above it and drops temperature", () => {
    const body = anthropicBody(
      req(MIXED, { thinkingBudgetTokens: 500, maxOutputTokens: 800, temperature: 0.2 }),
      model("claude-haiku-4-5"),
    );
    expect(body).toMatchObject({ max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 } });
    expect(body.temperature).toBeUndefined();
  });

  it("Anthropic: keeps thinking off while answering tool calls made without Anthropic thinking", () => {
    const fromGpt: Message[] = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      { role: "assistant", content: [{ type: "tool_use", callId: "c", name: "run", argumentsJson: "{}" }] },
      { role: "user", content: [{ type: "tool_result", callId: "c", output: "ok", isError: false }] },
    ];
    const budget = { thinkingBudgetTokens: 4000 };
    expect(anthropicBody(req(fromGpt, budget), model("claude-opus-4-8")).thinking).toBeUndefined();
    const withThinking = structuredClone(fromGpt);
    withThinking[1]?.content.unshift({ type: "thinking", text: "t", signature: "c2ln", redacted: false });
    expect(anthropicBody(req(withThinking, budget), model("claude-opus-4-8")).thinking).toBeDefined();
    expect(anthropicBody(req(fromGpt.slice(0, 1), budget), model("claude-opus-4-8")).thinking).toBeDefined();
  });

  it("Responses: only OpenAI reasoning goes back, as an encrypted item", () => {
    const body = responsesBody(req(MIXED), model("gpt-5.4"));
    const input = body.input as Record<string, unknown>[];
    expect(input.filter((i) => i.type === "reasoning")).toEqual([
      {
        type: "reasoning",
        summary: [{ type: "summary_text", text: "gpt thought" }],
        encrypted_content: "enc",
      },
    ]);
  });

  it("Chat: the OpenAI dialect only for api.openai.com", () => {
    expect(dialectOf("https://api.openai.com/v1")).toBe("openai");
    expect(dialectOf("http://127.0.0.1:11434/v1")).toBe("compat");
    const openai = chatBody(
      req(MIXED, { thinkingBudgetTokens: 8000, temperature: 0 }),
      model("gpt-5"),
      "openai",
    );
    expect(openai).toMatchObject({ max_completion_tokens: 128000, reasoning_effort: "medium" });
    expect(openai.temperature).toBeUndefined();
    const local = chatBody(req(MIXED, { temperature: 0 }), model("vllm-local"), "compat");
    expect(local).toMatchObject({ max_tokens: 8192, temperature: 0, model: "default" });
    expect(local.reasoning_effort).toBeUndefined();
  });

  it("normalises: drops empty messages, merges neighbours, opens with the user", () => {
    const out = normalizeConversation(
      [
        { role: "assistant", content: [{ type: "text", text: "a" }] },
        { role: "user", content: [{ type: "text", text: "" }] },
        { role: "assistant", content: [{ type: "text", text: "b" }] },
      ],
      () => true,
    );
    expect(out.map((m) => [m.role, m.content.length])).toEqual([
      ["user", 1],
      ["assistant", 2],
    ]);
  });
});

describe("error classification and waits", () => {
  const hint = { provider: "anthropic", apiKeyEnv: "ANTHROPIC_API_KEY" };

  it("maps statuses and bodies to stable codes", () => {
    expect(classifyProviderError(529, {}, hint)).toMatchObject({ code: "overloaded", retryable: true });
    expect(classifyProviderError(500, {}, hint)).toMatchObject({ code: "server_error", retryable: true });
    expect(classifyProviderError(408, {}, hint)).toMatchObject({ code: "timeout", retryable: true });
    expect(classifyProviderError(403, {}, hint)).toMatchObject({ code: "permission", retryable: false });
    expect(classifyProviderError(404, { error: "model 'x' not found" }, hint)).toMatchObject({
      code: "not_found",
    });
    expect(classifyProviderError(413, {}, hint)).toMatchObject({
      code: "request_too_large",
      retryable: false,
    });
    expect(
      classifyProviderError(
        400,
        { error: { message: "the request exceeds the available context size" } },
        hint,
      ).code,
    ).toBe("context_length");
    const auth = classifyProviderError(
      401,
      { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } },
      hint,
    );
    expect(auth.message).toBe(
      "Authentication failed (anthropic 401 authentication_error: invalid x-api-key). Set ANTHROPIC_API_KEY to a valid API key for anthropic.",
    );
  });

  it("reads retry-after-ms, retry-after seconds and HTTP dates, and the message hint", () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(retryAfterFromHeaders(new Headers({ "retry-after-ms": "250.5", "retry-after": "9" }), now)).toBe(
      250.5,
    );
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "1.5" }), now)).toBe(1500);
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now)).toBe(
      7000,
    );
    expect(retryAfterFromHeaders(new Headers({}), now)).toBeUndefined();
    expect(retryHintFromMessage("Please try again in 6m0s.")).toBe(360_000);
    expect(retryHintFromMessage("Please try again in 20ms.")).toBe(20);
  });

  it("backs off exponentially up to the cap, with jitter that only shortens", () => {
    const settings = config.retry;
    const error = { code: "overloaded" as const, message: "", retryable: true };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(error, n, settings, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelay(error, 1, settings, () => 1)).toBe(375);
    expect(retryDelay({ ...error, retryAfterMs: 61_000 }, 1, settings, () => 0)).toBeUndefined();
  });
});
