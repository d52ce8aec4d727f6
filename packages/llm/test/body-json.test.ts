import type { ModelRequest, ToolSpec } from "@toad/core";
import { describe, expect, it } from "vitest";
import { defaultLlmConfig } from "../src/config/load.js";
import { buildHttpRequest, providerBody } from "../src/provider.js";
import type { ResolvedModel } from "../src/routing.js";
import { bodyJson } from "../src/wire/body-json.js";

const config = defaultLlmConfig({});

function resolved(id: string): ResolvedModel {
  const model = config.models[id];
  if (model === undefined) throw new Error(id);
  const provider = config.providers[model.provider];
  if (provider === undefined) throw new Error(model.provider);
  return { model, providerId: model.provider, provider, apiKey: "k" };
}

const tools: ToolSpec[] = [
  {
    name: "read",
    description: 'Reads a file. "Quoted", tabs\t, and unicode ✓',
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
  {
    name: "ls",
    description: "",
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
  },
];
const request: ModelRequest = {
  turn: 1,
  system: "You are TOAD.",
  messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
  tools,
  temperature: 0.2,
};

describe("provider body JSON", () => {
  it.each(["claude-sonnet-4-6", "gpt-5.4", "ollama-local"])(
    "is what JSON.stringify gives, for every wire format (%s), cached or not",
    (id) => {
      const body = providerBody(request, resolved(id));
      const schemas = new Set(tools.map((tool) => tool.inputSchema));
      expect(bodyJson(body, schemas)).toBe(JSON.stringify(body));
      // The second time the schemas come from the cache; the specs are fresh objects as after a proto decode.
      const again = { ...request, tools: tools.map((tool) => ({ ...tool })) };
      const http = buildHttpRequest(again, resolved(id));
      if ("code" in http) throw new Error(http.message);
      expect(http.body).toBe(JSON.stringify(providerBody(again, resolved(id))));
    },
  );

  it("walks only the tools: other fields and a body without tools are plain JSON.stringify", () => {
    const body = {
      model: "m",
      skipped: undefined,
      tools: [{ name: "t", input_schema: tools[0]?.inputSchema }],
    };
    expect(bodyJson(body, new Set([tools[0]?.inputSchema]))).toBe(JSON.stringify(body));
    expect(bodyJson({ model: "m" }, new Set([{}]))).toBe('{"model":"m"}');
  });
});
