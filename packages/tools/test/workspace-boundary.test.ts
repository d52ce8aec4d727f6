import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeWorkspace, type Workspace } from "./helpers.js";

describe("workspace boundary", () => {
  let ws: Workspace;
  let outside: string;
  beforeEach(async () => {
    ws = await makeWorkspace({ files: { "src/a.txt": "inside\n" } });
    // A sibling of the workspace holding a secret.
    outside = path.join(path.dirname(ws.root), "outside");
    await mkdir(outside);
    await writeFile(path.join(outside, "secret.txt"), "secret\n");
    await symlink(outside, path.join(ws.root, "link-dir"));
    await symlink(path.join(outside, "secret.txt"), path.join(ws.root, "link-file.txt"));
    await symlink(path.join(outside, "not-yet.txt"), path.join(ws.root, "dangling.txt"));
    await symlink(path.join(ws.root, "src/a.txt"), path.join(ws.root, "inner-link.txt"));
  });
  afterEach(() => ws.cleanup());

  const expectRefused = async (name: string, args: unknown) => {
    const outcome = await ws.call(name, args);
    expect(outcome.isError, `${name} ${JSON.stringify(args)}: ${outcome.output}`).toBe(true);
    expect(outcome.errorKind).toBe("outside_workspace");
    expect(outcome.output).not.toContain("secret\n");
  };

  it("refuses .. paths in every tool that takes a path", async () => {
    await expectRefused("read_file", { path: "../outside/secret.txt" });
    await expectRefused("write_file", { path: "../outside/new.txt", content: "x" });
    await expectRefused("edit_file", {
      path: "../outside/secret.txt",
      old_string: "secret",
      new_string: "x",
    });
    await expectRefused("batch_edit", {
      edits: [{ path: "src/../../outside/secret.txt", old_string: "s", new_string: "x" }],
    });
    await expectRefused("list_dir", { path: ".." });
    await expectRefused("glob", { pattern: "*", path: "../outside" });
    await expectRefused("grep", { pattern: "secret", path: ".." });
    await expectRefused("git", { action: "diff", paths: ["../outside"] });
    await expectRefused("run_tests", { path: ".." });
  });

  it("refuses absolute paths outside and accepts absolute paths inside", async () => {
    await expectRefused("read_file", { path: path.join(outside, "secret.txt") });
    await expectRefused("read_file", { path: "/etc/passwd" });
    await expectRefused("write_file", { path: "/tmp/toad-escape.txt", content: "x" });
    const inside = await ws.call("read_file", { path: path.join(ws.root, "src/a.txt") });
    expect(inside.output).toContain("inside");
  });

  it("accepts .. that stays inside the workspace", async () => {
    const outcome = await ws.call("read_file", { path: "src/../src/a.txt" });
    expect(outcome.isError).toBe(false);
  });

  it("refuses symlinks that lead out, for reading and writing, dangling ones included", async () => {
    await expectRefused("read_file", { path: "link-file.txt" });
    await expectRefused("read_file", { path: "link-dir/secret.txt" });
    await expectRefused("write_file", { path: "link-dir/new.txt", content: "x" });
    await expectRefused("write_file", { path: "link-file.txt", content: "x" });
    await expectRefused("write_file", { path: "dangling.txt", content: "x" });
    await expectRefused("list_dir", { path: "link-dir" });
    await expectRefused("grep", { pattern: "secret", path: "link-dir" });
    await expectRefused("apply_patch", {
      patch: "--- /dev/null\n+++ b/link-dir/evil.txt\n@@ -0,0 +1 @@\n+evil\n",
    });
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(outside)).sort()).toEqual(["secret.txt"]);
  });

  it("follows symlinks that stay inside, writing the real file", async () => {
    const outcome = await ws.call("edit_file", {
      path: "inner-link.txt",
      old_string: "inside",
      new_string: "edited",
    });
    expect(outcome.isError).toBe(false);
    expect(await ws.read("src/a.txt")).toBe("edited\n");
  });

  it("does not list or search through symlinks that lead out", async () => {
    const grep = await ws.call("grep", { pattern: "secret" });
    expect(grep.output).toContain("No matches");
    const glob = await ws.call("glob", { pattern: "**/secret.txt" });
    expect(glob.output).toContain("No files");
  });

  it("refuses a command working directory outside the workspace", async () => {
    const outcome = await ws.call("bash", { command: "cat secret.txt", cwd: "../outside" });
    expect(outcome.isError).toBe(true);
    expect(outcome.errorKind).toBe("invalid_arguments");
    expect(outcome.output).not.toContain("secret\n");
  });

  it("protects .git from the edit tools", async () => {
    await ws.write(".git/config", "[core]\n");
    const outcome = await ws.call("write_file", { path: ".git/config", content: "evil" });
    expect(outcome.errorKind).toBe("protected_path");
    expect(await ws.read(".git/config")).toBe("[core]\n");
    const read = await ws.call("read_file", { path: ".git/config" });
    expect(read.isError).toBe(false);
  });
});
