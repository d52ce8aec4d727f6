import type { PrepareResult, ToolCall, ToolOutcome } from "@toad/agent";
import type { ToolSpec } from "@toad/core";
import { resourceText } from "./content.js";
import type { McpHub } from "./hub.js";

export const LIST_RESOURCES_TOOL = "list_mcp_resources";
export const READ_RESOURCE_TOOL = "read_mcp_resource";

/** The two resource tools, offered when at least one server has resources. */
export function resourceToolSpecs(hub: McpHub): ToolSpec[] {
  const servers = hub
    .list()
    .filter((connection) => connection.capabilities?.resources)
    .map((connection) => connection.name);
  if (servers.length === 0) return [];
  return [
    {
      name: LIST_RESOURCES_TOOL,
      description:
        "List the resources (files, documents, records) that the connected MCP servers offer, with their URIs. " +
        `Servers with resources: ${servers.join(", ")}.`,
      inputSchema: {
        type: "object",
        properties: { server: { type: "string", description: "Only this server (default: all)." } },
      },
    },
    {
      name: READ_RESOURCE_TOOL,
      description: "Read one resource of an MCP server by its URI (see list_mcp_resources).",
      inputSchema: {
        type: "object",
        properties: {
          server: { type: "string", enum: servers, description: "The MCP server." },
          uri: { type: "string", description: "The resource URI." },
        },
        required: ["server", "uri"],
      },
    },
  ];
}

function invalid(message: string): PrepareResult {
  return { ok: false, outcome: { ok: false, errorKind: "invalid_arguments", message } };
}

function reading(run: () => Promise<ToolOutcome>, summary: string): PrepareResult {
  return {
    ok: true,
    call: {
      // Reading a resource changes nothing: allowed in every permission mode.
      effect: "read",
      preview: async () => ({ ok: true, preview: { summary } }),
      execute: run,
    },
  };
}

/** Prepares a resource-tool call, or returns undefined when `call` is not one. */
export function runResourceTool(
  hub: McpHub,
  call: ToolCall,
  signal: AbortSignal,
): ((args: Record<string, unknown>) => PrepareResult) | undefined {
  if (call.name === LIST_RESOURCES_TOOL) {
    return (args) => {
      const only = args.server;
      if (only !== undefined && typeof only !== "string") return invalid("`server` must be a string");
      return reading(async () => {
        const listed = await hub.listResources(signal);
        const lines = listed
          .filter((entry) => only === undefined || entry.server === only)
          .flatMap((entry) =>
            entry.error
              ? [`${entry.server}: unavailable (${entry.error})`]
              : entry.resources.map(
                  (resource) =>
                    `${entry.server}  ${resource.uri}  ${resource.name}${resource.description ? ` — ${resource.description}` : ""}`,
                ),
          );
        return { ok: true, output: lines.length > 0 ? lines.join("\n") : "No resources." };
      }, "List MCP resources");
    };
  }
  if (call.name === READ_RESOURCE_TOOL) {
    return (args) => {
      const { server, uri } = args;
      if (typeof server !== "string" || typeof uri !== "string") {
        return invalid("`server` and `uri` must be strings");
      }
      return reading(async () => {
        const read = await hub.readResource(server, uri, signal);
        if (!read.ok) return { ok: false, errorKind: `mcp_${read.error.kind}`, message: read.error.message };
        return { ok: true, output: resourceText(read.value) };
      }, `Read ${uri} from MCP server "${server}"`);
    };
  }
  return undefined;
}
