import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { localTools } from "../src/index.js";

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("local tools with the tree-sitter syntax check", () => {
  it("refuses an edit that breaks a file which parsed, naming the line", async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), "toad-syntax-")));
    await writeFile(join(dir, "a.ts"), "export const a = 1;\n");
    const tools = await localTools({
      workspaceRoot: dir,
      beforeWrite: async () => {},
      logger: { warn: () => {} },
    });
    const signal = new AbortController().signal;
    const run = async (argumentsJson: string) => {
      const prepared = tools.prepare({ callId: "c", name: "edit_file", argumentsJson }, signal);
      if (!prepared.ok) return prepared.outcome;
      return prepared.call.execute();
    };

    const broken = await run(
      JSON.stringify({
        path: "a.ts",
        old_string: "export const a = 1;",
        new_string: "export const a = 1;\nfunction (",
      }),
    );
    expect(broken).toMatchObject({ ok: false, errorKind: "syntax_error" });
    expect(broken.ok ? "" : broken.message).toMatch(/line 2/);
    expect(await readFile(join(dir, "a.ts"), "utf8")).toBe("export const a = 1;\n");

    const fine = await run(JSON.stringify({ path: "a.ts", old_string: "= 1", new_string: "= 2" }));
    expect(fine).toMatchObject({ ok: true });
    expect(await readFile(join(dir, "a.ts"), "utf8")).toBe("export const a = 2;\n");
  });
});
