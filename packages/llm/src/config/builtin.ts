import type { ModelTier } from "@toad/core";
import type { ModelEntry, ModelPrices, ProviderConfig, RetrySettings, RoutingRule } from "./types.js";

// The shipped registry. List prices (USD per million tokens) come from
// shared/data/pricing.json (pydantic/genai-prices @47df840a, checked 2026-07/08);
// users override any field, or add models, in their config. Context windows
// and output limits are the vendors' published defaults (Claude's 1M-token
// beta window is opt-in, so 200k here).

export type Env = Readonly<Record<string, string | undefined>>;

/** Anthropic: 5-min write 1.25× input, 1-hour write 2×, read 0.1×. */
function claude(input: number, output: number): ModelPrices {
  return { input, output, cacheWrite: input * 1.25, cacheWrite1h: input * 2, cacheRead: input / 10 };
}

/** OpenAI: cache writes are free, a cached read costs `read` (0.1× input for GPT-5 … 5.5). */
function gpt(input: number, output: number, read = input / 10, write = 0): ModelPrices {
  return { input, output, cacheWrite: write, cacheRead: read };
}

function withLong(base: ModelPrices, above: number, long: ModelPrices): ModelPrices {
  return { ...base, longContext: { ...long, aboveInputTokens: above } };
}

const FREE: ModelPrices = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };

type Spec = Omit<ModelEntry, "id">;

// Every Claude 4.x and GPT-5.x model takes images; the local servers' defaults
// (text-only coder models) do not, until the user's config says so.
const CLAUDE_200K = { provider: "anthropic", contextWindow: 200_000, reasoning: true, images: true } as const;
const GPT5 = {
  provider: "openai",
  contextWindow: 400_000,
  maxOutputTokens: 128_000,
  reasoning: true,
  images: true,
} as const;

const MODELS: Record<string, Spec> = {
  "claude-opus-4-0": { ...CLAUDE_200K, maxOutputTokens: 32_000, prices: claude(15, 75) },
  "claude-opus-4-1": { ...CLAUDE_200K, maxOutputTokens: 32_000, prices: claude(15, 75) },
  "claude-opus-4-5": { ...CLAUDE_200K, maxOutputTokens: 64_000, prices: claude(5, 25) },
  "claude-opus-4-6": { ...CLAUDE_200K, maxOutputTokens: 64_000, prices: claude(5, 25) },
  "claude-opus-4-7": { ...CLAUDE_200K, maxOutputTokens: 64_000, prices: claude(5, 25) },
  "claude-opus-4-8": { ...CLAUDE_200K, tier: "premium", maxOutputTokens: 64_000, prices: claude(5, 25) },
  "claude-sonnet-4-0": { ...CLAUDE_200K, maxOutputTokens: 64_000, prices: claude(3, 15) },
  "claude-sonnet-4-5": {
    ...CLAUDE_200K,
    maxOutputTokens: 64_000,
    prices: withLong(claude(3, 15), 200_000, claude(6, 22.5)),
  },
  "claude-sonnet-4-6": { ...CLAUDE_200K, tier: "balanced", maxOutputTokens: 64_000, prices: claude(3, 15) },
  "claude-haiku-4-5": { ...CLAUDE_200K, tier: "fast", maxOutputTokens: 64_000, prices: claude(1, 5) },

  "gpt-5": { ...GPT5, prices: gpt(1.25, 10) },
  "gpt-5-mini": { ...GPT5, prices: gpt(0.25, 2) },
  "gpt-5-nano": { ...GPT5, prices: gpt(0.05, 0.4) },
  "gpt-5-pro": { ...GPT5, maxOutputTokens: 272_000, prices: gpt(15, 120, 15) },
  "gpt-5.1": { ...GPT5, prices: gpt(1.25, 10) },
  "gpt-5.1-codex": { ...GPT5, prices: gpt(1.25, 10) },
  "gpt-5.1-codex-mini": { ...GPT5, prices: gpt(0.25, 2) },
  "gpt-5.2": { ...GPT5, prices: gpt(1.75, 14) },
  "gpt-5.2-codex": { ...GPT5, prices: gpt(1.75, 14) },
  "gpt-5.2-pro": { ...GPT5, prices: gpt(21, 168, 21) },
  "gpt-5.3-codex": { ...GPT5, prices: gpt(1.75, 14) },
  "gpt-5.4": { ...GPT5, prices: withLong(gpt(2.5, 15), 272_000, gpt(5, 22.5)) },
  "gpt-5.4-mini": { ...GPT5, tier: "fast", prices: gpt(0.75, 4.5) },
  "gpt-5.4-nano": { ...GPT5, prices: gpt(0.2, 1.25) },
  "gpt-5.4-pro": { ...GPT5, prices: withLong(gpt(30, 180, 30), 272_000, gpt(60, 270, 60)) },
  "gpt-5.5": { ...GPT5, tier: "premium", prices: gpt(5, 30) },
  "gpt-5.5-pro": { ...GPT5, tier: "reasoning", prices: gpt(30, 180, 30) },
  "gpt-5.6-sol": { ...GPT5, prices: withLong(gpt(5, 30, 0.5, 6.25), 272_000, gpt(10, 45, 1, 12.5)) },
  "gpt-5.6-terra": { ...GPT5, prices: withLong(gpt(2, 12, 0.2, 2.5), 272_000, gpt(4, 18, 0.4, 5)) },
  "gpt-5.6-luna": { ...GPT5, prices: withLong(gpt(0.2, 1.2, 0.02, 0.25), 272_000, gpt(0.4, 1.8, 0.04, 0.5)) },

  // Local servers: free. Set apiModel to the name the server serves and the real context size.
  "ollama-local": {
    provider: "ollama",
    apiModel: "qwen3-coder",
    contextWindow: 32_768,
    maxOutputTokens: 8192,
    prices: FREE,
  },
  "vllm-local": {
    provider: "vllm",
    apiModel: "default",
    contextWindow: 32_768,
    maxOutputTokens: 8192,
    prices: FREE,
  },
  "llamacpp-local": {
    provider: "llamacpp",
    apiModel: "default",
    contextWindow: 32_768,
    maxOutputTokens: 8192,
    prices: FREE,
  },
};

export function builtinModels(): Record<string, ModelEntry> {
  const out: Record<string, ModelEntry> = {};
  for (const [id, spec] of Object.entries(MODELS)) out[id] = structuredClone({ id, ...spec });
  return out;
}

/** Fallback chains, best first; a model whose provider has no key is skipped at request time. */
export function builtinTiers(): Record<ModelTier, string[]> {
  return {
    fast: ["claude-haiku-4-5", "gpt-5.4-mini"],
    balanced: ["claude-sonnet-4-6", "claude-sonnet-4-5", "gpt-5.4"],
    premium: ["claude-opus-4-8", "gpt-5.5"],
    reasoning: ["claude-opus-4-8", "gpt-5.5-pro"],
  };
}

/** Providers, with the SDKs' own variables for keys and base URLs. */
export function builtinProviders(env: Env): Record<string, ProviderConfig> {
  const openaiBase = env.OPENAI_BASE_URL || "https://api.openai.com/v1";
  return {
    anthropic: {
      api: "anthropic",
      baseUrl: env.ANTHROPIC_BASE_URL || "https://api.anthropic.com",
      apiKeyEnv: "ANTHROPIC_API_KEY",
    },
    openai: { api: "openai-responses", baseUrl: openaiBase, apiKeyEnv: "OPENAI_API_KEY" },
    "openai-chat": { api: "openai-chat", baseUrl: openaiBase, apiKeyEnv: "OPENAI_API_KEY" },
    ollama: { api: "openai-chat", baseUrl: "http://127.0.0.1:11434/v1", keyRequired: false },
    vllm: {
      api: "openai-chat",
      baseUrl: "http://127.0.0.1:8000/v1",
      apiKeyEnv: "VLLM_API_KEY",
      keyRequired: false,
    },
    llamacpp: { api: "openai-chat", baseUrl: "http://127.0.0.1:8080/v1", keyRequired: false },
  };
}

/** Commit messages and summaries need no big model. */
export function builtinRouting(): RoutingRule[] {
  return [
    { task: "commit_message", tier: "fast" },
    { task: "summary", tier: "fast" },
    { task: "compaction", tier: "fast" },
    { task: "title", tier: "fast" },
  ];
}

export function builtinRetry(): RetrySettings {
  return {
    maxRetries: 2,
    baseDelayMs: 500,
    maxDelayMs: 8000,
    maxRetryAfterMs: 60_000,
    idleTimeoutMs: 120_000,
  };
}
