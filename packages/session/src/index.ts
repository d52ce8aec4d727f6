export { agentToolsFrom, type LocalToolsOptions, localTools } from "./embedded-tools.js";
export {
  AUTO_MODEL,
  type NewSessionOptions,
  type SendOptions,
  SessionNotFoundError,
  SessionRunner,
  type SessionRunnerDeps,
} from "./session-runner.js";
