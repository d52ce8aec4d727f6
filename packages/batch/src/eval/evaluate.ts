import { rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { SyntaxChecker } from "@toad/core";
import { defaultWorkRoot } from "../batch.js";
import { loadDataset } from "../dataset.js";
import { instanceDirName } from "../instance-runner.js";
import { RepoCache } from "../repos.js";
import { fail, ok, type Result } from "../result.js";
import { RUN_FILES, RunDir } from "../run-dir.js";
import { checkPrediction, type InstanceCheck } from "./apply-check.js";
import { type HarnessProbe, probeHarness, runHarness } from "./harness.js";
import type { TestEnvironments } from "./local-tests.js";

export const EVAL_FILE = "eval.json";

export interface EvalOptions {
  outDir: string;
  /** Default: the run's --repos. */
  reposDir?: string;
  /** Default: the run's dataset. */
  datasetPath?: string;
  cloneFrom?: string;
  checker: SyntaxChecker;
  /** Checks run at once. */
  workers?: number;
  python?: string;
  /** The official harness's --dataset_name; default the run's dataset file. */
  harnessDataset?: string;
  /** Per repository (`owner/name`), how to run its tests here; rows with test_patch and FAIL_TO_PASS use it. */
  testEnvironments?: TestEnvironments;
  /** Injectable so tests can pretend the harness exists or not. */
  probe?: () => Promise<HarnessProbe>;
  onInstance?(check: InstanceCheck): void;
}

export type HarnessOutcome =
  | { ran: true; reportFile: string; resolvedIds: string[] }
  | { ran: false; reason: string };

export interface EvalReport {
  format: "toad-batch-eval/1";
  evaluatedAt: string;
  harness: HarnessOutcome;
  counts: {
    predictions: number;
    empty: number;
    applies: number;
    doesNotApply: number;
    /** Predictions with at least one touched file that stopped parsing. */
    parseRegressions: number;
    /** Of the predictions whose dataset row has a gold patch: how many give the very same files. */
    goldIdentical?: number;
    goldComparable?: number;
    /** Local test runs (not the official harness): how many had FAIL_TO_PASS (and PASS_TO_PASS) pass. */
    localTests?: number;
    localTestsPassed?: number;
  };
  /** Only when the official harness measured it. */
  resolved?: {
    resolved: number;
    submitted: number;
    rate: number;
    costUsd: number;
    costPerResolvedUsd?: number;
  };
  instances: (InstanceCheck & { resolved?: boolean })[];
}

/**
 * `toad batch eval`: the official harness when Docker and `swebench` are
 * here; in any case, the checks this machine can do (the patch applies at
 * base_commit, touched files still parse, same files as gold). A resolved
 * rate appears only when the harness measured it.
 */
export async function evaluateRun(options: EvalOptions): Promise<Result<EvalReport>> {
  const runDir = new RunDir(options.outDir);
  const record = await runDir.readRecord();
  if (!record.ok) return record;
  if (!record.value)
    return fail("bad_run_dir", `${options.outDir} has no ${RUN_FILES.run}: not a toad batch run`);
  const run = record.value;
  const dataset = await loadDataset(options.datasetPath ?? run.dataset.path);
  if (!dataset.ok) return dataset;
  const rows = new Map(dataset.value.map((instance) => [instance.instance_id, instance]));
  const { predictions } = await runDir.readPredictions();
  const repos = new RepoCache({
    dir: options.reposDir ?? run.repos,
    ...(options.cloneFrom !== undefined && { cloneFrom: options.cloneFrom }),
  });
  const workRoot = join(defaultWorkRoot(options.outDir), "eval");
  const checks: InstanceCheck[] = [];
  const queue = [...predictions.values()];
  const worker = async () => {
    for (let prediction = queue.shift(); prediction; prediction = queue.shift()) {
      const instance = rows.get(prediction.instance_id);
      let check: InstanceCheck;
      if (!instance) {
        check = missingRow(prediction.instance_id, prediction.model_patch);
      } else {
        const mirror = await repos.mirror(instance.repo);
        const workspace = join(workRoot, instanceDirName(instance.instance_id));
        check = mirror.ok
          ? await checkPrediction(
              mirror.value,
              instance,
              prediction.model_patch,
              workspace,
              options.checker,
              options.testEnvironments?.[instance.repo],
            )
          : { ...missingRow(instance.instance_id, prediction.model_patch), problem: mirror.error.message };
        await rm(workspace, { recursive: true, force: true });
      }
      checks.push(check);
      options.onInstance?.(check);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 2) }, worker));
  await rm(workRoot, { recursive: true, force: true });
  await rmdir(dirname(workRoot)).catch(() => undefined);
  checks.sort((a, b) => a.instance_id.localeCompare(b.instance_id));

  const harness = await officialHarness(options, runDir.path, run.dataset.path, run.workers);
  const report = buildReport(checks, harness);
  if (harness.ran) {
    const resolvedSet = new Set(harness.resolvedIds);
    for (const instance of report.instances) instance.resolved = resolvedSet.has(instance.instance_id);
    let costUsd = 0;
    for (const id of predictions.keys()) costUsd += (await runDir.readResult(id))?.costUsd ?? 0;
    const resolved = harness.resolvedIds.length;
    report.resolved = {
      resolved,
      submitted: predictions.size,
      rate: predictions.size === 0 ? 0 : resolved / predictions.size,
      costUsd,
      ...(resolved > 0 && { costPerResolvedUsd: costUsd / resolved }),
    };
  }
  await writeFile(join(runDir.path, EVAL_FILE), `${JSON.stringify(report, null, 2)}\n`);
  return ok(report);
}

async function officialHarness(
  options: EvalOptions,
  runPath: string,
  datasetPath: string,
  workers: number,
): Promise<HarnessOutcome> {
  const probe = await (options.probe ?? (() => probeHarness(options.python)))();
  if (!probe.available) {
    return {
      ran: false,
      reason: `the official SWE-bench harness cannot run here: missing ${probe.missing.join("; ")}`,
    };
  }
  const runId = `toad-${Date.now()}`;
  const outcome = await runHarness({
    datasetName: options.harnessDataset ?? datasetPath,
    predictionsPath: resolve(runPath, RUN_FILES.predictions),
    runId,
    workers,
    cwd: resolve(runPath),
    ...(options.python !== undefined && { python: options.python }),
  });
  return outcome.ok
    ? { ran: true, reportFile: outcome.report.reportFile, resolvedIds: outcome.report.resolvedIds }
    : { ran: false, reason: outcome.message };
}

function buildReport(checks: InstanceCheck[], harness: HarnessOutcome): EvalReport {
  const comparable = checks.filter((check) => check.goldIdentical !== undefined);
  const tested = checks.filter((check) => check.tests !== undefined);
  return {
    format: "toad-batch-eval/1",
    evaluatedAt: new Date().toISOString(),
    harness,
    counts: {
      predictions: checks.length,
      empty: checks.filter((check) => check.empty).length,
      applies: checks.filter((check) => check.applies === true).length,
      doesNotApply: checks.filter((check) => check.applies === false).length,
      parseRegressions: checks.filter((check) => check.parseRegressions.length > 0).length,
      ...(comparable.length > 0 && {
        goldIdentical: comparable.filter((check) => check.goldIdentical).length,
        goldComparable: comparable.length,
      }),
      ...(tested.length > 0 && {
        localTests: tested.length,
        localTestsPassed: tested.filter(
          ({ tests }) => tests?.failToPass === "passed" && (tests.passToPass ?? "passed") === "passed",
        ).length,
      }),
    },
    instances: checks,
  };
}

function missingRow(instanceId: string, patch: string): InstanceCheck {
  return {
    instance_id: instanceId,
    empty: patch.trim() === "",
    problem: "not in the dataset",
    files: [],
    parseRegressions: [],
  };
}
