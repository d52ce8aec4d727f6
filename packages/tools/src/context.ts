import { realpath } from "node:fs/promises";
import { NO_SYNTAX_CHECK, type SyntaxChecker } from "@toad/core";
import type { OutputChunk, SandboxDriver } from "@toad/sandbox";
import type { WorkspaceFs } from "./fs/port.js";
import { createTodoList, type TodoList } from "./todos.js";
import type { ToolContext } from "./types.js";

export interface ToolContextInit {
  workspaceRoot: string;
  sandbox: SandboxDriver;
  /** Default: this machine's disk. */
  fs?: WorkspaceFs;
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
  // Resolved on the workspace's own file system (strictly: the root must exist).
  const workspaceRoot = init.fs
    ? ((await init.fs.realpaths([init.workspaceRoot]))[0] ?? init.workspaceRoot)
    : await realpath(init.workspaceRoot);
  return {
    workspaceRoot,
    sandbox: init.sandbox,
    ...(init.fs && { fs: init.fs }),
    syntaxChecker: init.syntaxChecker ?? NO_SYNTAX_CHECK,
    beforeWrite: init.beforeWrite ?? (async () => {}),
    todos: init.todos ?? createTodoList(),
    signal: init.signal,
    onOutput: init.onOutput,
  };
}
