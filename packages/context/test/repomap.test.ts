import { afterEach, describe, expect, it } from "vitest";
import { indexRepository } from "../src/index/indexer.js";
import { pageRank } from "../src/map/pagerank.js";
import { ReferenceGraph } from "../src/map/reference-graph.js";
import { estimateTokens, RepoMapper, repoMap } from "../src/map/repo-map.js";
import { IndexStore } from "../src/store/index-store.js";
import { makeRepo, PY_PROJECT } from "./helpers.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A hub module used by many leaves, plus an island nobody references. */
function hubRepo(): Record<string, string> {
  const files: Record<string, string> = {
    "app/storage.py":
      "class StorageBackend:\n    def save_record(self, record):\n        return record\n\n\ndef open_storage(path):\n    return StorageBackend()\n",
    "app/island.py": "def lonely_function():\n    return 42\n",
  };
  for (let i = 0; i < 6; i++) {
    files[`app/feature_${i}.py`] =
      `from app.storage import open_storage\n\n\ndef feature_${i}_handler(item):\n    store = open_storage("x")\n    return store.save_record(item)\n`;
  }
  return files;
}

async function indexed(files: Record<string, string>) {
  const repo = makeRepo(files);
  cleanups.push(repo.cleanup);
  const store = IndexStore.open();
  await indexRepository(repo.root, store);
  return { repo, store };
}

describe("PageRank", () => {
  it("ranks a node many others point to highest and honours personalisation", () => {
    const edges = new Map([
      ["a", new Map([["hub", 1]])],
      ["b", new Map([["hub", 1]])],
      ["c", new Map([["hub", 1]])],
      ["hub", new Map([["a", 1]])],
    ]);
    const nodes = ["a", "b", "c", "hub", "d"];
    const { ranks } = pageRank(nodes, edges);
    const sorted = [...ranks.entries()].sort((x, y) => y[1] - x[1]).map(([n]) => n);
    expect(sorted[0]).toBe("hub");
    const total = [...ranks.values()].reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(1, 6);
    const personal = pageRank(nodes, edges, { personalization: new Map([["d", 1]]) }).ranks;
    expect(personal.get("d") ?? 0).toBeGreaterThan(ranks.get("d") ?? 0);
  });
});

describe("repository map", () => {
  it("puts the most referenced definitions first and fits the token budget", async () => {
    const { store } = await indexed(hubRepo());
    const map = repoMap(store, { tokenBudget: 200 });
    expect(map.files[0]?.path).toBe("app/storage.py");
    expect(map.definitions[0]?.path).toBe("app/storage.py");
    expect(map.text.startsWith("app/storage.py:\n")).toBe(true);
    expect(map.text).toContain("  class StorageBackend:\n    def save_record(self, record):");
    expect(map.tokens).toBeLessThanOrEqual(200);
    expect(estimateTokens(map.text)).toBe(map.tokens);

    const tiny = repoMap(store, { tokenBudget: 12 });
    expect(tiny.tokens).toBeLessThanOrEqual(12);
    expect(tiny.definitions.length).toBeLessThan(map.definitions.length);
    expect(repoMap(store, { tokenBudget: 0 }).text).toBe("");
  });

  it("personalises toward focus files and identifiers", async () => {
    const { store } = await indexed(hubRepo());
    const plain = repoMap(store, { tokenBudget: 1000 });
    const focused = repoMap(store, { tokenBudget: 1000, focusIdentifiers: ["lonely_function"] });
    const rankOf = (m: typeof plain, path: string) => m.files.findIndex((f) => f.path === path);
    expect(rankOf(focused, "app/island.py")).toBeLessThan(rankOf(plain, "app/island.py"));
    expect(focused.definitions[0]?.name).toBe("lonely_function");
    const excluded = repoMap(store, {
      tokenBudget: 1000,
      focusFiles: ["app/storage.py"],
      excludeFocusFiles: true,
    });
    expect(excluded.text).not.toContain("app/storage.py:");
  });

  it("updates incrementally after a one-file edit, matching a full rebuild", async () => {
    const { repo, store } = await indexed({ ...hubRepo(), ...PY_PROJECT });
    const mapper = new RepoMapper(store);
    const before = mapper.render({ tokenBudget: 2000 });
    // The island becomes popular: three features now call it.
    for (const i of [0, 1, 2]) {
      repo.write(
        `app/feature_${i}.py`,
        `from app.island import lonely_function\n\n\ndef feature_${i}_handler(item):\n    return lonely_function()\n`,
      );
    }
    const result = await indexRepository(repo.root, store);
    expect(result.indexed).toBe(3);
    mapper.refresh(result.changed);
    const after = mapper.render({ tokenBudget: 2000 });
    const rebuilt = new RepoMapper(store).render({ tokenBudget: 2000 });
    expect(after.text).toBe(rebuilt.text);
    for (const f of rebuilt.files) {
      expect(after.files.find((x) => x.path === f.path)?.rank).toBeCloseTo(f.rank, 5);
    }
    const island = (m: typeof before) => m.files.findIndex((f) => f.path === "app/island.py");
    expect(island(after)).toBeLessThan(island(before));
    // Warm start: fewer power iterations than the cold rebuild.
    expect(after.iterations).toBeLessThan(rebuilt.iterations);
  });

  it("the reference graph recomputes only what one file touches", async () => {
    const { store } = await indexed(hubRepo());
    const graph = ReferenceGraph.fromStore(store);
    expect(graph.edges().get("app/feature_0.py")?.has("app/storage.py")).toBe(true);
    graph.removeFile("app/storage.py");
    expect(graph.edges().get("app/feature_0.py")?.has("app/storage.py") ?? false).toBe(false);
    graph.refresh(store, ["app/storage.py"]);
    expect(graph.edges().get("app/feature_0.py")?.get("app/storage.py")).toBeGreaterThan(0);
  });
});
