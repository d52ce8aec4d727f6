import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AgentTools, PrepareResult, ToolCall, ToolEffect, ToolOutcome } from "@toad/agent";
import type { JsonValue, ToolSpec } from "@toad/core";
import type { McpConnection } from "./connection.js";
import { callResultText } from "./content.js";
import type { McpFailure } from "./errors.js";
import type { McpHub } from "./hub.js";
import { qualifiedToolName } from "./names.js";
import { resourceToolSpecs, runResourceTool } from "./resource-tools.js";

type JsonObject = { [key: string]: JsonValue };

interface Entry {
  connection: McpConnection;
  tool: Tool;
}

/** The model-facing name of every tool of every server, last listed. */
function entries(hub: McpHub): Map<string, Entry> {
  const byName = new Map<string, Entry>();
  for (const connection of hub.list()) {
    for (const tool of connection.tools) {
      const name = qualifiedToolName(connection.name, tool.name);
      if (!byName.has(name)) byName.set(name, { connection, tool });
    }
  }
  return byName;
}

/** The schema as the server sent it (a JSON round trip keeps only JSON values). */
function jsonObject(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value ?? { type: "object" })) as JsonObject;
}

function specOf(name: string, { connection, tool }: Entry): ToolSpec {
  const description = tool.description ?? tool.title ?? `The ${tool.name} tool`;
  return {
    name,
    description: `${description}\n(MCP server "${connection.name}", tool "${tool.name}")`,
    inputSchema: jsonObject(tool.inputSchema),
  };
}

/**
 * What a call does, for the permission policy: a tool the server marks
 * read-only reads; any other runs code (stdio servers are local programs) or
 * reaches the network (HTTP servers).
 */
export function mcpToolEffect(connection: McpConnection, tool: Tool): ToolEffect {
  if (tool.annotations?.readOnlyHint === true) return "read";
  return connection.config.type === "stdio" ? "command" : "network";
}

export function parseArguments(
  argumentsJson: string,
): { ok: true; args: Record<string, unknown> } | { ok: false; outcome: ToolOutcome } {
  if (argumentsJson.trim() === "") return { ok: true, args: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsJson);
  } catch (error) {
    return invalid(`arguments are not valid JSON (${(error as Error).message}); send one JSON object`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return invalid("arguments must be a JSON object");
  }
  return { ok: true, args: parsed as Record<string, unknown> };
}

function invalid(message: string): { ok: false; outcome: ToolOutcome } {
  return { ok: false, outcome: { ok: false, errorKind: "invalid_arguments", message } };
}

export function failureOutcome(error: McpFailure): ToolOutcome {
  return { ok: false, errorKind: `mcp_${error.kind}`, message: error.message };
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The `AgentTools` port over MCP servers. Calls go through the agent's
 * permission policy like built-in tools; a server failure is an outcome the
 * model reads, never a throw.
 */
export function mcpAgentTools(hub: McpHub): AgentTools {
  return {
    specs() {
      const specs = [...entries(hub)].map(([name, entry]) => specOf(name, entry));
      return [...specs, ...resourceToolSpecs(hub)];
    },
    prepare(call: ToolCall, signal: AbortSignal): PrepareResult {
      const parsed = parseArguments(call.argumentsJson);
      const resourceCall = runResourceTool(hub, call, signal);
      if (resourceCall) return parsed.ok ? resourceCall(parsed.args) : parsed;
      const entry = entries(hub).get(call.name);
      if (!entry) {
        return {
          ok: false,
          outcome: { ok: false, errorKind: "unknown_tool", message: `no MCP tool named "${call.name}"` },
        };
      }
      if (!parsed.ok) return parsed;
      const { connection, tool } = entry;
      const { args } = parsed;
      return {
        ok: true,
        call: {
          effect: mcpToolEffect(connection, tool),
          async preview() {
            return {
              ok: true,
              preview: {
                summary: `${tool.title ?? tool.name} (MCP server "${connection.name}")`,
                command: oneLine(`${tool.name} ${JSON.stringify(args)}`, 500),
              },
            };
          },
          async execute() {
            const result = await connection.callTool(tool.name, args, signal);
            if (!result.ok) return failureOutcome(result.error);
            const text = callResultText(result.value);
            return result.value.isError
              ? { ok: false, errorKind: "mcp_tool_error", message: text }
              : { ok: true, output: text };
          },
        },
      };
    },
  };
}
