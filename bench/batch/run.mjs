#!/usr/bin/env node
// The batch harness's own cost per instance, with a zero-latency scripted
// model: workspace creation at base_commit, the agent loop's overhead, the
// diff, bookkeeping (SQLite log, trajectory, result files); and instances per
// minute at 1, 2 and 4 workers.
//
//   npm run build && node bench/batch/run.mjs --repos /work/benchrepos [--repo sympy] \
//     [--instances 12] [--workers 1,2,4] [--fresh]
//
// The repository is any local clone or bare mirror in --repos (found as
// owner/name, owner__name or name, with or without .git). Each instance sits
// at a different commit of its history; the scripted model answers with one
// apply_patch (a new file and an edit of README-like text) and then ends.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { RepoCache, runBatch } from "@toad/batch";
import { createModelClient, defaultLlmConfig } from "@toad/llm";
import { startMockLlm } from "@toad/testkit";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const REPOS = arg("repos", "/work/benchrepos");
const REPO_NAME = arg("repo", "sympy");
const COUNT = Number(arg("instances", "12"));
const WORKERS = arg("workers", "1,2,4").split(",").map(Number);
// --fresh: a new checkout per instance instead of each worker resetting its own.
const FRESH = process.argv.includes("--fresh");

const repo = REPO_NAME.includes("/") ? REPO_NAME : `bench/${REPO_NAME}`;
const mirror = await new RepoCache({ dir: REPOS }).mirror(repo);
if (!mirror.ok) {
  console.error(`bench/batch: ${mirror.error.message}`);
  process.exit(2);
}
const git = (...args) => execFileSync("git", ["-C", mirror.value.path, ...args], { encoding: "utf8" }).trim();
const commits = git("rev-list", "--first-parent", "--max-count", String(COUNT * 20), "HEAD").split("\n");
const files = Number(git("ls-tree", "-r", "--name-only", "HEAD").split("\n").length);
const instances = Array.from({ length: COUNT }, (_, i) => {
  const base = commits[Math.min(commits.length - 1, i * 20)];
  return {
    instance_id: `bench__${REPO_NAME}-${i}`,
    repo,
    base_commit: base,
    problem_statement: `[bench-${i}] add the marker file.`,
  };
});

function patchFor(index) {
  return [
    "diff --git a/TOAD_BENCH.txt b/TOAD_BENCH.txt",
    "new file mode 100644",
    "--- /dev/null",
    "+++ b/TOAD_BENCH.txt",
    "@@ -0,0 +1,2 @@",
    `+instance ${index}`,
    "+checked by the batch harness",
    "",
  ].join("\n");
}

const usage = { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 };
const llm = await startMockLlm({
  responder(request) {
    const first = request.body?.messages?.[0]?.content;
    const text = typeof first === "string" ? first : (first ?? []).map((b) => b.text ?? "").join("");
    const match = /\[bench-(\d+)\]/.exec(text);
    if (!match) return undefined;
    const step = (request.body?.messages ?? []).filter((m) => m.role === "assistant").length;
    return step === 0
      ? {
          content: [{ type: "tool_call", name: "apply_patch", arguments: { patch: patchFor(match[1]) } }],
          usage,
        }
      : { content: [{ type: "text", text: "Done." }], usage };
  },
});
const env = { ANTHROPIC_API_KEY: "sk-ant-bench", ANTHROPIC_BASE_URL: llm.url };
const config = defaultLlmConfig(env);

const scratch = await mkdtemp(join(tmpdir(), "toad-bench-batch-"));
const datasetPath = join(scratch, "dataset.jsonl");
await writeFile(datasetPath, instances.map((i) => `${JSON.stringify(i)}\n`).join(""));

/** CPU seconds of this process and its waited-for children (git, bwrap): fields 14-17 of /proc/self/stat. */
function cpuSeconds() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const p50 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (value) => `${value.toFixed(0)} ms`;

console.log(
  `bench/batch: ${repo} (${files} files at HEAD), ${COUNT} instances, ${cpus().length} cores, ` +
    `${FRESH ? "a fresh checkout per instance" : "workspaces recycled per worker"}, load average ${loadavg()[0].toFixed(1)}`,
);
const rows = [];
for (const workers of WORKERS) {
  const outDir = join(scratch, `run-w${workers}`);
  const started = performance.now();
  const cpuBefore = cpuSeconds();
  const outcome = await runBatch({
    instances,
    dataset: { path: datasetPath, sha256: "bench", selection: {} },
    outDir,
    reposDir: REPOS,
    workRoot: join(scratch, `work-w${workers}`),
    workers,
    settings: { model: "claude-sonnet-4-5", ablations: { contextPreload: false, testSelection: false } },
    useHints: false,
    redoEmpty: false,
    toad: { version: "bench", commit: "bench" },
    modelFor: (instance) => createModelClient({ config, env, sessionId: instance.instance_id }),
    logger: { warn: (message) => console.error(`bench/batch: ${message}`) },
    recycleWorkspaces: !FRESH,
    signal: new AbortController().signal,
  });
  const wallS = (performance.now() - started) / 1000;
  const cpuPerInstance = (cpuSeconds() - cpuBefore) / COUNT;
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { results, summary } = outcome.value;
  if (summary.errors > 0 || summary.nonEmptyPatches !== COUNT) {
    throw new Error(`unexpected results: ${JSON.stringify(summary)}`);
  }
  const t = (key) => results.map((r) => r.timings[key]);
  const harness = results.map((r) => r.timings.workspaceMs + r.timings.diffMs + r.timings.bookkeepingMs);
  rows.push({
    workers,
    perMin: (COUNT / wallS) * 60,
    wallS,
    workspace: mean(t("workspaceMs")),
    agent: mean(t("agentMs")),
    diff: mean(t("diffMs")),
    bookkeeping: mean(t("bookkeepingMs")),
    harness: mean(harness),
    harnessP50: p50(harness),
    instanceWall: mean(results.map((r) => r.wallMs)),
    cpuPerInstance,
  });
}

console.log("");
console.log(
  "workers  inst/min  batch wall  per instance: workspace  agent loop  diff    bookkeeping  harness (mean / p50)  instance wall",
);
for (const r of rows) {
  console.log(
    `${String(r.workers).padStart(7)}  ${r.perMin.toFixed(1).padStart(8)}  ${`${r.wallS.toFixed(1)} s`.padStart(10)}  ` +
      `${ms(r.workspace).padStart(22)}  ${ms(r.agent).padStart(10)}  ${ms(r.diff).padStart(6)}  ${ms(r.bookkeeping).padStart(11)}  ` +
      `${`${ms(r.harness)} / ${ms(r.harnessP50)}`.padStart(20)}  ${ms(r.instanceWall).padStart(13)}  ${ms(r.cpuPerInstance * 1000).padStart(12)}`,
  );
}
console.log("");
console.log(
  "harness = workspace + diff + bookkeeping (target: under 1 s); the agent loop column is TOAD's own",
);
console.log("overhead with a model that answers at once (two turns, one apply_patch). Removing a workspace");
console.log(
  "runs in the background after the instance is recorded and is not in these columns. CPU/instance",
);
console.log(
  "is the CPU time of the whole batch (TOAD, git, sandbox probes, the scripted server) per instance:",
);
console.log("with C idle cores the harness cannot go past C × 60 / (CPU/instance) instances per minute.");

await llm.close();
await rm(scratch, { recursive: true, force: true });
