export { type SandboxDriverChoice, sandboxDriverFromEnv, startSandboxServer } from "./server.js";
