import type { AgentEvent } from "@toad/core";
import type { MockLlmServer } from "@toad/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { builtinModels } from "../src/config/builtin.js";
import { CostLedger, checkBudget, ledgerFromEvents, priceUsage } from "../src/cost.js";
import { emptyUsage, type WireUsage } from "../src/wire/types.js";
import { collect, harness, ofType, request } from "./helpers/mock.js";

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const models = builtinModels();
const usage = (over: Partial<WireUsage>): WireUsage => ({ ...emptyUsage(), ...over });
const price = (id: string, u: Partial<WireUsage>): number => {
  const model = models[id];
  if (model === undefined) throw new Error(id);
  return priceUsage(usage(u), model.prices);
};

describe("pricing by the registry", () => {
  it("prices input, output, cache reads and 5-minute / 1-hour writes separately (Claude)", () => {
    // Opus 4.5: $5 in, $25 out, $6.25 5m write, $10 1h write, $0.50 read per Mtok.
    const cost = price("claude-opus-4-5", {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 2_000_000,
      cacheWriteTokens: 300_000,
      cacheWrite1hTokens: 100_000,
    });
    expect(cost).toBeCloseTo(5 + 2.5 + 1 + 0.2 * 6.25 + 0.1 * 10, 10);
  });

  it("uses the long-context table above its threshold", () => {
    const short = price("claude-sonnet-4-5", { inputTokens: 150_000, outputTokens: 1000 });
    const long = price("claude-sonnet-4-5", {
      inputTokens: 150_000,
      cacheReadTokens: 60_000,
      outputTokens: 1000,
    });
    expect(short).toBeCloseTo(0.45 + 0.015, 10);
    expect(long).toBeCloseTo(150_000 * 6e-6 + 60_000 * 0.6e-6 + 1000 * 22.5e-6, 10);
  });

  it("prices OpenAI cached input at the cached rate and local models at zero", () => {
    expect(
      price("gpt-5", { inputTokens: 1_000_000, cacheReadTokens: 1_000_000, outputTokens: 1_000_000 }),
    ).toBeCloseTo(1.25 + 0.125 + 10, 10);
    expect(price("ollama-local", { inputTokens: 5_000_000, outputTokens: 5_000_000 })).toBe(0);
  });

  it("ships the Claude 4.x and GPT-5 families", () => {
    for (const id of [
      "claude-opus-4-8",
      "claude-sonnet-4-6",
      "claude-haiku-4-5",
      "gpt-5",
      "gpt-5.4",
      "gpt-5.5",
    ]) {
      expect(models[id]?.prices.input).toBeGreaterThan(0);
    }
  });
});

describe("spend totals", () => {
  const dayKey = (at: number): string => new Date(at).toISOString().slice(0, 10);
  const DAY1 = Date.UTC(2026, 10, 24, 12);
  const DAY2 = Date.UTC(2026, 10, 25, 12);

  it("totals per session, per day and per model", () => {
    const ledger = new CostLedger(dayKey);
    ledger.record({ sessionId: "a", model: "m1", costUsd: 0.5, at: DAY1 });
    ledger.record({ sessionId: "a", model: "m2", costUsd: 0.25, at: DAY2 });
    ledger.record({ sessionId: "b", model: "m1", costUsd: 1, at: DAY2 });
    expect(ledger.sessionTotal("a")).toBe(0.75);
    expect(ledger.dayTotal(DAY2)).toBe(1.25);
    expect(ledger.total()).toBe(1.75);
    expect([...ledger.byModel("a")]).toEqual([
      ["m1", 0.5],
      ["m2", 0.25],
    ]);
  });

  it("rebuilds from session logs", () => {
    const events: AgentEvent[] = [
      { sessionId: "s", seq: 1, timestamp: DAY1, type: "user_message", text: "hi" },
      {
        sessionId: "s",
        seq: 2,
        timestamp: DAY1,
        type: "usage",
        model: "m",
        inputTokens: 1,
        outputTokens: 1,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.1,
      },
    ];
    expect(ledgerFromEvents(events, dayKey).dayTotal(DAY1)).toBe(0.1);
  });

  it("says clearly when the budget is hit", () => {
    expect(checkBudget(0.4, 1)).toEqual({ ok: true, spentUsd: 0.4, remainingUsd: 0.6 });
    expect(checkBudget(5, undefined).ok).toBe(true);
    const hit = checkBudget(1.2, 1);
    expect(hit).toMatchObject({ ok: false, limitUsd: 1 });
    if (!hit.ok)
      expect(hit.message).toBe(
        'Session budget reached: this session has spent $1.20 of its $1.00 cap. Raise "sessionBudgetUsd" in the TOAD config or start a new session to continue.',
      );
  });
});

describe("budget cap in the client", () => {
  it("stops the next request once the session has spent its cap, without calling the API", async () => {
    const h = await harness(
      [
        {
          content: [{ type: "text", text: "expensive" }],
          usage: { inputTokens: 100_000, outputTokens: 20_000 },
        },
        { content: [{ type: "text", text: "never sent" }] },
      ],
      { layer: { sessionBudgetUsd: 0.5 }, client: { sessionId: "s1" } },
    );
    server = h.server;
    const first = await collect(h.client.stream(request({ model: "claude-opus-4-8" })));
    expect(ofType(first, "usage")[0]?.costUsd).toBeCloseTo(0.5 + 0.5, 10);
    expect(h.client.ledger.sessionTotal("s1")).toBeCloseTo(1, 10);
    const second = await collect(h.client.stream(request({ model: "claude-opus-4-8", turn: 2 })));
    expect(second.map((e) => e.type)).toEqual(["turn_start", "error", "turn_end"]);
    expect(ofType(second, "error")[0]).toMatchObject({ code: "budget_exceeded", retryable: false });
    expect(ofType(second, "error")[0]?.message).toContain("spent $1.00 of its $0.50 cap");
    expect(second.at(-1)).toMatchObject({ stopReason: "error" });
    expect(h.server.requests).toHaveLength(1);
  });
});
