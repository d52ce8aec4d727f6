import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildSystemPrompt, findRepositoryRoot, loadInstructions } from "../src/index.js";

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("instructions", () => {
  it("collects AGENTS.md, TOAD.md and CLAUDE.md from the repository root down to the cwd", async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), "toad-instr-")));
    await mkdir(join(dir, ".git"));
    await mkdir(join(dir, "pkg", "sub"), { recursive: true });
    await writeFile(join(dir, "AGENTS.md"), "root rules");
    await writeFile(join(dir, "pkg", "CLAUDE.md"), "pkg rules");
    await writeFile(join(dir, "pkg", "sub", "TOAD.md"), "sub rules");
    await writeFile(join(dir, "pkg", "sub", "AGENTS.md"), "sub agents");
    const cwd = join(dir, "pkg", "sub");
    expect(await findRepositoryRoot(cwd)).toBe(dir);
    const files = await loadInstructions(cwd);
    expect(files.map((f) => [f.path, f.content])).toEqual([
      ["AGENTS.md", "root rules"],
      ["pkg/CLAUDE.md", "pkg rules"],
      ["pkg/sub/AGENTS.md", "sub agents"],
      ["pkg/sub/TOAD.md", "sub rules"],
    ]);
    const prompt = buildSystemPrompt({
      cwd,
      repositoryRoot: dir,
      permissionMode: "ask",
      instructions: files,
      date: "2026-11-25",
    });
    expect(prompt.indexOf("root rules")).toBeLessThan(prompt.indexOf("sub rules"));
    expect(prompt).toContain('<instructions file="pkg/CLAUDE.md">');
  });

  it("treats a directory outside any repository as its own root", async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), "toad-instr-")));
    expect(await findRepositoryRoot(dir)).toBe(dir);
    expect(await loadInstructions(dir)).toEqual([]);
  });
});
