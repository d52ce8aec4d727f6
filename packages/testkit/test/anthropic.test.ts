import type Anthropic from "@anthropic-ai/sdk";
import type { ScriptedTurn } from "@toad/testkit";
import { describe, expect, it } from "vitest";
import { anthropicClient, useMockLlm } from "./helpers.js";

const startMock = useMockLlm();

const params = {
  model: "claude-toad-test",
  max_tokens: 1024,
  messages: [{ role: "user" as const, content: "What is the weather in Paris?" }],
};

const richTurn: ScriptedTurn = {
  content: [
    { type: "thinking", text: "The user wants the weather. I should call the tool.", signature: "sig-abc==" },
    { type: "text", text: "I'll check the current weather in Paris for you." },
    {
      type: "tool_call",
      id: "toolu_01Mock",
      name: "get_weather",
      arguments: { location: "Paris", unit: "c" },
    },
  ],
  usage: { inputTokens: 377, outputTokens: 65, cacheReadTokens: 6289, cacheWriteTokens: 3068 },
};

describe("Anthropic Messages, streaming", () => {
  it("is assembled by the SDK's MessageStream into thinking, text and a tool call, with usage and stop reason", async () => {
    const server = await startMock({ script: { turns: [richTurn] } });
    const stream = anthropicClient(server).messages.stream(params);
    const events: Anthropic.MessageStreamEvent[] = [];
    stream.on("streamEvent", (event) => events.push(event));
    const message = await stream.finalMessage();

    expect(message.model).toBe("claude-toad-test");
    expect(message.id).toMatch(/^msg_01/);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      {
        type: "thinking",
        thinking: "The user wants the weather. I should call the tool.",
        signature: "sig-abc==",
      },
      { type: "text", text: "I'll check the current weather in Paris for you." },
      { type: "tool_use", id: "toolu_01Mock", name: "get_weather", input: { location: "Paris", unit: "c" } },
    ]);
    expect(message.usage).toMatchObject({
      input_tokens: 377,
      output_tokens: 65,
      cache_read_input_tokens: 6289,
      cache_creation_input_tokens: 3068,
    });

    const types = events.map((event) => event.type);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(types).not.toContain("ping"); // the SDK drops pings; the raw-bytes test below sees them
    const toolDeltas = events.flatMap((event) =>
      event.type === "content_block_delta" && event.delta.type === "input_json_delta"
        ? [event.delta.partial_json]
        : [],
    );
    expect(toolDeltas[0]).toBe("");
    expect(toolDeltas.length).toBeGreaterThan(3);
    expect(toolDeltas.join("")).toBe('{"location":"Paris","unit":"c"}');
    const signature = events.find(
      (event) => event.type === "content_block_delta" && event.delta.type === "signature_delta",
    );
    expect(signature).toBeDefined();
    const start = events[0];
    expect(start?.type === "message_start" && start.message.usage.cache_read_input_tokens).toBe(6289);
  });

  it("writes `event: <type>` + `data: <json>` frames whose names match data.type, pings included", async () => {
    const server = await startMock({ script: { turns: [richTurn] } });
    const res = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ ...params, stream: true }),
    });
    const text = await res.text();
    expect(text.endsWith("\n\n")).toBe(true);
    const frames = text.slice(0, -2).split("\n\n");
    for (const frame of frames) {
      const [eventLine, dataLine, ...rest] = frame.split("\n");
      expect(rest).toEqual([]);
      const name = eventLine?.replace(/^event: /, "");
      expect(JSON.parse(dataLine?.replace(/^data: /, "") ?? "").type).toBe(name);
    }
    expect(frames.filter((frame) => frame.startsWith("event: ping\n"))).toHaveLength(1);
  });

  it("sends SSE with request-id and rate-limit headers", async () => {
    const server = await startMock({ script: { turns: [{ content: [{ type: "text", text: "hi" }] }] } });
    const { data, response } = await anthropicClient(server)
      .messages.create({ ...params, stream: true })
      .withResponse();
    const chunks: string[] = [];
    for await (const event of data) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta")
        chunks.push(event.delta.text);
    }
    expect(chunks.join("")).toBe("hi");
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    expect(response.headers.get("anthropic-ratelimit-requests-limit")).toBe("4000");
    expect(response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("3999");
    expect(response.headers.get("anthropic-ratelimit-tokens-reset")).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it("reports max_tokens and refusal (with zero content blocks) faithfully", async () => {
    const server = await startMock({
      script: {
        turns: [
          { content: [{ type: "text", text: "This answer is cut" }], stopReason: "max_tokens" },
          { content: [], stopReason: "refusal" },
        ],
      },
    });
    const client = anthropicClient(server);
    const cut = await client.messages.stream(params).finalMessage();
    expect(cut.stop_reason).toBe("max_tokens");
    const refused = await client.messages.stream(params).finalMessage();
    expect(refused.stop_reason).toBe("refusal");
    expect(refused.content).toEqual([]);
  });

  it("streams a tool call without arguments as a single empty fragment the SDK reads as {}", async () => {
    const server = await startMock({
      script: { turns: [{ content: [{ type: "tool_call", name: "list_files" }] }] },
    });
    const message = await anthropicClient(server).messages.stream(params).finalMessage();
    expect(message.content[0]).toMatchObject({ type: "tool_use", name: "list_files", input: {} });
    expect(message.content[0]?.type === "tool_use" && message.content[0].id).toMatch(/^toolu_01/);
    expect(message.stop_reason).toBe("tool_use");
  });

  it("computes default usage from sizes when the turn gives none", async () => {
    const server = await startMock({
      script: { turns: [{ content: [{ type: "text", text: "a".repeat(40) }] }] },
    });
    const message = await anthropicClient(server).messages.stream(params).finalMessage();
    expect(message.usage.input_tokens).toBeGreaterThan(10);
    expect(message.usage.output_tokens).toBe(10);
    expect(message.usage.cache_read_input_tokens).toBe(0);
    expect(message.stop_reason).toBe("end_turn");
  });
});

describe("Anthropic Messages, non-streaming", () => {
  it("returns the same turn as one JSON message", async () => {
    const server = await startMock({ script: { turns: [richTurn] } });
    const { data: message, response } = await anthropicClient(server).messages.create(params).withResponse();
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("request-id")).toMatch(/^req_011C/);
    expect(message.type).toBe("message");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(message.content[2]).toEqual({
      type: "tool_use",
      id: "toolu_01Mock",
      name: "get_weather",
      input: { location: "Paris", unit: "c" },
    });
    expect(message.usage).toMatchObject({
      input_tokens: 377,
      output_tokens: 65,
      cache_read_input_tokens: 6289,
      cache_creation_input_tokens: 3068,
    });
    expect(server.requests[0]?.stream).toBe(false);
  });
});
