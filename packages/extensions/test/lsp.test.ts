import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { touchedPaths } from "../src/index.js";
import { type Harness, say, startHarness, toolCall } from "./harness.js";

/**
 * Diagnostics from the real typescript-language-server (a devDependency of
 * this package, with typescript), started on demand over stdio when the
 * first TypeScript file is edited.
 */
const serverBin = join(
  dirname(createRequire(import.meta.url).resolve("typescript-language-server/package.json")),
  "..",
  ".bin",
);
const env = { ...process.env, PATH: `${serverBin}${delimiter}${process.env.PATH ?? ""}` };
const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022" } });
// A cold tsserver needs ~2 s on an idle machine and several times that on a loaded one.
const COLD_START_MS = 60_000;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("diagnostics after edits (typescript-language-server)", () => {
  it(
    "appends the errors an edit introduces (across files) to its result, and nothing once fixed",
    async () => {
      harness = await startHarness(
        [
          {
            content: [
              toolCall("write_file", {
                path: "src/use.ts",
                content: 'import { double } from "./math";\nexport const label: string = double(2);\n',
              }),
            ],
          },
          {
            content: [
              toolCall("edit_file", {
                path: "src/use.ts",
                old_string: "label: string",
                new_string: "label: number",
              }),
            ],
          },
          { content: [toolCall("write_file", { path: "notes.md", content: "not code\n" })] },
          { content: [say("Fixed the type error.")] },
        ],
        {
          "repo/tsconfig.json": TSCONFIG,
          "repo/src/math.ts": "export function double(n: number): number {\n  return n * 2;\n}\n",
        },
        { env, diagnostics: { enabled: true, firstTimeoutMs: COLD_START_MS } },
      );
      const run = await harness.run("add a label");
      const results = run.events.filter((e) => e.type === "tool_result");
      const output = (index: number) => {
        const result = results[index];
        return result?.type === "tool_result" ? result.output : "";
      };
      expect(results.map((r) => r.type === "tool_result" && r.isError)).toEqual([false, false, false]);
      expect(output(0)).toBe(
        "Created src/use.ts (+2 -0)\n\n<hook_context>\nErrors reported by the language server after this edit:\n" +
          "src/use.ts:2:14 error TS2322: Type 'number' is not assignable to type 'string'.\n</hook_context>",
      );
      // The fix is clean and a markdown file has no server: nothing appended, nothing reported.
      expect(output(1)).not.toContain("language server");
      expect(output(2)).not.toContain("language server");
      expect(run.events.filter((e) => e.type === "error")).toEqual([]);
      // The model read the errors in its next request.
      expect(JSON.stringify(harness.llm.requests[1]?.body)).toContain("Type 'number' is not assignable");
      const ms = results.map((r) => (r.type === "tool_result" ? r.durationMs : 0));
      process.stdout.write(`lsp: edit+diagnostics cold ${ms[0]} ms, warm ${ms[1]} ms\n`);
    },
    COLD_START_MS + 10_000,
  );

  it("finds the files a call touched: paths, nested edits and patch headers", () => {
    const call = (args: unknown) => ({ callId: "c", name: "x", argumentsJson: JSON.stringify(args) });
    expect(touchedPaths(call({ path: "a.ts", content: "" }))).toEqual(["a.ts"]);
    expect(touchedPaths(call({ edits: [{ path: "b.ts" }, { path: "c.ts" }] }))).toEqual(["b.ts", "c.ts"]);
    expect(touchedPaths(call({ patch: "--- a/d.ts\n+++ b/d.ts\n@@ -1 +1 @@\n-x\n+y\n" }))).toEqual(["d.ts"]);
    expect(touchedPaths(call({ patch: "*** Begin Patch\n*** Update File: e.ts\n" }))).toEqual(["e.ts"]);
  });
});
