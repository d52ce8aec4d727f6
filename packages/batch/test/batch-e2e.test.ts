import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { NO_SYNTAX_CHECK, parseEvent } from "@toad/core";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BatchOptions,
  type BatchSummary,
  evaluateRun,
  formatSummaryTable,
  type InstanceResult,
  type ProgressSnapshot,
  RunDir,
  type RunRecord,
  runBatch,
} from "../src/index.js";
import {
  applyPatch,
  buildFixture,
  type Fixture,
  MODEL,
  modelFor,
  oracle,
  say,
  splitPatch,
  TURN_COST,
  tempDir,
  treeAfter,
} from "./helpers.js";

/**
 * End to end over a repository the test builds: the scripted model server
 * as an oracle applying each instance's gold patch, two workers, real git
 * workspaces, the real tools in the local sandbox, a SQLite log per instance.
 */
const CASES = [
  {
    id: "acme__widgets-1",
    base: "first",
    edit: { "pkg/calc.py": "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n" },
  },
  {
    id: "acme__widgets-2",
    base: "second",
    edit: {
      "pkg/util.py": "def clamp(x, lo, hi):\n    return max(lo, min(x, hi))\n",
      "README.md": "# widgets\n\nNow with clamp.\n",
    },
  },
  {
    id: "acme__widgets-3",
    base: "first",
    edit: {
      "pkg/calc.py": "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n",
      "pkg/text.py": 'def shout(s):\n    return s.upper() + "!"\n',
    },
  },
  {
    id: "acme__widgets-4",
    base: "second",
    edit: { "pkg/old.py": null, "pkg/text.py": 'def shout(s):\n    return s.upper() + "!"\n' },
  },
  { id: "acme__widgets-5", base: "first", edit: { "pkg/calc.py": "def add(a, b):\n    return b + a\n" } },
  { id: "ghost__repo-1", base: "first", edit: { "README.md": "# ghost\n" }, repo: "ghost/repo" },
] as const;

let root: { path: string; cleanup(): Promise<void> };
let fixture: Fixture;
let llm: MockLlmServer;
let requests: Map<string, number>;
const CAP = 0.05;

beforeAll(async () => {
  root = await tempDir("toad-batch-e2e-");
  fixture = await buildFixture(root.path, CASES);
  const [capped] = fixture.instances.filter((instance) => instance.instance_id === "acme__widgets-3");
  const [calcPart = "", textPart = ""] = splitPatch(capped?.patch ?? "");
  const expensive = { inputTokens: 20_000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const scripted = oracle(fixture.instances, {
    // Turn 2 costs $0.0615: past the $0.05 cap, so its edit of text.py never runs.
    "acme__widgets-3": [applyPatch(calcPart), applyPatch(textPart, expensive), say("Done.")],
    "acme__widgets-5": [say("I could not reproduce this.")],
  });
  requests = scripted.requests;
  llm = await startMockLlm({ responder: scripted.responder });
});

afterAll(async () => {
  await llm?.close();
  await root?.cleanup();
});

function options(overrides: Partial<BatchOptions> = {}): BatchOptions & { progress: ProgressSnapshot[] } {
  const progress: ProgressSnapshot[] = [];
  return {
    instances: fixture.instances,
    dataset: { path: fixture.datasetPath, sha256: "test", selection: {} },
    outDir: join(root.path, "run"),
    reposDir: fixture.reposDir,
    workRoot: join(root.path, "work"),
    workers: 2,
    settings: { model: MODEL, maxCostUsd: CAP, ablations: { contextPreload: true, testSelection: true } },
    useHints: false,
    redoEmpty: false,
    toad: { version: "0.1.0", commit: "test" },
    modelFor: modelFor(llm.url),
    logger: { warn: () => undefined },
    signal: new AbortController().signal,
    onProgress: (snapshot) => progress.push(snapshot),
    progress,
    ...overrides,
  };
}

async function predictionsOnDisk(): Promise<
  { instance_id: string; model_patch: string; model_name_or_path: string }[]
> {
  const text = await readFile(join(root.path, "run", "predictions.jsonl"), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe("toad batch run, end to end", () => {
  let first: { summary: BatchSummary; results: InstanceResult[] };
  let firstProgress: ProgressSnapshot[];

  it("runs every instance with 2 workers; each prediction is the gold patch's change", async () => {
    const run = options();
    const outcome = await runBatch(run);
    if (!outcome.ok) throw new Error(outcome.error.message);
    first = outcome.value;
    firstProgress = run.progress;
    const byId = new Map(first.results.map((result) => [result.instance_id, result]));
    const predictions = await predictionsOnDisk();
    expect(predictions.map((p) => p.instance_id).sort()).toEqual(CASES.map((c) => c.id).sort());
    expect(new Set(predictions.map((p) => p.model_name_or_path))).toEqual(new Set([`toad-${MODEL}`]));

    const mirror = join(fixture.reposDir, "acme__widgets.git");
    for (const id of ["acme__widgets-1", "acme__widgets-2", "acme__widgets-4"]) {
      const instance = fixture.instances.find((candidate) => candidate.instance_id === id);
      const prediction = predictions.find((p) => p.instance_id === id);
      if (!instance || !prediction) throw new Error(`missing ${id}`);
      expect(prediction.model_patch).not.toBe("");
      const scratch = join(root.path, "scratch");
      expect(treeAfter(mirror, instance.base_commit, prediction.model_patch, scratch)).toBe(
        treeAfter(mirror, instance.base_commit, instance.patch ?? "", scratch),
      );
      expect(byId.get(id)).toMatchObject({ status: "completed", exit: "end_turn", turns: 2 });
      expect(byId.get(id)?.costUsd).toBeCloseTo(2 * TURN_COST, 10);
    }
    // New files and deletions are in the patch; nothing outside the repository is.
    const two = predictions.find((p) => p.instance_id === "acme__widgets-2")?.model_patch ?? "";
    expect(two).toContain("new file mode");
    expect(two).toContain("+++ b/pkg/util.py");
    expect(predictions.find((p) => p.instance_id === "acme__widgets-4")?.model_patch).toContain(
      "deleted file mode",
    );
    // The user's clone and the mirror are untouched: no worktree metadata, no stray workspaces.
    expect(existsSync(join(mirror, "worktrees"))).toBe(false);
    expect(await readdir(join(root.path, "work"))).toEqual([]);
  });

  it("a cost-capped instance submits the partial diff it has", async () => {
    const capped = first.results.find((result) => result.instance_id === "acme__widgets-3");
    expect(capped).toMatchObject({ status: "completed", exit: "budget", turns: 2 });
    expect(capped?.patch).toContain("pkg/calc.py");
    expect(capped?.patch).not.toContain("pkg/text.py");
    expect(capped?.costUsd).toBeGreaterThanOrEqual(CAP);
  });

  it("a missing repository is that instance's error, with what to clone; the batch goes on", async () => {
    const ghost = first.results.find((result) => result.instance_id === "ghost__repo-1");
    expect(ghost?.status).toBe("error");
    expect(ghost?.error).toMatch(
      /ghost\/repo is not in .*Clone it: git clone --bare https:\/\/github.com\/ghost\/repo.git/,
    );
    expect(ghost?.patch).toBe("");
    expect(first.summary).toMatchObject({
      instances: 6,
      finished: 6,
      errors: 1,
      emptyPatches: 2,
      nonEmptyPatches: 4,
      ran: 6,
    });
    expect(formatSummaryTable(first.summary)).toMatch(/non-empty patches\s+4/);
  });

  it("keeps each instance's trajectory, numbers and the run's configuration", async () => {
    const dir = new RunDir(join(root.path, "run")).instanceDir("acme__widgets-1");
    const lines = (await readFile(join(dir, "trajectory.jsonl"), "utf8")).trim().split("\n");
    const events = lines.map(parseEvent);
    expect(events[0]?.type).toBe("session_started");
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(
      events
        .filter((event) => event.type === "tool_result")
        .map((event) => event.type === "tool_result" && event.isError),
    ).toEqual([false]);
    const result = JSON.parse(await readFile(join(dir, "result.json"), "utf8")) as InstanceResult;
    expect(result.tokens).toEqual({ input: 2000, output: 200, cacheRead: 0, cacheWrite: 0 });
    expect(result.timings.workspaceMs).toBeGreaterThanOrEqual(0);

    const record = JSON.parse(await readFile(join(root.path, "run", "run.json"), "utf8")) as RunRecord;
    expect(record).toMatchObject({
      settings: { model: MODEL, maxCostUsd: CAP, ablations: { contextPreload: true, testSelection: true } },
      toad: { version: "0.1.0", commit: "test" },
      hooks: { contextPreload: "none", testSelection: "none" },
      sandbox: { networkIsolated: true },
    });
    expect(record.promptsHash).toMatch(/^[0-9a-f]{16}$/);
    const last = firstProgress.at(-1);
    expect(last).toMatchObject({ done: 6, total: 6, running: 0, errors: 1, empty: 2 });
    expect(firstProgress.some((snapshot) => snapshot.running === 2)).toBe(true);
  });

  it("a rerun skips what is done; --redo-empty reruns the empty patches only", async () => {
    const before = new Map(requests);
    const again = await runBatch(options());
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.summary).toMatchObject({ ran: 0, skipped: 6, finished: 6 });
    expect(requests).toEqual(before);

    const redo = await runBatch(options({ redoEmpty: true }));
    if (!redo.ok) throw new Error(redo.error.message);
    expect(redo.value.summary).toMatchObject({ ran: 2, finished: 6 });
    expect(requests.get("acme__widgets-5")).toBe((before.get("acme__widgets-5") ?? 0) + 1);
    expect(requests.get("acme__widgets-1")).toBe(before.get("acme__widgets-1"));
    const ids = (await predictionsOnDisk()).map((p) => p.instance_id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("refuses to resume a folder whose run had another configuration", async () => {
    const other = await runBatch(
      options({
        settings: {
          model: MODEL,
          maxCostUsd: CAP,
          ablations: { contextPreload: false, testSelection: true },
        },
      }),
    );
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error.message).toMatch(/another configuration \(ablations:/);
  });

  it("an instance whose run throws is recorded as an error; the others finish", async () => {
    const real = modelFor(llm.url);
    const outcome = await runBatch(
      options({
        instances: fixture.instances.slice(0, 2),
        outDir: join(root.path, "run-crash"),
        modelFor: (instance) => {
          if (instance.instance_id === "acme__widgets-1") throw new Error("model client exploded");
          return real(instance);
        },
      }),
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    const [crashed, fine] = outcome.value.results;
    expect(crashed).toMatchObject({ status: "error", error: "crashed: model client exploded", patch: "" });
    expect(fine).toMatchObject({ status: "completed", exit: "end_turn" });
    expect(outcome.value.summary).toMatchObject({ finished: 2, errors: 1 });
  });

  it("eval: every non-empty prediction applies at base_commit and matches gold where the oracle gave it", async () => {
    const report = await evaluateRun({
      outDir: join(root.path, "run"),
      checker: NO_SYNTAX_CHECK,
      probe: async () => ({ available: false, missing: ["Docker"] }),
    });
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.counts).toMatchObject({
      predictions: 6,
      empty: 2,
      applies: 4,
      doesNotApply: 0,
      goldIdentical: 3,
      goldComparable: 4,
    });
    expect(report.value.resolved).toBeUndefined();
    expect(report.value.harness).toEqual({ ran: false, reason: expect.stringContaining("missing Docker") });
  });
});
