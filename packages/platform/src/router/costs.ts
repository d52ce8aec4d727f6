import type { UsageEvent } from "@toad/core";
import type * as pb from "@toad/proto";
import type { KeyValueStore } from "../kv/port.js";
import { addToAll } from "./cost-counters.js";

const METRICS = ["input", "output", "cacheRead", "cacheWrite", "costUsd", "requests"] as const;
type Metric = (typeof METRICS)[number];
type Totals = Record<Metric, number>;

const empty = (): Totals => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0, requests: 0 });

/** The UTC day of a time, YYYY-MM-DD: the unit costs are kept and filtered by. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * Spend per scope (an org, a session), per model and per day, as counters
 * over the key-value port: every router replica adds to the same Redis
 * hashes. One hash per scope, one field per model × day × metric, so totals,
 * per-model and per-day lines can all be cut to a day range.
 */
export class CostBook {
  constructor(private readonly kv: KeyValueStore) {}

  async record(scopes: readonly string[], usage: UsageEvent, at: number): Promise<void> {
    const prefix = `${usage.model}|${utcDay(at)}|`;
    const deltas: Record<string, number> = {
      [`${prefix}input`]: usage.inputTokens,
      [`${prefix}output`]: usage.outputTokens,
      [`${prefix}cacheRead`]: usage.cacheReadTokens,
      [`${prefix}cacheWrite`]: usage.cacheWriteTokens,
      [`${prefix}costUsd`]: usage.costUsd,
      [`${prefix}requests`]: 1,
    };
    await addToAll(
      this.kv,
      scopes.map((scope) => `costs:${scope}`),
      deltas,
    );
  }

  /** The scope's spend within [fromDay, toDay] (inclusive; empty bounds are open). */
  async report(scope: string, fromDay = "", toDay = ""): Promise<pb.GetCostsResponse> {
    const total = empty();
    const byModel = new Map<string, Totals>();
    const byDay = new Map<string, Totals>();
    for (const [field, value] of Object.entries(await this.kv.fields(`costs:${scope}`))) {
      const parts = field.split("|");
      const metric = parts.pop() as Metric;
      const day = parts.pop() ?? "";
      const model = parts.join("|");
      if (!METRICS.includes(metric)) continue;
      if ((fromDay !== "" && day < fromDay) || (toDay !== "" && day > toDay)) continue;
      total[metric] += value;
      for (const [map, key] of [
        [byModel, model],
        [byDay, day],
      ] as const) {
        const line = map.get(key) ?? empty();
        line[metric] += value;
        map.set(key, line);
      }
    }
    const lines = (map: Map<string, Totals>) =>
      [...map].sort(([a], [b]) => a.localeCompare(b)).map(([key, totals]) => costLine(key, totals));
    return { total: costLine("total", total), byModel: lines(byModel), byDay: lines(byDay) };
  }
}

function costLine(key: string, totals: Totals): pb.CostLine {
  return {
    key,
    inputTokens: totals.input,
    outputTokens: totals.output,
    cacheReadTokens: totals.cacheRead,
    cacheWriteTokens: totals.cacheWrite,
    costUsd: totals.costUsd,
    requests: totals.requests,
  };
}
