import type { AgentExit } from "@toad/agent";
import { STOP_REASONS } from "@toad/core";
import type * as pb from "@toad/proto";
import type { BatchOutcome } from "../batch.js";
import { acquireRunLock } from "../lock.js";
import { type ProgressSnapshot, ProgressTracker } from "../progress.js";
import { ok, type Result } from "../result.js";
import { RunDir } from "../run-dir.js";
import { finishRun, prepareRun, type RunPlan } from "../run-prepare.js";
import type { BatchInstance, InstanceResult, RunSettings } from "../types.js";

export interface RemoteBatchOptions
  extends Omit<RunPlan, "cluster" | "hooks" | "reposDir" | "recycleWorkspaces"> {
  /** The gateway's address, recorded in run.json. */
  gateway: string;
  client: Pick<pb.BatchServiceClient, "submitRun">;
  signal: AbortSignal;
  onProgress?(snapshot: ProgressSnapshot): void;
}

/**
 * `toad batch run --gateway`: submits the instances not yet done to the
 * cluster and records each result as it streams back, into the same run
 * folder a local run writes (predictions.jsonl, run.json, per-instance
 * result.json), so progress, summary, resume, compare and eval work the same.
 * The run id is kept in run.json: a rerun continues the same cluster run, and
 * results finished while no client listened are replayed, not redone.
 */
export async function runRemoteBatch(options: RemoteBatchOptions): Promise<Result<BatchOutcome>> {
  const runDir = new RunDir(options.outDir);
  const lock = await acquireRunLock(options.outDir);
  if (!lock.ok) return lock;
  try {
    const onOff = (on: boolean) => (on ? "cluster-worker" : "none");
    const prepared = await prepareRun(runDir, {
      ...options,
      hooks: {
        contextPreload: onOff(options.settings.ablations.contextPreload),
        testSelection: onOff(options.settings.ablations.testSelection),
      },
      cluster: { gateway: options.gateway },
    });
    if (!prepared.ok) return prepared;
    const { record, done, todo } = prepared.value;
    const runId = record.cluster?.runId ?? "";
    const tracker = new ProgressTracker(options.instances.length, [...done.values()]);
    options.onProgress?.(tracker.snapshot());
    const ran: InstanceResult[] = [];
    const admitted = new Set<string>();
    if (todo.length > 0 && !options.signal.aborted) {
      const request: pb.SubmitRunRequest = {
        runId,
        settings: settingsToProto(options.settings, options.useHints, record.modelNameOrPath),
        instances: todo.map(instanceToProto),
      };
      try {
        for await (const { update } of options.client.submitRun(request, { signal: options.signal })) {
          if (update?.$case === "admitted") {
            admitted.add(update.value.instanceId);
            options.onProgress?.(tracker.started());
            continue;
          }
          if (update?.$case !== "result") continue;
          const result = resultFromProto(update.value);
          // One prediction per instance, whatever the stream repeats.
          if (done.has(result.instance_id)) continue;
          await runDir.record(result, {
            instance_id: result.instance_id,
            model_name_or_path: update.value.modelNameOrPath || record.modelNameOrPath,
            model_patch: result.patch,
          });
          done.set(result.instance_id, result);
          ran.push(result);
          if (!admitted.has(result.instance_id)) tracker.started();
          options.onProgress?.(tracker.finished(result));
        }
      } catch (error) {
        if (!options.signal.aborted) throw error;
      }
    }
    return ok(await finishRun(runDir, record, options.instances, done, ran.length));
  } finally {
    await lock.value.release();
  }
}

function settingsToProto(
  settings: RunSettings,
  useHints: boolean,
  modelNameOrPath: string,
): pb.BatchSettings {
  return {
    model: settings.model,
    tier: settings.tier ?? "",
    maxTurns: settings.maxTurns ?? 0,
    maxCostUsd: settings.maxCostUsd ?? 0,
    contextPreload: settings.ablations.contextPreload,
    testSelection: settings.ablations.testSelection,
    useHints,
    modelNameOrPath,
  };
}

function instanceToProto(instance: BatchInstance): pb.BatchInstance {
  return {
    instanceId: instance.instance_id,
    repo: instance.repo,
    baseCommit: instance.base_commit,
    problemStatement: instance.problem_statement,
    hintsText: instance.hints_text ?? "",
  };
}

const EXITS: readonly string[] = [...STOP_REASONS, "max_turns", "budget"] satisfies readonly AgentExit[];

function resultFromProto(result: pb.BatchInstanceResult): InstanceResult {
  const exit = EXITS.includes(result.exit) ? (result.exit as AgentExit) : undefined;
  const tokens = result.tokens ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  return {
    instance_id: result.instanceId,
    status: result.status === "completed" ? "completed" : "error",
    ...(exit !== undefined && { exit }),
    patch: result.patch,
    costUsd: result.costUsd,
    tokens: {
      input: tokens.input,
      output: tokens.output,
      cacheRead: tokens.cacheRead,
      cacheWrite: tokens.cacheWrite,
    },
    turns: result.turns,
    wallMs: result.wallMs,
    timings: {
      workspaceMs: result.workspaceMs,
      agentMs: result.agentMs,
      diffMs: result.diffMs,
      bookkeepingMs: result.bookkeepingMs,
    },
    ...(result.error !== "" && { error: result.error }),
    startedAt: result.startedAtMs,
    endedAt: result.endedAtMs,
  };
}
