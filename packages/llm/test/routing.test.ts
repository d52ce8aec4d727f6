import { describe, expect, it } from "vitest";
import { defaultLlmConfig } from "../src/config/load.js";
import { chooseTier, findModel, resolveChain, tierFromWord, tierModels } from "../src/routing.js";

const config = defaultLlmConfig({});
const keys = { ANTHROPIC_API_KEY: "a", OPENAI_API_KEY: "o" };

describe("routing, first step", () => {
  it("takes an explicit tier first, then the rule table, then the default", () => {
    expect(chooseTier({ explicitTier: "premium", task: "commit_message" }, config)).toEqual({
      tier: "premium",
      source: "explicit",
    });
    expect(chooseTier({ task: "commit_message" }, config)).toMatchObject({ tier: "fast", source: "rule" });
    expect(chooseTier({ task: "summary" }, config)).toMatchObject({ tier: "fast", source: "rule" });
    expect(chooseTier({ task: "edit" }, config)).toEqual({ tier: "balanced", source: "default" });
    const withPrompt = {
      ...config,
      routing: [{ prompt: "\\b(prove|derive)\\b", tier: "reasoning" as const }],
    };
    expect(chooseTier({ prompt: "Prove the loop terminates" }, withPrompt)).toMatchObject({
      tier: "reasoning",
    });
  });

  it("reads tiers from slash commands and flags", () => {
    expect(tierFromWord("/fast")).toBe("fast");
    expect(tierFromWord("--tier=premium")).toBe("premium");
    expect(tierFromWord("/turbo")).toBeUndefined();
  });

  it("resolves dated snapshots to their registry entry, sending the dated id", () => {
    const entry = findModel(config, "claude-sonnet-4-5-20250929");
    expect(entry).toMatchObject({ id: "claude-sonnet-4-5", apiModel: "claude-sonnet-4-5-20250929" });
    expect(findModel(config, "gpt-5.4-mini-2026-03-01")?.id).toBe("gpt-5.4-mini");
  });

  it("builds the chain from the tier list plus models tagged with the tier", () => {
    const custom = {
      ...config,
      models: {
        ...config.models,
        mine: {
          ...config.models["ollama-local"],
          id: "mine",
          tier: "fast" as const,
          provider: "ollama",
          contextWindow: 1,
          maxOutputTokens: 1,
          prices: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        },
      },
    };
    expect(tierModels(custom, "fast")).toEqual(["claude-haiku-4-5", "gpt-5.4-mini", "mine"]);
    const chain = resolveChain({ tier: "fast" }, custom, keys);
    expect(chain.ok && chain.chain.map((r) => r.model.id)).toEqual([
      "claude-haiku-4-5",
      "gpt-5.4-mini",
      "mine",
    ]);
  });

  it("keeps the first model when no provider has a key, so the error names the variable", () => {
    const chain = resolveChain({ tier: "premium" }, config, {});
    expect(chain.ok && chain.chain.map((r) => r.model.id)).toEqual(["claude-opus-4-8"]);
  });

  it("reports an unknown model plainly", () => {
    const chain = resolveChain({ model: "gpt-7" }, config, keys);
    expect(chain).toMatchObject({ ok: false, error: { code: "no_model" } });
    if (!chain.ok) expect(chain.error.message).toContain('Unknown model "gpt-7"');
  });
});
