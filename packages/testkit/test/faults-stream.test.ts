import Anthropic from "@anthropic-ai/sdk";
import type { ScriptedTurn } from "@toad/testkit";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import {
  type AnthropicApiError,
  anthropicClient,
  anthropicParams,
  chatParams,
  type OpenAIApiError,
  openaiClient,
  thrown,
  useMockLlm,
} from "./helpers.js";

const startMock = useMockLlm();

const longText = "one two three four five six seven eight nine ten";

/** Reads a raw body until it ends or breaks; returns the text and whether it broke. */
async function readRaw(res: Response): Promise<{ text: string; broke: boolean }> {
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let text = "";
  if (reader === undefined) return { text, broke: false };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, broke: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, broke: true };
  }
}

describe("cut mid-event", () => {
  const cutTurn: ScriptedTurn = {
    content: [{ type: "text", text: longText }],
    fault: { kind: "cut", afterEvents: 4 },
  };

  it("sends N whole events and half of the next, then drops the connection", async () => {
    const server = await startMock({ script: { turns: [cutTurn] } });
    const res = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...anthropicParams, stream: true }),
    });
    expect(res.status).toBe(200);
    const { text, broke } = await readRaw(res);
    expect(broke).toBe(true);
    const parts = text.split("\n\n");
    expect(parts).toHaveLength(5);
    expect(parts[4]?.length).toBeGreaterThan(0);
    expect(parts[4]).toMatch(/^event: content_block_delta\ndata: \{/);
  });

  it("makes the Anthropic MessageStream reject after the text it did get", async () => {
    const server = await startMock({ script: { turns: [cutTurn] } });
    const stream = anthropicClient(server).messages.stream(anthropicParams);
    const seen: string[] = [];
    stream.on("text", (delta) => seen.push(delta));
    const err = await thrown(() => stream.finalMessage());
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/terminated/);
    expect(seen.join("")).toBe("one");
  });

  it("makes the OpenAI Chat and Responses streams reject", async () => {
    const server = await startMock({
      script: { turns: [cutTurn, { ...cutTurn, fault: { kind: "cut", afterEvents: 6 } }] },
    });
    const client = openaiClient(server);
    await expect(client.chat.completions.stream(chatParams).finalChatCompletion()).rejects.toThrow(
      /terminated/,
    );
    await expect(client.responses.stream({ model: "gpt-5.1", input: "hi" }).finalResponse()).rejects.toThrow(
      /terminated/,
    );
  });

  it("cuts a non-streaming JSON body in half too", async () => {
    const server = await startMock({ script: { turns: [cutTurn] } });
    // The headers said 200, so the SDK does not retry: the body read fails (undici: "terminated").
    const err = await thrown(() => anthropicClient(server).messages.create(anthropicParams));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/terminated/);
    expect(server.requests).toHaveLength(1);
  });
});

describe("mid-stream errors after HTTP 200", () => {
  const failing: ScriptedTurn = {
    content: [{ type: "text", text: "Hello" }],
    fault: { kind: "midstream_error" },
  };

  it("Anthropic: `event: error` overloaded_error after the text, no message_stop", async () => {
    const server = await startMock({ script: { turns: [failing, failing] } });
    const stream = anthropicClient(server).messages.stream(anthropicParams);
    const seen: string[] = [];
    stream.on("text", (delta) => seen.push(delta));
    const err = await thrown(() => stream.finalMessage());
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as AnthropicApiError).type).toBe("overloaded_error");
    expect((err as AnthropicApiError).status).toBeUndefined();
    expect(seen.join("")).toBe("Hello");

    const raw = await (
      await fetch(`${server.url}/v1/messages`, {
        method: "POST",
        body: JSON.stringify({ ...anthropicParams, stream: true }),
      })
    ).text();
    expect(
      raw.endsWith(
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
      ),
    ).toBe(true);
    expect(raw).not.toContain("message_stop");
  });

  it("OpenAI Responses: an `error` event then response.failed; the SDK throws APIError", async () => {
    const server = await startMock({
      script: {
        turns: [
          { ...failing, fault: { kind: "midstream_error", errorType: "rate_limit_exceeded" } },
          failing,
        ],
      },
    });
    const err = await thrown(() =>
      openaiClient(server).responses.stream({ model: "gpt-5.1", input: "hi" }).finalResponse(),
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as OpenAIApiError).code).toBe("rate_limit_exceeded");

    const raw = await (
      await fetch(`${server.url}/v1/responses`, {
        method: "POST",
        body: JSON.stringify({ input: "x", stream: true }),
      })
    ).text();
    const events = raw
      .split("\n\n")
      .filter((frame) => frame !== "")
      .map(
        (frame) =>
          JSON.parse(frame.split("\n")[1]?.slice(6) ?? "") as { type: string; sequence_number: number },
      );
    expect(events.slice(-2).map((event) => event.type)).toEqual(["error", "response.failed"]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it("OpenAI Chat: a data chunk holding only `error`; the SDK throws APIError", async () => {
    const server = await startMock({ script: { turns: [failing] } });
    const err = await thrown(() =>
      openaiClient(server).chat.completions.stream(chatParams).finalChatCompletion(),
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as OpenAIApiError).type).toBe("server_error");
  });

  it("a non-streaming request gets the equivalent HTTP error (Anthropic 529)", async () => {
    const server = await startMock({ script: { turns: [failing] } });
    const err = await thrown(() => anthropicClient(server).messages.create(anthropicParams));
    expect(err).toBeInstanceOf(Anthropic.OverloadedError);
  });
});

describe("malformed tool-argument JSON (rawArguments)", () => {
  const truncated = '{"path": "src/index.ts", "line": 4';
  const broken = '{oops: "not json"}';
  const callWith = (raw: string): ScriptedTurn => ({
    content: [{ type: "tool_call", id: "call_bad", name: "read_file", rawArguments: raw }],
  });

  it("Anthropic: the partial_json fragments concatenate to the raw string exactly", async () => {
    const server = await startMock({ script: { turns: [callWith(truncated)] } });
    const stream = await anthropicClient(server).messages.create({ ...anthropicParams, stream: true });
    const fragments: string[] = [];
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
        fragments.push(event.delta.partial_json);
      }
    }
    expect(fragments[0]).toBe("");
    expect(fragments.length).toBeGreaterThan(2);
    expect(fragments.join("")).toBe(truncated);
  });

  it("Anthropic MessageStream: truncated JSON is partial-parsed silently, broken JSON rejects", async () => {
    const server = await startMock({ script: { turns: [callWith(truncated), callWith(broken)] } });
    const client = anthropicClient(server);
    // What the SDK does, pinned so a client upgrade that changes it shows up here:
    // the truncated tail ("line": 4) is dropped without an error...
    const message = await client.messages.stream(anthropicParams).finalMessage();
    expect(message.content[0]).toMatchObject({ type: "tool_use", input: { path: "src/index.ts" } });
    // ...while JSON that cannot be partial-parsed makes finalMessage() reject.
    const err = await thrown(() => client.messages.stream(anthropicParams).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.AnthropicError);
    expect((err as Error).message).toMatch(/JSON/);
  });

  it("OpenAI Chat and Responses: the arguments string arrives intact through the SDK helpers", async () => {
    const server = await startMock({
      script: { turns: [callWith(truncated), callWith(broken), callWith(truncated), callWith(broken)] },
    });
    const client = openaiClient(server);
    for (const raw of [truncated, broken]) {
      const completion = await client.chat.completions.stream(chatParams).finalChatCompletion();
      const call = completion.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === "function" && call.function.arguments).toBe(raw);
    }
    for (const raw of [truncated, broken]) {
      const response = await client.responses.stream({ model: "gpt-5.1", input: "hi" }).finalResponse();
      expect(response.output[0]).toMatchObject({
        type: "function_call",
        call_id: "call_bad",
        arguments: raw,
      });
    }
  });
});

describe("slow streaming (tokensPerSecond)", () => {
  it("paces content deltas: 10 words at 100/s arrive about 10 ms apart", async () => {
    const server = await startMock({
      script: { turns: [{ content: [{ type: "text", text: longText }], tokensPerSecond: 100 }] },
    });
    const stamps: number[] = [];
    const stream = anthropicClient(server).messages.stream(anthropicParams);
    stream.on("text", () => stamps.push(performance.now()));
    await stream.finalMessage();
    expect(stamps).toHaveLength(10);
    // Loose bounds: a busy machine can only stretch the gaps, never shrink them.
    const span = (stamps.at(-1) ?? 0) - (stamps[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(75);
    expect(span).toBeLessThan(3000);
    const gaps = stamps.slice(1).map((t, i) => t - (stamps[i] ?? 0));
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(7);
  });

  it("paces OpenAI streams the same way, and delays a non-streaming answer by its token count", async () => {
    const server = await startMock({
      tokensPerSecond: 200,
      script: {
        turns: [
          { content: [{ type: "text", text: longText }] },
          { content: [{ type: "text", text: longText }], usage: { outputTokens: 20 } },
        ],
      },
    });
    const client = openaiClient(server);
    const started = performance.now();
    await client.chat.completions.stream(chatParams).finalChatCompletion();
    expect(performance.now() - started).toBeGreaterThanOrEqual(40); // 10 deltas at 5 ms
    const before = performance.now();
    await client.responses.create({ model: "gpt-5.1", input: "hi" });
    expect(performance.now() - before).toBeGreaterThanOrEqual(90); // 20 tokens at 200/s
  });
});

describe("onFrame", () => {
  it("rewrites each rendered frame as it is written, so a client reads the rewritten text", async () => {
    let n = 0;
    const server = await startMock({
      script: { turns: [{ content: [{ type: "text", text: "a~ b~ c~" }] }] },
      onFrame: (frame) => (frame.includes('"text_delta"') ? frame.replace("~", `#${n++}`) : frame),
    });
    const stream = anthropicClient(server).messages.stream(anthropicParams);
    const message = await stream.finalMessage();
    const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    expect(text).toBe("a#0 b#1 c#2");
  });
});
