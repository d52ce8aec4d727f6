import type { ToolSpec } from "@toad/core";
import type { AgentTools } from "./ports.js";

/**
 * Several toolsets as one: the model sees every spec, and each call goes to
 * the toolset that offers its name. On a name clash the earlier toolset wins
 * (built-in tools are passed first, so a server cannot shadow them).
 * Toolsets are asked for their specs on every use, so a toolset whose tools
 * change (an MCP server's list_changed) stays current.
 */
export function combineTools(...toolsets: readonly AgentTools[]): AgentTools {
  const owners = (): Map<string, { spec: ToolSpec; tools: AgentTools }> => {
    const byName = new Map<string, { spec: ToolSpec; tools: AgentTools }>();
    for (const tools of toolsets) {
      for (const spec of tools.specs()) {
        if (!byName.has(spec.name)) byName.set(spec.name, { spec, tools });
      }
    }
    return byName;
  };
  return {
    specs: () => [...owners().values()].map((owner) => owner.spec),
    prepare(call, signal) {
      const byName = owners();
      const owner = byName.get(call.name);
      if (owner) return owner.tools.prepare(call, signal);
      return {
        ok: false,
        outcome: {
          ok: false,
          errorKind: "unknown_tool",
          message: `no tool named "${call.name}"; available: ${[...byName.keys()].join(", ")}`,
        },
      };
    },
  };
}
