import type { ScriptedTurn } from "@toad/testkit";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { openaiClient, useMockLlm } from "./helpers.js";

const startMock = useMockLlm();

const turn: ScriptedTurn = {
  content: [
    {
      type: "thinking",
      text: "**Calculating** I'll add 12 and 7 with the calculator.",
      signature: "gAAAAABenc",
    },
    { type: "text", text: "Let me compute that." },
    { type: "tool_call", id: "call_calc1", name: "calculator", arguments: { a: 12, b: 7, op: "add" } },
  ],
  usage: { inputTokens: 45, outputTokens: 24, cacheReadTokens: 3072, reasoningTokens: 11 },
};

describe("OpenAI Responses, streaming", () => {
  it("is assembled by the SDK's ResponseStream into reasoning, message and function call, with usage", async () => {
    const server = await startMock({ script: { turns: [turn] } });
    const stream = openaiClient(server).responses.stream({ model: "gpt-5.1", input: "What is 12 + 7?" });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    stream.on("event", (event) => events.push(event));
    const response = await stream.finalResponse();

    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Let me compute that.");
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
    const reasoning = response.output[0];
    expect(reasoning?.type === "reasoning" && reasoning.summary).toEqual([
      { type: "summary_text", text: "**Calculating** I'll add 12 and 7 with the calculator." },
    ]);
    expect(reasoning?.type === "reasoning" && reasoning.encrypted_content).toBe("gAAAAABenc");
    const call = response.output[2];
    expect(call).toMatchObject({
      type: "function_call",
      call_id: "call_calc1",
      name: "calculator",
      arguments: '{"a":12,"b":7,"op":"add"}',
      status: "completed",
    });
    expect(call?.type === "function_call" && call.id).toMatch(/^fc_/);
    expect(response.usage).toEqual({
      input_tokens: 3117,
      input_tokens_details: { cached_tokens: 3072 },
      output_tokens: 24,
      output_tokens_details: { reasoning_tokens: 11 },
      total_tokens: 3141,
    });

    const sequence = events.map((event) => event.sequence_number);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(["response.created", "response.in_progress"]);
    expect(types.at(-1)).toBe("response.completed");
    for (const type of [
      "response.reasoning_summary_text.delta",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
    ]) {
      expect(types).toContain(type);
    }
    const argDeltas = events.filter((event) => event.type === "response.function_call_arguments.delta");
    expect(argDeltas.length).toBeGreaterThan(1);
  });

  it("names every SSE event after data.type", async () => {
    const server = await startMock({ script: { turns: [turn] } });
    const res = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5.1", input: "hi", stream: true }),
    });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const frames = (await res.text()).split("\n\n").filter((frame) => frame !== "");
    for (const frame of frames) {
      const [eventLine, dataLine] = frame.split("\n");
      expect(JSON.parse(dataLine?.slice(6) ?? "").type).toBe(eventLine?.slice(7));
    }
  });

  it("ends with response.incomplete (max_output_tokens) when the turn stops at max_tokens", async () => {
    const server = await startMock({
      script: {
        turns: [{ content: [{ type: "text", text: "A long answer that" }], stopReason: "max_tokens" }],
      },
    });
    const stream = openaiClient(server).responses.stream({
      model: "gpt-5.1",
      input: "essay",
      max_output_tokens: 5,
    });
    const types: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    const response = await stream.finalResponse();
    expect(types.at(-1)).toBe("response.incomplete");
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output_text).toBe("A long answer that");
    expect(response.max_output_tokens).toBe(5);
  });
});

describe("OpenAI Responses, non-streaming", () => {
  it("returns a response object the SDK reads (output_text, function call, usage)", async () => {
    const server = await startMock({ script: { turns: [turn] } });
    const response = await openaiClient(server).responses.create({
      model: "gpt-5.1",
      input: "What is 12 + 7?",
    });
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Let me compute that.");
    expect(response.output[2]).toMatchObject({
      type: "function_call",
      call_id: "call_calc1",
      name: "calculator",
    });
    expect(response.usage?.input_tokens_details.cached_tokens).toBe(3072);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(11);
  });

  it("reports a refusal as incomplete with reason content_filter", async () => {
    const server = await startMock({ script: { turns: [{ content: [], stopReason: "refusal" }] } });
    const response = await openaiClient(server).responses.create({ model: "gpt-5.1", input: "no" });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "content_filter" });
  });
});
