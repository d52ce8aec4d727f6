import type { AgentTools } from "@toad/agent";
import type { SyntaxChecker } from "@toad/core";
import { createLocalSandbox, type SandboxDescription, type SandboxLogger } from "@toad/sandbox";
import { agentToolsFrom } from "@toad/session";
import { BUILTIN_TOOL_NAMES, createBuiltinTools, createToolContext } from "@toad/tools";

export interface InstanceToolsOptions {
  workspaceRoot: string;
  beforeWrite: (paths: readonly string[]) => Promise<void>;
  logger: SandboxLogger;
  /** Off: the agent is not offered `run_tests` (the test-selection ablation). */
  testSelection: boolean;
  syntaxChecker?: SyntaxChecker;
  /** "auto" (default): bubblewrap when it works here. */
  sandbox?: "auto" | "bubblewrap" | "process";
}

export interface InstanceTools {
  tools: AgentTools;
  sandbox: SandboxDescription;
}

/**
 * The built-in tools in the local sandbox, as `localTools` of
 * `@toad/session` builds them, with two batch rules: no call may ask for
 * the network (the sandbox already runs every command without it), and the
 * test-selection switch decides whether `run_tests` is offered.
 */
export async function instanceTools(options: InstanceToolsOptions): Promise<InstanceTools> {
  const sandbox = await createLocalSandbox({
    workspaceRoot: options.workspaceRoot,
    logger: options.logger,
    prefer: options.sandbox ?? "auto",
  });
  const context = await createToolContext({
    workspaceRoot: options.workspaceRoot,
    sandbox,
    beforeWrite: options.beforeWrite,
    ...(options.syntaxChecker !== undefined && { syntaxChecker: options.syntaxChecker }),
  });
  const only = options.testSelection ? undefined : BUILTIN_TOOL_NAMES.filter((name) => name !== "run_tests");
  const registry = createBuiltinTools(only ? { only } : {});
  return { tools: withoutNetwork(agentToolsFrom(registry, context)), sandbox: sandbox.describe() };
}

/** Refuses every call whose effect is the network, with an answer the model can read. */
export function withoutNetwork(tools: AgentTools): AgentTools {
  return {
    specs: () => tools.specs(),
    prepare(call, signal) {
      const prepared = tools.prepare(call, signal);
      if (prepared.ok && prepared.call.effect === "network") {
        return {
          ok: false,
          outcome: { ok: false, errorKind: "denied", message: "Network access is off in batch runs." },
        };
      }
      return prepared;
    },
  };
}
