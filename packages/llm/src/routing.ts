import { MODEL_TIERS, type ModelTier } from "@toad/core";
import type { Env } from "./config/builtin.js";
import type { LlmConfig, ModelEntry, ProviderConfig, RoutingRule } from "./config/types.js";
import { type ModelError, modelError } from "./errors.js";

// Routing, first step: which tier answers (explicit request, a rule, or the
// default), then which models, in fallback order, serve that tier.

export interface RouteInput {
  /** From a flag or slash command (/fast, --tier premium). */
  explicitTier?: ModelTier;
  /** What the request is for: "commit_message", "summary", "compaction", … */
  task?: string;
  /** The user's prompt, for prompt-pattern rules. */
  prompt?: string;
}

export interface RouteDecision {
  tier: ModelTier;
  source: "explicit" | "rule" | "default";
  rule?: RoutingRule;
}

export function chooseTier(
  input: RouteInput,
  config: Pick<LlmConfig, "routing" | "defaultTier">,
): RouteDecision {
  if (input.explicitTier !== undefined) return { tier: input.explicitTier, source: "explicit" };
  for (const rule of config.routing) {
    const taskOk = rule.task === undefined || rule.task === input.task;
    const promptOk =
      rule.prompt === undefined ||
      (input.prompt !== undefined && new RegExp(rule.prompt, "i").test(input.prompt));
    if (taskOk && promptOk) return { tier: rule.tier, source: "rule", rule };
  }
  return { tier: config.defaultTier, source: "default" };
}

/** Parses "/fast", "/premium", "--tier=fast" style words into a tier. */
export function tierFromWord(word: string): ModelTier | undefined {
  const bare = word.replace(/^(\/|--tier=|--)/, "").toLowerCase();
  return (MODEL_TIERS as readonly string[]).includes(bare) ? (bare as ModelTier) : undefined;
}

export interface ResolvedModel {
  model: ModelEntry;
  providerId: string;
  provider: ProviderConfig;
  apiKey: string | undefined;
}

function apiKeyFor(provider: ProviderConfig, env: Env): string | undefined {
  return provider.apiKey ?? (provider.apiKeyEnv ? env[provider.apiKeyEnv] || undefined : undefined);
}

function resolveOne(model: ModelEntry, config: LlmConfig, env: Env): ResolvedModel | undefined {
  const provider = config.providers[model.provider];
  if (provider === undefined) return undefined;
  return { model, providerId: model.provider, provider, apiKey: apiKeyFor(provider, env) };
}

export function hasCredentials(resolved: ResolvedModel): boolean {
  return resolved.apiKey !== undefined || resolved.provider.keyRequired === false;
}

/** A registry entry by id, or by a dated snapshot of one ("claude-sonnet-4-5-20250929"). */
export function findModel(config: LlmConfig, id: string): ModelEntry | undefined {
  const exact = config.models[id];
  if (exact !== undefined) return exact;
  let best: ModelEntry | undefined;
  for (const entry of Object.values(config.models)) {
    if (id.startsWith(`${entry.id}-`) && (best === undefined || entry.id.length > best.id.length))
      best = entry;
  }
  return best === undefined ? undefined : { ...best, apiModel: id };
}

/** The models of a tier, best first: its configured chain, then any other model tagged with it. */
export function tierModels(config: LlmConfig, tier: ModelTier): string[] {
  const listed = config.tiers[tier] ?? [];
  const tagged = Object.values(config.models)
    .filter((m) => m.tier === tier && !listed.includes(m.id))
    .map((m) => m.id);
  return [...listed, ...tagged];
}

export type ChainResult = { ok: true; chain: ResolvedModel[] } | { ok: false; error: ModelError };

/**
 * The models that may answer a request, in order. An explicit model answers
 * alone; a tier's chain skips models whose provider has no key (so a missing
 * second key never hides the first model's real error), unless none has one.
 */
export function resolveChain(
  request: { model?: string; tier?: ModelTier },
  config: LlmConfig,
  env: Env,
): ChainResult {
  if (request.model !== undefined) {
    const entry = findModel(config, request.model);
    const resolved = entry && resolveOne(entry, config, env);
    if (resolved === undefined) {
      const known = Object.keys(config.models).slice(0, 12).join(", ");
      return {
        ok: false,
        error: modelError(
          "no_model",
          `Unknown model "${request.model}". Add it to "models" in the TOAD config (known: ${known}, …).`,
        ),
      };
    }
    return { ok: true, chain: [resolved] };
  }
  const tier = request.tier ?? config.defaultTier;
  const all = tierModels(config, tier).flatMap((id) => {
    const entry = config.models[id];
    const resolved = entry && resolveOne(entry, config, env);
    return resolved ? [resolved] : [];
  });
  if (all.length === 0) {
    return {
      ok: false,
      error: modelError(
        "no_model",
        `No model is configured for tier "${tier}". Set "tiers.${tier}" in the TOAD config.`,
      ),
    };
  }
  const usable = all.filter(hasCredentials);
  return { ok: true, chain: usable.length > 0 ? usable : all.slice(0, 1) };
}
