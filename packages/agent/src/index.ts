export { type AgentExit, type AgentRunOptions, type AgentRunResult, runAgent } from "./agent-loop.js";
export { combineTools } from "./combine-tools.js";
export {
  type AgentHooks,
  combineHooks,
  formatHookContext,
  type HookFailure,
  type HookReply,
  type PromptGate,
  type StopGate,
  type StopInput,
  type ToolFeedback,
  type ToolGate,
} from "./hooks.js";
export {
  findRepositoryRoot,
  INSTRUCTION_FILES,
  type InstructionFile,
  loadInstructions,
} from "./instructions.js";
export {
  PermissionPolicy,
  PermissionRuleError,
  type PermissionRules,
  type PermissionVerdict,
} from "./permissions.js";
export type * from "./ports.js";
export { runToolCalls, type ToolRunContext } from "./run-tools.js";
export { buildSystemPrompt, type SystemPromptInput } from "./system-prompt.js";
