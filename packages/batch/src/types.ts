import type { AgentExit } from "@toad/agent";
import type { ModelTier } from "@toad/core";

/** One row of a SWE-bench-style dataset (the fields TOAD reads; others are kept in `extra`). */
export interface BatchInstance {
  instance_id: string;
  /** `owner/name` on GitHub. */
  repo: string;
  base_commit: string;
  problem_statement: string;
  hints_text?: string;
  /** The gold patch, when the dataset carries it (used by evaluation, never shown to the agent). */
  patch?: string;
  test_patch?: string;
  FAIL_TO_PASS?: string[];
  PASS_TO_PASS?: string[];
}

/** The switches of the seed's ablations, recorded in run.json. */
export interface Ablations {
  /** Pre-load context for the task (repository map, hybrid retrieval). */
  contextPreload: boolean;
  /** Tell the agent to select and run the tests covering its change (and offer `run_tests`). */
  testSelection: boolean;
}

/** Everything that decides what a run's predictions are: two runs with equal settings are comparable. */
export interface RunSettings {
  /** A registry model id, or "auto" (routed by tier). */
  model: string;
  tier?: ModelTier;
  /** Per instance; absent means the agent loop's default. */
  maxTurns?: number;
  /** Per instance, in USD. */
  maxCostUsd?: number;
  ablations: Ablations;
}

/** How an instance ended, from the batch's point of view. */
export type InstanceStatus =
  /** The agent ran to an end (any exit, caps included) and a diff was taken. */
  | "completed"
  /** Something failed (workspace, mirror, store, agent crash); the diff is whatever could be taken. */
  | "error";

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Where an instance's time went, in milliseconds. */
export interface InstanceTimings {
  /** Fresh workspace at base_commit. */
  workspaceMs: number;
  agentMs: number;
  /** `git add -A` + `git diff --cached`. */
  diffMs: number;
  /** Store, trajectory export, result files. */
  bookkeepingMs: number;
}

/** What one instance produced: its prediction plus the numbers a run is compared by. */
export interface InstanceResult {
  instance_id: string;
  status: InstanceStatus;
  /** The agent's exit; absent when it never ran. */
  exit?: AgentExit;
  /** The workspace's `git diff` against base_commit (may be empty). */
  patch: string;
  costUsd: number;
  tokens: TokenCounts;
  turns: number;
  wallMs: number;
  timings: InstanceTimings;
  /** Set when status is "error": what failed, readable. */
  error?: string;
  /** The session id of the instance's event log. */
  sessionId?: string;
  startedAt: number;
  endedAt: number;
}

/** One line of predictions.jsonl, the format the SWE-bench harness reads. */
export interface Prediction {
  instance_id: string;
  model_name_or_path: string;
  model_patch: string;
}

export const EMPTY_TOKENS: TokenCounts = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
