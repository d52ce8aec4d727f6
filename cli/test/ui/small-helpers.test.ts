import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { editableText, editedArguments } from "../../src/ui/state/approval-edit.js";
import { attachFiles, splitAttachments } from "../../src/ui/state/attachments.js";
import { clipToRows } from "../../src/ui/state/clip.js";
import { parsePorcelain, statusTree } from "../../src/ui/state/git-status.js";
import { historyDown, historyUp, openPromptHistory } from "../../src/ui/state/history.js";
import { describeCall, describeResult } from "../../src/ui/state/tool-summary.js";
import type { ToolCardItem } from "../../src/ui/state/types.js";

const card = (name: string, args: unknown): ToolCardItem => ({
  kind: "tool",
  id: "t1",
  callId: "c1",
  name,
  argumentsJson: JSON.stringify(args),
  status: "approval",
  startedAt: 0,
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("edit then run", () => {
  it("edits a shell call's command alone and keeps its other arguments", () => {
    const bash = card("bash", { command: "npm test", description: "tests" });
    expect(editableText(bash)).toBe("npm test");
    expect(editedArguments(bash, "npm test -- --run")).toEqual({
      ok: true,
      json: JSON.stringify({ command: "npm test -- --run", description: "tests" }),
    });
    expect(editedArguments(bash, "  ")).toMatchObject({ ok: false });
  });

  it("edits other calls as JSON and refuses what does not parse", () => {
    const edit = card("edit_file", { path: "a.js", old_string: "a", new_string: "b" });
    expect(JSON.parse(editableText(edit))).toEqual({ path: "a.js", old_string: "a", new_string: "b" });
    expect(editedArguments(edit, '{"path":"b.js"}')).toEqual({ ok: true, json: '{"path":"b.js"}' });
    expect(editedArguments(edit, "{oops")).toMatchObject({
      ok: false,
      error: expect.stringContaining("Not valid JSON"),
    });
    expect(editedArguments(edit, "[1]")).toMatchObject({ ok: false });
  });
});

describe("attachments", () => {
  it("round-trips: the model gets the files, the screen shows their names", () => {
    const text = attachFiles("explain @a.ts", [{ path: "a.ts", content: "const a = 1;\n" }]);
    expect(text).toBe('explain @a.ts\n\n<file path="a.ts">\nconst a = 1;\n</file>');
    expect(splitAttachments(text)).toEqual({ text: "explain @a.ts", files: ["a.ts"] });
  });
});

describe("tool card summaries", () => {
  it("says what a call acts on and how it went", () => {
    expect(describeCall("read_file", '{"path":"src/a.ts","start_line":3,"end_line":9}')).toBe("src/a.ts:3-9");
    expect(describeCall("bash", '{"command":"npm   test"}')).toBe("npm test");
    expect(describeCall("grep", '{"pattern":"TODO","path":"src"}')).toBe("/TODO/ in src");
    expect(describeCall("bash", '{"command":')).toBe('{"command":');
    expect(describeResult("read_file", "a\nb\nc", false)).toBe("3 lines");
    expect(describeResult("bash", "boom\nstack", true)).toBe("boom");
    expect(describeResult("run_tests", "...\nTests failed. 2 of 5\n", false)).toBe("Tests failed. 2 of 5");
  });
});

describe("live tail clipping", () => {
  it("keeps the last lines that fit, wrapped lines counted, and reopens a hidden fence", () => {
    expect(clipToRows("a\nb\nc", 80, 2)).toEqual({ text: "b\nc", hiddenLines: 1 });
    expect(clipToRows(`x\n${"y".repeat(30)}`, 10, 3)).toEqual({ text: "y".repeat(30), hiddenLines: 1 });
    expect(clipToRows("```js\n1\n2\n3", 80, 2).text).toBe("```js\n2\n3");
  });
});

describe("prompt history", () => {
  it("persists prompts, skips repeats and damaged lines, and walks back and forth keeping the draft", async () => {
    dir = await mkdtemp(join(tmpdir(), "toad-history-"));
    const path = join(dir, "sub", "history.jsonl");
    const history = await openPromptHistory(path);
    await history.add("first");
    await history.add("second");
    await history.add("second");
    await writeFile(path, `${await readFile(path, "utf8")}not json\n`);
    const reopened = await openPromptHistory(path);
    expect(reopened.entries()).toEqual(["first", "second"]);

    const up1 = historyUp(reopened.entries(), undefined, "draft");
    expect(up1?.text).toBe("second");
    const up2 = historyUp(reopened.entries(), up1?.cursor, "second");
    expect(up2?.text).toBe("first");
    expect(historyUp(reopened.entries(), up2?.cursor, "first")).toBeUndefined();
    const down1 = historyDown(reopened.entries(), up2?.cursor);
    expect(down1?.text).toBe("second");
    expect(historyDown(reopened.entries(), down1?.cursor)).toEqual({ cursor: undefined, text: "draft" });
  });
});

describe("git status for the files panel", () => {
  it("reads porcelain lines, renames included, into a tree of changed files", () => {
    const entries = parsePorcelain(" M src/a.ts\nR  old.ts -> src/lib/new.ts\n?? README.md\n");
    expect(entries).toEqual([
      { code: " M", path: "src/a.ts" },
      { code: "R ", path: "src/lib/new.ts" },
      { code: "??", path: "README.md" },
    ]);
    expect(
      statusTree(entries).map(
        (line) => `${"  ".repeat(line.depth)}${line.name}${line.code ? ` ${line.code}` : ""}`,
      ),
    ).toEqual(["README.md ??", "src/", "  a.ts  M", "  lib/", "    new.ts R "]);
  });
});
