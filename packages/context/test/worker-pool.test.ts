import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeRepo } from "./helpers.js";

// Worker threads run the compiled worker script, so this test drives the built
// package in a real child process. `npm test` builds first; a bare vitest run
// without a build skips it and says so.
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const built = existsSync(dist);
if (!built) process.stderr.write("skipping worker-pool test: build @toad/context first (npm run build)\n");

describe.skipIf(!built)("parsing on worker threads", () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 80; i++) {
    files[`mod_${i}.py`] =
      `class Thing${i}:\n    def method_${i}(self):\n        return helper_${i}()\n\n\ndef helper_${i}():\n    return ${i}\n`;
  }
  files["web/app.ts"] = "export function start(port: number): void { listen(port); }\n";
  const repo = makeRepo(files);
  afterAll(() => repo.cleanup());

  it("indexes the same symbols with workers as on one thread", () => {
    const script = `
      const ctx = await import(${JSON.stringify(dist)});
      const out = {};
      for (const workers of [0, 2]) {
        const store = ctx.IndexStore.open(":memory:");
        const r = await ctx.indexRepository(${JSON.stringify(repo.root)}, store, () => {}, { workers });
        out[workers] = { indexed: r.indexed, symbols: r.symbols, errors: r.errors.length, counts: store.counts(),
          defs: store.defs().map((d) => d.path + ":" + d.qualifiedName).sort() };
      }
      process.stdout.write(JSON.stringify(out));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
    );
    expect(out[2]).toEqual(out[0]);
    expect(out[2].indexed).toBe(81);
    expect(out[2].symbols).toBe(241);
    expect(out[2].errors).toBe(0);
  });
});
