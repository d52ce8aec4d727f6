import { chmod, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bracketChecker, makeWorkspace, type Workspace } from "./helpers.js";

const APP = `function greet(name) {
  if (name) {
    return "hello " + name;
  }
  return "hello";
}

function farewell(name) {
  return "bye " + name;
}
`;

describe("edit_file", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({ files: { "app.js": APP }, syntaxChecker: bracketChecker });
  });
  afterEach(() => ws.cleanup());

  it("replaces exact text once, checkpoints first, and returns the diff", async () => {
    const outcome = await ws.call("edit_file", {
      path: "app.js",
      old_string: 'return "bye " + name;',
      new_string: 'return "goodbye " + name;',
    });
    expect(outcome.isError).toBe(false);
    expect(outcome.output).toBe("Edited app.js (+1 -1)");
    expect(outcome.diff).toContain('-  return "bye " + name;\n+  return "goodbye " + name;');
    expect(await ws.read("app.js")).toBe(APP.replace('"bye "', '"goodbye "'));
    expect(ws.checkpoints).toEqual([[path.join(ws.root, "app.js")]]);
  });

  it("calls beforeWrite while the file still has its old content", async () => {
    const seen: string[] = [];
    ws.ctx.beforeWrite = async (paths) => {
      for (const file of paths) seen.push(await ws.read(path.relative(ws.root, file)));
    };
    await ws.call("edit_file", { path: "app.js", old_string: "farewell", new_string: "goodbye" });
    expect(seen).toEqual([APP]);
  });

  it("refuses several matches unless replace_all, naming their lines", async () => {
    const outcome = await ws.call("edit_file", { path: "app.js", old_string: "return", new_string: "yield" });
    expect(outcome).toMatchObject({ isError: true, errorKind: "not_unique" });
    expect(outcome.output).toContain("occurs 3 times");
    expect(outcome.output).toContain("lines 3, 5, 9");
    expect(await ws.read("app.js")).toBe(APP);

    const all = await ws.call("edit_file", {
      path: "app.js",
      old_string: '"hello',
      new_string: '"hi',
      replace_all: true,
    });
    expect(all.isError).toBe(false);
    expect((await ws.read("app.js")).match(/"hi/g)).toHaveLength(2);
  });

  it("answers a missing search text with the line-trimmed candidate and its exact text", async () => {
    const outcome = await ws.call("edit_file", {
      path: "app.js",
      old_string: 'if (name) {\nreturn "hello " + name;\n}',
      new_string: "x",
    });
    expect(outcome).toMatchObject({ isError: true, errorKind: "no_match" });
    expect(outcome.output).toContain("lines 2-4 (same lines except leading/trailing whitespace)");
    expect(outcome.output).toContain('  if (name) {\n    return "hello " + name;\n  }');
  });

  it("answers with a whitespace-tolerant candidate", async () => {
    const outcome = await ws.call("edit_file", {
      path: "app.js",
      old_string: 'return  "bye "  +  name;',
      new_string: "x",
    });
    expect(outcome.output).toContain("line 9 (same text except whitespace)");
  });

  it("answers with a fuzzy candidate when the text is close", async () => {
    const outcome = await ws.call("edit_file", {
      path: "app.js",
      old_string: 'function farewel(nam) {\n  return "bye" + nam;\n}',
      new_string: "x",
    });
    expect(outcome.errorKind).toBe("no_match");
    expect(outcome.output).toMatch(/lines 8-10 \(similar text, \d+% similar\)/);
    expect(outcome.output).toContain('function farewell(name) {\n  return "bye " + name;\n}');
  });

  it("says so when nothing is similar", async () => {
    const outcome = await ws.call("edit_file", {
      path: "app.js",
      old_string: "class Zebra extends Animal {}",
      new_string: "x",
    });
    expect(outcome.output).toContain("No similar text");
  });

  it("keeps CRLF line endings when the model writes LF", async () => {
    await ws.write("win.txt", "alpha\r\nbeta\r\ngamma\r\n");
    const outcome = await ws.call("edit_file", {
      path: "win.txt",
      old_string: "alpha\nbeta",
      new_string: "alpha\nBETA\nextra",
    });
    expect(outcome.isError).toBe(false);
    expect(await ws.read("win.txt")).toBe("alpha\r\nBETA\r\nextra\r\ngamma\r\n");
  });

  it("creates a missing file when old_string is empty, and refuses that for an existing one", async () => {
    const created = await ws.call("edit_file", {
      path: "new/dir/file.txt",
      old_string: "",
      new_string: "fresh\n",
    });
    expect(created.output).toBe("Created new/dir/file.txt (+1 -0)");
    expect(await ws.read("new/dir/file.txt")).toBe("fresh\n");
    const again = await ws.call("edit_file", { path: "app.js", old_string: "", new_string: "x" });
    expect(again.errorKind).toBe("already_exists");
    const missing = await ws.call("edit_file", { path: "nope.js", old_string: "a", new_string: "b" });
    expect(missing.errorKind).toBe("not_found");
  });

  it("refuses a no-op edit", async () => {
    const outcome = await ws.call("edit_file", { path: "app.js", old_string: "greet", new_string: "greet" });
    expect(outcome.errorKind).toBe("no_change");
  });

  it("keeps the file's permission bits", async () => {
    await ws.write("run.sh", "#!/bin/sh\necho hi\n");
    await chmod(path.join(ws.root, "run.sh"), 0o755);
    await ws.call("edit_file", { path: "run.sh", old_string: "hi", new_string: "ho" });
    expect((await stat(path.join(ws.root, "run.sh"))).mode & 0o777).toBe(0o755);
  });

  it("refuses to edit a binary file", async () => {
    await ws.write("blob.bin", "ab\0cd");
    const outcome = await ws.call("edit_file", { path: "blob.bin", old_string: "ab", new_string: "x" });
    expect(outcome.errorKind).toBe("binary_file");
  });
});

describe("syntax gate (a bracket checker stands in for tree-sitter)", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({
      files: { "app.js": APP, "broken.js": "function f( {\n" },
      syntaxChecker: bracketChecker,
    });
  });
  afterEach(() => ws.cleanup());

  it("refuses an edit that breaks a file that parsed before, with the error's line, and changes nothing", async () => {
    const outcome = await ws.call("edit_file", {
      path: "app.js",
      old_string: "  }\n  return",
      new_string: "  return",
    });
    expect(outcome).toMatchObject({ isError: true, errorKind: "syntax_error" });
    expect(outcome.output).toContain("line 1, column 22: unclosed '{'");
    expect(outcome.output).toContain("No file was changed");
    expect(await ws.read("app.js")).toBe(APP);
    expect(ws.checkpoints).toEqual([]);
  });

  it("refuses the same through write_file, apply_patch and batch_edit", async () => {
    expect((await ws.call("write_file", { path: "app.js", content: "function (" })).errorKind).toBe(
      "syntax_error",
    );
    const patch =
      '--- a/app.js\n+++ b/app.js\n@@ -8,3 +8,3 @@\n function farewell(name) {\n-  return "bye " + name;\n+  return ("bye " + name;\n }\n';
    const patched = await ws.call("apply_patch", { patch });
    expect(patched.errorKind).toBe("syntax_error");
    expect(patched.output).toContain("line 10, column 1: unexpected '}'");
    const batch = await ws.call("batch_edit", {
      edits: [
        { path: "broken.js", old_string: "f( {", new_string: "f() {}" },
        { path: "app.js", old_string: "farewell(name) {", new_string: "farewell(name) {{" },
      ],
    });
    expect(batch.errorKind).toBe("syntax_error");
    expect(await ws.read("app.js")).toBe(APP);
    expect(await ws.read("broken.js")).toBe("function f( {\n");
  });

  it("lets an already broken file be edited, and a new broken file be written, with a warning", async () => {
    const stillBroken = await ws.call("edit_file", {
      path: "broken.js",
      old_string: "function f",
      new_string: "function g",
    });
    expect(stillBroken.isError).toBe(false);
    expect(stillBroken.output).toContain("warning: syntax error at broken.js:1:");
    const fixed = await ws.call("edit_file", { path: "broken.js", old_string: "g( {", new_string: "g() {}" });
    expect(fixed.output).toBe("Edited broken.js (+1 -1)");
    const fresh = await ws.call("write_file", { path: "fresh.js", content: "let x = [1, 2;\n" });
    expect(fresh.isError).toBe(false);
    expect(fresh.output).toContain("warning: syntax error at fresh.js:1:9");
  });

  it("does not check files the checker does not support", async () => {
    const outcome = await ws.call("write_file", { path: "notes.md", content: "(unbalanced" });
    expect(outcome.isError).toBe(false);
  });
});

describe("write_file", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({ files: { "a.txt": "old\n" } });
  });
  afterEach(() => ws.cleanup());

  it("creates nested files and overwrites existing ones with a diff", async () => {
    const created = await ws.call("write_file", { path: "deep/er/b.txt", content: "new\n" });
    expect(created.output).toBe("Created deep/er/b.txt (+1 -0)");
    expect(created.diff).toContain("--- /dev/null\n+++ b/deep/er/b.txt");
    const overwritten = await ws.call("write_file", { path: "a.txt", content: "fresh\n" });
    expect(overwritten.diff).toContain("-old\n+fresh");
    expect(await ws.read("a.txt")).toBe("fresh\n");
    expect(ws.checkpoints.map((paths) => paths.map((p) => path.relative(ws.root, p)))).toEqual([
      ["deep/er/b.txt"],
      ["a.txt"],
    ]);
  });

  it("leaves no temp files behind", async () => {
    await ws.call("write_file", { path: "a.txt", content: "fresh\n" });
    const listing = await ws.call("list_dir", {});
    expect(listing.output).not.toContain("toad-");
  });
});

describe("batch_edit", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({ files: { "a.txt": "one\ntwo\n", "b.txt": "three\n" } });
  });
  afterEach(() => ws.cleanup());

  it("applies several edits across files, in order, one checkpoint for all", async () => {
    const outcome = await ws.call("batch_edit", {
      edits: [
        { path: "a.txt", old_string: "one", new_string: "uno" },
        { path: "b.txt", old_string: "three", new_string: "tres" },
        { path: "a.txt", old_string: "uno\ntwo", new_string: "uno\ndos" },
      ],
    });
    expect(outcome.output).toBe("Changed 2 files:\nEdited a.txt (+2 -2)\nEdited b.txt (+1 -1)");
    expect(await ws.read("a.txt")).toBe("uno\ndos\n");
    expect(await ws.read("b.txt")).toBe("tres\n");
    expect(ws.checkpoints).toHaveLength(1);
    expect(ws.checkpoints[0]?.map((p) => path.basename(p))).toEqual(["a.txt", "b.txt"]);
  });

  it("validates every edit first: one failure changes no file and names the edit", async () => {
    const outcome = await ws.call("batch_edit", {
      edits: [
        { path: "a.txt", old_string: "one", new_string: "uno" },
        { path: "b.txt", old_string: "four", new_string: "cuatro" },
      ],
    });
    expect(outcome).toMatchObject({ isError: true, errorKind: "no_match" });
    expect(outcome.output).toContain("edit 2 of 2 (b.txt)");
    expect(await ws.read("a.txt")).toBe("one\ntwo\n");
    expect(ws.checkpoints).toEqual([]);
  });
});
