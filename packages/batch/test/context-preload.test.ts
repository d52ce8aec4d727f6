import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContextPreloader, createEvalSyntaxChecker, type RunRecord, runBatch } from "../src/index.js";
import { buildFixture, type Fixture, firstUserText, MODEL, modelFor, oracle, tempDir } from "./helpers.js";

/**
 * The context pre-loading switch backed by packages/context: with it on, the
 * first prompt carries a repository map and the retrieved code for the
 * problem statement; with it off, nothing. And evaluation's syntax check by
 * tree-sitter, which reads more than Python.
 */
let root: { path: string; cleanup(): Promise<void> };
let fixture: Fixture;
let llm: MockLlmServer;

beforeAll(async () => {
  root = await tempDir("toad-batch-preload-");
  fixture = await buildFixture(root.path, [
    {
      id: "acme__widgets-1",
      base: "first",
      edit: { "pkg/calc.py": "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n" },
    },
  ]);
  const instance = fixture.instances[0];
  if (instance)
    instance.problem_statement =
      "add(2, 3) in pkg/calc.py returns -1 instead of 5: the add function subtracts.";
  llm = await startMockLlm({ responder: oracle(fixture.instances).responder });
});

afterAll(async () => {
  await llm?.close();
  await root?.cleanup();
});

async function run(contextPreload: boolean, out: string): Promise<string> {
  const outcome = await runBatch({
    instances: fixture.instances,
    dataset: { path: fixture.datasetPath, sha256: "test", selection: {} },
    outDir: join(root.path, out),
    reposDir: fixture.reposDir,
    workRoot: join(root.path, `work-${out}`),
    workers: 1,
    settings: { model: MODEL, ablations: { contextPreload, testSelection: false } },
    useHints: false,
    redoEmpty: false,
    toad: { version: "0.1.0", commit: "test" },
    modelFor: modelFor(llm.url),
    logger: { warn: () => undefined },
    hooks: createContextPreloader(),
    signal: new AbortController().signal,
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  expect(outcome.value.results[0]?.patch).toContain("pkg/calc.py");
  const first = llm.requests.find((request) => firstUserText(request).includes("add(2, 3)"));
  llm.requests.length = 0;
  return first ? firstUserText(first) : "";
}

describe("context pre-loading", () => {
  it("puts a focused repository map and the retrieved code into the first prompt", async () => {
    const prompt = await run(true, "on");
    const context = /<context>\n([\s\S]*)\n<\/context>/.exec(prompt)?.[1] ?? "";
    expect(context).toMatch(/Repository map/);
    expect(context).toContain("pkg/calc.py");
    expect(context).toContain("def add(a, b):");
    const record = JSON.parse(await readFile(join(root.path, "on", "run.json"), "utf8")) as RunRecord;
    expect(record.hooks.contextPreload).toBe("context:repo-map+hybrid");
  });

  it("with the switch off the prompt has no pre-loaded context", async () => {
    const prompt = await run(false, "off");
    expect(prompt).toContain("add(2, 3)");
    expect(prompt).not.toContain("<context>");
  });
});

describe("evaluation's syntax check", () => {
  const checker = createEvalSyntaxChecker();

  it("finds syntax errors by tree-sitter in Python and in other languages python cannot read", async () => {
    expect(await checker.check("pkg/a.py", "def f(:\n    pass\n")).toMatchObject({
      status: "error",
      line: 1,
    });
    expect(await checker.check("pkg/a.py", "def f():\n    return 1\n")).toEqual({ status: "ok" });
    expect(await checker.check("src/a.js", "function f( {\n  return 1;\n}\n")).toMatchObject({
      status: "error",
    });
    expect(await checker.check("src/a.go", "package main\n\nfunc main() {}\n")).toEqual({ status: "ok" });
    expect(await checker.check("notes.txt", "anything at all")).toEqual({ status: "unsupported" });
  });
});
