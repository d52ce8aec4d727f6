// @toad/extensions: what users of the best coding agents take for granted —
// hooks, skills, custom commands, subagents, diagnostics after edits, web
// fetch, image input and git worktrees — behind the session's extension port.

export { type CustomCommand, loadCommands } from "./commands/discover.js";
export {
  expandSlashCommand,
  expandTemplate,
  type SlashExpansion,
  splitArguments,
} from "./commands/expand.js";
export { createExtensions, type Extensions, type ExtensionsOptions } from "./extensions.js";
export { type CommandHooksOptions, commandHooks } from "./hooks/command-hooks.js";
export {
  DEFAULT_HOOK_TIMEOUT_MS,
  HOOK_EVENTS,
  type HookBinding,
  type HookEvent,
  type HooksLoad,
  loadHooks,
  parseHooksFile,
} from "./hooks/config.js";
export { type HookVerdict, readHookResult } from "./hooks/reply.js";
export {
  type ImageLoad,
  imagePathsIn,
  imagesForPrompt,
  loadImage,
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_PROMPT,
  sniffImageType,
  userImage,
} from "./images/images.js";
export type { LspClientOptions, LspDiagnostic } from "./lsp/client.js";
export {
  type DiagnosticsOptions,
  DiagnosticsService,
  diagnosticsHook,
  type FileDiagnostics,
  formatDiagnostics,
  touchedPaths,
} from "./lsp/diagnostics.js";
export { findServerExecutable, KNOWN_SERVERS, type LanguageServerSpec, serverFor } from "./lsp/servers.js";
export {
  type ConfigPlaces,
  type ConfigProblem,
  formatProblems,
  projectConfigDir,
  userConfigDir,
} from "./shared/paths.js";
export { type CommandResult, type CommandRun, runCommand } from "./shared/run-command.js";
export {
  type ExtensionTool,
  type Restriction,
  restrictTools,
  toolsetOf,
} from "./shared/toolset.js";
export { loadSkills, type Skill } from "./skills/discover.js";
export { skillTool } from "./skills/skill-tool.js";
export {
  type AgentDefinition,
  BUILTIN_AGENTS,
  loadAgents,
  type ModelChoice,
  parseAgent,
} from "./subagents/definitions.js";
export { type TaskToolOptions, taskTool } from "./subagents/task-tool.js";
export {
  type HostResolver,
  isPublicAddress,
  type ResolvedAddress,
  systemResolver,
} from "./web/address-guard.js";
export { loadWebConfig, type WebConfig } from "./web/config.js";
export { type WebFetchOptions, webFetchTool } from "./web/fetch-tool.js";
export { htmlToMarkdown } from "./web/html.js";
export { openWorktree, WORKTREES_DIR, type Worktree, type WorktreeResult } from "./worktree/worktree.js";
