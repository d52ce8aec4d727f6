export { combineTools } from "@toad/agent";
export { failureOutcome, mcpAgentTools, mcpToolEffect, parseArguments } from "./agent-tools.js";
export {
  type ConfigProblem,
  expandVariables,
  type HttpServerConfig,
  type McpScope,
  type McpServerConfig,
  mergeScopes,
  parseMcpConfig,
  type ScopedServerConfig,
  type StdioServerConfig,
  serverNameProblem,
  serverToJson,
} from "./config.js";
export {
  addServer,
  type EditResult,
  type Env,
  formatConfigProblems,
  loadMcpConfig,
  type McpConfigLocation,
  type McpConfigResult,
  mcpFileFor,
  projectMcpFile,
  readScope,
  removeServer,
  userMcpFile,
} from "./config-files.js";
export {
  type ConnectionState,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_STARTUP_TIMEOUT_MS,
  McpConnection,
} from "./connection.js";
export { callResultText, contentBlockText, promptText, resourceText } from "./content.js";
export type { McpFailure, McpFailureKind, McpResult } from "./errors.js";
export {
  McpHub,
  type McpHubOptions,
  type McpLogger,
  type ServerPrompts,
  type ServerResources,
} from "./hub.js";
export {
  type ExpandedPrompt,
  expandMentions,
  type PromptCommand,
  promptCommands,
  resolvePromptCommand,
} from "./mentions.js";
export { MCP_TOOL_PREFIX, qualifiedToolName, serverOfToolName } from "./names.js";
export { LIST_RESOURCES_TOOL, READ_RESOURCE_TOOL } from "./resource-tools.js";
