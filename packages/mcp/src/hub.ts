import type {
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
} from "@modelcontextprotocol/sdk/types.js";
import type { AgentTools } from "@toad/agent";
import { mcpAgentTools } from "./agent-tools.js";
import type { McpServerConfig } from "./config.js";
import type { Env } from "./config-files.js";
import { McpConnection } from "./connection.js";
import { failure, type McpResult } from "./errors.js";

export interface McpLogger {
  warn(message: string): void;
}

/**
 * A server that failed to start is not tried again by `start()` for this
 * long, so a broken or hanging server does not delay every prompt by its
 * startup timeout. (A call to one of its tools still tries at once.)
 */
export const START_RETRY_PAUSE_MS = 30_000;

export interface McpHubOptions {
  servers: readonly McpServerConfig[];
  /** `${VAR}` placeholders in the config are filled from it. */
  env: Env;
  /** Working directory of stdio servers that name none: the repository root. */
  cwd: string;
  clientInfo?: { name: string; version: string };
  logger?: McpLogger;
}

export interface ServerResources {
  server: string;
  resources: Resource[];
  /** Set when the server could not be asked. */
  error?: string;
}

export interface ServerPrompts {
  server: string;
  prompts: Prompt[];
  error?: string;
}

/**
 * The MCP servers of a session (or of the whole process): one lazily started
 * connection per configured server, their tools as an `AgentTools`, their
 * resources and prompts.
 */
export class McpHub {
  private readonly connections = new Map<string, McpConnection>();
  private readonly warned = new Map<string, string>();

  constructor(private readonly options: McpHubOptions) {
    const clientInfo = options.clientInfo ?? { name: "toad", version: "0.1.0" };
    for (const server of options.servers) {
      this.connections.set(
        server.name,
        new McpConnection(server, { env: options.env, cwd: options.cwd, clientInfo }),
      );
    }
  }

  get size(): number {
    return this.connections.size;
  }

  list(): McpConnection[] {
    return [...this.connections.values()];
  }

  connection(name: string): McpConnection | undefined {
    return this.connections.get(name);
  }

  /**
   * Starts every server that is not running, in parallel. A server that fails
   * is reported once through the logger and left out (retried after a pause);
   * it never fails the caller.
   */
  async start(): Promise<void> {
    const now = Date.now();
    const due = this.list().filter(
      (connection) =>
        connection.failedStartAt === undefined || now - connection.failedStartAt >= START_RETRY_PAUSE_MS,
    );
    await Promise.all(
      due.map(async (connection) => {
        const started = await connection.ensure();
        if (started.ok) {
          this.warned.delete(connection.name);
          return;
        }
        if (this.warned.get(connection.name) === started.error.message) return;
        this.warned.set(connection.name, started.error.message);
        this.options.logger?.warn(started.error.message);
      }),
    );
  }

  /** The servers' tools for the agent, as `mcp__<server>__<tool>`; starts the servers first. */
  async tools(): Promise<AgentTools> {
    await this.start();
    return mcpAgentTools(this);
  }

  /** Text each running server asks the model to know (its `instructions`). */
  instructions(): Array<{ server: string; text: string }> {
    return this.list().flatMap((connection) => {
      const text = connection.instructions;
      return text ? [{ server: connection.name, text }] : [];
    });
  }

  async listResources(signal: AbortSignal = new AbortController().signal): Promise<ServerResources[]> {
    return Promise.all(
      this.list().map(async (connection) => {
        const listed = await connection.listResources(signal);
        return listed.ok
          ? { server: connection.name, resources: listed.value }
          : { server: connection.name, resources: [], error: listed.error.message };
      }),
    );
  }

  async readResource(
    server: string,
    uri: string,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<McpResult<ReadResourceResult>> {
    const connection = this.connections.get(server);
    if (!connection) return this.noServer(server);
    return connection.readResource(uri, signal);
  }

  async listPrompts(signal: AbortSignal = new AbortController().signal): Promise<ServerPrompts[]> {
    return Promise.all(
      this.list().map(async (connection) => {
        const listed = await connection.listPrompts(signal);
        return listed.ok
          ? { server: connection.name, prompts: listed.value }
          : { server: connection.name, prompts: [], error: listed.error.message };
      }),
    );
  }

  async getPrompt(
    server: string,
    name: string,
    args: Record<string, string>,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<McpResult<GetPromptResult>> {
    const connection = this.connections.get(server);
    if (!connection) return this.noServer(server);
    return connection.getPrompt(name, args, signal);
  }

  /** Stops every server and waits until their processes are gone. */
  async close(): Promise<void> {
    await Promise.all(this.list().map((connection) => connection.close()));
  }

  private noServer<T>(server: string): McpResult<T> {
    const names = [...this.connections.keys()].join(", ") || "none";
    return failure("not_found", `no MCP server named "${server}" (configured: ${names})`);
  }
}
