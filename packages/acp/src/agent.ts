import { isAbsolute } from "node:path";
import {
  type AgentApp,
  type AgentContext,
  agent,
  type ClientCapabilities,
  type McpServer,
  methods,
  PROTOCOL_VERSION,
  RequestError,
  type SessionModeState,
  type StopReason,
  type Stream,
} from "@agentclientprotocol/sdk";
import { type AgentExit, findRepositoryRoot, type PermissionRules } from "@toad/agent";
import { conversationFromEvents, type ModelClient, PERMISSION_MODES, type PermissionMode } from "@toad/core";
import { type Env, McpHub, promptCommands } from "@toad/mcp";
import { AUTO_MODEL, SessionRunner, type SessionRunnerDeps } from "@toad/session";
import type { SessionStore } from "@toad/store";
import { acpApprover } from "./approver.js";
import { mcpConfigsFromClient } from "./mcp-servers.js";
import { promptFromBlocks } from "./prompt.js";
import { AcpSession } from "./session.js";
import { sessionTools } from "./session-tools.js";
import { lastTodos } from "./todos-from-log.js";
import { replayUpdates, updatesForEvent } from "./updates.js";

export interface AcpAgentDeps {
  store: SessionStore;
  model: ModelClient;
  /** MCP servers of mcp.json, shared by every session (the client may add its own per session). */
  mcp?: McpHub;
  permissionRules?: PermissionRules;
  /** Passed to the SessionRunner as the embedded runtime passes them (hooks, skills, subagents, repo map). */
  extensions?: SessionRunnerDeps["extensions"];
  repoMap?: SessionRunnerDeps["repoMap"];
  /** Model of new sessions; default: routed by tier. */
  modelId?: string;
  /** Permission mode of new sessions; default "ask". */
  permissionMode?: PermissionMode;
  /** Fills `${VAR}` in the client's MCP server configs. */
  env: Env;
  logger: { warn(message: string): void };
  agentInfo?: { name: string; version: string };
}

const MODE_NAMES: Record<PermissionMode, string> = {
  plan: "Plan (read only)",
  ask: "Ask before changes",
  "auto-edit": "Auto-edit (ask before commands)",
  "full-auto": "Full auto",
};

function modeState(current: PermissionMode): SessionModeState {
  return {
    currentModeId: current,
    availableModes: PERMISSION_MODES.map((id) => ({ id, name: MODE_NAMES[id] })),
  };
}

function stopReasonFor(exit: AgentExit): StopReason {
  switch (exit) {
    case "max_tokens":
      return "max_tokens";
    case "refusal":
      return "refusal";
    case "cancelled":
      return "cancelled";
    case "max_turns":
    case "budget":
      return "max_turn_requests";
    default:
      return "end_turn";
  }
}

/**
 * TOAD as an ACP agent: one app per client connection. Sessions are TOAD
 * sessions in the store (so `session/load` resumes any of them, and `toad
 * sessions` lists them); prompts run through the SessionRunner with the
 * editor as approver and, where it offers them, its files and terminals.
 */
export function createAcpAgent(deps: AcpAgentDeps): { app: AgentApp; close(): Promise<void> } {
  const sessions = new Map<string, AcpSession>();
  let capabilities: ClientCapabilities = {};
  const hubsOf = (session: AcpSession): McpHub[] =>
    [deps.mcp, session.mcp].filter((hub): hub is McpHub => hub !== undefined);
  const runner = new SessionRunner({
    store: deps.store,
    model: deps.model,
    ...(deps.permissionRules !== undefined && { permissionRules: deps.permissionRules }),
    ...(deps.extensions !== undefined && { extensions: deps.extensions }),
    ...(deps.repoMap !== undefined && { repoMap: deps.repoMap }),
    tools: async (record, beforeWrite) => {
      const session = sessions.get(record.id);
      if (!session) throw new Error(`session ${record.id} is not open on this connection`);
      return sessionTools({
        client: session.client,
        capabilities,
        sessionId: session.id,
        workspaceRoot: session.workspaceRoot,
        beforeWrite,
        todos: session.todos,
        observer: session,
        logger: deps.logger,
        mcp: hubsOf(session),
      });
    },
  });

  const open = async (
    id: string,
    cwd: string,
    mode: PermissionMode,
    servers: readonly McpServer[],
    client: AgentContext,
  ): Promise<AcpSession> => {
    await sessions.get(id)?.close();
    const workspaceRoot = await findRepositoryRoot(cwd);
    const configs = mcpConfigsFromClient(servers);
    const hub =
      configs.length > 0
        ? new McpHub({ servers: configs, env: deps.env, cwd: workspaceRoot, logger: deps.logger })
        : undefined;
    const session = new AcpSession(id, workspaceRoot, mode, client, hub);
    sessions.set(id, session);
    return session;
  };

  /** MCP prompts become the session's slash commands (listing them starts the servers, so after answering). */
  const advertiseCommands = (session: AcpSession) => {
    const hubs = hubsOf(session);
    if (hubs.every((hub) => hub.size === 0)) return;
    void Promise.all(hubs.map((hub) => promptCommands(hub)))
      .then((lists) => {
        const commands = lists.flat();
        if (commands.length === 0) return;
        session.send({
          sessionUpdate: "available_commands_update",
          availableCommands: commands.map((command) => ({
            name: command.name,
            description: command.description,
            ...(command.argumentNames.length > 0 && {
              input: { hint: command.argumentNames.map((name) => `<${name}>`).join(" ") },
            }),
          })),
        });
      })
      .catch((error: unknown) => deps.logger.warn(`could not list MCP prompts: ${String(error)}`));
  };

  const find = (sessionId: string): AcpSession => {
    const session = sessions.get(sessionId);
    if (!session) throw RequestError.sessionNotFound(sessionId);
    return session;
  };

  const requireAbsolute = (cwd: string) => {
    if (!isAbsolute(cwd)) throw RequestError.invalidParams({ cwd }, "cwd must be an absolute path");
  };

  const app = agent({ name: "toad" })
    .onRequest(methods.agent.initialize, ({ params }) => {
      capabilities = params.clientCapabilities ?? {};
      return {
        protocolVersion: PROTOCOL_VERSION,
        agentCapabilities: {
          loadSession: true,
          promptCapabilities: { image: true, audio: false, embeddedContext: true },
          mcpCapabilities: { http: true, sse: true },
          sessionCapabilities: { list: {} },
        },
        agentInfo: deps.agentInfo ?? { name: "toad", version: "0.1.0" },
        authMethods: [],
      };
    })
    .onRequest(methods.agent.session.new, async ({ params, client }) => {
      requireAbsolute(params.cwd);
      const mode = deps.permissionMode ?? "ask";
      const record = await runner.create({
        cwd: params.cwd,
        model: deps.modelId ?? AUTO_MODEL,
        permissionMode: mode,
      });
      const session = await open(record.id, record.cwd, mode, params.mcpServers, client);
      advertiseCommands(session);
      return { sessionId: record.id, modes: modeState(mode) };
    })
    .onRequest(methods.agent.session.load, async ({ params, client }) => {
      requireAbsolute(params.cwd);
      const record = await deps.store.get(params.sessionId);
      if (!record) throw RequestError.sessionNotFound(params.sessionId);
      const session = await open(record.id, record.cwd, record.permissionMode, params.mcpServers, client);
      const events = (await deps.store.events(record.id)).map(
        ({ sessionId: _s, seq: _q, timestamp: _t, ...body }) => body,
      );
      for (const update of replayUpdates(conversationFromEvents(events), session.workspaceRoot))
        session.send(update);
      const todos = lastTodos(events);
      if (todos.length > 0) session.restoreTodos(todos);
      await session.flush();
      advertiseCommands(session);
      return { modes: modeState(session.mode) };
    })
    .onRequest(methods.agent.session.list, async ({ params }) => {
      const records = await deps.store.list({ ...(params.cwd ? { cwd: params.cwd } : {}), limit: 200 });
      return {
        sessions: records.map((record) => ({
          sessionId: record.id,
          cwd: record.cwd,
          title: record.title || null,
          updatedAt: new Date(record.updatedAt).toISOString(),
        })),
      };
    })
    .onRequest(methods.agent.session.setMode, ({ params }) => {
      const session = find(params.sessionId);
      const mode = PERMISSION_MODES.find((candidate) => candidate === params.modeId);
      if (mode === undefined) {
        throw RequestError.invalidParams(
          { modeId: params.modeId },
          `modeId must be one of ${PERMISSION_MODES.join(", ")}`,
        );
      }
      session.mode = mode;
      session.send({ sessionUpdate: "current_mode_update", currentModeId: mode });
      return {};
    })
    .onRequest(methods.agent.session.prompt, async ({ params, client }) => {
      const session = find(params.sessionId);
      if (session.running)
        throw RequestError.invalidRequest(undefined, "a prompt is already running in this session");
      const controller = new AbortController();
      session.running = controller;
      let failure: string | undefined;
      try {
        const prompt = await promptFromBlocks(params.prompt, hubsOf(session), controller.signal);
        if (!prompt.ok) {
          session.send({
            sessionUpdate: "agent_message_chunk",
            content: { type: "text", text: prompt.message },
          });
          return { stopReason: "end_turn" };
        }
        const result = await runner.send(session.id, {
          prompt: prompt.text,
          ...(prompt.images.length > 0 && { images: prompt.images }),
          signal: controller.signal,
          approver: acpApprover(client, session.id, session.workspaceRoot),
          permissionMode: session.mode,
          onEvent(event) {
            if (event.type === "error") failure = event.message;
            for (const update of updatesForEvent(event, session)) session.send(update);
          },
        });
        if (result.exit === "error" && !controller.signal.aborted) {
          throw RequestError.internalError(undefined, failure ?? "the model request failed");
        }
        return { stopReason: controller.signal.aborted ? "cancelled" : stopReasonFor(result.exit) };
      } catch (error) {
        if (error instanceof RequestError) throw error;
        if (controller.signal.aborted) return { stopReason: "cancelled" };
        throw RequestError.internalError(undefined, error instanceof Error ? error.message : String(error));
      } finally {
        session.running = undefined;
        await session.flush();
      }
    })
    .onNotification(methods.agent.session.cancel, ({ params }) => {
      sessions.get(params.sessionId)?.running?.abort();
    });

  const close = async () => {
    await Promise.all([...sessions.values()].map((session) => session.close()));
    sessions.clear();
  };
  return { app, close };
}

/** Serves one client on a stream until it disconnects, then stops every session and its servers. */
export async function serveAcp(deps: AcpAgentDeps, stream: Stream): Promise<void> {
  const { app, close } = createAcpAgent(deps);
  const connection = app.connect(stream);
  try {
    await connection.closed;
  } finally {
    await close();
  }
}
