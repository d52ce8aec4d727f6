import type { SyntaxChecker, ToolResultEvent } from "@toad/core";
import type { OutputChunk, SandboxDriver } from "@toad/sandbox";
import type { WorkspaceFs } from "./fs/port.js";
import type { TodoList } from "./todos.js";

/**
 * What a tool does to the world. The agent loop runs the `read` tools of one
 * turn concurrently and gates the rest by permission mode.
 */
export type ToolEffect = "read" | "edit" | "command" | "network";

export const TOOL_ERROR_KINDS = [
  "invalid_arguments",
  "unknown_tool",
  "outside_workspace",
  "protected_path",
  "not_found",
  "already_exists",
  "not_unique",
  "no_match",
  "no_change",
  "binary_file",
  "too_large",
  "syntax_error",
  "patch_failed",
  "conflict",
  "timeout",
  "aborted",
  "command_failed",
  "io_error",
  "internal",
] as const;
export type ToolErrorKind = (typeof TOOL_ERROR_KINDS)[number];

/** A failure the model can read and act on. */
export interface ToolError {
  kind: ToolErrorKind;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ToolError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: ToolErrorKind, message: string): Result<T> {
  return { ok: false, error: { kind, message } };
}

/** What a tool's `execute` produces on success. */
export interface ToolOutput {
  /** What the model sees. */
  output: string;
  /** Unified diff of the change, for edit tools (the UI shows it). */
  diff?: string;
  /** Workspace-relative paths the tool wrote or deleted. */
  changedPaths?: string[];
}

/** How a call is shown to the user before it runs (approval prompt). */
export interface ToolPreview {
  summary: string;
  /** Unified diff the call would apply, computed without touching a file. */
  diff?: string;
  /** The command line the call would run. */
  command?: string;
}

/**
 * Everything a tool may touch, owned by the caller (the agent loop).
 * `createToolContext` fills the optional parts.
 */
export interface ToolContext {
  /** Absolute, symlink-free path; every path argument must resolve inside it. */
  workspaceRoot: string;
  /** Where bash, git and run_tests run. */
  sandbox: SandboxDriver;
  /**
   * Where the file tools read and write. Default: this machine's disk (node:fs).
   * A workspace that lives elsewhere (a pod) passes one that works through `sandbox`.
   */
  fs?: WorkspaceFs;
  /** Refuses an edit that breaks a file which parsed before. */
  syntaxChecker: SyntaxChecker;
  /** Called with absolute paths right before an edit writes them (the session store checkpoints them). */
  beforeWrite: (paths: readonly string[]) => Promise<void>;
  /** The agent's task list. */
  todos: TodoList;
  /** Cancels running commands. */
  signal?: AbortSignal;
  /** Live output of running commands (the UI streams it). */
  onOutput?: (chunk: OutputChunk) => void;
}

/** The outcome of one tool call: a `tool_result` event's payload plus the diff for the UI. */
export interface ToolOutcome {
  callId: string;
  name: string;
  output: string;
  isError: boolean;
  errorKind?: ToolErrorKind;
  durationMs: number;
  diff?: string;
  changedPaths?: string[];
}

export function toToolResultEvent(outcome: ToolOutcome): ToolResultEvent {
  const event: ToolResultEvent = {
    type: "tool_result",
    callId: outcome.callId,
    name: outcome.name,
    output: outcome.output,
    isError: outcome.isError,
    durationMs: outcome.durationMs,
  };
  if (outcome.errorKind !== undefined) event.errorKind = outcome.errorKind;
  return event;
}

/** A tool call as the model produced it. */
export interface ToolCall {
  callId: string;
  name: string;
  /** Raw text; may be malformed JSON. */
  argumentsJson: string;
}
