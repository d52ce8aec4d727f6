import type { AgentTools, ToolEffect } from "@toad/agent";
import { combineTools } from "@toad/agent";
import { createLocalSandbox, type SandboxLogger } from "@toad/sandbox";
import { agentToolsFrom, treeSitterSyntaxChecker } from "@toad/session";
import { createBuiltinTools, createToolContext } from "@toad/tools";
import { contextTools } from "./context-tools.js";

/** The session's task list means nothing to another agent, so it is not served. */
const NOT_SERVED = new Set(["todo_write"]);

export interface ServedTools {
  tools: AgentTools;
  /** Each tool's strongest effect, for the MCP annotations. */
  effectOf(name: string): ToolEffect | undefined;
  close(): void;
}

/**
 * TOAD's own tools for `toad mcp serve`: the built-in tools on the workspace
 * (commands in the local sandbox) plus the context engine's `repo_map` and
 * `codebase_search`. `readOnly` leaves out everything that writes or runs.
 */
export async function toadToolsForServing(options: {
  workspaceRoot: string;
  readOnly?: boolean;
  logger: SandboxLogger;
}): Promise<ServedTools> {
  const all = createBuiltinTools();
  const served = all
    .list()
    .filter((tool) => !NOT_SERVED.has(tool.name) && (!options.readOnly || tool.effect === "read"))
    .map((tool) => tool.name);
  const registry = createBuiltinTools({ only: served });
  const sandbox = await createLocalSandbox({ workspaceRoot: options.workspaceRoot, logger: options.logger });
  const context = await createToolContext({
    workspaceRoot: options.workspaceRoot,
    sandbox,
    // As in a TOAD session: an edit that breaks a file that parsed is refused.
    syntaxChecker: treeSitterSyntaxChecker(),
  });
  const search = contextTools(context.workspaceRoot);
  const effects = new Map<string, ToolEffect>(registry.list().map((tool) => [tool.name, tool.effect]));
  for (const spec of search.specs()) effects.set(spec.name, "read");
  return {
    tools: combineTools(agentToolsFrom(registry, context), search),
    effectOf: (name) => effects.get(name),
    close: () => search.close(),
  };
}
