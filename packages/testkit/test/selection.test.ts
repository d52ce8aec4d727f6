import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { lastUserText, loadScript, parseScript, ScriptError, type ScriptedTurn } from "@toad/testkit";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import {
  type AnthropicApiError,
  anthropicClient,
  type OpenAIApiError,
  openaiClient,
  useMockLlm,
} from "./helpers.js";

const startMock = useMockLlm();

const say = (text: string, extra: Partial<ScriptedTurn> = {}): ScriptedTurn => ({
  label: text,
  content: [{ type: "text", text }],
  ...extra,
});

async function anthropicText(client: Anthropic, messages: Anthropic.MessageParam[]): Promise<string> {
  const message = await client.messages.create({ model: "claude-toad-test", max_tokens: 50, messages });
  return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

describe("turn selection", () => {
  it("takes the first unused turn whose match fits: user text, then a tool result's content", async () => {
    const server = await startMock({
      script: {
        turns: [
          say("forecast", { match: "weather" }),
          say("it is warm", { match: { toolResult: "72F" } }),
          say("plain answer"),
        ],
      },
    });
    const client = anthropicClient(server);
    expect(await anthropicText(client, [{ role: "user", content: "hello" }])).toBe("plain answer");
    expect(await anthropicText(client, [{ role: "user", content: "what's the weather?" }])).toBe("forecast");
    const withToolResult: Anthropic.MessageParam[] = [
      { role: "user", content: "weather?" },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "Sunny, 72F" }] },
    ];
    expect(await anthropicText(client, withToolResult)).toBe("it is warm");
    expect(server.requests.map((r) => r.answeredBy.turnIndex)).toEqual([2, 0, 1]);
  });

  it("matches Chat tool messages and Responses function_call_output items", async () => {
    const server = await startMock({
      script: {
        turns: [
          say("chat saw the file", { match: { toolResult: "export const x", wire: "openai-chat" } }),
          say("responses saw the file", {
            match: { toolResult: "export const x", wire: "openai-responses" },
          }),
        ],
      },
    });
    const client = openaiClient(server);
    const response = await client.responses.create({
      model: "gpt-5.1",
      input: [
        { role: "user", content: "read it" },
        { type: "function_call", call_id: "call_1", name: "read", arguments: "{}" },
        { type: "function_call_output", call_id: "call_1", output: "export const x = 1;" },
      ],
    });
    expect(response.output_text).toBe("responses saw the file");
    const completion = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [
        { role: "user", content: "read it" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "read", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "export const x = 1;" },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("chat saw the file");
    expect(lastUserText(server.requests[1] ?? { wire: "unknown", body: undefined })).toBe(
      "export const x = 1;",
    );
  });

  it("tries the responder first and falls back to the script when it returns undefined", async () => {
    const server = await startMock({
      script: [say("from the script")],
      responder: (request) => (lastUserText(request).includes("ping") ? say("pong") : undefined),
    });
    const client = anthropicClient(server);
    expect(await anthropicText(client, [{ role: "user", content: "ping" }])).toBe("pong");
    expect(await anthropicText(client, [{ role: "user", content: "ping" }])).toBe("pong");
    expect(await anthropicText(client, [{ role: "user", content: "other" }])).toBe("from the script");
    expect(server.requests.map((r) => r.answeredBy.source)).toEqual(["responder", "responder", "script"]);
  });

  it("answers `times` requests with one turn, and addTurns appends", async () => {
    const server = await startMock({ script: [say("again", { times: 2 })] });
    const client = anthropicClient(server);
    expect(await anthropicText(client, [{ role: "user", content: "1" }])).toBe("again");
    expect(server.remainingTurns()).toBe(1);
    expect(await anthropicText(client, [{ role: "user", content: "2" }])).toBe("again");
    expect(server.remainingTurns()).toBe(0);
    server.addTurns(say("added"), say("forever", { times: Number.POSITIVE_INFINITY }));
    expect(await anthropicText(client, [{ role: "user", content: "3" }])).toBe("added");
    for (const n of ["4", "5", "6"])
      expect(await anthropicText(client, [{ role: "user", content: n }])).toBe("forever");
    expect(server.remainingTurns()).toBe(1);
  });
});

describe("when no turn is left", () => {
  it("answers HTTP 500 saying the script is exhausted, with x-should-retry: false so the SDK does not retry", async () => {
    const server = await startMock({ script: [say("only one")] });
    const client = anthropicClient(server, 2);
    await anthropicText(client, [{ role: "user", content: "1" }]);
    const err = await client.messages
      .create({ model: "claude-toad-test", max_tokens: 5, messages: [{ role: "user", content: "2" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect((err as AnthropicApiError).message).toMatch(/script exhausted/);
    expect(server.requests).toHaveLength(2);
  });

  it("says when turns are left but none matches (OpenAI body)", async () => {
    const server = await startMock({ script: [say("x", { match: "never" })] });
    const err = await openaiClient(server, 2)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as OpenAIApiError).message).toMatch(/no scripted turn matches.*1 turn\(s\) left/);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects a body that is not JSON with a 400 and keeps the turn", async () => {
    const server = await startMock({ script: [say("kept")] });
    const res = await fetch(`${server.url}/v1/messages`, { method: "POST", body: "not json" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(server.remainingTurns()).toBe(1);
  });
});

describe("recorded requests", () => {
  it("records method, path, headers, parsed body, wire format and stream flag", async () => {
    const server = await startMock({ script: [say("a"), say("b"), say("c")] });
    await anthropicClient(server)
      .messages.stream({
        model: "claude-toad-test",
        max_tokens: 5,
        system: "be brief",
        messages: [{ role: "user", content: "hi" }],
      })
      .finalMessage();
    await openaiClient(server).chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "yo" }],
    });
    await openaiClient(server).responses.create({ model: "gpt-5.1", input: "hey", stream: false });

    const [first, second, third] = server.requests;
    expect(first).toMatchObject({
      index: 0,
      method: "POST",
      path: "/v1/messages",
      wire: "anthropic",
      stream: true,
    });
    // Anthropic SDK 1.x sends the API key as a bearer token, not x-api-key.
    expect(first?.headers.authorization).toBe("Bearer sk-ant-mock");
    expect(first?.headers["anthropic-version"]).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(first?.body).toMatchObject({ model: "claude-toad-test", system: "be brief", stream: true });
    expect(second).toMatchObject({ path: "/v1/chat/completions", wire: "openai-chat", stream: false });
    expect(second?.headers.authorization).toBe("Bearer sk-mock");
    expect(third).toMatchObject({ path: "/v1/responses", wire: "openai-responses", body: { input: "hey" } });
    expect(lastUserText(third ?? { wire: "unknown", body: undefined })).toBe("hey");
  });
});

describe("side endpoints", () => {
  it("lists models in both styles through both SDKs", async () => {
    const server = await startMock({ models: ["model-a", "model-b"] });
    const anthropicModels = await anthropicClient(server).models.list();
    expect(anthropicModels.data.map((model) => model.id)).toEqual(["model-a", "model-b"]);
    const openaiModels = await openaiClient(server).models.list();
    expect(openaiModels.data.map((model) => model.id)).toEqual(["model-a", "model-b"]);
  });
});

describe("script files", () => {
  it("loads JSON, validates it and resolves replay paths against the file's folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "toad-testkit-"));
    const file = join(dir, "script.json");
    writeFileSync(file, JSON.stringify({ turns: [{ replay: "rec/a.sse" }, say("hi")] }));
    const script = await loadScript(file);
    expect(script.turns[0]?.replay).toBe(join(dir, "rec/a.sse"));
    expect(script.turns[1]?.content).toEqual([{ type: "text", text: "hi" }]);
  });

  it("names the offending field of a bad script", () => {
    expect(() => parseScript({})).toThrow(ScriptError);
    expect(() => parseScript({ turns: [{ content: [{ type: "image" }] }] })).toThrow(
      /turns\[0\]\.content\[0\]\.type/,
    );
    expect(() => parseScript({ turns: [{ stopReason: "stop" }] })).toThrow(/stopReason/);
    expect(() => parseScript({ turns: [{ fault: { kind: "http" } }] })).toThrow(/turns\[0\]\.fault\.status/);
    expect(() => parseScript({ turns: [{ times: 0 }] })).toThrow(/times/);
  });

  it("rejects a malformed turn given in code at start-up", async () => {
    const bad = { content: [{ type: "image" }] } as unknown as ScriptedTurn;
    await expect(startMock({ script: [say("fine"), bad] })).rejects.toThrow(/turns\[1\]\.content\[0\]\.type/);
  });
});
