import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createModelClient, defaultLlmConfig } from "@toad/llm";
import { localTools, SessionRunner } from "@toad/session";
import { MemorySessionStore } from "@toad/store";
import { startMockLlm } from "@toad/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openWorktree } from "../src/index.js";

let root: string;
let repo: string;
const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "toad-wt-")));
  repo = join(root, "repo");
  await mkdir(join(repo, "src"), { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  await writeFile(join(repo, "src/app.js"), "console.log('v1');\n");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("git worktrees", () => {
  it("a session in its own worktree and branch leaves the main checkout untouched", async () => {
    const opened = await openWorktree(join(repo, "src"), "fix-login");
    if (!opened.ok) throw new Error(opened.message);
    const { worktree } = opened;
    expect(worktree).toEqual({
      name: "fix-login",
      path: join(repo, ".toad/worktrees/fix-login"),
      branch: "toad/fix-login",
      created: true,
    });
    expect(git("-C", worktree.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("toad/fix-login");
    expect(git("-C", worktree.path, "rev-parse", "HEAD")).toBe(git("rev-parse", "main"));

    // A real session (scripted model server, built-in tools) working in the worktree.
    const llm = await startMockLlm({
      script: {
        turns: [
          {
            content: [
              {
                type: "tool_call",
                name: "write_file",
                arguments: { path: "src/app.js", content: "console.log('v2');\n" },
              },
            ],
          },
          { content: [{ type: "text", text: "Bumped to v2." }] },
        ],
      },
    });
    try {
      const env = { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: llm.url };
      const runner = new SessionRunner({
        store: new MemorySessionStore(),
        model: createModelClient({ config: defaultLlmConfig(env), env }),
        tools: (session, beforeWrite) =>
          localTools({ workspaceRoot: session.cwd, beforeWrite, logger: { warn: () => {} } }),
      });
      const session = await runner.create({
        cwd: worktree.path,
        model: "claude-sonnet-4-5",
        permissionMode: "auto-edit",
      });
      const result = await runner.send(session.id, {
        prompt: "bump to v2",
        signal: new AbortController().signal,
      });
      expect(result.text).toBe("Bumped to v2.");
    } finally {
      await llm.close();
    }

    expect(await readFile(join(worktree.path, "src/app.js"), "utf8")).toBe("console.log('v2');\n");
    expect(await readFile(join(repo, "src/app.js"), "utf8")).toBe("console.log('v1');\n");
    // The main checkout's status stays clean: the worktrees folder is excluded locally.
    expect(git("status", "--porcelain")).toBe("");
    expect(git("-C", worktree.path, "status", "--porcelain")).toBe("M src/app.js");

    // The same name reuses the worktree (and its uncommitted work).
    const again = await openWorktree(repo, "fix-login");
    expect(again).toEqual({ ok: true, worktree: { ...worktree, created: false } });
    expect(await readFile(join(again.ok ? again.worktree.path : "", "src/app.js"), "utf8")).toBe(
      "console.log('v2');\n",
    );
  });

  it("reports bad names, missing repositories and repositories without commits", async () => {
    expect(await openWorktree(repo, "../escape")).toMatchObject({
      ok: false,
      message: expect.stringContaining("not a usable worktree name"),
    });
    expect(await openWorktree(root, "x")).toEqual({
      ok: false,
      message: `${root} is not inside a git repository`,
    });
    const empty = join(root, "empty");
    execFileSync("git", ["init", "-q", empty]);
    expect(await openWorktree(empty, "x")).toMatchObject({
      ok: false,
      message: expect.stringContaining("make a first commit"),
    });
  });
});
