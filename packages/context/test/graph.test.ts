import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCodeGraph } from "../src/graph/build.js";
import { PathIndex, resolveImport } from "../src/graph/resolve.js";
import { SqliteCodeGraph } from "../src/graph/sqlite-graph.js";
import { indexRepository } from "../src/index/indexer.js";
import { IndexStore } from "../src/store/index-store.js";
import { makeRepo, PY_PROJECT } from "./helpers.js";

const ids = (reached: Array<{ node: { id: string } }>) => reached.map((r) => r.node.id);

describe("code graph (embedded adapter)", () => {
  const repo = makeRepo(PY_PROJECT);
  const store = IndexStore.open();
  const graph = new SqliteCodeGraph(store.db);
  beforeAll(async () => {
    await indexRepository(repo.root, store);
    await syncCodeGraph(store, graph);
  });
  afterAll(() => repo.cleanup());

  it("has module, class and function nodes with defines edges", async () => {
    expect(await graph.node("pkg/core.py")).toMatchObject({ kind: "module", name: "core.py" });
    expect(await graph.node("pkg/core.py#Engine.run")).toMatchObject({
      kind: "function",
      name: "run",
      line: 10,
    });
    const edges = await graph.edgesOf("pkg/core.py#Engine");
    expect(edges).toEqual(
      expect.arrayContaining([
        { from: "pkg/core.py", to: "pkg/core.py#Engine", kind: "defines" },
        { from: "pkg/core.py#Engine", to: "pkg/core.py#Engine.run", kind: "defines" },
        { from: "pkg/core.py#Engine", to: "pkg/core.py#BaseEngine", kind: "inherits" },
      ]),
    );
    expect((await graph.findByName("Engine")).map((n) => n.id)).toEqual(["pkg/core.py#Engine"]);
  });

  it("links imports (relative and absolute) and calls across files", async () => {
    const jobs = await graph.edgesOf("pkg/jobs.py");
    expect(jobs).toContainEqual({ from: "pkg/jobs.py", to: "pkg/core.py", kind: "imports" });
    expect(await graph.edgesOf("pkg/cli.py")).toContainEqual({
      from: "pkg/cli.py",
      to: "pkg/jobs.py",
      kind: "imports",
    });
    expect(await graph.edgesOf("pkg/jobs.py#schedule")).toEqual(
      expect.arrayContaining([
        { from: "pkg/jobs.py#schedule", to: "pkg/core.py#Engine", kind: "calls" },
        { from: "pkg/jobs.py#schedule", to: "pkg/core.py#Engine.run", kind: "calls" },
        { from: "pkg/jobs.py#schedule", to: "pkg/jobs.py#Job", kind: "calls" },
      ]),
    );
  });

  it("answers dependencies and impact to depth N", async () => {
    const deps1 = await graph.dependencies("pkg/cli.py#main", { depth: 1 });
    expect(ids(deps1)).toEqual(["pkg/jobs.py#schedule"]);
    const deps3 = await graph.dependencies("pkg/cli.py#main", { depth: 3, kinds: ["calls"] });
    expect(ids(deps3)).toEqual(expect.arrayContaining(["pkg/core.py#Engine.run", "pkg/core.py#execute_job"]));
    expect(deps3.find((r) => r.node.id === "pkg/core.py#execute_job")?.depth).toBe(3);

    const impact1 = await graph.impact("pkg/core.py#execute_job", { depth: 1, kinds: ["calls"] });
    expect(ids(impact1).sort()).toEqual(["pkg/core.py#Engine.run", "pkg/jobs.py#retry"]);
    const impact3 = await graph.impact("pkg/core.py#execute_job", { depth: 3, kinds: ["calls"] });
    expect(ids(impact3)).toEqual(expect.arrayContaining(["pkg/jobs.py#schedule", "pkg/cli.py#main"]));

    // A module's impact includes who imports it and who calls what it defines.
    const moduleImpact = await graph.impact("pkg/core.py", { depth: 1 });
    expect(ids(moduleImpact)).toEqual(expect.arrayContaining(["pkg/jobs.py", "pkg/jobs.py#schedule"]));
  });

  it("updates one file's slice after an edit and relinks its dependents", async () => {
    repo.write(
      "pkg/core.py",
      "def execute_job(job):\n    return job\n\n\ndef run_all(jobs):\n    return [execute_job(j) for j in jobs]\n",
    );
    const result = await indexRepository(repo.root, store);
    await syncCodeGraph(store, graph, result.changed);
    expect(await graph.node("pkg/core.py#Engine")).toBeUndefined();
    expect(await graph.edgesOf("pkg/core.py#run_all")).toContainEqual({
      from: "pkg/core.py#run_all",
      to: "pkg/core.py#execute_job",
      kind: "calls",
    });
    // Engine.run is gone, so schedule's impact path to execute_job now runs only through retry.
    const impact = await graph.impact("pkg/core.py#execute_job", { depth: 1, kinds: ["calls"] });
    expect(ids(impact)).toEqual(expect.arrayContaining(["pkg/core.py#run_all", "pkg/jobs.py#retry"]));
    expect(ids(impact)).not.toContain("pkg/core.py#Engine.run");
  });
});

describe("import resolution", () => {
  const files = new PathIndex([
    "src/app/main.ts",
    "src/app/util/index.ts",
    "src/app/helpers.ts",
    "cmd/server/main.go",
    "internal/db/db.go",
    "internal/db/pool.go",
    "src/lib.rs",
    "src/net/mod.rs",
    "src/main/java/com/acme/Cache.java",
    "include/acme/x.h",
    "pkg/sub/mod.py",
  ]);
  it("resolves each language's import syntax to repository files", () => {
    expect(resolveImport("src/app/main.ts", "typescript", "./util", files)).toEqual([
      "src/app/util/index.ts",
    ]);
    expect(resolveImport("src/app/main.ts", "typescript", "./helpers.js", files)).toEqual([
      "src/app/helpers.ts",
    ]);
    expect(resolveImport("src/app/main.ts", "typescript", "react", files)).toEqual([]);
    expect(resolveImport("cmd/server/main.go", "go", "example.com/acme/internal/db", files).sort()).toEqual([
      "internal/db/db.go",
      "internal/db/pool.go",
    ]);
    expect(resolveImport("src/lib.rs", "rust", "crate::net::Client", files)).toEqual(["src/net/mod.rs"]);
    expect(resolveImport("X.java", "java", "com.acme.Cache", files)).toEqual([
      "src/main/java/com/acme/Cache.java",
    ]);
    expect(resolveImport("a.c", "c", "acme/x.h", files)).toEqual(["include/acme/x.h"]);
    expect(resolveImport("pkg/sub/other.py", "python", ".mod", files)).toEqual(["pkg/sub/mod.py"]);
    expect(resolveImport("main.py", "python", "pkg.sub.mod", files)).toEqual(["pkg/sub/mod.py"]);
  });
});
