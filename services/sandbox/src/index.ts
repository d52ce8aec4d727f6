export { startSandboxServer } from "./server.js";
