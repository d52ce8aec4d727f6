import { createHash } from "node:crypto";
import { readdir, rm, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { AgentEvent, ModelClient, SyntaxChecker } from "@toad/core";
import type { SandboxDescription, SandboxLogger } from "@toad/sandbox";
import type { Selection } from "./dataset.js";
import {
  type ContextHooks,
  type InstanceRunnerDeps,
  instanceDirName,
  runInstance,
} from "./instance-runner.js";
import { Janitor } from "./janitor.js";
import { acquireRunLock } from "./lock.js";
import { type ProgressSnapshot, ProgressTracker } from "./progress.js";
import { RepoCache } from "./repos.js";
import { ok, type Result } from "./result.js";
import { RunDir, type RunRecord } from "./run-dir.js";
import { finishRun, hookNames, prepareRun } from "./run-prepare.js";
import type { BatchSummary } from "./summary.js";
import type { BatchInstance, InstanceResult, Prediction, RunSettings } from "./types.js";

export interface BatchOptions {
  /** The selected instances, in the order to run them. */
  instances: readonly BatchInstance[];
  dataset: { path: string; sha256: string; selection: Selection };
  outDir: string;
  reposDir: string;
  cloneFrom?: string;
  /** Where workspaces are made; default a folder under the system temp dir, private to `outDir`. */
  workRoot?: string;
  workers: number;
  settings: RunSettings;
  useHints: boolean;
  /** Run again the instances whose recorded patch is empty. */
  redoEmpty: boolean;
  toad: RunRecord["toad"];
  modelFor(instance: BatchInstance): ModelClient;
  logger: SandboxLogger;
  syntaxChecker?: SyntaxChecker;
  sandbox?: "auto" | "bubblewrap" | "process";
  hooks?: ContextHooks & { names?: Partial<RunRecord["hooks"]> };
  keepWorkspaces?: boolean;
  /** Reset each worker's checkout between instances instead of making a new one (default true). */
  recycleWorkspaces?: boolean;
  signal: AbortSignal;
  onProgress?(snapshot: ProgressSnapshot): void;
  onEvent?(instanceId: string, event: AgentEvent): void;
}

export interface BatchOutcome {
  summary: BatchSummary;
  /** Every selected instance that has a prediction, this invocation's and earlier ones'. */
  results: InstanceResult[];
  /** The signal stopped the batch before every instance finished. */
  cancelled: boolean;
}

/** The default workspace folder of a run: stable, so a rerun clears what a killed run left. */
export function defaultWorkRoot(outDir: string): string {
  const key = createHash("sha256").update(resolve(outDir)).digest("hex").slice(0, 12);
  return join(tmpdir(), "toad-batch", key);
}

/**
 * Runs the selected instances with a pool of `workers`, appending each
 * prediction as its instance ends. Rerun over the same folder, it skips what
 * is done (and, with `redoEmpty`, reruns empty patches). One instance's
 * failure is that instance's "error" result; the batch goes on.
 */
export async function runBatch(options: BatchOptions): Promise<Result<BatchOutcome>> {
  const runDir = new RunDir(options.outDir);
  const lock = await acquireRunLock(options.outDir);
  if (!lock.ok) return lock;
  try {
    const prepared = await prepareRun(runDir, { ...options, hooks: hookNames(options.hooks) });
    if (!prepared.ok) return prepared;
    const { record, done, todo } = prepared.value;
    const workRoot = options.workRoot ?? defaultWorkRoot(options.outDir);
    await clearWorkspaces(workRoot, options.instances);
    const janitor = new Janitor();
    const tracker = new ProgressTracker(options.instances.length, [...done.values()]);
    options.onProgress?.(tracker.snapshot());
    let sandboxSeen: SandboxDescription | undefined;
    const deps: InstanceRunnerDeps = {
      repos: new RepoCache({
        dir: options.reposDir,
        ...(options.cloneFrom !== undefined && { cloneFrom: options.cloneFrom }),
      }),
      modelFor: options.modelFor,
      janitor,
      recycleWorkspaces: options.recycleWorkspaces ?? true,
      logger: options.logger,
      ...(options.syntaxChecker !== undefined && { syntaxChecker: options.syntaxChecker }),
      ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
      ...(options.hooks !== undefined && { hooks: options.hooks }),
      ...(options.keepWorkspaces !== undefined && { keepWorkspaces: options.keepWorkspaces }),
      onSandbox: (description) => {
        sandboxSeen ??= description;
      },
      ...(options.onEvent !== undefined && { onEvent: options.onEvent }),
    };
    const queue = [...todo];
    const ranResults: InstanceResult[] = [];
    const slots: string[] = [];
    const worker = async (_: unknown, index: number) => {
      // With recycling each worker keeps one place and resets it; otherwise each instance has its own.
      const slot = join(workRoot, `worker-${index + 1}`);
      slots.push(slot);
      for (let instance = queue.shift(); instance; instance = queue.shift()) {
        if (options.signal.aborted) return;
        options.onProgress?.(tracker.started());
        const job = { instance, settings: options.settings, useHints: options.useHints };
        const places = {
          outDir: runDir.instanceDir(instance.instance_id),
          workspace: deps.recycleWorkspaces ? slot : join(workRoot, instanceDirName(instance.instance_id)),
        };
        const run = await runInstance(job, places, deps, options.signal);
        if (run.cancelled) {
          options.onProgress?.(tracker.abandoned());
          continue;
        }
        const prediction: Prediction = {
          instance_id: instance.instance_id,
          model_name_or_path: record.modelNameOrPath,
          model_patch: run.result.patch,
        };
        await runDir.record(run.result, prediction);
        if (sandboxSeen && !record.sandbox) {
          record.sandbox = {
            driver: sandboxSeen.driver,
            networkIsolated: sandboxSeen.networkIsolated,
            filesystemIsolated: sandboxSeen.filesystemIsolated,
          };
          await runDir.writeRecord(record);
        }
        done.set(instance.instance_id, run.result);
        ranResults.push(run.result);
        options.onProgress?.(tracker.finished(run.result));
      }
    };
    const workers = Math.max(1, Math.min(options.workers, todo.length));
    await Promise.all(Array.from({ length: workers }, worker));
    if (deps.recycleWorkspaces && !options.keepWorkspaces) for (const slot of slots) janitor.remove(slot);
    await janitor.drain();
    // The default folder is ours; leave nothing behind once it is empty.
    if (options.workRoot === undefined) await rmdir(workRoot).catch(() => undefined);
    return ok(await finishRun(runDir, record, options.instances, done, ranResults.length));
  } finally {
    await lock.value.release();
  }
}

/**
 * Removes what a killed run left in the workspace folder: only the places
 * this module makes there (never the folder itself, which may be the user's).
 */
async function clearWorkspaces(workRoot: string, instances: readonly BatchInstance[]): Promise<void> {
  const ours = new Set(instances.map((instance) => instanceDirName(instance.instance_id)));
  const entries = await readdir(workRoot).catch(() => [] as string[]);
  for (const entry of entries) {
    if (/^worker-\d+$/.test(entry) || ours.has(entry))
      await rm(join(workRoot, entry), { recursive: true, force: true });
  }
}
