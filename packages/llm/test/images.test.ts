import type { Message, ModelRequest } from "@toad/core";
import { describe, expect, it } from "vitest";
import { defaultLlmConfig, resolveLlmConfig } from "../src/config/load.js";
import { parseConfigLayer } from "../src/config/validate.js";
import { providerBody } from "../src/provider.js";
import type { ResolvedModel } from "../src/routing.js";

const config = defaultLlmConfig({});

function resolved(id: string, models = config.models): ResolvedModel {
  const model = models[id];
  if (model === undefined) throw new Error(id);
  const provider = config.providers[model.provider];
  if (provider === undefined) throw new Error(model.provider);
  return { model, providerId: model.provider, provider, apiKey: "k" };
}

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const messages: Message[] = [
  {
    role: "user",
    content: [
      { type: "image", mediaType: "image/png", dataBase64: PNG, source: "./shot.png" },
      { type: "text", text: "what is in ./shot.png" },
    ],
  },
];
const request: ModelRequest = { turn: 1, system: "", messages, tools: [] };

describe("image input per model", () => {
  it("the registry says which models take images; the local defaults do not", () => {
    expect(config.models["claude-sonnet-4-6"]?.images).toBe(true);
    expect(config.models["gpt-5.4"]?.images).toBe(true);
    expect(config.models["ollama-local"]?.images).toBeUndefined();
  });

  it("a model that takes none gets a text note in place of each image, on every wire", () => {
    const note = "[image ./shot.png (image/png) not shown: ollama-local does not take images]";
    const body = providerBody(request, resolved("ollama-local"));
    expect(body.messages).toEqual([{ role: "user", content: `${note}\n\nwhat is in ./shot.png` }]);
    expect(JSON.stringify(body)).not.toContain(PNG);

    // The same model id, switched to the other wires by config, never carries the bytes either.
    for (const api of ["anthropic", "openai-responses"] as const) {
      const base = resolved("ollama-local");
      const body = providerBody(request, { ...base, provider: { ...base.provider, api } });
      expect(JSON.stringify(body)).toContain(note);
      expect(JSON.stringify(body)).not.toContain(PNG);
    }
  });

  it("a model that takes images gets the bytes in its wire's own block", () => {
    const anthropic = providerBody(request, resolved("claude-sonnet-4-6"));
    expect((anthropic.messages as { content: unknown[] }[])[0]?.content[0]).toEqual({
      type: "image",
      source: { type: "base64", media_type: "image/png", data: PNG },
    });
    const responses = providerBody(request, resolved("gpt-5.4"));
    expect((responses.input as { content: unknown[] }[])[0]?.content[0]).toEqual({
      type: "input_image",
      image_url: `data:image/png;base64,${PNG}`,
    });
  });

  it("config can turn images on for a model, and rejects a flag that is not a boolean", () => {
    const { layer, problems } = parseConfigLayer({ models: { "ollama-local": { images: true } } }, "c.json");
    expect(problems).toEqual([]);
    const models = resolveLlmConfig([layer], {}).config.models;
    expect(models["ollama-local"]?.images).toBe(true);
    const chat = providerBody(request, resolved("ollama-local", models));
    expect((chat.messages as { content: unknown[] }[])[0]?.content).toEqual([
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      { type: "text", text: "what is in ./shot.png" },
    ]);

    const bad = parseConfigLayer({ models: { x: { images: "yes" } } }, "c.json");
    expect(bad.problems).toEqual([
      { file: "c.json", path: "models.x.images", message: "must be true or false" },
    ]);
  });
});
