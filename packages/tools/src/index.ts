export { BUILTIN_TOOL_NAMES, createBuiltinTools } from "./builtin.js";
export { createToolContext, type ToolContextInit } from "./context.js";
export { detectTestCommand, type TestCommand } from "./detect-tests.js";
export { unifiedDiff } from "./diff.js";
export { createExecWorkspaceFs, type ExecWorkspaceFsOptions } from "./fs/exec-fs.js";
export { createLocalWorkspaceFs, LOCAL_FS } from "./fs/local-fs.js";
export type {
  DirEntry,
  DirReader,
  FileRead,
  FileStat,
  FileWrite,
  LinesRead,
  LinesRequest,
  WorkspaceFs,
} from "./fs/port.js";
export { findCandidates, type MatchCandidate, type MatchStrategy } from "./match.js";
export { type BuiltinToolsOptions, DEFAULT_TOOL_LIMITS, type ToolLimits } from "./options.js";
export { parseUnifiedDiff } from "./patch-parse.js";
export {
  executeToolCall,
  type PipelineOptions,
  type PreparedCall,
  type PrepareResult,
  prepareToolCall,
} from "./pipeline.js";
export { createRegistry, type ToolRegistry, toolSpecs } from "./registry.js";
export { createTodoList, TODO_STATUSES, type TodoItem, type TodoList, type TodoStatus } from "./todos.js";
export { type BoundCall, defineTool, type Tool, type ToolDefinition } from "./tool.js";
export { renderTodos } from "./tools/todo-write.js";
export * from "./types.js";
export { resolveInWorkspace, type WorkspacePath } from "./workspace.js";
