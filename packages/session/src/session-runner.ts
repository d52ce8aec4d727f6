import {
  type AgentRunResult,
  type AgentTools,
  type Approver,
  buildSystemPrompt,
  findRepositoryRoot,
  loadInstructions,
  PermissionPolicy,
  type PermissionRules,
  runAgent,
} from "@toad/agent";
import type { AgentEvent, ModelClient, ModelTier, PermissionMode } from "@toad/core";
import { captureFiles, type SessionRecord, type SessionStore } from "@toad/store";

export interface SessionRunnerDeps {
  store: SessionStore;
  model: ModelClient;
  /** Builds the tools of a session; `beforeWrite` must be called with the paths an edit is about to change. */
  tools(
    session: SessionRecord,
    beforeWrite: (paths: readonly string[]) => Promise<void>,
  ): Promise<AgentTools>;
  permissionRules?: PermissionRules;
  /** A repository map for the system prompt, when the context engine has one. */
  repoMap?(session: SessionRecord): Promise<string | undefined>;
}

/** A session's model when none was chosen: each turn is routed by tier. */
export const AUTO_MODEL = "auto";

export interface NewSessionOptions {
  cwd: string;
  /** A model id from the registry, or `AUTO_MODEL`. */
  model: string;
  permissionMode: PermissionMode;
  title?: string;
}

export interface SendOptions {
  prompt: string;
  signal: AbortSignal;
  approver?: Approver;
  /** Overrides the session's mode for this run (headless `--permission-mode`). */
  permissionMode?: PermissionMode;
  tier?: ModelTier;
  maxTurns?: number;
  budgetUsd?: number;
  /** Called with each event after it is durably in the log. */
  onEvent?(event: AgentEvent): void;
}

export class SessionNotFoundError extends Error {
  override readonly name = "SessionNotFoundError";
}

/**
 * Sessions over the store and the agent loop. Every event is appended to the
 * log before anything acts on it, so a session killed at any moment resumes
 * from exactly what it had done: the next `send` rebuilds the conversation
 * from the log.
 */
export class SessionRunner {
  constructor(private readonly deps: SessionRunnerDeps) {}

  async create(options: NewSessionOptions): Promise<SessionRecord> {
    const session = await this.deps.store.create(options);
    await this.deps.store.append(session.id, {
      type: "session_started",
      cwd: session.cwd,
      model: session.model,
      permissionMode: session.permissionMode,
    });
    return session;
  }

  async get(sessionId: string): Promise<SessionRecord> {
    const session = await this.deps.store.get(sessionId);
    if (!session) throw new SessionNotFoundError(`no session with id "${sessionId}" (see toad sessions)`);
    return session;
  }

  async latest(cwd: string): Promise<SessionRecord | undefined> {
    return this.deps.store.latest(cwd);
  }

  async send(sessionId: string, options: SendOptions): Promise<AgentRunResult> {
    const session = await this.get(sessionId);
    const { store } = this.deps;
    const history = (await store.events(sessionId)).map(
      ({ sessionId: _s, seq: _q, timestamp: _t, ...body }) => body,
    );
    const permissionMode = options.permissionMode ?? session.permissionMode;
    const beforeWrite = async (paths: readonly string[]) => {
      const current = await store.get(sessionId);
      await store.checkpoint(sessionId, current?.lastSeq ?? 0, await captureFiles(paths));
    };
    return runAgent({
      prompt: options.prompt,
      history,
      system: await this.systemPrompt(session, permissionMode),
      model: this.deps.model,
      ...(session.model !== AUTO_MODEL && { modelId: session.model }),
      ...(options.tier !== undefined && { tier: options.tier }),
      tools: await this.deps.tools(session, beforeWrite),
      policy: new PermissionPolicy(permissionMode, this.deps.permissionRules),
      ...(options.approver !== undefined && { approver: options.approver }),
      emit: async (body) => {
        const event = await store.append(sessionId, body);
        options.onEvent?.(event);
        return event;
      },
      signal: options.signal,
      ...(options.maxTurns !== undefined && { maxTurns: options.maxTurns }),
      ...(options.budgetUsd !== undefined && { budgetUsd: options.budgetUsd }),
      costSoFarUsd: session.costUsd,
    });
  }

  /** Byte-identical for the whole session (the date is the session's), so providers can cache it. */
  private async systemPrompt(session: SessionRecord, permissionMode: PermissionMode): Promise<string> {
    const repositoryRoot = await findRepositoryRoot(session.cwd);
    const repoMap = await this.deps.repoMap?.(session);
    return buildSystemPrompt({
      cwd: session.cwd,
      repositoryRoot,
      permissionMode,
      instructions: await loadInstructions(session.cwd, repositoryRoot),
      date: new Date(session.createdAt).toISOString().slice(0, 10),
      ...(repoMap !== undefined && { repoMap }),
    });
  }
}
