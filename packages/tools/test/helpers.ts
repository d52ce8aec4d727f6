import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SyntaxCheck, SyntaxChecker } from "@toad/core";
import { ProcessDriver, type SandboxDriver } from "@toad/sandbox";
import {
  type BuiltinToolsOptions,
  createBuiltinTools,
  createExecWorkspaceFs,
  createToolContext,
  executeToolCall,
  type ToolContext,
  type ToolOutcome,
  type ToolRegistry,
} from "../src/index.js";

export interface Workspace {
  root: string;
  ctx: ToolContext;
  registry: ToolRegistry;
  /** Absolute paths passed to beforeWrite, in call order. */
  checkpoints: string[][];
  call(name: string, args: unknown): Promise<ToolOutcome>;
  write(rel: string, content: string): Promise<void>;
  read(rel: string): Promise<string>;
  cleanup(): Promise<void>;
}

let callCounter = 0;

export async function makeWorkspace(
  options: {
    files?: Record<string, string>;
    tools?: BuiltinToolsOptions;
    syntaxChecker?: SyntaxChecker;
    sandbox?: (root: string) => SandboxDriver;
    /**
     * Where the file tools read and write: node:fs, or the exec file system
     * through the sandbox driver (what a pod workspace uses). Default: the
     * TOAD_TEST_WORKSPACE_FS environment variable ("exec" runs the suites through it), else local.
     */
    fs?: "local" | "exec";
  } = {},
): Promise<Workspace> {
  // A parent directory keeps a sibling "outside" folder next to the workspace for escape tests.
  const parent = await mkdtemp(path.join(tmpdir(), "toad-tools-"));
  const root = path.join(parent, "ws");
  await mkdir(root);
  const checkpoints: string[][] = [];
  const sandbox = options.sandbox?.(root) ?? new ProcessDriver({ workspaceRoot: root });
  const fs = options.fs ?? (process.env.TOAD_TEST_WORKSPACE_FS === "exec" ? "exec" : "local");
  const ctx = await createToolContext({
    workspaceRoot: root,
    sandbox,
    ...(fs === "exec" && { fs: createExecWorkspaceFs(sandbox) }),
    syntaxChecker: options.syntaxChecker,
    beforeWrite: async (paths) => {
      checkpoints.push([...paths]);
    },
  });
  const registry = createBuiltinTools(options.tools);
  const workspace: Workspace = {
    root: ctx.workspaceRoot,
    ctx,
    registry,
    checkpoints,
    call: (name, args) =>
      executeToolCall(
        registry,
        { callId: `call-${++callCounter}`, name, argumentsJson: JSON.stringify(args) },
        ctx,
      ),
    async write(rel, content) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), content);
    },
    read: (rel) => readFile(path.join(root, rel), "utf8"),
    cleanup: () => rm(parent, { recursive: true, force: true }),
  };
  for (const [rel, content] of Object.entries(options.files ?? {})) await workspace.write(rel, content);
  return workspace;
}

/** A real git repository with one commit of the given files. */
export async function makeGitWorkspace(files: Record<string, string>): Promise<Workspace> {
  const workspace = await makeWorkspace({ files });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: workspace.root, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "toad@example.test");
  git("config", "user.name", "Toad Test");
  git("config", "commit.gpgsign", "false");
  git("add", "-A");
  git("commit", "-q", "-m", "initial");
  return workspace;
}

export function gitIn(root: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: "pipe" });
}

/**
 * Stands in for the tree-sitter checker (packages/context, another engineer):
 * a JavaScript file parses when its brackets balance. It reports the first
 * error's line the way the real checker does.
 */
export const bracketChecker: SyntaxChecker = {
  async check(file: string, content: string): Promise<SyntaxCheck> {
    if (!file.endsWith(".js")) return { status: "unsupported" };
    const open: Array<{ char: string; line: number; column: number }> = [];
    const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
    let line = 1;
    let column = 0;
    for (const char of content) {
      column++;
      if (char === "\n") {
        line++;
        column = 0;
      } else if (char === "(" || char === "[" || char === "{") {
        open.push({ char, line, column });
      } else if (char in pairs) {
        if (open.pop()?.char !== pairs[char])
          return { status: "error", line, column, message: `unexpected '${char}'` };
      }
    }
    const unclosed = open.pop();
    if (unclosed)
      return {
        status: "error",
        line: unclosed.line,
        column: unclosed.column,
        message: `unclosed '${unclosed.char}'`,
      };
    return { status: "ok" };
  },
};
