import { realpath } from "node:fs/promises";
import { NO_SYNTAX_CHECK, type SyntaxChecker } from "@toad/core";
import type { OutputChunk, SandboxDriver } from "@toad/sandbox";
import { createTodoList, type TodoList } from "./todos.js";
import type { ToolContext } from "./types.js";

export interface ToolContextInit {
  workspaceRoot: string;
  sandbox: SandboxDriver;
  /** Default: no syntax check. */
  syntaxChecker?: SyntaxChecker;
  /** Default: nothing to checkpoint. */
  beforeWrite?: (paths: readonly string[]) => Promise<void>;
  /** Default: a fresh in-memory list. */
  todos?: TodoList;
  signal?: AbortSignal;
  onOutput?: (chunk: OutputChunk) => void;
}

/** A tool context with the workspace root resolved to its real path and defaults filled in. */
export async function createToolContext(init: ToolContextInit): Promise<ToolContext> {
  return {
    workspaceRoot: await realpath(init.workspaceRoot),
    sandbox: init.sandbox,
    syntaxChecker: init.syntaxChecker ?? NO_SYNTAX_CHECK,
    beforeWrite: init.beforeWrite ?? (async () => {}),
    todos: init.todos ?? createTodoList(),
    signal: init.signal,
    onOutput: init.onOutput,
  };
}
