import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import type { AgentTools, ToolEffect } from "@toad/agent";

export interface ToolsServerOptions {
  tools: AgentTools;
  /** The strongest effect of each tool, for the MCP annotations clients show and gate on. */
  effectOf?: (name: string) => ToolEffect | undefined;
  name?: string;
  version?: string;
  instructions?: string;
}

function annotationsFor(effect: ToolEffect | undefined): ToolAnnotations | undefined {
  switch (effect) {
    case "read":
      return { readOnlyHint: true, destructiveHint: false, openWorldHint: false };
    case "edit":
      return { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };
    case "command":
      return { readOnlyHint: false, destructiveHint: true, openWorldHint: false };
    case "network":
      return { readOnlyHint: false, destructiveHint: true, openWorldHint: true };
    default:
      return undefined;
  }
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

/**
 * An MCP server offering an `AgentTools`. The calling agent is the one that
 * asks its user for approval (the annotations tell it which calls change
 * things); every failure is an `isError` result, as the spec asks for tool
 * and input errors.
 */
export function createToolsServer(options: ToolsServerOptions): Server {
  const server = new Server(
    { name: options.name ?? "toad", version: options.version ?? "0.1.0" },
    {
      capabilities: { tools: {} },
      ...(options.instructions !== undefined && { instructions: options.instructions }),
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: options.tools.specs().map((spec): Tool => {
      const annotations = annotationsFor(options.effectOf?.(spec.name));
      return {
        name: spec.name,
        description: spec.description,
        inputSchema: { ...spec.inputSchema, type: "object" },
        ...(annotations && { annotations }),
      };
    }),
  }));
  let calls = 0;
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    calls++;
    const prepared = options.tools.prepare(
      {
        callId: `mcp_${String(extra.requestId)}_${calls}`,
        name: request.params.name,
        argumentsJson: JSON.stringify(request.params.arguments ?? {}),
      },
      extra.signal,
    );
    if (!prepared.ok) {
      const outcome = prepared.outcome;
      return errorResult(outcome.ok ? outcome.output : outcome.message);
    }
    const outcome = await prepared.call.execute();
    return outcome.ok ? { content: [{ type: "text", text: outcome.output }] } : errorResult(outcome.message);
  });
  return server;
}

/** Serves on this process's stdin/stdout until the client disconnects. */
export async function serveStdio(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  const transport = new StdioServerTransport();
  // The transport does not notice stdin ending by itself; the client closing it ends the session.
  process.stdin.once("end", () => {
    void server.close();
  });
  await server.connect(transport);
  await closed;
}
