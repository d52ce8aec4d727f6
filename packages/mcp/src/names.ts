import { createHash } from "node:crypto";

/** Every MCP tool is offered to the model as `mcp__<server>__<tool>`. */
export const MCP_TOOL_PREFIX = "mcp__";

/** Providers accept `[A-Za-z0-9_-]{1,64}` as tool names (OpenAI's limit is the tightest). */
const MAX_TOOL_NAME = 64;

/**
 * The model-facing name of a server's tool. Characters providers reject are
 * replaced by `_`; a name past 64 characters is cut and given a short hash so
 * two long names stay distinct.
 */
export function qualifiedToolName(server: string, tool: string): string {
  const name = `${MCP_TOOL_PREFIX}${server}__${tool.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  if (name.length <= MAX_TOOL_NAME) return name;
  const hash = createHash("sha256").update(tool).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_TOOL_NAME - 9)}_${hash}`;
}

/** The server part of a qualified name, or undefined when it is not an MCP tool name. */
export function serverOfToolName(name: string): string | undefined {
  if (!name.startsWith(MCP_TOOL_PREFIX)) return undefined;
  const rest = name.slice(MCP_TOOL_PREFIX.length);
  const cut = rest.indexOf("__");
  return cut > 0 ? rest.slice(0, cut) : undefined;
}
