export {
  type NewSessionOptions,
  type SendOptions,
  SessionNotFoundError,
  SessionRunner,
  type SessionRunnerDeps,
} from "./session-runner.js";
