import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultLlmConfig, formatProblems, loadLlmConfig, userConfigFile } from "../src/config/load.js";
import { openModelClient } from "../src/open.js";
import { resolveChain } from "../src/routing.js";

// Real files in temp dirs; the environment and paths are parameters, so the
// developer's own ~/.config never leaks in.

function dirs(): { home: string; project: string } {
  const root = mkdtempSync(join(tmpdir(), "toad-llm-config-"));
  const home = join(root, "home");
  const project = join(root, "repo");
  mkdirSync(join(home, ".config", "toad"), { recursive: true });
  mkdirSync(join(project, ".toad"), { recursive: true });
  return { home, project };
}

const write = (path: string, value: unknown): void =>
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));

describe("configuration", () => {
  it("reads the SDK variables for keys and base URLs", () => {
    const config = defaultLlmConfig({
      ANTHROPIC_BASE_URL: "http://gw.local:9000",
      OPENAI_BASE_URL: "http://oai.local/v1",
    });
    expect(config.providers.anthropic?.baseUrl).toBe("http://gw.local:9000");
    expect(config.providers.openai?.baseUrl).toBe("http://oai.local/v1");
    expect(config.providers["openai-chat"]?.baseUrl).toBe("http://oai.local/v1");
    expect(defaultLlmConfig({}).providers.anthropic?.baseUrl).toBe("https://api.anthropic.com");
    const chain = resolveChain({ tier: "fast" }, config, { ANTHROPIC_API_KEY: "k" });
    expect(chain.ok && chain.chain[0]?.apiKey).toBe("k");
  });

  it("locates the user file by TOAD_CONFIG_HOME, XDG_CONFIG_HOME, then ~/.config", () => {
    expect(userConfigFile({ TOAD_CONFIG_HOME: "/etc/toad" }, "/home/u")).toBe("/etc/toad/config.json");
    expect(userConfigFile({ XDG_CONFIG_HOME: "/x" }, "/home/u")).toBe("/x/toad/config.json");
    expect(userConfigFile({}, "/home/u")).toBe("/home/u/.config/toad/config.json");
  });

  it("layers the project file over the user file over the defaults", async () => {
    const { home, project } = dirs();
    write(join(home, ".config/toad/config.json"), {
      providers: { gpu: { api: "openai-chat", baseUrl: "http://10.0.0.5:8000/v1", apiKeyEnv: "GPU_KEY" } },
      models: [
        {
          id: "my-coder",
          provider: "gpu",
          apiModel: "Qwen/Qwen3-Coder",
          contextWindow: 131072,
          tier: "fast",
        },
      ],
      tiers: { fast: ["my-coder", "claude-haiku-4-5"] },
      defaultTier: "fast",
      sessionBudgetUsd: 10,
      routing: [{ prompt: "^/quick", tier: "fast" }],
    });
    write(join(project, ".toad/config.json"), {
      models: { "claude-haiku-4-5": { prices: { input: 0.9 } } },
      sessionBudgetUsd: 2,
      retry: { maxRetries: 5 },
      routing: [{ task: "commit_message", tier: "balanced" }],
      otherTool: { ignored: true },
    });
    const result = await loadLlmConfig({ env: {}, homeDir: home, projectDir: project });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    const { config } = result;
    expect(result.files).toHaveLength(2);
    expect(config.models["my-coder"]).toMatchObject({
      provider: "gpu",
      contextWindow: 131072,
      maxOutputTokens: 8192,
      prices: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    });
    // A partial override keeps the rest of the shipped entry.
    expect(config.models["claude-haiku-4-5"]?.prices).toMatchObject({
      input: 0.9,
      output: 5,
      cacheRead: 0.1,
    });
    expect(config.tiers.fast).toEqual(["my-coder", "claude-haiku-4-5"]);
    expect(config.defaultTier).toBe("fast");
    expect(config.sessionBudgetUsd).toBe(2);
    expect(config.retry).toMatchObject({ maxRetries: 5, baseDelayMs: 500 });
    expect(config.routing.slice(0, 2)).toEqual([
      { task: "commit_message", tier: "balanced" },
      { prompt: "^/quick", tier: "fast" },
    ]);
  });

  it("works with no files at all", async () => {
    const { home } = dirs();
    const result = await loadLlmConfig({ env: {}, homeDir: home });
    expect(result).toMatchObject({ ok: true, files: [] });
  });

  it("reports broken JSON with its file, and loses nothing", async () => {
    const { home, project } = dirs();
    write(join(project, ".toad/config.json"), '{ "models": { ');
    const result = await loadLlmConfig({ env: {}, homeDir: home, projectDir: project });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatProblems(result.problems)).toMatch(/repo\/\.toad\/config\.json: is not valid JSON/);
  });

  it("names every bad field by its path", async () => {
    const { home } = dirs();
    write(join(home, ".config/toad/config.json"), {
      providers: { x: { api: "grpc", baseUrl: "not a url" } },
      models: { a: { provider: "nope", contextWindow: -1 }, b: { contextWindow: 1000 } },
      tiers: { fast: ["ghost"], turbo: [] },
      routing: [{ tier: "fast" }],
      compactAtFraction: 3,
    });
    const result = await loadLlmConfig({ env: {}, homeDir: home });
    if (result.ok) throw new Error("should fail");
    const text = formatProblems(result.problems);
    expect(text).toContain("providers.x.api: must be one of anthropic, openai-chat, openai-responses");
    expect(text).toContain("providers.x.baseUrl: is not a URL: not a url");
    expect(text).toContain("models.a.contextWindow: must be a number ≥ 1");
    expect(text).toContain("tiers.turbo: unknown tier");
    expect(text).toContain('routing[0]: needs "task" or "prompt"');
    expect(text).toContain("compactAtFraction: must be below 1");
  });

  it("checks references once the layers are merged", async () => {
    const { home } = dirs();
    write(join(home, ".config/toad/config.json"), {
      models: { a: { provider: "nope", contextWindow: 1000 }, b: { contextWindow: 1000 } },
      tiers: { fast: ["ghost"] },
    });
    const result = await loadLlmConfig({ env: {}, homeDir: home });
    if (result.ok) throw new Error("should fail");
    const text = formatProblems(result.problems);
    expect(text).toContain('models.b: a new model needs "provider" and "contextWindow"');
    expect(text).toContain('models.a.provider: unknown provider "nope"');
    expect(text).toContain('tiers.fast: unknown model "ghost"');
  });

  it("opens a client from the files and the environment in one call", async () => {
    const { home, project } = dirs();
    write(join(project, ".toad/config.json"), { defaultTier: "fast", sessionBudgetUsd: 1 });
    const opened = await openModelClient({
      env: { ANTHROPIC_API_KEY: "k" },
      homeDir: home,
      projectDir: project,
    });
    if (!opened.ok) throw new Error(formatProblems(opened.problems));
    expect(opened.client.config.sessionBudgetUsd).toBe(1);
    expect(opened.client.chainFor({}).map((r) => r.model.id)).toEqual(["claude-haiku-4-5"]);
  });
});
