import type { ModelTier } from "@toad/core";
import type { WireApi } from "../wire/decode.js";

/** USD per million tokens. */
export interface PriceTable {
  input: number;
  output: number;
  /** 5-minute cache write (Anthropic 1.25× input; free for most OpenAI models). */
  cacheWrite: number;
  cacheRead: number;
  /** 1-hour cache write (Anthropic 2× input); defaults to `cacheWrite`. */
  cacheWrite1h?: number;
}

export interface ModelPrices extends PriceTable {
  /** A dearer table for prompts above a size (Sonnet 4.5 over 200k, GPT-5.4 over 272k). */
  longContext?: PriceTable & { aboveInputTokens: number };
}

export interface ModelEntry {
  /** The id users and config name the model by. */
  id: string;
  /** A provider id from the config's providers. */
  provider: string;
  /** The name sent on the wire; defaults to `id`. */
  apiModel?: string;
  tier?: ModelTier;
  contextWindow: number;
  maxOutputTokens: number;
  prices: ModelPrices;
  /** Accepts a thinking / reasoning budget. */
  reasoning?: boolean;
  /**
   * Takes image input. Absent or false: images in the conversation are sent
   * as a short text note instead (a model without vision would answer 400).
   */
  images?: boolean;
}

/**
 * How a provider is reached. `api` picks the wire format; OpenAI-compatible
 * servers (vLLM, Ollama /v1, llama.cpp) are "openai-chat" with their base URL.
 */
export interface ProviderConfig {
  api: WireApi;
  /** For "anthropic" without /v1 (as ANTHROPIC_BASE_URL); for OpenAI wires with /v1 (as OPENAI_BASE_URL). */
  baseUrl: string;
  /** The variable holding the key; named in auth errors. */
  apiKeyEnv?: string;
  /** A literal key (prefer apiKeyEnv so keys stay out of files). */
  apiKey?: string;
  /** Local servers need no key. */
  keyRequired?: boolean;
  headers?: Record<string, string>;
}

export interface RoutingRule {
  /** Matches ModelRequest-level task labels such as "commit_message", "summary", "compaction". */
  task?: string;
  /** Case-insensitive regular expression tested on the user's prompt. */
  prompt?: string;
  tier: ModelTier;
}

export interface RetrySettings {
  /** Retries of one model before the fallback chain moves on (the SDK default is 2). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking for a longer wait than this is not waited for: the next model answers. */
  maxRetryAfterMs: number;
  /** No byte for this long (headers or body) counts as a network failure. */
  idleTimeoutMs: number;
}

export interface LlmConfig {
  providers: Record<string, ProviderConfig>;
  models: Record<string, ModelEntry>;
  /** Fallback chain per tier, best first. */
  tiers: Partial<Record<ModelTier, string[]>>;
  defaultTier: ModelTier;
  routing: RoutingRule[];
  retry: RetrySettings;
  /** Per-session spending cap in USD (absent: no cap). */
  sessionBudgetUsd?: number;
  /** Start compaction when the prompt reaches this share of the context window. */
  compactAtFraction: number;
}
