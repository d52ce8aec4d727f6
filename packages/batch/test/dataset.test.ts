import { describe, expect, it } from "vitest";
import {
  type BatchInstance,
  formatProgressLine,
  instancePrompt,
  ProgressTracker,
  parseDataset,
  percentile,
  promptsHash,
  selectInstances,
  summarize,
} from "../src/index.js";

const row = (id: string, extra: Record<string, unknown> = {}) => ({
  instance_id: id,
  repo: "pallets/flask",
  base_commit: "4c288bc97ea371817199908d0d9b12de9dae327e",
  problem_statement: `problem of ${id}`,
  ...extra,
});

describe("datasets", () => {
  it("reads JSON lines and JSON arrays, FAIL_TO_PASS as a list or a JSON string", () => {
    const lines = [row("a"), row("b", { FAIL_TO_PASS: '["t::x"]', hints_text: "look" })]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const parsed = parseDataset(`${lines}\n\n`, "d.jsonl");
    expect(parsed.ok && parsed.value.map((i) => i.instance_id)).toEqual(["a", "b"]);
    expect(parsed.ok && parsed.value[1]).toMatchObject({ FAIL_TO_PASS: ["t::x"], hints_text: "look" });
    const array = parseDataset(JSON.stringify([row("c", { FAIL_TO_PASS: ["t::y"] })]), "d.json");
    expect(array.ok && array.value[0]?.FAIL_TO_PASS).toEqual(["t::y"]);
  });

  it("names the line of a bad row and loads nothing", () => {
    const bad = (text: string) => {
      const parsed = parseDataset(text, "d.jsonl");
      return parsed.ok ? "loaded" : parsed.error.message;
    };
    expect(bad(`${JSON.stringify(row("a"))}\n{oops`)).toMatch(/^d\.jsonl:2: not valid JSON/);
    expect(bad(JSON.stringify(row("a", { repo: "flask" })))).toMatch(/"repo" must be owner\/name/);
    expect(bad(JSON.stringify(row("a", { base_commit: "HEAD" })))).toMatch(
      /"base_commit" must be a commit hash/,
    );
    expect(bad(JSON.stringify({ instance_id: "x" }))).toMatch(/"repo" must be a non-empty string/);
    expect(bad([row("a"), row("a")].map((r) => JSON.stringify(r)).join("\n"))).toMatch(/appears twice/);
    expect(bad("")).toMatch(/no instances/);
  });

  it("selects by ids, then regex, then slice", () => {
    const all = ["a-1", "a-2", "b-1", "b-2", "b-3"].map((id) => row(id) as BatchInstance);
    const ids = (selection: Parameters<typeof selectInstances>[1]) => {
      const chosen = selectInstances(all, selection);
      return chosen.ok ? chosen.value.map((i) => i.instance_id) : chosen.error.message;
    };
    expect(ids({ filter: "^b-" })).toEqual(["b-1", "b-2", "b-3"]);
    expect(ids({ filter: "^b-", slice: "1:" })).toEqual(["b-2", "b-3"]);
    expect(ids({ slice: ":2" })).toEqual(["a-1", "a-2"]);
    expect(ids({ slice: "-1:" })).toEqual(["b-3"]);
    expect(ids({ instanceIds: ["b-2", "a-1"] })).toEqual(["a-1", "b-2"]);
    expect(ids({ instanceIds: ["zzz"] })).toMatch(/not in the dataset: zzz/);
    expect(ids({ filter: "(" })).toMatch(/--filter is not a regular expression/);
    expect(ids({ slice: "1-2" })).toMatch(/--slice must be A:B/);
    expect(ids({ filter: "nothing" })).toMatch(/matches no instance/);
  });
});

describe("prompts", () => {
  const instance = row("a", { hints_text: "the hint" }) as BatchInstance;
  const on = { contextPreload: true, testSelection: true };
  it("carry the issue, hints only when asked, and the switches' parts", () => {
    const plain = instancePrompt(instance, {
      ablations: { contextPreload: false, testSelection: false },
      useHints: false,
    });
    expect(plain).toContain("<issue>\nproblem of a\n</issue>");
    expect(plain).not.toContain("the hint");
    expect(plain).not.toContain("run_tests");
    const full = instancePrompt(
      instance,
      { ablations: on, useHints: true },
      { context: "ctx", selectedTests: ["tests/t.py"] },
    );
    expect(full).toContain("<hints>\nthe hint\n</hints>");
    expect(full).toContain("<context>\nctx\n</context>");
    expect(full).toContain("- tests/t.py");
  });

  it("hash differently when a switch changes what the agent is told", () => {
    const hash = (testSelection: boolean, useHints = false) =>
      promptsHash({ ablations: { contextPreload: true, testSelection }, useHints });
    expect(hash(true)).toBe(hash(true));
    expect(hash(true)).not.toBe(hash(false));
    expect(hash(true)).not.toBe(hash(true, true));
  });
});

describe("progress and summary", () => {
  const result = (
    id: string,
    patch: string,
    costUsd: number,
    wallMs: number,
    status: "completed" | "error" = "completed",
  ) => ({
    instance_id: id,
    status,
    exit: "end_turn" as const,
    patch,
    costUsd,
    tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    turns: 4,
    wallMs,
    timings: { workspaceMs: 0, agentMs: 0, diffMs: 0, bookkeepingMs: 0 },
    startedAt: 0,
    endedAt: 0,
  });

  it("counts earlier instances as done and estimates the rest from this run's pace", () => {
    let now = 0;
    const tracker = new ProgressTracker(4, [result("a", "diff", 0.5, 10)], () => now);
    tracker.started();
    tracker.started();
    now = 60_000;
    const snapshot = tracker.finished(result("b", "", 0.25, 60_000, "error"));
    expect(snapshot).toMatchObject({
      total: 4,
      done: 2,
      running: 1,
      empty: 1,
      errors: 1,
      costUsd: 0.75,
      etaMs: 120_000,
    });
    expect(formatProgressLine(snapshot)).toBe(
      "2/4 done · 1 running · 1 empty · 1 error · $0.7500 · ETA 2m00s",
    );
  });

  it("summarizes with nearest-rank percentiles", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([5], 0.5)).toBe(5);
    const summary = summarize("/out", 3, [result("a", "d", 1, 100), result("b", "", 3, 300)], 1);
    expect(summary).toMatchObject({
      instances: 3,
      finished: 2,
      unfinished: 1,
      nonEmptyPatches: 1,
      emptyPatches: 1,
      totalCostUsd: 4,
      meanCostUsd: 2,
      meanTurns: 4,
      wallP50Ms: 100,
      wallP90Ms: 300,
      ran: 1,
      skipped: 1,
    });
  });
});
