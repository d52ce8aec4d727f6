import { type BuiltinToolsOptions, DEFAULT_TOOL_LIMITS } from "./options.js";
import { createRegistry, type ToolRegistry } from "./registry.js";
import { searchEngineResolver } from "./ripgrep.js";
import type { Tool } from "./tool.js";
import { createApplyPatchTool } from "./tools/apply-patch.js";
import { createBashTool } from "./tools/bash.js";
import { createBatchEditTool } from "./tools/batch-edit.js";
import { createEditFileTool } from "./tools/edit-file.js";
import { createGitTool } from "./tools/git.js";
import { createGlobTool } from "./tools/glob.js";
import { createGrepTool } from "./tools/grep.js";
import { createListDirTool } from "./tools/list-dir.js";
import { createReadFileTool } from "./tools/read-file.js";
import { createRunTestsTool } from "./tools/run-tests.js";
import { createTodoWriteTool } from "./tools/todo-write.js";
import { createWriteFileTool } from "./tools/write-file.js";

export const BUILTIN_TOOL_NAMES = [
  "read_file",
  "write_file",
  "edit_file",
  "apply_patch",
  "batch_edit",
  "list_dir",
  "glob",
  "grep",
  "bash",
  "git",
  "run_tests",
  "todo_write",
] as const;

/** The built-in tools, configured once per agent (limits, search engine). */
export function createBuiltinTools(options: BuiltinToolsOptions = {}): ToolRegistry {
  const limits = { ...DEFAULT_TOOL_LIMITS, ...options.limits };
  const engine = searchEngineResolver(options);
  const all: Tool[] = [
    createReadFileTool(limits),
    createWriteFileTool(limits),
    createEditFileTool(limits),
    createApplyPatchTool(limits),
    createBatchEditTool(limits),
    createListDirTool(limits),
    createGlobTool(limits, engine),
    createGrepTool(limits, engine),
    createBashTool(limits),
    createGitTool(limits),
    createRunTestsTool(limits),
    createTodoWriteTool(),
  ];
  const only = options.only;
  return createRegistry(only ? all.filter((tool) => only.includes(tool.name)) : all);
}
