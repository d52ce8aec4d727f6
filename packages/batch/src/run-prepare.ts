import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { BatchOutcome } from "./batch.js";
import type { Selection } from "./dataset.js";
import { blankResult, type ContextHooks } from "./instance-runner.js";
import { promptsHash } from "./prompt.js";
import { fail, ok, type Result } from "./result.js";
import { RUN_FORMAT, type RunDir, type RunRecord } from "./run-dir.js";
import { summarize } from "./summary.js";
import type { BatchInstance, InstanceResult, Prediction, RunSettings } from "./types.js";

/** What a run folder records about a run, local or on the cluster. */
export interface RunPlan {
  instances: readonly BatchInstance[];
  dataset: { path: string; sha256: string; selection: Selection };
  outDir: string;
  /** Absent for a cluster run: the workers have their own cache. */
  reposDir?: string;
  workers: number;
  settings: RunSettings;
  useHints: boolean;
  redoEmpty: boolean;
  toad: RunRecord["toad"];
  recycleWorkspaces?: boolean;
  hooks: RunRecord["hooks"];
  /** A cluster run: its gateway (the run id is kept from an earlier run over the same folder). */
  cluster?: { gateway: string };
}

export interface PreparedRun {
  record: RunRecord;
  /** Selected instances already finished, by id. */
  done: Map<string, InstanceResult>;
  todo: BatchInstance[];
}

/** Which implementation backs each switch, as run.json records it. */
export function hookNames(
  hooks: (ContextHooks & { names?: Partial<RunRecord["hooks"]> }) | undefined,
): RunRecord["hooks"] {
  const names = hooks?.names ?? {};
  return {
    contextPreload: hooks?.preload ? (names.contextPreload ?? "custom") : "none",
    testSelection: hooks?.selectTests ? (names.testSelection ?? "custom") : "none",
  };
}

/** Reads (or starts) the run folder: checks the configuration matches and works out what is left. */
export async function prepareRun(runDir: RunDir, plan: RunPlan): Promise<Result<PreparedRun>> {
  const existing = await runDir.readRecord();
  if (!existing.ok) return existing;
  const record = newRecord(plan, existing.value);
  if (existing.value) {
    const differences = compareSettings(existing.value, record);
    if (differences.length > 0) {
      return fail(
        "config_mismatch",
        `${plan.outDir} holds a run with another configuration (${differences.join("; ")}); use another --out to compare the two`,
      );
    }
  }
  const { predictions, dropped } = await runDir.readPredictions();
  let removed = dropped > 0;
  if (plan.redoEmpty) {
    for (const [id, prediction] of predictions) {
      if (prediction.model_patch.trim() === "") {
        predictions.delete(id);
        removed = true;
      }
    }
  }
  // Leave exactly the lines that count, so the file the harness reads never holds an instance twice.
  if (removed) await runDir.rewritePredictions(predictions.values());
  const done = new Map<string, InstanceResult>();
  const todo: BatchInstance[] = [];
  for (const instance of plan.instances) {
    const prediction = predictions.get(instance.instance_id);
    if (!prediction) {
      todo.push(instance);
      continue;
    }
    const result = await runDir.readResult(instance.instance_id);
    done.set(instance.instance_id, result ?? resultFromPrediction(prediction));
  }
  await runDir.writeRecord(record);
  return ok({ record, done, todo });
}

function newRecord(plan: RunPlan, before: RunRecord | undefined): RunRecord {
  const now = new Date().toISOString();
  return {
    format: RUN_FORMAT,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
    toad: plan.toad,
    settings: plan.settings,
    useHints: plan.useHints,
    promptsHash: promptsHash({ ablations: plan.settings.ablations, useHints: plan.useHints }),
    modelNameOrPath: modelNameOrPath(plan.settings),
    dataset: {
      path: resolve(plan.dataset.path),
      sha256: plan.dataset.sha256,
      instances: plan.instances.length,
      selection: plan.dataset.selection,
    },
    repos: plan.reposDir === undefined ? "(the cluster workers' repository cache)" : resolve(plan.reposDir),
    workers: plan.workers,
    workspaces: (plan.recycleWorkspaces ?? true) ? "recycled" : "fresh",
    hooks: plan.hooks,
    ...(before?.sandbox !== undefined && { sandbox: before.sandbox }),
    ...(plan.cluster !== undefined && {
      // A rerun continues the same cluster run: finished results are replayed, not redone.
      cluster: { gateway: plan.cluster.gateway, runId: before?.cluster?.runId ?? randomUUID() },
    }),
  };
}

/** `toad-<model>`: the label the SWE-bench harness files reports under. */
export function modelNameOrPath(settings: RunSettings): string {
  return `toad-${settings.model === "auto" ? `auto-${settings.tier ?? "default"}` : settings.model}`;
}

/** What must be equal for a resumed run to stay one run. */
function compareSettings(before: RunRecord, now: RunRecord): string[] {
  const differences: string[] = [];
  const check = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      differences.push(`${label}: ${JSON.stringify(a)} before, ${JSON.stringify(b)} now`);
    }
  };
  check("model", before.settings.model, now.settings.model);
  check("tier", before.settings.tier, now.settings.tier);
  check("max turns", before.settings.maxTurns, now.settings.maxTurns);
  check("max cost", before.settings.maxCostUsd, now.settings.maxCostUsd);
  check("ablations", before.settings.ablations, now.settings.ablations);
  check("hints", before.useHints, now.useHints);
  check("prompts hash", before.promptsHash, now.promptsHash);
  return differences;
}

/** An instance with a prediction but no result.json (written by hand, or by another tool). */
function resultFromPrediction(prediction: Prediction): InstanceResult {
  return { ...blankResult(prediction.instance_id, 0), patch: prediction.model_patch };
}

/**
 * A run's end, local or on the cluster: run.json stamped, and the outcome of
 * every instance that has a result, in dataset order.
 */
export async function finishRun(
  runDir: RunDir,
  record: RunRecord,
  instances: readonly BatchInstance[],
  done: ReadonlyMap<string, InstanceResult>,
  ranCount: number,
): Promise<BatchOutcome> {
  record.updatedAt = new Date().toISOString();
  await runDir.writeRecord(record);
  const results = instances
    .map((instance) => done.get(instance.instance_id))
    .filter((result): result is InstanceResult => result !== undefined);
  return {
    summary: summarize(runDir.path, instances.length, results, ranCount),
    results,
    cancelled: results.length < instances.length,
  };
}
