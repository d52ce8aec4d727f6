import { type AgentEventBody, conversationFromEvents, type Message, type ModelStreamEvent } from "@toad/core";
import type { MockLlmServer } from "@toad/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { collect, harness, ofType, READ_FILE_TOOL, request, textOf } from "./helpers/mock.js";

// Each provider adapter against the scripted server: what it sends (recorded
// requests) and what it yields (core events), across a tool round trip.

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What the agent loop does between turns: log the tool results, fold the log. */
function nextConversation(before: Message[], events: ModelStreamEvent[], output: string): Message[] {
  const results: AgentEventBody[] = ofType(events, "tool_call_complete").map((call) => ({
    type: "tool_result",
    callId: call.callId,
    name: call.name,
    output,
    isError: false,
    durationMs: 1,
  }));
  return [...before, ...conversationFromEvents([...events, ...results])];
}

const FIRST: Message[] = [{ role: "user", content: [{ type: "text", text: "read a.ts" }] }];

describe("anthropic messages", () => {
  it("streams text, prices usage by the registry and sends the SDK's headers", async () => {
    const h = await harness([
      {
        content: [{ type: "text", text: "Hello there, friend." }],
        usage: { inputTokens: 1000, outputTokens: 200 },
      },
    ]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-sonnet-4-5" })));
    expect(events[0]).toEqual({
      type: "turn_start",
      turn: 1,
      model: "claude-sonnet-4-5",
      provider: "anthropic",
    });
    expect(events.at(-1)).toEqual({ type: "turn_end", turn: 1, stopReason: "end_turn" });
    expect(textOf(events)).toBe("Hello there, friend.");
    const [usage] = ofType(events, "usage");
    expect(usage).toMatchObject({ model: "claude-sonnet-4-5", inputTokens: 1000, outputTokens: 200 });
    expect(usage?.costUsd).toBeCloseTo(1000 * 3e-6 + 200 * 15e-6, 12);
    const sent = h.server.requests[0];
    expect(sent?.path).toBe("/v1/messages");
    expect(sent?.headers["x-api-key"]).toBe("sk-ant-test");
    expect(sent?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent?.body).toMatchObject({ model: "claude-sonnet-4-5", stream: true, max_tokens: 64000 });
  });

  it("assembles tool arguments, then carries thinking and its signature into the next turn", async () => {
    const h = await harness([
      {
        content: [
          { type: "thinking", text: "The user wants a.ts.", signature: "sig-Zm9vYmFy" },
          { type: "text", text: "Reading it." },
          {
            type: "tool_call",
            id: "toolu_1",
            name: "read_file",
            arguments: { path: "src/a.ts", lines: [1, 40] },
          },
        ],
      },
      { match: { toolResult: "export const a" }, content: [{ type: "text", text: "It exports a." }] },
    ]);
    server = h.server;
    const req = request({
      model: "claude-opus-4-8",
      messages: FIRST,
      tools: [READ_FILE_TOOL],
      thinkingBudgetTokens: 4000,
    });
    const first = await collect(h.client.stream(req));
    expect(ofType(first, "tool_call_start")).toEqual([
      { type: "tool_call_start", callId: "toolu_1", name: "read_file" },
    ]);
    expect(ofType(first, "tool_call_delta").length).toBeGreaterThan(2);
    const [complete] = ofType(first, "tool_call_complete");
    expect(JSON.parse(complete?.argumentsJson ?? "")).toEqual({ path: "src/a.ts", lines: [1, 40] });
    expect(first.at(-1)).toMatchObject({ type: "turn_end", stopReason: "tool_use" });
    expect(ofType(first, "thinking_delta").at(-1)).toMatchObject({ signature: "sig-Zm9vYmFy" });

    const messages = nextConversation(FIRST, first, "export const a = 1;");
    const second = await collect(h.client.stream({ ...req, turn: 2, messages }));
    expect(textOf(second)).toBe("It exports a.");

    const body = h.server.requests[1]?.body as {
      messages: { role: string; content: Record<string, unknown>[] }[];
    };
    expect(h.server.requests[0]?.body).toMatchObject({
      thinking: { type: "enabled", budget_tokens: 4000 },
      tools: [
        {
          name: "read_file",
          description: READ_FILE_TOOL.description,
          input_schema: READ_FILE_TOOL.inputSchema,
        },
      ],
    });
    const assistant = body.messages[1]?.content ?? [];
    expect(assistant[0]).toEqual({
      type: "thinking",
      thinking: "The user wants a.ts.",
      signature: "sig-Zm9vYmFy",
    });
    expect(assistant.map((b) => b.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(assistant[2]).toMatchObject({ id: "toolu_1", input: { path: "src/a.ts", lines: [1, 40] } });
    expect(body.messages[2]?.content[0]).toMatchObject({
      type: "tool_result",
      tool_use_id: "toolu_1",
      content: "export const a = 1;",
    });
  });

  it("does not complete a tool call whose arguments max_tokens cut off", async () => {
    const h = await harness([
      {
        content: [
          { type: "tool_call", name: "write_file", rawArguments: '{"path": "a.ts", "text": "unfinis' },
        ],
        stopReason: "max_tokens",
      },
    ]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-haiku-4-5" })));
    expect(ofType(events, "tool_call_start")).toHaveLength(1);
    expect(ofType(events, "tool_call_complete")).toEqual([]);
    expect(events.at(-1)).toMatchObject({ stopReason: "max_tokens" });
  });

  it("passes malformed but finished arguments through for the tool pipeline to answer", async () => {
    const h = await harness([
      { content: [{ type: "tool_call", name: "edit", rawArguments: '{"path": a.ts}' }] },
    ]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-haiku-4-5" })));
    expect(ofType(events, "tool_call_complete")[0]?.argumentsJson).toBe('{"path": a.ts}');
    expect(events.at(-1)).toMatchObject({ stopReason: "tool_use" });
  });

  it("maps a refusal with no content", async () => {
    const h = await harness([{ content: [], stopReason: "refusal" }]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-haiku-4-5" })));
    expect(events.map((e) => e.type)).toEqual(["turn_start", "usage", "turn_end"]);
    expect(events.at(-1)).toMatchObject({ stopReason: "refusal" });
  });
});

describe("openai chat completions (and compatible servers by base URL)", () => {
  it("streams parallel tool calls keyed by index, reasoning as thinking, cached usage", async () => {
    const h = await harness(
      [
        {
          content: [
            { type: "thinking", text: "Two files." },
            { type: "tool_call", id: "call_a", name: "read_file", arguments: { path: "a.ts" } },
            { type: "tool_call", id: "call_b", name: "read_file", arguments: { path: "b.ts" } },
          ],
          usage: { inputTokens: 100, cacheReadTokens: 900, outputTokens: 50 },
        },
        { match: { toolResult: "B!" }, content: [{ type: "text", text: "Done." }], stopReason: "end_turn" },
      ],
      {
        layer: {
          tiers: { balanced: ["gpt-5.1-codex"] },
          models: { "gpt-5.1-codex": { provider: "openai-chat" } },
        },
      },
    );
    server = h.server;
    const req = request({ messages: FIRST, tools: [READ_FILE_TOOL] });
    const first = await collect(h.client.stream(req));
    expect(first[0]).toMatchObject({ model: "gpt-5.1-codex", provider: "openai-chat" });
    expect(ofType(first, "tool_call_complete").map((c) => [c.callId, JSON.parse(c.argumentsJson)])).toEqual([
      ["call_a", { path: "a.ts" }],
      ["call_b", { path: "b.ts" }],
    ]);
    expect(
      ofType(first, "thinking_delta")
        .map((e) => e.text)
        .join(""),
    ).toBe("Two files.");
    const [usage] = ofType(first, "usage");
    expect(usage).toMatchObject({ inputTokens: 100, cacheReadTokens: 900, outputTokens: 50 });
    expect(usage?.costUsd).toBeCloseTo(100 * 1.25e-6 + 900 * 0.125e-6 + 50 * 10e-6, 12);
    expect(first.at(-1)).toMatchObject({ stopReason: "tool_use" });

    const sent = h.server.requests[0];
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-openai-test");
    // A loopback base URL is an OpenAI-compatible server: max_tokens, not max_completion_tokens.
    expect(sent?.body).toMatchObject({ stream_options: { include_usage: true }, max_tokens: 128000 });
    expect(sent?.body).toMatchObject({ tools: [{ type: "function", function: { name: "read_file" } }] });

    const messages = nextConversation(FIRST, first, "B!");
    const second = await collect(h.client.stream({ ...req, turn: 2, messages }));
    expect(textOf(second)).toBe("Done.");
    const body = h.server.requests[1]?.body as { messages: Record<string, unknown>[] };
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "tool"]);
    expect(body.messages[2]).toMatchObject({
      content: null,
      tool_calls: [
        { id: "call_a", function: { name: "read_file", arguments: '{"path":"a.ts"}' } },
        { id: "call_b" },
      ],
    });
    expect(JSON.stringify(body.messages[2])).not.toContain("Two files");
    expect(body.messages[4]).toEqual({ role: "tool", tool_call_id: "call_b", content: "B!" });
  });

  it("reaches a keyless local server (Ollama style, delta.reasoning) configured by base URL", async () => {
    const h = await harness(
      [
        {
          content: [
            { type: "thinking", text: "hmm" },
            { type: "text", text: "local answer" },
          ],
        },
      ],
      {
        env: { OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined },
        server: { chatReasoningField: "reasoning" },
        layer: (s) => ({
          providers: { ollama: { baseUrl: `${s.url}/v1` } },
          models: { "ollama-local": { apiModel: "qwen3-coder:30b", tier: "fast" } },
        }),
      },
    );
    server = h.server;
    // The fast tier's cloud models have no key here, so the local model answers.
    const events = await collect(h.client.stream(request({ tier: "fast" })));
    expect(events[0]).toMatchObject({ model: "ollama-local", provider: "ollama" });
    expect(textOf(events)).toBe("local answer");
    expect(
      ofType(events, "thinking_delta")
        .map((e) => e.text)
        .join(""),
    ).toBe("hmm");
    expect(ofType(events, "usage")[0]?.costUsd).toBe(0);
    expect(h.server.requests[0]?.headers.authorization).toBeUndefined();
    expect(h.server.requests[0]?.body).toMatchObject({ model: "qwen3-coder:30b", max_tokens: 8192 });
  });

  it("maps length to max_tokens and content_filter to refusal", async () => {
    const h = await harness(
      [
        { content: [{ type: "text", text: "cut" }], stopReason: "max_tokens" },
        { content: [], stopReason: "refusal" },
      ],
      { layer: { models: { "gpt-5-mini": { provider: "openai-chat" } } } },
    );
    server = h.server;
    const a = await collect(h.client.stream(request({ model: "gpt-5-mini" })));
    const b = await collect(h.client.stream(request({ model: "gpt-5-mini" })));
    expect(a.at(-1)).toMatchObject({ stopReason: "max_tokens" });
    expect(b.at(-1)).toMatchObject({ stopReason: "refusal" });
  });
});

describe("openai responses", () => {
  it("streams function calls by call_id and sends encrypted reasoning back verbatim", async () => {
    const h = await harness([
      {
        content: [
          { type: "thinking", text: "Plan: read.", signature: "gAAAAB-encrypted-blob" },
          { type: "tool_call", id: "call_r1", name: "read_file", arguments: { path: "a.ts" } },
        ],
        usage: { inputTokens: 10, cacheReadTokens: 3000, outputTokens: 20 },
      },
      { match: { toolResult: "content of a" }, content: [{ type: "text", text: "Read." }] },
    ]);
    server = h.server;
    const req = request({
      model: "gpt-5.5",
      messages: FIRST,
      tools: [READ_FILE_TOOL],
      thinkingBudgetTokens: 20000,
    });
    const first = await collect(h.client.stream(req));
    expect(first[0]).toMatchObject({ provider: "openai", model: "gpt-5.5" });
    expect(ofType(first, "tool_call_complete")).toEqual([
      { type: "tool_call_complete", callId: "call_r1", name: "read_file", argumentsJson: '{"path":"a.ts"}' },
    ]);
    expect(ofType(first, "usage")[0]).toMatchObject({ inputTokens: 10, cacheReadTokens: 3000 });
    expect(h.server.requests[0]?.body).toMatchObject({
      instructions: "You are TOAD.",
      store: false,
      include: ["reasoning.encrypted_content"],
      reasoning: { effort: "high" },
      tools: [{ type: "function", name: "read_file", parameters: READ_FILE_TOOL.inputSchema }],
    });

    const messages = nextConversation(FIRST, first, "content of a");
    const second = await collect(h.client.stream({ ...req, turn: 2, messages }));
    expect(textOf(second)).toBe("Read.");
    const input =
      (h.server.requests[1]?.body as { input: Record<string, unknown>[] } | undefined)?.input ?? [];
    expect(input.map((i) => i.type ?? i.role)).toEqual([
      "user",
      "reasoning",
      "function_call",
      "function_call_output",
    ]);
    expect(input[1]).toMatchObject({ encrypted_content: "gAAAAB-encrypted-blob" });
    expect(input[3]).toEqual({ type: "function_call_output", call_id: "call_r1", output: "content of a" });
  });

  it("reports an incomplete response as max_tokens", async () => {
    const h = await harness([
      { content: [{ type: "text", text: "partial answer" }], stopReason: "max_tokens" },
    ]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "gpt-5" })));
    expect(textOf(events)).toBe("partial answer");
    expect(events.at(-1)).toMatchObject({ stopReason: "max_tokens" });
  });
});
