import type { ModelTier } from "@toad/core";

/** One dataset row as a batch worker needs it (the fields the agent is shown). */
export interface BatchJobInstance {
  instance_id: string;
  /** `owner/name`, found in the worker's repository cache. */
  repo: string;
  base_commit: string;
  problem_statement: string;
  hints_text?: string;
}

/** What decides an instance's prediction (the client's run.json records the same). */
export interface BatchJobSettings {
  model: string;
  tier?: ModelTier;
  maxTurns?: number;
  maxCostUsd?: number;
  ablations: { contextPreload: boolean; testSelection: boolean };
}

/** The payload of one batch job on the work queue: everything a worker needs for one instance. */
export interface BatchJob {
  runId: string;
  orgId: string;
  instance: BatchJobInstance;
  settings: BatchJobSettings;
  useHints: boolean;
  /** The `model_name_or_path` of the prediction. */
  modelNameOrPath: string;
}

/** How one instance ended: its patch and its trajectory's summary (the numbers a run is compared by). */
export interface BatchInstanceOutcome {
  status: "completed" | "error";
  exit?: string;
  patch: string;
  costUsd: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  turns: number;
  wallMs: number;
  timings: { workspaceMs: number; agentMs: number; diffMs: number; bookkeepingMs: number };
  error?: string;
  startedAt: number;
  endedAt: number;
}

/** One message on the results stream: the single result of one instance of one run. */
export interface BatchResultRecord {
  runId: string;
  orgId: string;
  instanceId: string;
  modelNameOrPath: string;
  outcome: BatchInstanceOutcome;
  /** Which worker produced it, on which delivery of the job. */
  worker: string;
  attempt: number;
}

/** The job kind on TOAD_JOBS: subject `toad.jobs.batch`, durable consumer `toad-jobs-batch`. */
export const BATCH_JOB_KIND = "batch";
/** Deliveries of one instance job; workers give up (an error result) on the last one. */
export const BATCH_MAX_ATTEMPTS = 5;

/** A job's id on the queue (JetStream's dedup key): the same instance of the same run is queued once. */
export function batchJobId(runId: string, instanceId: string): string {
  return `${runId}/${instanceId}`;
}
