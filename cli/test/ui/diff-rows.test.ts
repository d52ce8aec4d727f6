import { describe, expect, it } from "vitest";
import { diffStats, parseUnifiedDiff, sideBySide } from "../../src/ui/state/diff-rows.js";

const DIFF = [
  "--- a/calc.js",
  "+++ b/calc.js",
  "@@ -1,4 +1,4 @@",
  " const a = 1;",
  "-exports.add = (a, b) => a - b;",
  "--- a comment that starts with dashes",
  "+exports.add = (a, b) => a + b;",
  " end",
  "\\ No newline at end of file",
  "",
].join("\n");

describe("unified diff rows", () => {
  it("numbers lines and never mistakes a removed '--' line for a header", () => {
    const lines = parseUnifiedDiff(DIFF);
    expect(lines.map((line) => line.type)).toEqual([
      "file",
      "hunk",
      "context",
      "remove",
      "remove",
      "add",
      "context",
      "meta",
    ]);
    expect(lines[0]).toEqual({ type: "file", text: "calc.js" });
    expect(lines[4]).toEqual({ type: "remove", text: "-- a comment that starts with dashes", oldNo: 3 });
    expect(lines[5]).toEqual({ type: "add", text: "exports.add = (a, b) => a + b;", newNo: 2 });
    expect(diffStats(lines)).toEqual({ added: 1, removed: 2 });
  });

  it("pairs removed lines with the added lines that replace them", () => {
    const rows = sideBySide(parseUnifiedDiff(DIFF));
    const pairs = rows.filter((row) => row.type === "pair");
    expect(pairs).toHaveLength(4);
    expect(pairs[1]).toEqual({
      type: "pair",
      left: { no: 2, text: "exports.add = (a, b) => a - b;", change: true },
      right: { no: 2, text: "exports.add = (a, b) => a + b;", change: true },
    });
    expect(pairs[2]).toMatchObject({ right: undefined, left: { no: 3 } });
  });

  it("reads a new file's diff", () => {
    const lines = parseUnifiedDiff("--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n");
    expect(lines).toEqual([
      { type: "file", text: "new.txt" },
      { type: "hunk", text: "@@ -0,0 +1,2 @@" },
      { type: "add", text: "one", newNo: 1 },
      { type: "add", text: "two", newNo: 2 },
    ]);
  });
});
