import { MODEL_TIERS } from "@toad/core";
import type * as pb from "@toad/proto";
import { invalidArgument } from "../errors.js";
import type { BatchJob, BatchResultRecord } from "./types.js";

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function checkRunId(runId: string): string {
  if (!RUN_ID.test(runId))
    throw invalidArgument(`run_id must be 1-128 of [A-Za-z0-9_-], got ${JSON.stringify(runId)}`);
  return runId;
}

/** The jobs of a submitted run, checked: bad input is refused as a whole, before anything is queued. */
export function jobsFromRequest(request: pb.SubmitRunRequest, orgId: string): BatchJob[] {
  const runId = checkRunId(request.runId);
  const settings = request.settings;
  if (!settings) throw invalidArgument("settings are required");
  if (settings.model.trim() === "") throw invalidArgument("settings.model is required");
  const tier =
    settings.tier === "" ? undefined : MODEL_TIERS.find((candidate) => candidate === settings.tier);
  if (settings.tier !== "" && tier === undefined) {
    throw invalidArgument(`settings.tier must be one of ${MODEL_TIERS.join(", ")}, got "${settings.tier}"`);
  }
  if (settings.maxTurns < 0 || settings.maxCostUsd < 0) {
    throw invalidArgument("max_turns and max_cost_usd cannot be negative");
  }
  if (request.instances.length === 0) throw invalidArgument("a run needs at least one instance");
  const seen = new Set<string>();
  return request.instances.map((instance, index) => {
    for (const field of ["instanceId", "repo", "baseCommit", "problemStatement"] as const) {
      if (instance[field].trim() === "") throw invalidArgument(`instances[${index}].${field} is empty`);
    }
    if (seen.has(instance.instanceId)) {
      throw invalidArgument(`instance ${JSON.stringify(instance.instanceId)} is listed twice`);
    }
    seen.add(instance.instanceId);
    return {
      runId,
      orgId,
      instance: {
        instance_id: instance.instanceId,
        repo: instance.repo,
        base_commit: instance.baseCommit,
        problem_statement: instance.problemStatement,
        ...(instance.hintsText !== "" && { hints_text: instance.hintsText }),
      },
      settings: {
        model: settings.model,
        ...(tier !== undefined && { tier }),
        ...(settings.maxTurns > 0 && { maxTurns: settings.maxTurns }),
        ...(settings.maxCostUsd > 0 && { maxCostUsd: settings.maxCostUsd }),
        ablations: { contextPreload: settings.contextPreload, testSelection: settings.testSelection },
      },
      useHints: settings.useHints,
      modelNameOrPath: settings.modelNameOrPath,
    };
  });
}

export function resultToProto(record: BatchResultRecord): pb.BatchInstanceResult {
  const { outcome } = record;
  return {
    instanceId: record.instanceId,
    status: outcome.status,
    exit: outcome.exit ?? "",
    patch: outcome.patch,
    modelNameOrPath: record.modelNameOrPath,
    costUsd: outcome.costUsd,
    tokens: { ...outcome.tokens },
    turns: outcome.turns,
    wallMs: outcome.wallMs,
    error: outcome.error ?? "",
    startedAtMs: outcome.startedAt,
    endedAtMs: outcome.endedAt,
    workspaceMs: outcome.timings.workspaceMs,
    agentMs: outcome.timings.agentMs,
    diffMs: outcome.timings.diffMs,
    bookkeepingMs: outcome.timings.bookkeepingMs,
    worker: record.worker,
    attempt: record.attempt,
  };
}
