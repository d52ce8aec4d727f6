import type { ScriptedTurn } from "@toad/testkit";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { openaiClient, useMockLlm } from "./helpers.js";

const startMock = useMockLlm();

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: "user", content: "Weather in Edinburgh, and the AAPL price?" },
];

const turn: ScriptedTurn = {
  content: [
    { type: "thinking", text: "Two lookups are needed." },
    { type: "text", text: "Let me look both up." },
    {
      type: "tool_call",
      id: "call_weather1",
      name: "get_weather",
      arguments: { city: "Edinburgh", units: "c" },
    },
    { type: "tool_call", id: "call_stock1", name: "get_stock_price", arguments: { ticker: "AAPL" } },
  ],
  usage: { inputTokens: 100, outputTokens: 60, cacheReadTokens: 40, cacheWriteTokens: 9, reasoningTokens: 6 },
};

describe("OpenAI Chat Completions, streaming", () => {
  it("is assembled by the SDK's ChatCompletionStream into text, parallel tool calls, finish reason and usage", async () => {
    const server = await startMock({ script: { turns: [turn] } });
    const stream = openaiClient(server).chat.completions.stream({
      model: "gpt-4o",
      messages,
      stream_options: { include_usage: true },
    });
    const argumentDone: string[] = [];
    stream.on("tool_calls.function.arguments.done", (event) => argumentDone.push(event.arguments));
    const completion = await stream.finalChatCompletion();

    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("Let me look both up.");
    expect(choice?.message.tool_calls).toEqual([
      {
        id: "call_weather1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Edinburgh","units":"c"}' },
      },
      {
        id: "call_stock1",
        type: "function",
        function: { name: "get_stock_price", arguments: '{"ticker":"AAPL"}' },
      },
    ]);
    expect(argumentDone).toEqual(['{"city":"Edinburgh","units":"c"}', '{"ticker":"AAPL"}']);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 149,
      completion_tokens: 60,
      total_tokens: 209,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 6 },
    });
    expect(completion.model).toBe("gpt-4o");
  });

  it("sends chunks in the recorded shape: role first, tool call opened then continued by index, empty-delta finish, choices:[] usage", async () => {
    const server = await startMock({ script: { turns: [turn] } });
    const { data, response } = await openaiClient(server)
      .chat.completions.create({
        model: "gpt-4o",
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of data) chunks.push(chunk);

    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("4000");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("3999");
    expect(response.headers.get("x-ratelimit-reset-tokens")).toBe("0s");

    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "", refusal: null });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    const reasoning = chunks
      .map(
        (chunk) => (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content,
      )
      .filter((text) => text !== undefined);
    expect(reasoning.join("")).toBe("Two lookups are needed.");

    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: "call_weather1",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(toolDeltas[1]).toEqual({ index: 0, function: { arguments: expect.any(String) } });
    const opening = toolDeltas.filter((delta) => delta.id !== undefined);
    expect(opening.map((delta) => delta.index)).toEqual([0, 1]);
    const argsOf = (index: number): string =>
      toolDeltas
        .filter((delta) => delta.index === index)
        .map((delta) => delta.function?.arguments ?? "")
        .join("");
    expect(argsOf(1)).toBe('{"ticker":"AAPL"}');

    const finish = chunks.at(-2);
    expect(finish?.choices[0]).toMatchObject({ delta: {}, finish_reason: "tool_calls" });
    const usage = chunks.at(-1);
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage?.prompt_tokens_details?.cached_tokens).toBe(40);
  });

  it("ends with data: [DONE] and sends no usage chunk without include_usage", async () => {
    const server = await startMock({
      script: { turns: [{ content: [{ type: "text", text: "Hello there" }] }] },
    });
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages, stream: true }),
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    const events = text.split("\n\n").filter((frame) => frame !== "");
    expect(events.every((frame) => frame.startsWith("data: ") && !frame.includes("\nevent:"))).toBe(true);
    const payloads = events
      .slice(0, -1)
      .map((frame) => JSON.parse(frame.slice(6)) as Record<string, unknown>);
    expect(payloads.some((payload) => "usage" in payload)).toBe(false);
    expect(payloads.at(-1)).toMatchObject({ choices: [{ delta: {}, finish_reason: "stop" }] });
  });

  it("maps stop reasons: end_turn->stop, max_tokens->length, refusal->content_filter", async () => {
    const server = await startMock({
      script: {
        turns: [
          { content: [{ type: "text", text: "done" }] },
          { content: [{ type: "text", text: "trunc" }], stopReason: "max_tokens" },
          { content: [{ type: "text", text: "no" }], stopReason: "refusal" },
        ],
      },
    });
    const client = openaiClient(server);
    const reasons: Array<string | null | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const stream = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true });
      for await (const chunk of stream) {
        if (chunk.choices[0]?.finish_reason) reasons.push(chunk.choices[0].finish_reason);
      }
    }
    expect(reasons).toEqual(["stop", "length", "content_filter"]);
  });
});

describe("OpenAI Chat Completions, non-streaming", () => {
  it("returns a chat.completion with the tool calls, reasoning and usage", async () => {
    const server = await startMock({ script: { turns: [turn] } });
    const completion = await openaiClient(server).chat.completions.create({ model: "gpt-4o", messages });
    expect(completion.object).toBe("chat.completion");
    const message = completion.choices[0]?.message;
    expect(message?.content).toBe("Let me look both up.");
    expect(
      message?.tool_calls?.map((call) => (call.type === "function" ? call.function : undefined)),
    ).toEqual([
      { name: "get_weather", arguments: '{"city":"Edinburgh","units":"c"}' },
      { name: "get_stock_price", arguments: '{"ticker":"AAPL"}' },
    ]);
    expect((message as { reasoning_content?: string } | undefined)?.reasoning_content).toBe(
      "Two lookups are needed.",
    );
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(completion.usage).toMatchObject({ prompt_tokens: 149, completion_tokens: 60, total_tokens: 209 });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(40);
  });

  it("sends content null when a turn has only tool calls", async () => {
    const server = await startMock({
      script: { turns: [{ content: [{ type: "tool_call", name: "ls", arguments: { path: "." } }] }] },
    });
    const completion = await openaiClient(server).chat.completions.create({ model: "gpt-4o", messages });
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(completion.choices[0]?.message.tool_calls?.[0]?.id).toMatch(/^call_/);
  });
});
