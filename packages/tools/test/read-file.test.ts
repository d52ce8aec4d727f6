import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeWorkspace, type Workspace } from "./helpers.js";

describe("read_file", () => {
  let ws: Workspace;
  beforeEach(async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
    ws = await makeWorkspace({
      files: { "notes.txt": `${lines}\n`, "empty.txt": "", "crlf.txt": "one\r\ntwo\r\n" },
      tools: { limits: { readMaxLines: 10, maxLineChars: 50 } },
    });
  });
  afterEach(() => ws.cleanup());

  it("numbers lines and shows a range", async () => {
    const outcome = await ws.call("read_file", { path: "notes.txt", start_line: 3, end_line: 5 });
    expect(outcome.output).toBe(
      "     3\tline 3\n     4\tline 4\n     5\tline 5\n[showing lines 3-5; more lines follow. Use start_line/end_line to read further.]",
    );
  });

  it("caps the lines shown without a range and says how to read on", async () => {
    const outcome = await ws.call("read_file", { path: "notes.txt" });
    const lines = outcome.output.split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[9]).toBe("    10\tline 10");
    expect(lines[10]).toContain("showing lines 1-10");
  });

  it("shows the whole file with its total when it fits", async () => {
    const outcome = await ws.call("read_file", { path: "notes.txt", start_line: 25, end_line: 40 });
    expect(outcome.output.split("\n")).toHaveLength(6);
    expect(outcome.output).toContain("    30\tline 30");
    expect(outcome.output).not.toContain("showing");
  });

  it("refuses a start past the end and an inverted range", async () => {
    const past = await ws.call("read_file", { path: "notes.txt", start_line: 31 });
    expect(past).toMatchObject({ isError: true, errorKind: "invalid_arguments" });
    expect(past.output).toContain("(30 lines)");
    const inverted = await ws.call("read_file", { path: "notes.txt", start_line: 5, end_line: 2 });
    expect(inverted.errorKind).toBe("invalid_arguments");
  });

  it("clips long lines, strips CRLF, handles empty files", async () => {
    await ws.write("long.txt", `${"x".repeat(120)}\n`);
    const long = await ws.call("read_file", { path: "long.txt" });
    expect(long.output).toBe(`     1\t${"x".repeat(50)} [... 70 more characters]`);
    expect((await ws.call("read_file", { path: "crlf.txt" })).output).toBe("     1\tone\n     2\ttwo");
    expect((await ws.call("read_file", { path: "empty.txt" })).output).toBe("empty.txt is empty.");
  });

  it("detects binary files", async () => {
    await writeFile(
      path.join(ws.root, "image.png"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    const outcome = await ws.call("read_file", { path: "image.png" });
    expect(outcome).toMatchObject({ isError: true, errorKind: "binary_file" });
  });

  it("reports missing files and directories", async () => {
    expect((await ws.call("read_file", { path: "nope.txt" })).errorKind).toBe("not_found");
    await ws.write("dir/x.txt", "x");
    expect((await ws.call("read_file", { path: "dir" })).errorKind).toBe("invalid_arguments");
  });

  it("reads a range from a large file without loading all of it", async () => {
    const big = Array.from({ length: 200_000 }, (_, i) => `row ${i + 1} ${"-".repeat(40)}`).join("\n");
    await ws.write("big.log", big);
    const started = performance.now();
    const outcome = await ws.call("read_file", { path: "big.log", start_line: 5, end_line: 6 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(outcome.output).toContain("     5\trow 5 ");
    expect(outcome.output).toContain("more lines follow");
  });
});
