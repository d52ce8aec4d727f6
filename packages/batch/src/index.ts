// @toad/batch: the agent headless over a SWE-bench-style dataset — one fresh
// workspace per instance, predictions appended as instances end, resumable,
// comparable runs, and the evaluation this machine can do.

export {
  type BatchOptions,
  type BatchOutcome,
  defaultWorkRoot,
  runBatch,
} from "./batch.js";
export {
  type BatchWorkerOptions,
  type RemoteBatchOptions,
  runRemoteBatch,
  startBatchWorker,
} from "./cluster/index.js";
export {
  type CompareRow,
  compareRuns,
  formatComparison,
  type RunComparison,
  type RunSide,
} from "./compare.js";
export { type ContextPreloaderOptions, createContextPreloader } from "./context-preload.js";
export { loadDataset, parseDataset, type Selection, selectInstances } from "./dataset.js";
export { checkPrediction, type FileParse, type InstanceCheck } from "./eval/apply-check.js";
export {
  EVAL_FILE,
  type EvalOptions,
  type EvalReport,
  evaluateRun,
  type HarnessOutcome,
} from "./eval/evaluate.js";
export { formatEvalReport } from "./eval/format.js";
export {
  type HarnessProbe,
  type HarnessReport,
  type HarnessRun,
  probeHarness,
  readHarnessReport,
  runHarness,
} from "./eval/harness.js";
export {
  type LocalTests,
  parseTestEnvironments,
  runLocalTests,
  type TestEnvironment,
  type TestEnvironments,
  type TestVerdict,
} from "./eval/local-tests.js";
export { createPythonSyntaxChecker } from "./eval/python-syntax.js";
export { createEvalSyntaxChecker } from "./eval/syntax.js";
export {
  type ContextHooks,
  INSTANCE_FILES,
  type InstanceJob,
  type InstancePlaces,
  type InstanceRun,
  type InstanceRunnerDeps,
  instanceDirName,
  type PreloadedContext,
  runInstance,
} from "./instance-runner.js";
export { Janitor } from "./janitor.js";
export { formatProgressLine, type ProgressSnapshot, ProgressTracker } from "./progress.js";
export { instancePrompt, type PromptOptions, type PromptParts, promptsHash } from "./prompt.js";
export { type Mirror, mirrorCandidates, RepoCache, type RepoCacheOptions } from "./repos.js";
export type { BatchError, BatchErrorCode, Result } from "./result.js";
export { RUN_FILES, RUN_FORMAT, RunDir, type RunRecord } from "./run-dir.js";
export { modelNameOrPath, type PreparedRun, prepareRun, type RunPlan } from "./run-prepare.js";
export {
  type BatchSummary,
  formatDuration,
  formatSummaryTable,
  formatUsd,
  percentile,
  summarize,
} from "./summary.js";
export { type InstanceTools, type InstanceToolsOptions, instanceTools, withoutNetwork } from "./tools.js";
export type * from "./types.js";
export { EMPTY_TOKENS } from "./types.js";
export {
  createWorkspace,
  extractPatch,
  prepareWorkspace,
  removeWorkspace,
  SCRATCH_PATTERNS,
  type Workspace,
} from "./workspace.js";
