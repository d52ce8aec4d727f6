export {
  agentToolsFrom,
  type LocalToolsOptions,
  localTools,
  treeSitterSyntaxChecker,
} from "./embedded-tools.js";
export type { RunExtensions, RunSetup, SessionExtensions } from "./extensions.js";
export {
  AUTO_MODEL,
  type CreatedSession,
  type NewSessionOptions,
  type SendOptions,
  SessionNotFoundError,
  SessionRunner,
  type SessionRunnerDeps,
} from "./session-runner.js";
