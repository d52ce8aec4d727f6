import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRepoLsa, embedChunks } from "../src/embed/embed-chunks.js";
import { syncCodeGraph } from "../src/graph/build.js";
import { SqliteCodeGraph } from "../src/graph/sqlite-graph.js";
import { indexRepository } from "../src/index/indexer.js";
import { codebaseSearch } from "../src/retrieval/codebase-search.js";
import { reciprocalRankFusion, scoreFusion } from "../src/retrieval/fusion.js";
import { search } from "../src/retrieval/hybrid.js";
import { localize } from "../src/retrieval/localize.js";
import { taskContext } from "../src/retrieval/preload.js";
import { IndexStore } from "../src/store/index-store.js";
import { MemoryVectorIndex } from "../src/vector/memory-index.js";
import { makeRepo, PY_PROJECT } from "./helpers.js";

describe("fusion", () => {
  it("RRF rewards agreement between channels; score fusion keeps margins", () => {
    const rrf = reciprocalRankFusion([
      {
        name: "a",
        weight: 1,
        items: [
          { key: "x", reason: "a1" },
          { key: "y", reason: "a2" },
        ],
      },
      {
        name: "b",
        weight: 1,
        items: [
          { key: "y", reason: "b1" },
          { key: "z", reason: "b2" },
        ],
      },
    ]);
    expect(rrf.map((f) => f.key)).toEqual(["y", "x", "z"]);
    expect(rrf[0]?.reasons).toEqual(["a2", "b1"]);
    const score = scoreFusion([
      {
        name: "a",
        weight: 1,
        items: [
          { key: "x", reason: "", score: 10 },
          { key: "y", reason: "", score: 1 },
        ],
      },
      {
        name: "b",
        weight: 1,
        items: [
          { key: "y", reason: "", score: 2 },
          { key: "z", reason: "", score: 1.9 },
        ],
      },
    ]);
    expect(score.map((f) => f.key)).toEqual(["y", "x", "z"]);
    expect(score[0]?.score).toBeCloseTo(1.1, 6);
  });
});

describe("hybrid retrieval", () => {
  const repo = makeRepo(PY_PROJECT);
  const store = IndexStore.open();
  const graph = new SqliteCodeGraph(store.db);
  beforeAll(async () => {
    await indexRepository(repo.root, store);
    await syncCodeGraph(store, graph);
  });
  afterAll(() => repo.cleanup());

  it("fuses symbol, BM25 and graph hits with a reason for each item", async () => {
    const result = await search(store, "where does Engine run a job?", { graph, tokenBudget: 2000 });
    const top = result.items[0];
    expect(top).toMatchObject({ path: "pkg/core.py", symbol: "Engine.run" });
    expect(top?.reasons.some((r) => r.includes("named in the query"))).toBe(true);
    expect(top?.reasons.some((r) => r.startsWith("BM25"))).toBe(true);
    expect(result.items.some((i) => i.reasons.some((r) => r.startsWith("graph:")))).toBe(true);
    // No chunk appears twice.
    const keys = result.items.map((i) => `${i.path}:${i.startLine}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("packs within the token budget and counts what it dropped", async () => {
    for (const budget of [40, 80, 150]) {
      const result = await search(store, "engine job schedule execute", { tokenBudget: budget });
      expect(result.tokens).toBeLessThanOrEqual(budget);
      expect(result.items.reduce((s, i) => s + i.tokens, 0)).toBe(result.tokens);
      expect(result.dropped).toBeGreaterThan(0);
    }
    const limited = await search(store, "engine job schedule execute", { limit: 2 });
    expect(limited.items).toHaveLength(2);
  });

  it("adds a vector channel when an embedder and index are given", async () => {
    const embedder = buildRepoLsa(store, { dimensions: 8 });
    const vectors = new MemoryVectorIndex();
    const written = await embedChunks(store, embedder, vectors);
    expect(written).toBe(store.counts().chunks);
    const result = await search(store, "decode http response headers", { embedder, vectors });
    expect(result.items[0]?.path).toBe("pkg/http_utils.py");
    expect(result.items.some((i) => i.reasons.some((r) => r.startsWith("vector #")))).toBe(true);
  });

  it("codebase_search validates input and renders paths, lines and reasons", async () => {
    const bad = await codebaseSearch(store, { query: "" });
    expect(bad).toEqual({
      ok: false,
      error: { type: "invalid_input", message: "`query` must be a non-empty string" },
    });
    const good = await codebaseSearch(store, { query: "parse http response", max_tokens: 300 });
    expect(good.ok).toBe(true);
    if (good.ok) {
      expect(good.text.split("\n")[0]).toBe("pkg/http_utils.py:1-4 (parse_http_response)");
      expect(good.text).toContain("why: ");
    }
  });

  it("localize ranks the defining file and function for an issue text, leaving tests out", async () => {
    const result = await localize(
      store,
      "Bug: BaseEngine.start should not return True; Engine.run calls start before execute_job",
    );
    expect(result.files[0]?.path).toBe("pkg/core.py");
    expect(result.files.map((f) => f.path)).not.toContain("tests/test_core.py");
    expect(result.files[0]?.reasons.length).toBeGreaterThan(1);
    expect(result.functions.slice(0, 3).map((f) => `${f.path}:${f.name}`)).toContain(
      "pkg/core.py:execute_job",
    );
  });

  it("pre-loads a focused map and code for a task within the budget", async () => {
    const context = await taskContext(store, "make execute_job handle a missing payload", {
      tokenBudget: 400,
    });
    expect(context.tokens).toBeLessThanOrEqual(400);
    expect(context.files[0]).toBe("pkg/core.py");
    expect(context.text.startsWith("Repository map (most relevant first):\n")).toBe(true);
    expect(context.text).toContain("Relevant code:\npkg/core.py");
  });
});
