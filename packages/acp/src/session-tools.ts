import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentContext, ClientCapabilities, Diff } from "@agentclientprotocol/sdk";
import type { ToolOutcome as AgentToolOutcome, AgentTools } from "@toad/agent";
import { combineTools, type McpHub } from "@toad/mcp";
import { createLocalSandbox, type SandboxDriver, type SandboxLogger } from "@toad/sandbox";
import { treeSitterSyntaxChecker } from "@toad/session";
import {
  createBuiltinTools,
  createRegistry,
  createToolContext,
  prepareToolCall,
  type TodoList,
  type ToolOutcome,
} from "@toad/tools";
import { clientReadFileTool } from "./client-read.js";
import { ClientTerminalDriver } from "./client-terminal.js";

/** What the tools of one ACP session report back to it. */
export interface ToolObserver {
  /** A call passed approval and starts running. */
  started(callId: string): void;
  /** A command of the running call opened a terminal in the editor. */
  terminal(terminalId: string): void;
  /** What an executed edit changed, old and new text per file. */
  edited(callId: string, diffs: Diff[]): void;
}

export interface SessionToolsOptions {
  client: AgentContext;
  capabilities: ClientCapabilities;
  sessionId: string;
  workspaceRoot: string;
  beforeWrite: (paths: readonly string[]) => Promise<void>;
  todos: TodoList;
  observer: ToolObserver;
  logger: SandboxLogger;
  /** MCP servers of the config and of the client's session/new. */
  mcp: readonly McpHub[];
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return null;
  }
}

function toAgentOutcome(outcome: ToolOutcome): AgentToolOutcome {
  return outcome.isError
    ? { ok: false, errorKind: outcome.errorKind ?? "tool_error", message: outcome.output }
    : { ok: true, output: outcome.output };
}

/**
 * The tools of one ACP session: TOAD's built-in tools, with the client's
 * capabilities used where it offers them (read_file through the editor's
 * buffers, commands in the editor's terminal, edits written back through the
 * editor), plus the MCP servers' tools. Every executed edit reports its old
 * and new text, which the editor shows as a diff.
 */
export async function sessionTools(options: SessionToolsOptions): Promise<AgentTools> {
  const { client, capabilities, sessionId, observer } = options;
  const local = await createLocalSandbox({ workspaceRoot: options.workspaceRoot, logger: options.logger });
  const sandbox: SandboxDriver = capabilities.terminal
    ? new ClientTerminalDriver({
        client,
        sessionId,
        workspaceRoot: options.workspaceRoot,
        fallback: local,
        onTerminal: (id) => observer.terminal(id),
      })
    : local;
  // Writes run one at a time (the agent loop orders them), so one map serves the running edit.
  const before = new Map<string, string | null>();
  const context = await createToolContext({
    workspaceRoot: options.workspaceRoot,
    sandbox,
    // The same gate as every TOAD session: an edit that breaks a file that parsed is refused.
    syntaxChecker: treeSitterSyntaxChecker(),
    todos: options.todos,
    beforeWrite: async (paths) => {
      for (const path of paths) if (!before.has(path)) before.set(path, await readOrNull(path));
      await options.beforeWrite(paths);
    },
  });
  const builtins = createBuiltinTools();
  const registry = createRegistry(
    builtins
      .list()
      .map((tool) =>
        tool.name === "read_file" && capabilities.fs?.readTextFile
          ? clientReadFileTool(tool, client, sessionId)
          : tool,
      ),
  );

  const afterEdit = async (callId: string, changed: readonly string[]) => {
    const diffs: Diff[] = [];
    for (const rel of changed) {
      const path = join(context.workspaceRoot, rel);
      const newText = await readOrNull(path);
      diffs.push({ path, oldText: before.get(path) ?? null, newText: newText ?? "" });
      // The editor gets the new content too, so its open buffer and its review of agent edits follow.
      if (newText !== null && capabilities.fs?.writeTextFile) {
        await client
          .request("fs/write_text_file", { sessionId, path, content: newText })
          .catch((error: unknown) => {
            options.logger.warn(`the editor did not take the write of ${rel}: ${String(error)}`);
          });
      }
    }
    if (diffs.length > 0) observer.edited(callId, diffs);
  };

  const builtinTools: AgentTools = {
    specs: () => registry.list().map((tool) => tool.spec()),
    prepare(call, signal) {
      const prepared = prepareToolCall(registry, call, { ...context, signal });
      if (!prepared.ok) return { ok: false, outcome: toAgentOutcome(prepared.outcome) };
      const ready = prepared.call;
      return {
        ok: true,
        call: {
          effect: ready.effect,
          async preview() {
            const shown = await ready.preview();
            return shown.ok ? shown : { ok: false, outcome: toAgentOutcome(shown.outcome) };
          },
          async execute() {
            before.clear();
            const outcome = await ready.execute();
            if (!outcome.isError && outcome.changedPaths?.length)
              await afterEdit(call.callId, outcome.changedPaths);
            return toAgentOutcome(outcome);
          },
        },
      };
    },
  };
  const mcpTools = await Promise.all(options.mcp.map((hub) => hub.tools()));
  return reportingStarts(combineTools(builtinTools, ...mcpTools), observer);
}

/** Tells the observer when each call (built-in or MCP) passes approval and starts. */
function reportingStarts(tools: AgentTools, observer: ToolObserver): AgentTools {
  return {
    specs: () => tools.specs(),
    prepare(call, signal) {
      const prepared = tools.prepare(call, signal);
      if (!prepared.ok) return prepared;
      const inner = prepared.call;
      return {
        ok: true,
        call: {
          effect: inner.effect,
          preview: () => inner.preview(),
          execute(services) {
            observer.started(call.callId);
            return inner.execute(services);
          },
        },
      };
    },
  };
}
