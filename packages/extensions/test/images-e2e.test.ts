import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeEvent } from "@toad/core";
import { createModelClient, parseConfigLayer, resolveLlmConfig } from "@toad/llm";
import { SessionRunner } from "@toad/session";
import { MemorySessionStore } from "@toad/store";
import { type MockLlmServer, type RecordedRequest, startMockLlm } from "@toad/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imagesForPrompt, toolsetOf } from "../src/index.js";

/**
 * Image input end to end: a prompt naming ./shot.png goes through the session
 * runner and the real models layer to the scripted model server, once per
 * wire format; the recorded request bodies are checked.
 */

// A 1×1 PNG.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const PROMPT = "what is in ./shot.png";

let llm: MockLlmServer;
let dir: string;
let runner: SessionRunner;
let store: MemorySessionStore;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "toad-images-")));
  await writeFile(join(dir, "shot.png"), Buffer.from(PNG, "base64"));
  llm = await startMockLlm({ script: { turns: [] } });
  const env = {
    ANTHROPIC_API_KEY: "k",
    ANTHROPIC_BASE_URL: llm.url,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: `${llm.url}/v1`,
  };
  // One model per wire, plus a local model without vision on the Chat wire.
  const { layer, problems } = parseConfigLayer(
    {
      providers: { ollama: { baseUrl: `${llm.url}/v1` } },
      models: {
        "gpt-5.4-chat": {
          provider: "openai-chat",
          apiModel: "gpt-5.4",
          contextWindow: 400_000,
          images: true,
        },
      },
    },
    "test config",
  );
  expect(problems).toEqual([]);
  const config = resolveLlmConfig([layer], env).config;
  store = new MemorySessionStore();
  runner = new SessionRunner({
    store,
    model: createModelClient({ config, env }),
    // The model only looks here: no tools.
    tools: async () => toolsetOf([]),
  });
});
afterAll(async () => {
  await llm.close();
  await rm(dir, { recursive: true, force: true });
});

/** Sends PROMPT with the images it names, as `toad -p` does; returns the request the model server saw. */
async function ask(
  model: string,
  sessionId?: string,
): Promise<{ request: RecordedRequest; sessionId: string }> {
  llm.addTurns({ content: [{ type: "text", text: "A red square." }] });
  const id = sessionId ?? (await runner.create({ cwd: dir, model, permissionMode: "ask" })).id;
  const { images, problems } = await imagesForPrompt(PROMPT, dir);
  expect(problems).toEqual([]);
  const before = llm.requests.length;
  const result = await runner.send(id, { prompt: PROMPT, images, signal: new AbortController().signal });
  expect(result).toMatchObject({ exit: "end_turn", text: "A red square." });
  const request = llm.requests[before];
  if (!request) throw new Error("no request reached the model server");
  return { request, sessionId: id };
}

type Body = Record<string, unknown> & { messages?: { content: unknown }[]; input?: { content: unknown }[] };
const body = (request: RecordedRequest) => request.body as Body;

describe("image input reaches the model", () => {
  it("Anthropic: a base64 image block before the prompt's text", async () => {
    const { request } = await ask("claude-sonnet-4-6");
    expect(request.wire).toBe("anthropic");
    const content = body(request).messages?.[0]?.content as Record<string, unknown>[];
    expect(content[0]).toEqual({
      type: "image",
      source: { type: "base64", media_type: "image/png", data: PNG },
    });
    expect(content[1]).toMatchObject({ type: "text", text: PROMPT });
  });

  it("OpenAI Chat: an image_url part with a data URL", async () => {
    const { request } = await ask("gpt-5.4-chat");
    expect(request.wire).toBe("openai-chat");
    const user = (body(request).messages ?? []).find((m) => (m as { role?: string }).role === "user");
    expect(user?.content).toEqual([
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      { type: "text", text: PROMPT },
    ]);
  });

  it("OpenAI Responses: an input_image item", async () => {
    const { request } = await ask("gpt-5.4");
    expect(request.wire).toBe("openai-responses");
    expect(body(request).input?.[0]?.content).toEqual([
      { type: "input_image", image_url: `data:image/png;base64,${PNG}` },
      { type: "input_text", text: PROMPT },
    ]);
  });

  it("a text-only model gets a short note instead, and no error", async () => {
    const { request } = await ask("ollama-local");
    expect(request.wire).toBe("openai-chat");
    expect(request.rawBody).not.toContain(PNG);
    const user = (body(request).messages ?? []).find((m) => (m as { role?: string }).role === "user");
    expect(user?.content).toBe(
      `[image ./shot.png (image/png) not shown: ollama-local does not take images]\n\n${PROMPT}`,
    );
  });

  it("the log stores an image's bytes once, however often it is attached", async () => {
    const first = await ask("claude-sonnet-4-6");
    const second = await ask("claude-sonnet-4-6", first.sessionId);
    // The model still sees the image with both prompts.
    expect(second.request.rawBody.split(PNG).length - 1).toBe(2);
    const users = (await store.events(first.sessionId)).filter((e) => e.type === "user_message");
    expect(
      users.map((e) => e.type === "user_message" && e.images?.map((i) => i.dataBase64 !== undefined)),
    ).toEqual([[true], [false]]);
    const log = (await store.events(first.sessionId)).map(serializeEvent).join("\n");
    expect(log.split(PNG).length - 1).toBe(1);
  });
});
