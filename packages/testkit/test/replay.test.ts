import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import {
  type AnthropicApiError,
  anthropicClient,
  fixture,
  type OpenAIApiError,
  openaiClient,
  useMockLlm,
} from "./helpers.js";

// Recorded streams from the real services (see shared/fixtures/wire/PROVENANCE.md),
// replayed byte for byte and parsed by the official SDKs. The expected values come
// from each fixture's .expected.json, written by an independent reference parser.

const startMock = useMockLlm();

function expected<T>(path: string): T {
  return JSON.parse(readFileSync(fixture(path), "utf8")) as T;
}

interface AnthropicExpected {
  stop_reason: string;
  final_usage_merged: Record<string, number>;
  content: Array<{
    type: string;
    text?: string;
    thinking?: string;
    signature?: string;
    id?: string;
    name?: string;
    input?: unknown;
  }>;
}

describe("replaying Anthropic captures", () => {
  it.each([
    "anthropic/vercel_anthropic-json-tool.1",
    "anthropic/vercel_anthropic-clear-thinking.1",
    "anthropic/vercel_anthropic-text",
    "anthropic/vercel_anthropic-tool-no-args",
  ])("%s parses to the expected content, stop reason and usage", async (name) => {
    const want = expected<AnthropicExpected>(`${name}.expected.json`);
    const server = await startMock({ script: { turns: [{ replay: fixture(`${name}.sse`) }] } });
    const message = await anthropicClient(server)
      .messages.stream({
        model: "claude-toad-test",
        max_tokens: 100,
        messages: [{ role: "user", content: "x" }],
      })
      .finalMessage();
    expect(message.stop_reason).toBe(want.stop_reason);
    expect(message.content).toHaveLength(want.content.length);
    want.content.forEach((block, i) => {
      const got = message.content[i];
      expect(got?.type).toBe(block.type);
      if (got?.type === "text") expect(got.text).toBe(block.text);
      if (got?.type === "thinking")
        expect([got.thinking, got.signature]).toEqual([block.thinking, block.signature]);
      if (got?.type === "tool_use")
        expect([got.id, got.name, got.input]).toEqual([block.id, block.name, block.input]);
    });
    expect(message.usage.input_tokens).toBe(want.final_usage_merged.input_tokens);
    expect(message.usage.output_tokens).toBe(want.final_usage_merged.output_tokens);
  });

  it("replays exactly, so a capture without its final blank line loses the last event (message_stop)", async () => {
    // The anthropic/sdkpy_* captures end in `data: {"type":"message_stop"}` with no
    // blank line. By the SSE rules that event is never dispatched, and the SDK says so.
    const server = await startMock({
      script: { turns: [{ replay: fixture("anthropic/sdkpy_tool_use_response.sse") }] },
    });
    await expect(
      anthropicClient(server)
        .messages.stream({
          model: "claude-toad-test",
          max_tokens: 100,
          messages: [{ role: "user", content: "x" }],
        })
        .finalMessage(),
    ).rejects.toThrow(/stream ended without producing a Message/);
  });

  it("a recorded mid-stream overloaded_error makes the SDK throw", async () => {
    const server = await startMock({
      script: { turns: [{ replay: fixture("anthropic/sdkpy_error_overloaded_midstream.sse") }] },
    });
    const err = await anthropicClient(server)
      .messages.stream({
        model: "claude-toad-test",
        max_tokens: 100,
        messages: [{ role: "user", content: "x" }],
      })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as AnthropicApiError).type).toBe("overloaded_error");
  });
});

interface ChatExpected {
  choices: Record<
    string,
    {
      content: string;
      finish_reason: string;
      tool_calls: Array<{ id: string; name: string; arguments_raw: string }>;
    }
  >;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

describe("replaying OpenAI Chat captures", () => {
  it.each([
    "openai_chat/oaipy_tool_calls_parallel_two",
    "openai_chat/oaipy_tool_call_single",
    "openai_chat/oaipy_finish_length_max_tokens",
    "openai_chat/vercel_gpt-4.1-nano_text_include_usage",
  ])("%s parses to the expected text, tool calls, finish reason and usage", async (name) => {
    const want = expected<ChatExpected>(`${name}.expected.json`);
    const choice = want.choices["0"];
    const server = await startMock({ script: { turns: [{ replay: fixture(`${name}.sse`) }] } });
    const completion = await openaiClient(server)
      .chat.completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] })
      .finalChatCompletion();
    const got = completion.choices[0];
    expect(got?.finish_reason).toBe(choice?.finish_reason);
    expect(got?.message.content ?? "").toBe(choice?.content);
    expect(
      (got?.message.tool_calls ?? []).map((call) =>
        call.type === "function"
          ? { id: call.id, name: call.function.name, arguments_raw: call.function.arguments }
          : {},
      ),
    ).toEqual((choice?.tool_calls ?? []).map(({ id, name, arguments_raw }) => ({ id, name, arguments_raw })));
    expect(completion.usage).toMatchObject(want.usage);
  });
});

interface ResponsesExpected {
  status: string;
  usage: Record<string, unknown>;
  function_calls: Array<{ call_id: string; name: string; arguments_done: string }>;
  messages: Array<{ text_from_deltas: string }>;
}

describe("replaying OpenAI Responses captures", () => {
  it.each([
    "openai_responses/vercel_azure-gpt5.1-tool-call.1",
    "openai_responses/vercel_gpt5.1-codex-max_reasoning-encrypted.step1",
    "openai_responses/vercel_gpt5.1-codex-max_reasoning-encrypted.step4",
  ])("%s parses to the expected function calls, text and usage", async (name) => {
    const want = expected<ResponsesExpected>(`${name}.expected.json`);
    const server = await startMock({ script: { turns: [{ replay: fixture(`${name}.sse`) }] } });
    const response = await openaiClient(server)
      .responses.stream({ model: "gpt-5.1", input: "x" })
      .finalResponse();
    expect(response.status).toBe(want.status);
    expect(response.usage).toEqual(want.usage);
    const calls = response.output.flatMap((item) =>
      item.type === "function_call"
        ? [{ call_id: item.call_id, name: item.name, arguments_done: item.arguments }]
        : [],
    );
    expect(calls).toEqual(
      want.function_calls.map(({ call_id, name, arguments_done }) => ({ call_id, name, arguments_done })),
    );
    expect(response.output_text).toBe(want.messages.map((m) => m.text_from_deltas).join(""));
  });

  it("a recorded in-stream insufficient_quota error makes the SDK throw", async () => {
    const server = await startMock({
      script: {
        turns: [{ replay: fixture("errors/openai_responses_midstream_error_insufficient_quota.sse") }],
      },
    });
    const err = await openaiClient(server)
      .responses.stream({ model: "gpt-5.1", input: "x" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as OpenAIApiError).code).toBe("insufficient_quota");
  });
});

describe("replay fidelity", () => {
  it("streams the file byte for byte, with the wire's headers", async () => {
    const path = fixture("openai_chat/vercel_compat_deepseek-reasoner_tool_call.sse");
    const server = await startMock({ script: { turns: [{ replay: path, tokensPerSecond: 2000 }] } });
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(path))).toBe(true);
  });
});
