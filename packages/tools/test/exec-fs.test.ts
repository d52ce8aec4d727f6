/**
 * The exec file system (what a pod workspace uses) over a plain process
 * driver: every operation is a real bash command on a real temp folder. The
 * whole tools suite also runs through it with TOAD_TEST_WORKSPACE_FS=exec;
 * this file covers what only it has: the command count per operation, the
 * fallbacks of a workspace without ripgrep, and staged large writes.
 */
import { mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ExecRequest, ProcessDriver, type SandboxDriver } from "@toad/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecWorkspaceFs } from "../src/index.js";
import { gitIn, makeWorkspace, type Workspace } from "./helpers.js";

/** A process driver that counts the commands it runs. */
function countingDriver(root: string, env?: NodeJS.ProcessEnv): SandboxDriver & { commands: number } {
  const inner = new ProcessDriver({ workspaceRoot: root, ...(env && { env }) });
  const driver = {
    commands: 0,
    exec(request: ExecRequest) {
      driver.commands++;
      return inner.exec(request);
    },
    describe: () => inner.describe(),
  };
  return driver;
}

const FILES: Record<string, string> = {
  ".gitignore": "build/\n",
  "src/app.ts": "export const a = 1;\n// TODO one\n",
  "src/b.ts": "// todo two\nconst b = 2;\n",
  "build/out.js": "// TODO built\n",
};

describe("exec file system", () => {
  let ws: Workspace;
  let driver: ReturnType<typeof countingDriver>;
  beforeAll(async () => {
    ws = await makeWorkspace({
      files: FILES,
      fs: "exec",
      sandbox: (root) => {
        driver = countingDriver(root);
        return driver;
      },
    });
  });
  afterAll(() => ws.cleanup());

  const counted = async (name: string, args: unknown) => {
    const before = driver.commands;
    const outcome = await ws.call(name, args);
    return { ...outcome, commands: driver.commands - before };
  };

  it("does each operation in one command: read 2, edit 3, list 3", async () => {
    const read = await counted("read_file", { path: "src/app.ts" });
    expect(read).toMatchObject({ isError: false, commands: 2 });
    expect(read.output).toBe("     1\texport const a = 1;\n     2\t// TODO one");
    const edit = await counted("edit_file", { path: "src/app.ts", old_string: "a = 1", new_string: "a = 3" });
    // Resolve, read and write; the approval preview is not part of executeToolCall.
    expect(edit).toMatchObject({ isError: false, commands: 3 });
    expect(await ws.read("src/app.ts")).toBe("export const a = 3;\n// TODO one\n");
    const list = await counted("list_dir", { path: "src" });
    expect(list).toMatchObject({ commands: 3, output: "src/\n  app.ts  (32 bytes)\n  b.ts  (25 bytes)" });
  });

  it("stages a write larger than one command's arguments, leaving no temp file behind", async () => {
    const content = "0123456789abcdef\n".repeat(20_000);
    const write = await counted("write_file", { path: "big/data.txt", content });
    expect(write.isError, write.output).toBe(false);
    // Resolve, read (absent), five 96 KiB chunks (340 KB is 454 KB of base64), then the swap.
    expect(write.commands).toBe(1 + 1 + 5 + 1);
    expect(await ws.read("big/data.txt")).toBe(content);
    expect(await readdir(path.join(ws.root, "big"))).toEqual(["data.txt"]);
  });

  it("puts back the files already swapped when a later swap fails", async () => {
    await ws.write("keep/a.txt", "old\n");
    await mkdir(path.join(ws.root, "keep", "dir"));
    await ws.write("keep/dir/inside.txt", "x\n");
    const fs = createExecWorkspaceFs(driver);
    // The second target is a non-empty directory: its content stages fine, but it cannot be replaced.
    const result = await fs.writeAll([
      { abs: path.join(ws.root, "keep/a.txt"), content: "new\n", previous: "old\n" },
      { abs: path.join(ws.root, "keep/dir"), content: "y\n", previous: "?" },
    ]);
    expect(result).toMatchObject({ ok: false, error: { kind: "io_error" } });
    expect(result.ok ? "" : result.error.message).toMatch(/Files were restored/);
    expect(await ws.read("keep/a.txt")).toBe("old\n");
    expect((await readdir(path.join(ws.root, "keep"))).sort()).toEqual(["a.txt", "dir"]);
  });

  it("refuses a write through a symlink that leads out, resolved by the workspace's readlink", async () => {
    const outside = await mkdtemp(path.join(tmpdir(), "toad-exec-out-"));
    try {
      await symlink(path.join(outside, "new.txt"), path.join(ws.root, "escape.txt"));
      const outcome = await ws.call("write_file", { path: "escape.txt", content: "x" });
      expect(outcome).toMatchObject({ isError: true, errorKind: "outside_workspace" });
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe("exec file system in a workspace without ripgrep", () => {
  let ws: Workspace;
  let bin: string;
  beforeAll(async () => {
    // A PATH with every command of /usr/bin except rg.
    bin = await mkdtemp(path.join(tmpdir(), "toad-no-rg-"));
    for (const name of await readdir("/usr/bin")) {
      if (name !== "rg") await symlink(path.join("/usr/bin", name), path.join(bin, name));
    }
    ws = await makeWorkspace({
      files: FILES,
      fs: "exec",
      sandbox: (root) => new ProcessDriver({ workspaceRoot: root, env: { PATH: bin, HOME: root } }),
    });
  });
  afterAll(async () => {
    await ws.cleanup();
    await rm(bin, { recursive: true, force: true });
  });

  it("greps with grep -r: matches sorted by path, .git skipped, the cap applied", async () => {
    await mkdir(path.join(ws.root, ".git"));
    const all = await ws.call("grep", { pattern: "todo", case_insensitive: true, path: "src" });
    expect(all.output).toBe("src/app.ts:2:// TODO one\n--\nsrc/b.ts:1:// todo two\n[2 matches in 2 files]");
    const capped = await ws.call("grep", { pattern: "TODO|todo", path: "src", max_results: 1 });
    expect(capped.output).toMatch(
      /^src\/app\.ts:2:\/\/ TODO one\n\[1 match in 1 file \(stopped at 1 matches/,
    );
    const bad = await ws.call("grep", { pattern: "(" });
    expect(bad).toMatchObject({ isError: true, errorKind: "invalid_arguments" });
  });

  it("lists files with git ls-files when the workspace is a repository (.gitignore honoured)", async () => {
    gitIn(ws.root, "init", "-q");
    const glob = await ws.call("glob", { pattern: "*.js" });
    expect(glob.output).toBe("No files match *.js in ..");
    const ts = await ws.call("glob", { pattern: "**/*.ts", path: "src" });
    expect(ts.output.split("\n").slice(1).sort()).toEqual(["src/app.ts", "src/b.ts"]);
  });
});
