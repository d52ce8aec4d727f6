import { randomUUID } from "node:crypto";
import type { AgentTools, PermissionRules } from "@toad/agent";
import type { ModelClient } from "@toad/core";
import { imageFromProto } from "@toad/core/proto";
import type * as pb from "@toad/proto";
import { AUTO_MODEL, SessionRunner } from "@toad/session";
import type { SessionRecord, SessionStore } from "@toad/store";
import type { Metadata } from "nice-grpc-common";
import type { Headers, RunState, SessionBus } from "../bus/port.js";
import { decisions, permissionModes, toolLocations } from "../convert/enums.js";
import { sessionToProto } from "../convert/session.js";
import { failedPrecondition, invalidArgument, mapErrors, notFound } from "../errors.js";
import { FreshSessions } from "./fresh-sessions.js";
import { followSession } from "./resume.js";
import type { RunRecords } from "./run-records.js";
import { type LiveRun, type RunStarter, recoverRuns, startRun } from "./run-starter.js";
import type { SessionSettings, SessionSettingsStore } from "./settings.js";

export interface SessionServiceDeps {
  store: SessionStore;
  settings: SessionSettingsStore;
  bus: SessionBus;
  /** The model for one run; `metadata` is the SendMessage call's (org and trace metadata ride on it). */
  modelFor(sessionId: string, metadata: Metadata): ModelClient;
  /**
   * Tools that run on the service's side (tool location SANDBOX). Absent: this
   * deployment runs tools on clients only, and refuses sandbox sessions.
   */
  serverTools?(
    session: SessionRecord,
    beforeWrite: (paths: readonly string[]) => Promise<void>,
  ): Promise<AgentTools>;
  permissionRules?: PermissionRules;
  /** Headers to carry with published events (trace context of the run). */
  headersFor?(metadata: Metadata): Headers;
  /**
   * Where runs in progress are recorded, so that a run whose replica was
   * killed is picked up again (`recover`). Absent: no recovery.
   */
  runRecords?: RunRecords;
  /** How long a delegated call waits for the client's result. Default 10 minutes. */
  clientToolTimeoutMs?: number;
  logger?: { warn(message: string): void };
  now?: () => number;
}

/** The session service with its drain hook (graceful shutdown). */
export interface SessionService extends pb.SessionServiceImplementation {
  /** Runs in progress on this replica. */
  activeRuns(): number;
  /**
   * Picks up runs that no replica serves any more (their replica was killed
   * mid-run): each continues from its log. Returns how many it restarted.
   */
  recover(): Promise<number>;
  /** Waits up to `timeoutMs` for runs to finish, then cancels the rest and waits for them to stop. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * `toad.v1.SessionService` over the domain: the `SessionRunner` (store +
 * agent loop), the bus that fans events out to every watcher, and the
 * commands (approve, tool results, cancel) that reach a run on any replica.
 * The embedded wiring and the NestJS session service use this same object.
 */
export function createSessionService(deps: SessionServiceDeps): SessionService {
  const now = deps.now ?? Date.now;
  const runs = new Map<string, LiveRun>();
  const starter: RunStarter = { deps, runs, now, clientToolTimeoutMs: deps.clientToolTimeoutMs ?? 600_000 };
  // Creating a session only writes the store; this runner never runs a turn.
  const creator = new SessionRunner({ store: deps.store, model: NO_MODEL, tools: async () => NO_TOOLS });
  const fresh = new FreshSessions();

  async function stateOf(sessionId: string): Promise<RunState | "idle"> {
    const local = runs.get(sessionId);
    if (local) return local.run.state;
    // Both asked at once: when no replica answers (the usual case), the record decides.
    const [reply, recorded] = await Promise.all([
      deps.bus.command(sessionId, { type: "status" }),
      deps.runRecords?.get(sessionId),
    ]);
    if (reply?.ok) return reply.state;
    // A recorded run that nobody serves is waiting to be recovered: it is not over.
    return recorded ? "running" : "idle";
  }

  async function found(sessionId: string): Promise<SessionRecord> {
    const record = sessionId === "" ? undefined : await deps.store.get(sessionId);
    if (!record) throw notFound(`session ${JSON.stringify(sessionId)} not found`);
    return record;
  }

  async function toProto(record: SessionRecord): Promise<pb.Session> {
    return sessionToProto(record, await deps.settings.load(record.id), await stateOf(record.id));
  }

  /** A command for the run of `sessionId`, wherever it runs. */
  async function command(sessionId: string, message: Parameters<SessionBus["command"]>[1]) {
    await found(sessionId);
    const reply = runs.get(sessionId)?.run.handle(message) ?? (await deps.bus.command(sessionId, message));
    if (reply === undefined) throw failedPrecondition(`session ${sessionId} is not running`);
    if (!reply.ok) throw notFound(reply.message);
    return {};
  }

  return {
    async createSession(request) {
      return mapErrors(async () => {
        const permissionMode = permissionModes.fromProto(request.permissionMode) ?? "ask";
        const toolLocation = toolLocations.fromProto(request.toolLocation) ?? "sandbox";
        if (!Number.isFinite(request.budgetUsd) || request.budgetUsd < 0) {
          throw invalidArgument("budget_usd must be a non-negative number");
        }
        if (toolLocation === "sandbox" && !deps.serverTools) {
          throw failedPrecondition(
            "this deployment runs tools on the client only: create the session with tool_location CLIENT",
          );
        }
        const settings: SessionSettings = {
          toolLocation,
          workspaceId: request.workspaceId,
          budgetUsd: request.budgetUsd,
        };
        const created = await creator.open(
          { cwd: request.cwd, model: request.model === "" ? AUTO_MODEL : request.model, permissionMode },
          (record) => deps.settings.save(record.id, settings),
        );
        fresh.remember(created);
        return sessionToProto(created.session, settings, "idle");
      });
    },

    async getSession(request) {
      return mapErrors(async () => toProto(await found(request.sessionId)));
    },

    async listSessions(request) {
      return mapErrors(async () => {
        const records = await deps.store.list({
          ...(request.cwd !== "" && { cwd: request.cwd }),
          ...(request.limit > 0 && { limit: request.limit }),
        });
        return { sessions: await Promise.all(records.map(toProto)) };
      });
    },

    async *sendMessage(request, context) {
      const feed = await mapErrors(async () => {
        const images = request.images.map(imageFromProto);
        if (request.text.trim() === "" && images.length === 0) {
          throw invalidArgument("the message has neither text nor images");
        }
        const sessionId = request.sessionId;
        // A session this replica just created is asked of no other replica (see FreshSessions).
        const justCreated = fresh.has(sessionId);
        const askBus = !justCreated && !runs.has(sessionId);
        // Independent reads, at once: the session, its run record, its settings, the bus.
        const [record, recorded, settings, reply] = await Promise.all([
          found(sessionId),
          deps.runRecords?.get(sessionId),
          deps.settings.load(sessionId),
          askBus ? deps.bus.command(sessionId, { type: "status" }) : undefined,
        ]);
        const log = fresh.take(record);
        const busy =
          runs.has(sessionId) ||
          recorded !== undefined ||
          reply?.ok === true ||
          (justCreated && log === undefined && (await deps.bus.command(sessionId, { type: "status" }))?.ok);
        if (busy) {
          throw failedPrecondition(
            `session ${record.id} is already running: follow it with Resume or stop it with Cancel`,
          );
        }
        return startRun(starter, {
          session: record,
          ...(log !== undefined && { log }),
          settings,
          prompt: request.text,
          ...(images.length > 0 && { images }),
          continues: false,
          maxTurns: request.maxTurns,
          metadata: context.metadata,
          runId: randomUUID(),
          recoveries: 0,
        });
      });
      // A client that stops reading does not stop the run: it goes on, and Resume picks it up.
      yield* feed;
    },

    async approve(request) {
      const decision = decisions.fromProto(request.decision);
      if (decision === undefined) throw invalidArgument("decision must be allow, deny or allow_always");
      return command(request.sessionId, {
        type: "approve",
        requestId: request.requestId,
        decision,
        ...(request.reason !== undefined && { reason: request.reason }),
        ...(request.editedArgumentsJson !== undefined && {
          editedArgumentsJson: request.editedArgumentsJson,
        }),
      });
    },

    async submitToolResult(request) {
      return command(request.sessionId, {
        type: "tool_result",
        callId: request.callId,
        output: request.output,
        isError: request.isError,
        ...(request.errorKind !== undefined && { errorKind: request.errorKind }),
        durationMs: request.durationMs,
      });
    },

    async cancel(request) {
      await mapErrors(() => found(request.sessionId));
      const local = runs.get(request.sessionId);
      if (local) local.run.cancel();
      else await deps.bus.command(request.sessionId, { type: "cancel" });
      return {};
    },

    async *resume(request, context) {
      await mapErrors(() => found(request.sessionId));
      yield* followSession(
        { store: deps.store, bus: deps.bus, now },
        request.sessionId,
        request.afterSeq,
        context.signal,
      );
    },

    activeRuns: () => runs.size,

    recover: () => recoverRuns(starter),

    async drain(timeoutMs) {
      const pending = [...runs.values()].map((entry) => entry.done);
      const timer = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
      await Promise.race([Promise.all(pending), timer]);
      for (const { run } of runs.values()) run.stopForShutdown();
      await Promise.all([...runs.values()].map((entry) => entry.done));
    },
  };
}

const NO_MODEL: ModelClient = {
  async *stream(request) {
    yield { type: "error", code: "no_model", message: "this runner only creates sessions", retryable: false };
    yield { type: "turn_end", turn: request.turn, stopReason: "error" };
  },
};

const NO_TOOLS: AgentTools = {
  specs: () => [],
  prepare: () => ({ ok: false, outcome: { ok: false, errorKind: "unknown_tool", message: "no tools" } }),
};
