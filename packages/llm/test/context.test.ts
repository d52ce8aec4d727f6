import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Message } from "@toad/core";
import type { MockLlmServer } from "@toad/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { chooseCut, compactConversation, SUMMARY_OPEN, SUMMARY_SYSTEM, safeCuts } from "../src/compact.js";
import {
  countMessageTokens,
  countRequestTokens,
  estimateCounter,
  estimateTokens,
  loadTiktokenCounter,
  type TokenCounter,
} from "../src/tokens.js";
import { collect, harness, ofType, request } from "./helpers/mock.js";
import { FIXTURES_DIR } from "./helpers/paths.js";

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

let tiktoken: TokenCounter;
beforeAll(async () => {
  tiktoken = await loadTiktokenCounter();
});

describe("token counting", () => {
  it("counts with the real o200k_base tokenizer, offline", () => {
    expect(tiktoken.name).toBe("o200k_base");
    expect(tiktoken.count("hello world")).toBe(2);
    expect(tiktoken.count("<|endoftext|> is just text here")).toBeGreaterThan(3);
  });

  it("estimates within 15% of the tokenizer on code, prose and wire JSON", () => {
    const samples = [
      readFileSync(join(import.meta.dirname, "../src/client.ts"), "utf8"),
      readFileSync(join(import.meta.dirname, "../src/wire/anthropic-stream.ts"), "utf8"),
      readFileSync(join(FIXTURES_DIR, "llm_streaming.md"), "utf8"),
      readFileSync(join(FIXTURES_DIR, "openai_chat/oaipy_tool_calls_parallel_two.sse"), "utf8"),
    ];
    for (const text of samples) {
      const real = tiktoken.count(text);
      expect(Math.abs(estimateTokens(text) - real) / real).toBeLessThan(0.15);
    }
  });

  it("counts every part of a request", () => {
    const message: Message = {
      role: "assistant",
      content: [
        { type: "text", text: "Reading." },
        { type: "tool_use", callId: "c1", name: "read_file", argumentsJson: '{"path":"a.ts"}' },
      ],
    };
    const base = countRequestTokens({ system: "", tools: [], messages: [] }, estimateCounter);
    expect(base).toBe(0);
    const full = countRequestTokens(
      { system: "You are TOAD.", tools: [], messages: [message] },
      estimateCounter,
    );
    expect(full).toBe(estimateTokens("You are TOAD.") + countMessageTokens(message, estimateCounter));
  });
});

/** A session of `rounds` tool calls, each with a bulky result, then a question. */
function session(rounds: number): Message[] {
  const messages: Message[] = [
    { role: "user", content: [{ type: "text", text: "Audit every file for bugs." }] },
  ];
  for (let i = 1; i <= rounds; i++) {
    messages.push({
      role: "assistant",
      content: [
        { type: "text", text: `Looking at f${i}.ts.` },
        { type: "tool_use", callId: `call_${i}`, name: "read_file", argumentsJson: `{"path":"f${i}.ts"}` },
      ],
    });
    const body = `export function f${i}(x: number): number {\n  return x * ${i}; // line\n}\n`.repeat(20);
    messages.push({
      role: "user",
      content: [{ type: "tool_result", callId: `call_${i}`, output: body, isError: false }],
    });
  }
  messages.push({ role: "assistant", content: [{ type: "text", text: "All read." }] });
  messages.push({ role: "user", content: [{ type: "text", text: "Now fix f6." }] });
  return messages;
}

function pairsIntact(messages: Message[]): boolean {
  const uses = messages.flatMap((m) => m.content.flatMap((b) => (b.type === "tool_use" ? [b.callId] : [])));
  const results = messages.flatMap((m) =>
    m.content.flatMap((b) => (b.type === "tool_result" ? [b.callId] : [])),
  );
  return JSON.stringify([...uses].sort()) === JSON.stringify([...results].sort());
}

describe("safe cuts", () => {
  it("never separates parallel tool calls from their results", () => {
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", callId: "a", name: "t", argumentsJson: "{}" },
          { type: "tool_use", callId: "b", name: "t", argumentsJson: "{}" },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", callId: "a", output: "1", isError: false },
          { type: "tool_result", callId: "b", output: "2", isError: false },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "done" }] },
    ];
    expect(safeCuts(messages)).toEqual([true, true, false, true]);
    // Keeping 1 token would cut at 3; keeping a lot may not cut at 2.
    expect(chooseCut([5, 5, 5, 5], safeCuts(messages), 1)).toBe(3);
    expect(chooseCut([5, 5, 5, 5], safeCuts(messages), 8)).toBe(1);
  });
});

describe("compactConversation", () => {
  const SUMMARY = "The user asked for an audit; f1.ts to f6.ts were read; nothing changed yet.";

  it("summarises old turns with the fast model and keeps recent pairs whole", async () => {
    const h = await harness([
      { match: { anyText: "Summarise this session transcript" }, content: [{ type: "text", text: SUMMARY }] },
    ]);
    server = h.server;
    const messages = session(6);
    const tokens = messages.reduce((sum, m) => sum + countMessageTokens(m, estimateCounter), 0);
    const result = await compactConversation({
      messages,
      client: h.client,
      counter: estimateCounter,
      contextWindow: Math.ceil(tokens / 0.9),
    });
    if (!result.compacted) throw new Error(`not compacted: ${result.reason}`);
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore / 2);
    expect(result.summary).toBe(SUMMARY);
    const first = result.messages[0];
    expect(first?.role).toBe("user");
    expect(first?.content[0]).toMatchObject({
      type: "text",
      text: expect.stringContaining(`${SUMMARY_OPEN}\n${SUMMARY}`),
    });
    expect(pairsIntact(result.messages)).toBe(true);
    expect(result.messages.at(-1)).toEqual(messages.at(-1));
    expect(result.messages.length).toBe(
      messages.length -
        result.replacedMessages +
        (messages[result.replacedMessages]?.role === "user" ? 0 : 1),
    );
    expect(ofType(result.events, "usage")).toHaveLength(1);

    const sent = h.server.requests[0]?.body as Record<string, unknown>;
    expect(sent.model).toBe("claude-haiku-4-5");
    expect(sent.tools).toBeUndefined();
    expect(sent.system).toMatchObject([{ text: SUMMARY_SYSTEM }]);
    expect(JSON.stringify(sent.messages)).toContain("[assistant called read_file]");
  });

  it("leaves a conversation under the threshold alone, with no request", async () => {
    const h = await harness([]);
    server = h.server;
    const messages = session(2);
    const result = await compactConversation({
      messages,
      client: h.client,
      counter: estimateCounter,
      contextWindow: 200_000,
    });
    expect(result).toMatchObject({ compacted: false, reason: "under_threshold" });
    expect(result.messages).toEqual(messages);
    expect(h.server.requests).toHaveLength(0);
  });

  it("keeps the conversation when the summary cannot be written", async () => {
    const h = await harness([{ fault: { kind: "http", status: 400, message: "bad" } }]);
    server = h.server;
    const messages = session(4);
    const result = await compactConversation({
      messages,
      client: h.client,
      counter: estimateCounter,
      contextWindow: 1000,
    });
    expect(result).toMatchObject({
      compacted: false,
      reason: "summary_failed",
      error: { code: "invalid_request" },
    });
    expect(result.messages).toEqual(messages);
  });

  it("recovers from a context_length error: compact, then the same request fits", async () => {
    const h = await harness([
      { fault: { kind: "http", status: 400, message: "prompt is too long: 212000 tokens > 200000 maximum" } },
      { match: { anyText: "Summarise this session transcript" }, content: [{ type: "text", text: SUMMARY }] },
      { content: [{ type: "text", text: "Fixed f6." }] },
    ]);
    server = h.server;
    let messages = session(6);
    const first = await collect(h.client.stream(request({ model: "claude-sonnet-4-6", messages })));
    expect(ofType(first, "error")[0]?.code).toBe("context_length");
    const result = await compactConversation({
      messages,
      client: h.client,
      counter: estimateCounter,
      contextWindow: 200_000,
      force: true,
    });
    if (!result.compacted) throw new Error(result.reason);
    messages = result.messages;
    const second = await collect(h.client.stream(request({ model: "claude-sonnet-4-6", messages })));
    expect(second.at(-1)).toMatchObject({ stopReason: "end_turn" });
    const sent = h.server.requests[2]?.body as { messages: { role: string }[] };
    expect(sent.messages[0]?.role).toBe("user");
    expect(JSON.stringify(sent.messages[0])).toContain(SUMMARY);
  });
});
