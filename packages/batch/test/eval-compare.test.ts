import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compareRuns,
  createEvalSyntaxChecker,
  evaluateRun,
  formatComparison,
  formatEvalReport,
  type InstanceResult,
  probeHarness,
  RUN_FORMAT,
  RunDir,
  type RunRecord,
} from "../src/index.js";
import { buildFixture, type Fixture, tempDir } from "./helpers.js";

/**
 * Evaluation without Docker (apply at base, still parses, same files as
 * gold) and with a stand-in for the official harness (a script that writes
 * the report file the harness writes), then comparing two runs.
 */
const GOOD = { "pkg/calc.py": "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n" };
let root: { path: string; cleanup(): Promise<void> };
let fixture: Fixture;

beforeAll(async () => {
  root = await tempDir("toad-batch-eval-");
  fixture = await buildFixture(root.path, [
    { id: "good", base: "first", edit: GOOD },
    { id: "broken", base: "first", edit: GOOD },
    { id: "stale", base: "second", edit: GOOD },
    { id: "empty", base: "second", edit: GOOD },
  ]);
});

afterAll(async () => {
  await root?.cleanup();
});

const goldOf = (id: string) => fixture.instances.find((instance) => instance.instance_id === id)?.patch ?? "";

function record(model: string): RunRecord {
  return {
    format: RUN_FORMAT,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    toad: { version: "0.1.0", commit: "abc" },
    settings: { model, ablations: { contextPreload: true, testSelection: true } },
    useHints: false,
    promptsHash: "0000",
    modelNameOrPath: `toad-${model}`,
    dataset: { path: fixture.datasetPath, sha256: "x", instances: 4, selection: {} },
    repos: fixture.reposDir,
    workers: 2,
    workspaces: "recycled",
    hooks: { contextPreload: "none", testSelection: "none" },
  };
}

async function makeRun(
  name: string,
  model: string,
  patches: Record<string, string>,
  cost: number,
): Promise<string> {
  const dir = join(root.path, name);
  const run = new RunDir(dir);
  await run.writeRecord(record(model));
  for (const [id, patch] of Object.entries(patches)) {
    const result: InstanceResult = {
      instance_id: id,
      status: "completed",
      exit: "end_turn",
      patch,
      costUsd: cost,
      tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      turns: 3,
      wallMs: 1000,
      timings: { workspaceMs: 0, agentMs: 0, diffMs: 0, bookkeepingMs: 0 },
      startedAt: 0,
      endedAt: 0,
    };
    await run.record(result, { instance_id: id, model_name_or_path: `toad-${model}`, model_patch: patch });
  }
  return dir;
}

describe("toad batch eval", () => {
  it("checks what it can without the harness and never claims a resolved rate", async () => {
    const broken = goldOf("broken").replace("+    return a + b", "+    return a +");
    const stale = goldOf("stale").replace(" def add(a, b):", " def add(x, y):");
    const dir = await makeRun("run-a", "model-a", { good: goldOf("good"), broken, stale, empty: "" }, 0.1);
    const report = await evaluateRun({
      outDir: dir,
      checker: createEvalSyntaxChecker(),
      probe: async () => ({ available: false, missing: ["Docker (no docker command on PATH)"] }),
    });
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.counts).toEqual({
      predictions: 4,
      empty: 1,
      applies: 2,
      doesNotApply: 1,
      parseRegressions: 1,
      goldIdentical: 1,
      goldComparable: 2,
    });
    const byId = new Map(report.value.instances.map((instance) => [instance.instance_id, instance]));
    expect(byId.get("broken")?.parseRegressions).toEqual(["pkg/calc.py"]);
    expect(byId.get("broken")?.files).toEqual([
      { path: "pkg/calc.py", before: "ok", after: "error", message: expect.stringMatching(/^2:\d+: /) },
    ]);
    expect(byId.get("stale")?.problem).toMatch(/^git apply --check: /);
    expect(report.value.resolved).toBeUndefined();
    const text = formatEvalReport(report.value);
    expect(text).toMatch(
      /resolved\s+not measured: the official SWE-bench harness cannot run here: missing Docker/,
    );
    expect(text).not.toMatch(/resolved\s+\d/);
  });

  it("runs the row's FAIL_TO_PASS tests in the sandbox when the repository has a test environment", async () => {
    const testPatch = [
      "diff --git a/tests/test_fix.py b/tests/test_fix.py",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/tests/test_fix.py",
      "@@ -0,0 +1,2 @@",
      "+from pkg.calc import add",
      "+assert add(2, 3) == 5",
      "",
    ].join("\n");
    const rows = fixture.instances.map((instance) => ({
      ...instance,
      test_patch: testPatch,
      FAIL_TO_PASS: ["tests/test_fix.py"],
    }));
    const datasetPath = join(root.path, "with-tests.jsonl");
    await writeFile(datasetPath, rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
    const dir = await makeRun(
      "run-tests",
      "model-t",
      { good: goldOf("good"), broken: goldOf("broken").replace("a + b", "a - b") },
      0.1,
    );
    const report = await evaluateRun({
      outDir: dir,
      datasetPath,
      checker: createEvalSyntaxChecker(),
      testEnvironments: {
        "acme/widgets": { command: "for t in {tests}; do PYTHONPATH=. python3 $t || exit 1; done" },
      },
      probe: async () => ({ available: false, missing: ["Docker"] }),
    });
    if (!report.ok) throw new Error(report.error.message);
    const byId = new Map(report.value.instances.map((instance) => [instance.instance_id, instance]));
    expect(byId.get("good")?.tests).toEqual({ failToPass: "passed" });
    expect(byId.get("broken")?.tests).toEqual({ failToPass: "failed" });
    expect(report.value.counts).toMatchObject({ localTests: 2, localTestsPassed: 1 });
    expect(report.value.resolved).toBeUndefined();
    expect(formatEvalReport(report.value)).toMatch(/local tests\s+1 of 2 pass .*not the official harness/);
  });

  it("on this machine, the probe names what the official harness lacks", async () => {
    const probe = await probeHarness();
    if (probe.available) return; // A machine with Docker and swebench: nothing to report missing.
    expect(probe.missing.join("; ")).toMatch(/Docker|swebench/);
  });

  it("reads the official harness's report back: resolved rate and cost per resolved instance", async () => {
    const dir = await makeRun("run-b", "model-b", { good: goldOf("good"), empty: "" }, 0.2);
    // Stands in for `python -m swebench.harness.run_evaluation`: writes the report it writes.
    const fake = join(root.path, "fake-python");
    await writeFile(
      fake,
      [
        "#!/bin/bash",
        'while [ $# -gt 0 ]; do case "$1" in --run_id) run="$2"; shift;; esac; shift; done',
        'echo \'{"resolved_ids": ["good"], "completed_ids": ["good", "empty"]}\' > "toad-model-b.$run.json"',
      ].join("\n"),
    );
    await chmod(fake, 0o755);
    const report = await evaluateRun({
      outDir: dir,
      checker: createEvalSyntaxChecker(),
      python: fake,
      probe: async () => ({ available: true }),
    });
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.harness).toMatchObject({ ran: true, resolvedIds: ["good"] });
    expect(report.value.resolved).toEqual({
      resolved: 1,
      submitted: 2,
      rate: 0.5,
      costUsd: 0.4,
      costPerResolvedUsd: 0.4,
    });
    expect(formatEvalReport(report.value)).toMatch(/resolved\s+1\/2 \(50\.0%, official harness\)/);

    const other = await makeRun("run-c", "model-c", { good: "", empty: goldOf("empty") }, 0.05);
    const comparison = await compareRuns(dir, other);
    if (!comparison.ok) throw new Error(comparison.error.message);
    expect(comparison.value.configDifferences).toEqual(["model: model-b → model-c"]);
    expect(comparison.value.rows).toEqual([
      {
        instance_id: "empty",
        a: { patch: "empty", costUsd: 0.2, turns: 3, resolved: false },
        b: { patch: "non-empty", costUsd: 0.05, turns: 3 },
        differs: ["patch"],
      },
      {
        instance_id: "good",
        a: { patch: "non-empty", costUsd: 0.2, turns: 3, resolved: true },
        b: { patch: "empty", costUsd: 0.05, turns: 3 },
        differs: ["patch"],
      },
    ]);
    expect(formatComparison(comparison.value)).toMatch(/totals {2}A: 1\/2 non-empty, \$0\.4000, 1 resolved/);
  });
});
