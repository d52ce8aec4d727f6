import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "../src/index.js";
import { gitIn, makeGitWorkspace, makeWorkspace, type Workspace } from "./helpers.js";

const NUMBERS = `${Array.from({ length: 20 }, (_, i) => `n${i + 1}`).join("\n")}\n`;

describe("apply_patch", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({
      files: { "nums.txt": NUMBERS, "gone.txt": "bye\n", "old-name.txt": "keep me\n" },
    });
  });
  afterEach(() => ws.cleanup());

  it("modifies, creates and deletes files in one patch", async () => {
    const patch = [
      "--- a/nums.txt",
      "+++ b/nums.txt",
      "@@ -2,3 +2,3 @@",
      " n2",
      "-n3",
      "+three",
      " n4",
      "@@ -17,4 +17,5 @@",
      " n17",
      " n18",
      "+n18.5",
      " n19",
      " n20",
      "--- /dev/null",
      "+++ b/src/new.txt",
      "@@ -0,0 +1,2 @@",
      "+hello",
      "+world",
      "--- a/gone.txt",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-bye",
      "",
    ].join("\n");
    const outcome = await ws.call("apply_patch", { patch });
    expect(outcome.isError, outcome.output).toBe(false);
    expect(outcome.output).toBe(
      "Changed 3 files:\nEdited nums.txt (+2 -1)\nCreated src/new.txt (+2 -0)\nDeleted gone.txt (+0 -1)",
    );
    expect(await ws.read("nums.txt")).toBe(
      NUMBERS.replace("n3\n", "three\n").replace("n18\n", "n18\nn18.5\n"),
    );
    expect(await ws.read("src/new.txt")).toBe("hello\nworld\n");
    await expect(ws.read("gone.txt")).rejects.toThrow();
    expect(ws.checkpoints).toHaveLength(1);
  });

  it("is all or nothing: a hunk that does not apply leaves every file as it was", async () => {
    const patch = [
      "--- /dev/null",
      "+++ b/created.txt",
      "@@ -0,0 +1 @@",
      "+x",
      "--- a/nums.txt",
      "+++ b/nums.txt",
      "@@ -2,2 +2,2 @@",
      " n2",
      "-n3",
      "+three",
      "@@ -10,2 +10,2 @@",
      " n10",
      "-eleven",
      "+11",
    ].join("\n");
    const outcome = await ws.call("apply_patch", { patch });
    expect(outcome).toMatchObject({ isError: true, errorKind: "patch_failed" });
    expect(outcome.output).toContain("hunk 2 (@@ -10,2 +10,2 @@) of nums.txt does not apply");
    expect(outcome.output).toContain(
      "nums.txt around line 10 reads:\n     8\tn8\n     9\tn9\n    10\tn10\n    11\tn11",
    );
    expect(outcome.output).toContain("no file changed");
    expect(await ws.read("nums.txt")).toBe(NUMBERS);
    await expect(ws.read("created.txt")).rejects.toThrow();
    expect(ws.checkpoints).toEqual([]);
  });

  it("locates hunks by content when the line numbers are off and the counts are wrong", async () => {
    const patch = ["--- nums.txt", "+++ nums.txt", "@@ -40,9 +40,9 @@", " n7", "-n8", "+eight", " n9"].join(
      "\n",
    );
    const outcome = await ws.call("apply_patch", { patch });
    expect(outcome.isError, outcome.output).toBe(false);
    expect(await ws.read("nums.txt")).toBe(NUMBERS.replace("n8\n", "eight\n"));
  });

  it("renames a file with git headers", async () => {
    const patch = [
      "diff --git a/old-name.txt b/new-name.txt",
      "similarity index 100%",
      "rename from old-name.txt",
      "rename to new-name.txt",
      "",
    ].join("\n");
    const outcome = await ws.call("apply_patch", { patch });
    expect(outcome.isError, outcome.output).toBe(false);
    expect(await ws.read("new-name.txt")).toBe("keep me\n");
    await expect(ws.read("old-name.txt")).rejects.toThrow();
  });

  it("refuses to create a file that exists and to patch one that does not", async () => {
    const create = await ws.call("apply_patch", {
      patch: "--- /dev/null\n+++ b/nums.txt\n@@ -0,0 +1 @@\n+x\n",
    });
    expect(create.errorKind).toBe("already_exists");
    const missing = await ws.call("apply_patch", {
      patch: "--- a/nope.txt\n+++ b/nope.txt\n@@ -1 +1 @@\n-a\n+b\n",
    });
    expect(missing.errorKind).toBe("not_found");
  });

  it("answers text that is not a diff with invalid_arguments", async () => {
    const outcome = await ws.call("apply_patch", { patch: "please change n3 to three" });
    expect(outcome.errorKind).toBe("invalid_arguments");
    expect(outcome.output).toContain("no file headers");
  });
});

describe("apply_patch with real git", () => {
  it("applies the diff git itself produced, byte for byte, across files", async () => {
    const ws = await makeGitWorkspace({
      "src/main.py":
        "import sys\n\n\ndef main():\n    print('hi')\n    return 0\n\n\nif __name__ == '__main__':\n    sys.exit(main())\n",
      "README.md": "# Demo\n\nSome text.\n",
      "old.txt": "remove me\n",
      "crlf.txt": "a\r\nb\r\nc\r\n",
    });
    try {
      // Make the changes with the file tools, record git's diff, reset, then replay it through apply_patch.
      await ws.write(
        "src/main.py",
        "import os\nimport sys\n\n\ndef main():\n    print('hello', os.getcwd())\n    return 0\n\n\nif __name__ == '__main__':\n    sys.exit(main())\n",
      );
      await ws.write("README.md", "# Demo\n\nSome text.\n\nMore text, no newline");
      await ws.write("crlf.txt", "a\r\nB\r\nc\r\n");
      await ws.write("added/new.txt", "brand new\n");
      gitIn(ws.root, "rm", "-q", "old.txt");
      gitIn(ws.root, "add", "-A");
      const diff = gitIn(ws.root, "diff", "--cached");
      const expected = new Map<string, string>();
      for (const file of ["src/main.py", "README.md", "crlf.txt", "added/new.txt"])
        expected.set(file, await ws.read(file));
      gitIn(ws.root, "reset", "-q", "--hard");
      gitIn(ws.root, "clean", "-qfd");

      const outcome = await ws.call("apply_patch", { patch: diff });
      expect(outcome.isError, outcome.output).toBe(false);
      for (const [file, content] of expected) expect(await ws.read(file), file).toBe(content);
      await expect(ws.read("old.txt")).rejects.toThrow();
      gitIn(ws.root, "add", "-A");
      expect(gitIn(ws.root, "diff", "--cached")).toBe(diff);
    } finally {
      await ws.cleanup();
    }
  });
});

describe("parseUnifiedDiff", () => {
  it("reads blank context lines and no-newline markers", () => {
    const parsed = parseUnifiedDiff(
      "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const hunk = parsed.files[0]?.hunks[0];
    expect(hunk?.lines).toEqual([
      { op: " ", text: "a" },
      { op: " ", text: "" },
      { op: "-", text: "b" },
      { op: "+", text: "c" },
    ]);
    expect(hunk?.oldNoNewline).toBe(true);
    expect(hunk?.newNoNewline).toBe(true);
  });
});
