import type { AgentEvent } from "@toad/core";
import type { ModelPrices, PriceTable } from "./config/types.js";
import type { WireUsage } from "./wire/types.js";

// Pricing and spend. Every usage is priced by the registry: uncached input,
// cache writes (5-minute and 1-hour) and cache reads at their own prices.

const PER_TOKEN = 1 / 1_000_000;

/** The table that applies to a prompt of this size (long-context tiers are dearer). */
export function priceTableFor(prices: ModelPrices, promptTokens: number): PriceTable {
  const long = prices.longContext;
  return long !== undefined && promptTokens > long.aboveInputTokens ? long : prices;
}

/** Everything the prompt held: uncached input plus cache reads and writes. */
export function promptTokens(
  usage: Pick<WireUsage, "inputTokens" | "cacheReadTokens" | "cacheWriteTokens">,
): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}

/** USD for one request's usage. */
export function priceUsage(usage: WireUsage, prices: ModelPrices): number {
  const table = priceTableFor(prices, promptTokens(usage));
  const write1h = Math.min(usage.cacheWrite1hTokens, usage.cacheWriteTokens);
  const write5m = usage.cacheWriteTokens - write1h;
  const cost =
    usage.inputTokens * table.input +
    usage.outputTokens * table.output +
    usage.cacheReadTokens * table.cacheRead +
    write5m * table.cacheWrite +
    write1h * (table.cacheWrite1h ?? table.cacheWrite);
  return cost * PER_TOKEN;
}

/** The share of the prompt that was read from the cache (0..1). */
export function cachedShare(
  usage: Pick<WireUsage, "inputTokens" | "cacheReadTokens" | "cacheWriteTokens">,
): number {
  const total = promptTokens(usage);
  return total === 0 ? 0 : usage.cacheReadTokens / total;
}

export interface SpendEntry {
  sessionId: string;
  model: string;
  costUsd: number;
  /** Milliseconds since the epoch. */
  at: number;
}

/** The calendar day an entry counts toward (local time by default; injectable for tests). */
export type DayKey = (at: number) => string;

export const localDay: DayKey = (at) => {
  const d = new Date(at);
  const pad = (value: number): string => String(value).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/**
 * Spend totals per request, session and day. Rebuildable from any session
 * logs (`ledgerFromEvents`), since every usage event already carries its cost.
 */
export class CostLedger {
  private readonly entries: SpendEntry[] = [];

  constructor(private readonly dayKey: DayKey = localDay) {}

  record(entry: SpendEntry): void {
    this.entries.push(entry);
  }

  sessionTotal(sessionId: string): number {
    return this.sum((e) => e.sessionId === sessionId);
  }

  dayTotal(at: number): number {
    const day = this.dayKey(at);
    return this.sum((e) => this.dayKey(e.at) === day);
  }

  total(): number {
    return this.sum(() => true);
  }

  /** Per-model totals for a session, for the end-of-session summary. */
  byModel(sessionId: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.entries) {
      if (e.sessionId === sessionId) out.set(e.model, (out.get(e.model) ?? 0) + e.costUsd);
    }
    return out;
  }

  private sum(keep: (entry: SpendEntry) => boolean): number {
    let total = 0;
    for (const e of this.entries) if (keep(e)) total += e.costUsd;
    return total;
  }
}

/** Rebuilds spend from session logs: each `usage` event is one priced request. */
export function ledgerFromEvents(events: Iterable<AgentEvent>, dayKey: DayKey = localDay): CostLedger {
  const ledger = new CostLedger(dayKey);
  for (const event of events) {
    if (event.type === "usage") {
      ledger.record({
        sessionId: event.sessionId,
        model: event.model,
        costUsd: event.costUsd,
        at: event.timestamp,
      });
    }
  }
  return ledger;
}

export type BudgetStatus =
  | { ok: true; spentUsd: number; remainingUsd: number }
  | { ok: false; spentUsd: number; limitUsd: number; message: string };

export function formatUsd(amount: number): string {
  // Cents are enough until a request costs less than a cent.
  return `$${amount.toFixed(amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2)}`;
}

/** Says whether a session may make another request, and why not in words a user reads. */
export function checkBudget(spentUsd: number, limitUsd: number | undefined): BudgetStatus {
  if (limitUsd === undefined) return { ok: true, spentUsd, remainingUsd: Number.POSITIVE_INFINITY };
  if (spentUsd < limitUsd) return { ok: true, spentUsd, remainingUsd: limitUsd - spentUsd };
  return {
    ok: false,
    spentUsd,
    limitUsd,
    message:
      `Session budget reached: this session has spent ${formatUsd(spentUsd)} of its ${formatUsd(limitUsd)} cap. ` +
      `Raise "sessionBudgetUsd" in the TOAD config or start a new session to continue.`,
  };
}
