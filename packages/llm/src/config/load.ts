import { readFile as fsReadFile } from "node:fs/promises";
import { join } from "node:path";
import { MODEL_TIERS } from "@toad/core";
import {
  builtinModels,
  builtinProviders,
  builtinRetry,
  builtinRouting,
  builtinTiers,
  type Env,
} from "./builtin.js";
import type { LlmConfig, ModelEntry, ModelPrices, ProviderConfig } from "./types.js";
import { type ConfigLayer, type ConfigProblem, parseConfigLayer } from "./validate.js";

// Configuration = shipped defaults (with the SDKs' environment variables)
// ← the user's file ← the project's file. Paths and the environment come in as
// parameters, so tests never touch the real home directory.

export interface ConfigLocation {
  env: Env;
  /** The user's home directory (os.homedir() in production). */
  homeDir: string;
  /** The repository root; its `.toad/config.json` overrides the user's file. */
  projectDir?: string;
}

/** `$TOAD_CONFIG_HOME/config.json`, else `$XDG_CONFIG_HOME/toad/config.json`, else `~/.config/toad/config.json`. */
export function userConfigFile(env: Env, homeDir: string): string {
  if (env.TOAD_CONFIG_HOME) return join(env.TOAD_CONFIG_HOME, "config.json");
  return join(env.XDG_CONFIG_HOME || join(homeDir, ".config"), "toad", "config.json");
}

export function projectConfigFile(projectDir: string): string {
  return join(projectDir, ".toad", "config.json");
}

export type ConfigResult =
  | { ok: true; config: LlmConfig; files: string[] }
  | { ok: false; problems: ConfigProblem[] };

export type ReadText = (path: string) => Promise<string | undefined>;

const readIfExists: ReadText = async (path) => {
  try {
    return await fsReadFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
};

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n");
}

/** Reads and merges the user and project files. A missing file is fine; a broken one is reported, not skipped. */
export async function loadLlmConfig(
  location: ConfigLocation,
  readText: ReadText = readIfExists,
): Promise<ConfigResult> {
  const files = [userConfigFile(location.env, location.homeDir)];
  if (location.projectDir !== undefined) files.push(projectConfigFile(location.projectDir));
  const layers: ConfigLayer[] = [];
  const problems: ConfigProblem[] = [];
  const read: string[] = [];
  for (const file of files) {
    let text: string | undefined;
    try {
      text = await readText(file);
    } catch (err) {
      problems.push({ file, path: "", message: `cannot be read: ${(err as Error).message}` });
      continue;
    }
    if (text === undefined) continue;
    read.push(file);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      problems.push({ file, path: "", message: `is not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const parsed = parseConfigLayer(raw, file);
    problems.push(...parsed.problems);
    layers.push(parsed.layer);
  }
  if (problems.length > 0) return { ok: false, problems };
  const resolved = resolveLlmConfig(layers, location.env);
  return resolved.problems.length > 0
    ? { ok: false, problems: resolved.problems }
    : { ok: true, config: resolved.config, files: read };
}

function mergePrices(base: ModelPrices | undefined, over: Partial<ModelPrices> | undefined): ModelPrices {
  const input = over?.input ?? base?.input ?? 0;
  return {
    ...base,
    ...over,
    input,
    output: over?.output ?? base?.output ?? 0,
    // Unknown cache prices for a new model: no discount, no premium.
    cacheWrite: over?.cacheWrite ?? base?.cacheWrite ?? input,
    cacheRead: over?.cacheRead ?? base?.cacheRead ?? input,
  };
}

/** Merges layers (lowest first) onto the shipped defaults and checks that every reference resolves. */
export function resolveLlmConfig(
  layers: readonly ConfigLayer[],
  env: Env,
): { config: LlmConfig; problems: ConfigProblem[] } {
  const where = layers.map((layer) => layer.file).join(" + ") || "built-in config";
  const problems: ConfigProblem[] = [];
  const providers: Record<string, ProviderConfig> = builtinProviders(env);
  const models: Record<string, ModelEntry> = builtinModels();
  const tiers: LlmConfig["tiers"] = builtinTiers();
  const config: LlmConfig = {
    providers,
    models,
    tiers,
    defaultTier: "balanced",
    routing: builtinRouting(),
    retry: builtinRetry(),
    compactAtFraction: 0.8,
  };
  for (const layer of layers) {
    const file = layer.file;
    for (const [id, over] of Object.entries(layer.providers)) {
      const base = providers[id];
      const merged = { ...base, ...over };
      if (merged.api === undefined || merged.baseUrl === undefined) {
        problems.push({ file, path: `providers.${id}`, message: 'a new provider needs "api" and "baseUrl"' });
        continue;
      }
      providers[id] = { ...merged, api: merged.api, baseUrl: merged.baseUrl };
    }
    for (const [id, over] of Object.entries(layer.models)) {
      const base = models[id];
      const provider = over.provider ?? base?.provider;
      const contextWindow = over.contextWindow ?? base?.contextWindow;
      if (provider === undefined || contextWindow === undefined) {
        problems.push({
          file,
          path: `models.${id}`,
          message: 'a new model needs "provider" and "contextWindow"',
        });
        continue;
      }
      models[id] = {
        ...base,
        ...over,
        id,
        provider,
        contextWindow,
        maxOutputTokens: over.maxOutputTokens ?? base?.maxOutputTokens ?? 8192,
        prices: mergePrices(base?.prices, over.prices),
      };
    }
    Object.assign(tiers, layer.tiers);
    if (layer.defaultTier !== undefined) config.defaultTier = layer.defaultTier;
    // Later (more specific) files' rules are tried first.
    if (layer.routing !== undefined) config.routing = [...layer.routing, ...config.routing];
    Object.assign(config.retry, layer.retry);
    if (layer.sessionBudgetUsd !== undefined) config.sessionBudgetUsd = layer.sessionBudgetUsd;
    if (layer.compactAtFraction !== undefined) config.compactAtFraction = layer.compactAtFraction;
  }
  for (const model of Object.values(models)) {
    if (providers[model.provider] === undefined) {
      problems.push({
        file: where,
        path: `models.${model.id}.provider`,
        message: `unknown provider "${model.provider}"`,
      });
    }
  }
  for (const tier of MODEL_TIERS) {
    for (const id of tiers[tier] ?? []) {
      if (models[id] === undefined)
        problems.push({ file: where, path: `tiers.${tier}`, message: `unknown model "${id}"` });
    }
  }
  return { config, problems };
}

/** The shipped configuration alone (tests, and callers with no files). */
export function defaultLlmConfig(env: Env): LlmConfig {
  return resolveLlmConfig([], env).config;
}
