import {
  type AgentHooks,
  type AgentRunResult,
  type AgentTools,
  type Approver,
  buildSystemPrompt,
  combineHooks,
  findRepositoryRoot,
  loadInstructions,
  PermissionPolicy,
  type PermissionRules,
  runAgent,
} from "@toad/agent";
import {
  type AgentEvent,
  type AgentEventBody,
  type ModelClient,
  type ModelTier,
  type PermissionMode,
  storeImagesOnce,
  type UserImage,
} from "@toad/core";
import { captureFiles, type SessionRecord, type SessionStore } from "@toad/store";
import type { SessionExtensions } from "./extensions.js";

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
  /** Hooks, skills, subagents, diagnostics… (`@toad/extensions`); none when absent. */
  extensions?: SessionExtensions;
  /**
   * Where the model's view of a log starts (after a compaction: its summary
   * message); the log itself keeps everything. The whole log when absent.
   */
  conversationStart?(history: readonly AgentEventBody[]): number;
  /**
   * Whether sessions' working directories are on this host's disk (default
   * true). A service whose tools run on the client sets false: the repository
   * root and instruction files are the client's, so none are looked for here.
   */
  workspaceOnHost?: boolean;
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
  /** Absent: the run continues the session's conversation without a new user message (a recovered run). */
  prompt?: string;
  signal: AbortSignal;
  /**
   * Images sent with the prompt (paths it names, pasted images), bytes
   * included; the log stores each image's bytes once per session.
   */
  images?: readonly UserImage[];
  approver?: Approver;
  /** Overrides the session's mode for this run (headless `--permission-mode`). */
  permissionMode?: PermissionMode;
  /** Overrides the session's model for this run (`/model` mid-session): a registry id or `AUTO_MODEL`. */
  model?: string;
  tier?: ModelTier;
  maxTurns?: number;
  budgetUsd?: number;
  /** Called with each event after it is durably in the log. */
  onEvent?(event: AgentEvent): void;
  /** The session as the caller just read it: not read again. */
  session?: SessionRecord;
  /** The session's whole log (bodies) when the caller knows it (a session it just created): not read again. */
  log?: readonly AgentEventBody[];
  /**
   * Awaited once the run has read what it needs and before it appends
   * anything, so the caller's own start-up work overlaps those reads.
   */
  beforeRun?(): Promise<void>;
}

/** A session just created, with its log so far (its session_started event). */
export interface CreatedSession {
  /** As the store created it, before its first event. */
  session: SessionRecord;
  log: AgentEventBody[];
  /** The seq of the log's last event. */
  lastSeq: number;
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
    return (await this.open(options)).session;
  }

  /**
   * Creates a session and returns its log too. `alongside` runs once the
   * session has its id, while its first event is appended (the caller's own
   * records of the session, written in parallel).
   */
  async open(
    options: NewSessionOptions,
    alongside?: (session: SessionRecord) => Promise<void>,
  ): Promise<CreatedSession> {
    const session = await this.deps.store.create(options);
    const [started] = await Promise.all([
      this.deps.store.append(session.id, {
        type: "session_started",
        cwd: session.cwd,
        model: session.model,
        permissionMode: session.permissionMode,
      }),
      alongside?.(session),
    ]);
    const { sessionId: _s, seq: _q, timestamp: _t, ...body } = started;
    return { session, log: [body], lastSeq: started.seq };
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
    const session = options.session ?? (await this.get(sessionId));
    const { store } = this.deps;
    const log =
      options.log ??
      (await store.events(sessionId)).map(({ sessionId: _s, seq: _q, timestamp: _t, ...body }) => body);
    const history = log.slice(this.deps.conversationStart?.(log) ?? 0);
    const permissionMode = options.permissionMode ?? session.permissionMode;
    const beforeWrite = async (paths: readonly string[]) => {
      const current = await store.get(sessionId);
      await store.checkpoint(sessionId, current?.lastSeq ?? 0, await captureFiles(paths));
    };
    const ownTools = await this.deps.tools(session, beforeWrite);
    const policy = new PermissionPolicy(permissionMode, this.deps.permissionRules);
    const extensions = this.deps.extensions;
    const extra = await extensions?.forRun?.({
      session,
      permissionMode,
      tools: ownTools,
      model: this.deps.model,
      policy,
      signal: options.signal,
    });
    const firstRun = !history.some((event) => event.type === "user_message");
    const hooks = combineHooks(firstRun ? sessionStartHook(extensions, session) : undefined, extra?.hooks);
    const system = await this.systemPrompt(session, permissionMode);
    await options.beforeRun?.();
    return runAgent({
      ...(options.prompt !== undefined && { prompt: options.prompt }),
      ...(options.images?.length && { images: storeImagesOnce(options.images, history) }),
      history,
      system,
      model: this.deps.model,
      ...((options.model ?? session.model) !== AUTO_MODEL && { modelId: options.model ?? session.model }),
      ...(options.tier !== undefined && { tier: options.tier }),
      tools: extra?.tools ?? ownTools,
      hooks,
      policy,
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
    const onHost = this.deps.workspaceOnHost ?? true;
    const repositoryRoot = onHost ? await findRepositoryRoot(session.cwd) : session.cwd;
    const repoMap = await this.deps.repoMap?.(session);
    return buildSystemPrompt({
      cwd: session.cwd,
      repositoryRoot,
      permissionMode,
      instructions: onHost ? await loadInstructions(session.cwd, repositoryRoot) : [],
      date: new Date(session.createdAt).toISOString().slice(0, 10),
      ...(repoMap !== undefined && { repoMap }),
    });
  }
}

/**
 * SessionStart as a prompt hook of the session's first run: its context joins
 * the first user message, after the prompt.
 */
function sessionStartHook(
  extensions: SessionExtensions | undefined,
  session: SessionRecord,
): AgentHooks | undefined {
  const start = extensions?.sessionStart;
  if (!start) return undefined;
  return {
    async userPromptSubmit(_prompt, signal) {
      const reply = await start.call(extensions, session, signal);
      return { action: "continue", context: reply.context ?? [], failures: reply.failures ?? [] };
    },
  };
}
