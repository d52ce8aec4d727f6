import { utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { findExecutable } from "@toad/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, type Workspace } from "./helpers.js";

const FILES: Record<string, string> = {
  ".gitignore": "build/\n*.log\n",
  ".github/workflows/ci.yml": "name: ci # TODO wire\n",
  "src/app.ts": "export function add(a: number, b: number) {\n  return a + b;\n}\n// TODO: subtract\n",
  "src/util/strings.ts": "export const shout = (s: string) => s.toUpperCase();\n// todo lowercase\n",
  "src/util/.gitignore": "generated.ts\n!keep.log\n",
  "src/util/generated.ts": "// TODO generated\n",
  "src/util/keep.log": "TODO kept by negation\n",
  "build/out.js": "// TODO built\n",
  "debug.log": "TODO ignored log\n",
  "docs/readme.md": "Nothing to do here.\nTODO docs\n",
};

const rgPath = await findExecutable("rg");
if (!rgPath)
  process.stderr.write("[tools] ripgrep (rg) not on PATH: grep/glob run only with the JS engine\n");
const engines = rgPath ? (["ripgrep", "js"] as const) : (["js"] as const);

describe.each(engines)("search tools with the %s engine", (engine) => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeWorkspace({ files: FILES, tools: { search: engine } });
    await writeFile(path.join(ws.root, "src/data.bin"), Buffer.from("TODO\0binary"));
    // Deterministic mtimes for glob's newest-first order.
    const base = Date.now() / 1000;
    await utimes(path.join(ws.root, "src/app.ts"), base - 100, base - 100);
    await utimes(path.join(ws.root, "src/util/strings.ts"), base, base);
  });
  afterAll(() => ws.cleanup());

  it("grep finds matches with line numbers, skipping ignored, binary and .git files but not hidden ones", async () => {
    await ws.write(".git/HEAD", "TODO in git dir\n");
    const outcome = await ws.call("grep", { pattern: "TODO" });
    expect(outcome.output).toBe(
      [
        ".github/workflows/ci.yml:1:name: ci # TODO wire",
        "--",
        "docs/readme.md:2:TODO docs",
        "--",
        "src/app.ts:4:// TODO: subtract",
        "--",
        "src/util/keep.log:1:TODO kept by negation",
        "[4 matches in 4 files]",
      ].join("\n"),
    );
  });

  it("grep: case-insensitive, glob filter, context, fixed strings", async () => {
    const ci = await ws.call("grep", { pattern: "todo", case_insensitive: true, glob: "*.ts", path: "src" });
    expect(ci.output).toBe(
      "src/app.ts:4:// TODO: subtract\n--\nsrc/util/strings.ts:2:// todo lowercase\n[2 matches in 2 files]",
    );
    const context = await ws.call("grep", { pattern: "return", context: 1, path: "src/app.ts" });
    expect(context.output).toBe(
      "src/app.ts-1-export function add(a: number, b: number) {\nsrc/app.ts:2:  return a + b;\nsrc/app.ts-3-}\n[1 match in 1 file]",
    );
    const fixed = await ws.call("grep", { pattern: "a + b", fixed_strings: true });
    expect(fixed.output).toContain("src/app.ts:2:  return a + b;");
  });

  it("grep: files and counts modes, result cap, no match, invalid regex", async () => {
    const files = await ws.call("grep", { pattern: "TODO|todo", output_mode: "files_with_matches" });
    expect(files.output.split("\n").slice(0, -1)).toEqual([
      ".github/workflows/ci.yml",
      "docs/readme.md",
      "src/app.ts",
      "src/util/keep.log",
      "src/util/strings.ts",
    ]);
    const counts = await ws.call("grep", { pattern: "[a-z]", output_mode: "count", path: "src/app.ts" });
    expect(counts.output).toBe("src/app.ts:3\n[3 matches in 1 file]");
    const capped = await ws.call("grep", { pattern: ".", max_results: 2 });
    expect(capped.output).toContain("stopped at 2 matches");
    expect(capped.output.split("\n").filter((line) => /:\d+:/.test(line))).toHaveLength(2);
    expect((await ws.call("grep", { pattern: "zebra" })).output).toBe("No matches for /zebra/ in ..");
    const invalid = await ws.call("grep", { pattern: "(unclosed" });
    expect(invalid).toMatchObject({ isError: true, errorKind: "invalid_arguments" });
  });

  it("glob matches paths newest first, .gitignore-aware, name-only patterns at any depth", async () => {
    const ts = await ws.call("glob", { pattern: "**/*.ts" });
    expect(ts.output).toBe("2 files:\nsrc/util/strings.ts\nsrc/app.ts");
    const byName = await ws.call("glob", { pattern: "*.log" });
    expect(byName.output).toBe("1 file:\nsrc/util/keep.log");
    const scoped = await ws.call("glob", { pattern: "*.{md,yml}", path: "." });
    expect(scoped.output.split("\n").slice(1).sort()).toEqual([".github/workflows/ci.yml", "docs/readme.md"]);
    const sub = await ws.call("glob", { pattern: "util/*.ts", path: "src" });
    expect(sub.output).toBe("1 file:\nsrc/util/strings.ts");
    expect((await ws.call("glob", { pattern: "*.rs" })).output).toContain("No files match");
  });
});

describe("list_dir", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeWorkspace({ files: FILES });
  });
  afterAll(() => ws.cleanup());

  it("lists one level with sizes, hiding ignored entries and counting them", async () => {
    const outcome = await ws.call("list_dir", {});
    expect(outcome.output).toBe(
      [
        "./",
        "  .github/",
        "  .gitignore  (13 bytes)",
        "  docs/",
        "  src/",
        "[2 entries hidden: .git or ignored]",
      ].join("\n"),
    );
  });

  it("descends with depth and applies nested .gitignore files", async () => {
    const outcome = await ws.call("list_dir", { path: "src", depth: 2 });
    expect(outcome.output).toBe(
      [
        "src/",
        "  app.ts  (80 bytes)",
        "  util/",
        "    .gitignore  (23 bytes)",
        "    keep.log  (22 bytes)",
        "    strings.ts  (71 bytes)",
        "[1 entry hidden: .git or ignored]",
      ].join("\n"),
    );
  });

  it("refuses a file and a missing path", async () => {
    expect((await ws.call("list_dir", { path: "src/app.ts" })).errorKind).toBe("invalid_arguments");
    expect((await ws.call("list_dir", { path: "nope" })).errorKind).toBe("not_found");
  });
});
