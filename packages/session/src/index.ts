export { agentToolsFrom, type LocalToolsOptions, localTools } from "./embedded-tools.js";
export {
  type NewSessionOptions,
  type SendOptions,
  SessionNotFoundError,
  SessionRunner,
  type SessionRunnerDeps,
} from "./session-runner.js";
