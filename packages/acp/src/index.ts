export { type AcpAgentDeps, createAcpAgent, serveAcp } from "./agent.js";
export { acpApprover, PERMISSION_OPTIONS } from "./approver.js";
export { ClientTerminalDriver, type ClientTerminalOptions } from "./client-terminal.js";
export { applyHunks, diffsFromUnified } from "./diff.js";
export { mcpConfigsFromClient } from "./mcp-servers.js";
export { promptFromBlocks } from "./prompt.js";
export { lastTodos } from "./todos-from-log.js";
export { toolDisplay, toolKind } from "./tool-display.js";
export { planUpdate, replayUpdates, updatesForEvent } from "./updates.js";
