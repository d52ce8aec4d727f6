import type { ToolOutcome as AgentToolOutcome, AgentTools } from "@toad/agent";
import type { SyntaxChecker } from "@toad/core";
import { createLocalSandbox, type SandboxLogger } from "@toad/sandbox";
import {
  createBuiltinTools,
  createToolContext,
  prepareToolCall,
  type ToolContext,
  type ToolOutcome,
  type ToolRegistry,
  toolSpecs,
} from "@toad/tools";

/** The agent's tools port over a `@toad/tools` registry and a tool context. */
export function agentToolsFrom(registry: ToolRegistry, context: ToolContext): AgentTools {
  return {
    specs: () => toolSpecs(registry),
    prepare(call, signal) {
      const prepared = prepareToolCall(registry, call, { ...context, signal });
      if (!prepared.ok) return { ok: false, outcome: toAgentOutcome(prepared.outcome) };
      const { call: ready } = prepared;
      return {
        ok: true,
        call: {
          effect: ready.effect,
          async preview() {
            const shown = await ready.preview();
            return shown.ok ? shown : { ok: false, outcome: toAgentOutcome(shown.outcome) };
          },
          execute: async () => toAgentOutcome(await ready.execute()),
        },
      };
    },
  };
}

function toAgentOutcome(outcome: ToolOutcome): AgentToolOutcome {
  return outcome.isError
    ? { ok: false, errorKind: outcome.errorKind ?? "tool_error", message: outcome.output }
    : { ok: true, output: outcome.output };
}

export interface LocalToolsOptions {
  workspaceRoot: string;
  beforeWrite: (paths: readonly string[]) => Promise<void>;
  logger: SandboxLogger;
  /** Default: tree-sitter (`@toad/context`), loaded on the first edit. */
  syntaxChecker?: SyntaxChecker;
}

/**
 * The tree-sitter checker, imported on first use: loading the grammars costs
 * about a second, which a run that never edits a file should not pay.
 */
export function treeSitterSyntaxChecker(): SyntaxChecker {
  let checker: Promise<SyntaxChecker> | undefined;
  return {
    async check(path, content) {
      checker ??= import("@toad/context").then((context) => context.createSyntaxChecker());
      return (await checker).check(path, content);
    },
  };
}

/** The built-in tools on this machine: commands in the local sandbox (bubblewrap when it works). */
export async function localTools(options: LocalToolsOptions): Promise<AgentTools> {
  const sandbox = await createLocalSandbox({ workspaceRoot: options.workspaceRoot, logger: options.logger });
  const context = await createToolContext({
    workspaceRoot: options.workspaceRoot,
    sandbox,
    syntaxChecker: options.syntaxChecker ?? treeSitterSyntaxChecker(),
    beforeWrite: options.beforeWrite,
  });
  return agentToolsFrom(createBuiltinTools(), context);
}
