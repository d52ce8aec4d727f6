import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type IndexProgress, indexRepository } from "../src/index/indexer.js";
import { listFiles } from "../src/index/walk.js";
import { IndexStore } from "../src/store/index-store.js";
import { makeRepo, PY_PROJECT } from "./helpers.js";

const repos: Array<{ cleanup: () => void }> = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

describe("indexRepository", () => {
  it("indexes code and text files, stores symbols and references, reports progress", async () => {
    const repo = makeRepo(PY_PROJECT);
    repos.push(repo);
    const store = IndexStore.open();
    const progress: IndexProgress[] = [];
    const result = await indexRepository(repo.root, store, (p) => progress.push(p));
    expect(result.files).toBe(7);
    expect(result.indexed).toBe(7);
    expect(result.errors).toEqual([]);
    expect(progress.at(0)?.phase).toBe("scan");
    expect(progress.at(-1)).toMatchObject({ phase: "done", total: 7 });
    expect(store.defs("pkg/core.py").map((d) => d.qualifiedName)).toEqual([
      "BaseEngine",
      "BaseEngine.start",
      "Engine",
      "Engine.run",
      "execute_job",
    ]);
    expect(store.refs("pkg/jobs.py").map((r) => r.name)).toEqual(
      expect.arrayContaining(["Engine", "run", "Job"]),
    );
    expect(store.files().find((f) => f.path === "README.md")?.language).toBe("text");
  });

  it("re-index touches only changed, added and removed files (content hash)", async () => {
    const repo = makeRepo(PY_PROJECT);
    repos.push(repo);
    const dbPath = join(repo.root, ".toad-index.sqlite");
    let store = IndexStore.open(dbPath);
    await indexRepository(repo.root, store, () => {}, { include: (p) => !p.startsWith(".toad") });
    store.close();

    // Reopened from disk: nothing changed, nothing parsed.
    store = IndexStore.open(dbPath);
    const again = await indexRepository(repo.root, store);
    expect(again).toMatchObject({ indexed: 0, unchanged: 7, removed: 0, changed: [] });

    repo.write(
      "pkg/cli.py",
      "from pkg.jobs import schedule\n\n\ndef main():\n    return schedule('x')\n\n\ndef extra():\n    pass\n",
    );
    repo.write("pkg/new_mod.py", "def fresh():\n    return 1\n");
    repo.remove("pkg/http_utils.py");
    const after = await indexRepository(repo.root, store);
    expect(after.indexed).toBe(2);
    expect(after.unchanged).toBe(5);
    expect(after.removed).toBe(1);
    expect(after.changed.sort()).toEqual(["pkg/cli.py", "pkg/http_utils.py", "pkg/new_mod.py"]);
    expect(store.defs("pkg/cli.py").map((d) => d.name)).toEqual(["main", "extra"]);
    expect(store.defs("pkg/http_utils.py")).toEqual([]);
    store.close();
  });

  it("a path-limited run updates just the named files", async () => {
    const repo = makeRepo(PY_PROJECT);
    repos.push(repo);
    const store = IndexStore.open();
    await indexRepository(repo.root, store);
    repo.write("pkg/core.py", "def only():\n    return 2\n");
    const result = await indexRepository(repo.root, store, () => {}, { paths: ["pkg/core.py"] });
    expect(result).toMatchObject({ indexed: 1, unchanged: 0, removed: 0, files: 7 });
    expect(store.defs("pkg/core.py").map((d) => d.name)).toEqual(["only"]);
  });

  it("skips binary and oversized files without failing the run", async () => {
    const repo = makeRepo({ "a.py": "x = 1\n", "big.py": `# ${"y".repeat(5000)}\n`, "bin.txt": "a\u0000b" });
    repos.push(repo);
    const store = IndexStore.open();
    const result = await indexRepository(repo.root, store, () => {}, { maxFileBytes: 1000 });
    expect(store.files().map((f) => f.path)).toEqual(["a.py"]);
    expect(result.errors).toEqual([]);
  });

  it("lists files through git when the root is a work tree, so .gitignore holds", () => {
    const repo = makeRepo({
      ...PY_PROJECT,
      ".gitignore": "generated/\n",
      "generated/out.py": "x = 1\n",
      "node_modules/dep/index.js": "module.exports = 1;\n",
    });
    repos.push(repo);
    execFileSync("git", ["init", "-q", repo.root]);
    const files = listFiles(repo.root);
    expect(files).toContain("pkg/core.py");
    expect(files).not.toContain("generated/out.py");
    expect(files.some((f) => f.startsWith("node_modules/"))).toBe(false);
  });
});
