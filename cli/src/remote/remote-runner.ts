import { type AgentRunResult, type AgentTools, findRepositoryRoot } from "@toad/agent";
import type { AgentEvent, AgentEventBody } from "@toad/core";
import { eventFromProto, imageToProto } from "@toad/core/proto";
import { type AgentEvent as ProtoEvent, ToolLocation } from "@toad/proto";
import {
  AUTO_MODEL,
  localTools,
  type NewSessionOptions,
  type SendOptions,
  SessionNotFoundError,
} from "@toad/session";
import type { SessionRecord } from "@toad/store";
import { ClientError, Status } from "nice-grpc";
import { localPolicy, runDelegatedCall } from "./client-tools.js";
import type { GatewayConnection } from "./connect.js";
import { modeToProto, RunTally, recordFromProto } from "./convert.js";
import { followUntilIdle, isReconnectable } from "./follow.js";

export interface RemoteRunnerOptions {
  /** Budget set on sessions this runner creates (a session's budget is fixed at creation). */
  budgetUsd?: number;
  logger: { warn(message: string): void };
  /** The tools of a session on this machine; default: the built-in tools in the local sandbox. */
  tools?(session: SessionRecord): Promise<AgentTools>;
}

/**
 * The session runner's interface, over a gateway: the session and its agent
 * loop live in the cluster, the tools run here. Each tool call arrives down
 * the SendMessage stream as a seq-0 `tool_call_complete`; it goes through
 * the local pipeline (the user's permission mode, the approver, the local
 * sandbox in their working tree) and the result goes back with
 * SubmitToolResult. Cancelling the signal cancels the run in the cluster.
 */
export class RemoteSessionRunner {
  constructor(
    private readonly connection: GatewayConnection,
    private readonly options: RemoteRunnerOptions,
  ) {}

  async create(options: NewSessionOptions): Promise<SessionRecord> {
    const session = await this.connection.session.createSession({
      cwd: options.cwd,
      model: options.model === AUTO_MODEL ? "" : options.model,
      permissionMode: modeToProto(options.permissionMode),
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
      budgetUsd: this.options.budgetUsd ?? 0,
    });
    return recordFromProto(session);
  }

  async get(sessionId: string): Promise<SessionRecord> {
    try {
      return recordFromProto(await this.connection.session.getSession({ sessionId }));
    } catch (error) {
      if (error instanceof ClientError && error.code === Status.NOT_FOUND) {
        throw new SessionNotFoundError(`no session with id "${sessionId}" on the gateway`);
      }
      throw error;
    }
  }

  async latest(cwd: string): Promise<SessionRecord | undefined> {
    const { sessions } = await this.connection.session.listSessions({ cwd, limit: 1 });
    return sessions[0] === undefined ? undefined : recordFromProto(sessions[0]);
  }

  /** The session's log (Resume from the start, up to its last event). */
  async events(sessionId: string): Promise<AgentEvent[]> {
    const session = await this.get(sessionId);
    const events: AgentEvent[] = [];
    if (session.lastSeq === 0) return events;
    const controller = new AbortController();
    try {
      for await (const event of this.connection.session.resume(
        { sessionId },
        { signal: controller.signal },
      )) {
        if (event.seq === 0) continue;
        events.push(eventFromProto(event));
        if (event.seq >= session.lastSeq) break;
      }
    } finally {
      controller.abort();
    }
    return events;
  }

  async send(sessionId: string, options: SendOptions): Promise<AgentRunResult> {
    const session = await this.get(sessionId);
    const tools = await (this.options.tools?.(session) ?? this.defaultTools(session));
    const context = {
      tools,
      policy: localPolicy(options.permissionMode ?? session.permissionMode),
      approver: options.approver,
      signal: options.signal,
      // Asked and answered here, so the UI hears of it here (seq 0: not an event of the session's log).
      onApproval: (body: AgentEventBody) =>
        options.onEvent?.({ ...body, sessionId, seq: 0, timestamp: Date.now() }),
    };
    const tally = new RunTally();
    const seen = { last: session.lastSeq, answered: new Set<string>() };
    // Reconnects replay from the last seq seen, and a delegated call can be sent again: each is handled once.
    const handle = async (message: ProtoEvent) => {
      if (message.seq === 0) {
        if (message.kind?.$case !== "toolCallComplete" || seen.answered.has(message.kind.value.callId))
          return;
        seen.answered.add(message.kind.value.callId);
        await this.answer(sessionId, message, context);
        return;
      }
      if (message.seq <= seen.last) return;
      seen.last = message.seq;
      const event = eventFromProto(message);
      tally.add(event);
      options.onEvent?.(event);
    };
    const { session: client } = this.connection;
    const onAbort = () => {
      client
        .cancel({ sessionId })
        .catch((error: unknown) => this.options.logger.warn(`could not cancel: ${String(error)}`));
    };
    if (options.signal.aborted) return tally.result();
    options.signal.addEventListener("abort", onAbort, { once: true });
    try {
      try {
        const stream = client.sendMessage({
          sessionId,
          text: options.prompt,
          maxTurns: options.maxTurns ?? 0,
          images: (options.images ?? []).map(imageToProto),
        });
        for await (const message of stream) await handle(message);
        return tally.result();
      } catch (error) {
        if (options.signal.aborted || !isReconnectable(error)) throw error;
        this.options.logger.warn(
          `lost the session's stream (${String(error)}); following it until its run ends`,
        );
      }
      await followUntilIdle(client, sessionId, () => seen.last, handle, options.signal);
    } finally {
      options.signal.removeEventListener("abort", onAbort);
    }
    return tally.result();
  }

  private async answer(
    sessionId: string,
    message: ProtoEvent,
    context: Omit<Parameters<typeof runDelegatedCall>[1], "approver"> & { approver: SendOptions["approver"] },
  ): Promise<void> {
    if (message.kind?.$case !== "toolCallComplete") return;
    const call = message.kind.value;
    const answer = await runDelegatedCall(call, context);
    try {
      await this.connection.session.submitToolResult({ sessionId, callId: call.callId, ...answer });
    } catch (error) {
      // The run may have moved on (cancelled, timed out): the stream tells the rest.
      if (!(error instanceof ClientError && error.code === Status.NOT_FOUND)) throw error;
    }
  }

  private async defaultTools(session: SessionRecord): Promise<AgentTools> {
    return localTools({
      workspaceRoot: await findRepositoryRoot(session.cwd),
      // Edits are not checkpointed on this machine: the session's log lives in the cluster.
      beforeWrite: async () => {},
      logger: this.options.logger,
    });
  }
}
