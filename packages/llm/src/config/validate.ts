import { MODEL_TIERS, type ModelTier } from "@toad/core";
import { WIRE_APIS, type WireApi } from "../wire/decode.js";
import type {
  ModelEntry,
  ModelPrices,
  PriceTable,
  ProviderConfig,
  RetrySettings,
  RoutingRule,
} from "./types.js";

// Checks one config file's model section and turns it into typed partials.
// Every problem is collected with its JSON path; nothing throws.

export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
}

/** What one file says; absent keys leave the layer below in force. */
export interface ConfigLayer {
  /** The file it came from, for messages. */
  file: string;
  providers: Record<string, Partial<ProviderConfig>>;
  models: Record<string, Partial<ModelEntry>>;
  tiers: Partial<Record<ModelTier, string[]>>;
  defaultTier?: ModelTier;
  routing?: RoutingRule[];
  retry: Partial<RetrySettings>;
  sessionBudgetUsd?: number;
  compactAtFraction?: number;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function isTier(value: unknown): value is ModelTier {
  return typeof value === "string" && (MODEL_TIERS as readonly string[]).includes(value);
}

class Checker {
  readonly problems: ConfigProblem[] = [];
  constructor(private readonly file: string) {}

  fail(path: string, message: string): void {
    this.problems.push({ file: this.file, path, message });
  }

  number(obj: Obj, key: string, path: string, min = 0): number | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
      this.fail(at(path, key), `must be a number ≥ ${min}`);
      return undefined;
    }
    return value;
  }

  string(obj: Obj, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value === "") {
      this.fail(at(path, key), "must be a non-empty string");
      return undefined;
    }
    return value;
  }

  object(value: unknown, path: string): Obj | undefined {
    if (value === undefined) return undefined;
    if (!isObj(value)) {
      this.fail(path, "must be an object");
      return undefined;
    }
    return value;
  }
}

function priceTable(c: Checker, raw: Obj, path: string): Partial<PriceTable> {
  const out: Partial<PriceTable> = {};
  for (const key of ["input", "output", "cacheWrite", "cacheRead", "cacheWrite1h"] as const) {
    const value = c.number(raw, key, path);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function prices(c: Checker, raw: unknown, path: string): Partial<ModelPrices> | undefined {
  const obj = c.object(raw, path);
  if (obj === undefined) return undefined;
  const out: Partial<ModelPrices> = priceTable(c, obj, path);
  const long = c.object(obj.longContext, `${path}.longContext`);
  if (long !== undefined) {
    const table = priceTable(c, long, `${path}.longContext`);
    const above = c.number(long, "aboveInputTokens", `${path}.longContext`, 1);
    const { input, output, cacheRead, cacheWrite } = table;
    if (above === undefined || input === undefined || output === undefined) {
      c.fail(`${path}.longContext`, "needs aboveInputTokens, input and output");
    } else {
      out.longContext = {
        ...table,
        input,
        output,
        cacheRead: cacheRead ?? input,
        cacheWrite: cacheWrite ?? input,
        aboveInputTokens: above,
      };
    }
  }
  return out;
}

function model(c: Checker, raw: unknown, path: string): Partial<ModelEntry> | undefined {
  const obj = c.object(raw, path);
  if (obj === undefined) return undefined;
  const out: Partial<ModelEntry> = {};
  const provider = c.string(obj, "provider", path);
  if (provider !== undefined) out.provider = provider;
  const apiModel = c.string(obj, "apiModel", path);
  if (apiModel !== undefined) out.apiModel = apiModel;
  if (obj.tier !== undefined) {
    if (isTier(obj.tier)) out.tier = obj.tier;
    else c.fail(`${path}.tier`, `must be one of ${MODEL_TIERS.join(", ")}`);
  }
  const window = c.number(obj, "contextWindow", path, 1);
  if (window !== undefined) out.contextWindow = window;
  const maxOut = c.number(obj, "maxOutputTokens", path, 1);
  if (maxOut !== undefined) out.maxOutputTokens = maxOut;
  for (const flag of ["reasoning", "images"] as const) {
    const value = obj[flag];
    if (value === undefined) continue;
    if (typeof value === "boolean") out[flag] = value;
    else c.fail(`${path}.${flag}`, "must be true or false");
  }
  const p = prices(c, obj.prices, `${path}.prices`);
  if (p !== undefined) out.prices = p as ModelPrices; // completed against defaults when merged
  return out;
}

function provider(c: Checker, raw: unknown, path: string): Partial<ProviderConfig> | undefined {
  const obj = c.object(raw, path);
  if (obj === undefined) return undefined;
  const out: Partial<ProviderConfig> = {};
  if (obj.api !== undefined) {
    if ((WIRE_APIS as readonly unknown[]).includes(obj.api)) out.api = obj.api as WireApi;
    else c.fail(`${path}.api`, `must be one of ${WIRE_APIS.join(", ")}`);
  }
  const baseUrl = c.string(obj, "baseUrl", path);
  if (baseUrl !== undefined) {
    if (URL.canParse(baseUrl)) out.baseUrl = baseUrl;
    else c.fail(`${path}.baseUrl`, `is not a URL: ${baseUrl}`);
  }
  const keyEnv = c.string(obj, "apiKeyEnv", path);
  if (keyEnv !== undefined) out.apiKeyEnv = keyEnv;
  const key = c.string(obj, "apiKey", path);
  if (key !== undefined) out.apiKey = key;
  if (obj.keyRequired !== undefined) {
    if (typeof obj.keyRequired === "boolean") out.keyRequired = obj.keyRequired;
    else c.fail(`${path}.keyRequired`, "must be true or false");
  }
  const headers = c.object(obj.headers, `${path}.headers`);
  if (headers !== undefined) {
    const ok = Object.values(headers).every((value) => typeof value === "string");
    if (ok) out.headers = headers as Record<string, string>;
    else c.fail(`${path}.headers`, "values must be strings");
  }
  return out;
}

function routing(c: Checker, raw: unknown): RoutingRule[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    c.fail("routing", "must be an array of rules");
    return undefined;
  }
  const rules: RoutingRule[] = [];
  raw.forEach((rule, i) => {
    const path = `routing[${i}]`;
    const obj = c.object(rule, path);
    if (obj === undefined) return;
    if (!isTier(obj.tier)) {
      c.fail(`${path}.tier`, `must be one of ${MODEL_TIERS.join(", ")}`);
      return;
    }
    const out: RoutingRule = { tier: obj.tier };
    const task = c.string(obj, "task", path);
    const prompt = c.string(obj, "prompt", path);
    if (task !== undefined) out.task = task;
    if (prompt !== undefined) {
      try {
        new RegExp(prompt, "i");
        out.prompt = prompt;
      } catch {
        c.fail(`${path}.prompt`, "is not a valid regular expression");
      }
    }
    if (out.task === undefined && out.prompt === undefined) c.fail(path, 'needs "task" or "prompt"');
    else rules.push(out);
  });
  return rules;
}

/** Reads the model-related keys of one parsed config file; other keys belong to other layers of TOAD. */
export function parseConfigLayer(
  raw: unknown,
  file: string,
): { layer: ConfigLayer; problems: ConfigProblem[] } {
  const c = new Checker(file);
  const layer: ConfigLayer = { file, providers: {}, models: {}, tiers: {}, retry: {} };
  if (!isObj(raw)) {
    c.fail("", "the config must be a JSON object");
    return { layer, problems: c.problems };
  }
  for (const [id, value] of Object.entries(c.object(raw.providers, "providers") ?? {})) {
    const p = provider(c, value, `providers.${id}`);
    if (p !== undefined) layer.providers[id] = p;
  }
  // Models: an object keyed by id, or an array of entries with "id".
  const models = raw.models;
  const pairs: Array<[string, unknown, string]> = Array.isArray(models)
    ? models.map((m, i) => [isObj(m) && typeof m.id === "string" ? m.id : "", m, `models[${i}]`])
    : Object.entries(c.object(models, "models") ?? {}).map(([id, m]) => [id, m, `models.${id}`]);
  for (const [id, value, path] of pairs) {
    if (id === "") c.fail(path, 'needs an "id"');
    else {
      const m = model(c, value, path);
      if (m !== undefined) layer.models[id] = m;
    }
  }
  for (const [tier, value] of Object.entries(c.object(raw.tiers, "tiers") ?? {})) {
    if (!isTier(tier)) c.fail(`tiers.${tier}`, `unknown tier; use ${MODEL_TIERS.join(", ")}`);
    else if (!Array.isArray(value) || !value.every((id) => typeof id === "string")) {
      c.fail(`tiers.${tier}`, "must be an array of model ids");
    } else layer.tiers[tier] = value;
  }
  if (raw.defaultTier !== undefined) {
    if (isTier(raw.defaultTier)) layer.defaultTier = raw.defaultTier;
    else c.fail("defaultTier", `must be one of ${MODEL_TIERS.join(", ")}`);
  }
  const rules = routing(c, raw.routing);
  if (rules !== undefined) layer.routing = rules;
  const retry = c.object(raw.retry, "retry") ?? {};
  for (const key of [
    "maxRetries",
    "baseDelayMs",
    "maxDelayMs",
    "maxRetryAfterMs",
    "idleTimeoutMs",
  ] as const) {
    const value = c.number(retry, key, "retry");
    if (value !== undefined) layer.retry[key] = value;
  }
  const budget = c.number(raw, "sessionBudgetUsd", "", 0);
  if (budget !== undefined) layer.sessionBudgetUsd = budget;
  const fraction = c.number(raw, "compactAtFraction", "", 0.1);
  if (fraction !== undefined) {
    if (fraction < 1) layer.compactAtFraction = fraction;
    else c.fail("compactAtFraction", "must be below 1");
  }
  return { layer, problems: c.problems };
}
