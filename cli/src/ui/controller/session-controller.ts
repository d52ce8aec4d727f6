import type { AgentRunResult } from "@toad/agent";
import type { PermissionMode, UserImage } from "@toad/core";
import type { NewSessionOptions, SendOptions } from "@toad/session";
import type { SessionRecord, SessionStore } from "@toad/store";
import type { UiStore } from "../state/store.js";
import { UiApprover } from "./approver.js";

/** The part of `SessionRunner` the UI drives. */
export interface RunnerPort {
  create(options: NewSessionOptions): Promise<SessionRecord>;
  get(sessionId: string): Promise<SessionRecord>;
  send(sessionId: string, options: SendOptions): Promise<AgentRunResult>;
}

export interface SessionControllerDeps {
  runner: RunnerPort;
  store: Pick<SessionStore, "events">;
  ui: UiStore;
  cwd: string;
  /** How many items of a restored history to print (default `PRINTED_HISTORY`). */
  printedHistory?: number;
  /** The images a prompt names (`./shot.png`), and notices for those not sent; none when absent. */
  attachImages?(prompt: string): Promise<{ images: UserImage[]; notices: string[] }>;
}

/**
 * Printing is the cost of opening a long session (a rendered markdown item
 * takes milliseconds), so the scrollback gets the recent part; the full-screen
 * view (ctrl+b, ctrl+g) scrolls all of it.
 */
export const PRINTED_HISTORY = 80;

/**
 * Drives sessions for the UI: sends prompts through the same `SessionRunner`
 * as `toad -p`, feeds every event to the UI store, queues what is typed while
 * the agent works, and interrupts on request. A new session is created with
 * the first prompt, so opening and quitting toad leaves no empty session.
 */
export class SessionController {
  readonly approver = new UiApprover();
  private session: SessionRecord | undefined;
  private current: { abort: AbortController; done: Promise<void> } | undefined;
  private readonly queue: string[] = [];

  constructor(private readonly deps: SessionControllerDeps) {}

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Shows a stored session with its whole history and continues it from there. */
  async open(sessionId: string): Promise<SessionRecord> {
    const record = await this.deps.runner.get(sessionId);
    const events = await this.deps.store.events(sessionId);
    this.session = record;
    this.approver.reset();
    const { ui } = this.deps;
    ui.dispatch({ type: "reset" });
    ui.dispatchAll(events.map((event) => ({ type: "event" as const, event })));
    // Printing thousands of items would hold the first frame for seconds; the log keeps them all.
    ui.dispatch({ type: "trim_history", keep: this.deps.printedHistory ?? PRINTED_HISTORY });
    ui.dispatch({ type: "set_mode", mode: record.permissionMode });
    return record;
  }

  /** Forgets the current session: the next prompt starts a new one. */
  newSession(): void {
    this.session = undefined;
    this.approver.reset();
    this.deps.ui.dispatch({ type: "reset" });
  }

  /** Runs the prompt now, or after the current run when the agent is busy. */
  submit(prompt: string): void {
    if (this.current) {
      this.queue.push(prompt);
      this.publishQueue();
      return;
    }
    this.start(prompt);
  }

  /** Esc: aborts the run. Returns the queued prompts, which are not sent (the caller puts them back). */
  interrupt(): string[] {
    const queued = this.queue.splice(0);
    this.publishQueue();
    this.current?.abort.abort();
    return queued;
  }

  /** Resolves when the current run (and its queued prompts) are done. */
  async idle(): Promise<void> {
    while (this.current) await this.current.done;
  }

  private start(prompt: string): void {
    const abort = new AbortController();
    const done = this.run(prompt, abort.signal).finally(() => {
      this.current = undefined;
      const next = this.queue.shift();
      if (next !== undefined && !abort.signal.aborted) {
        this.publishQueue();
        this.start(next);
      }
    });
    this.current = { abort, done };
  }

  private async run(prompt: string, signal: AbortSignal): Promise<void> {
    const { ui, runner } = this.deps;
    ui.dispatch({ type: "run_started" });
    let exit = "error";
    try {
      const session = await this.ensureSession();
      const { mode, model }: { mode: PermissionMode; model: string } = ui.getState();
      const attached = await this.deps.attachImages?.(prompt);
      for (const text of attached?.notices ?? []) ui.dispatch({ type: "notice", level: "warn", text });
      const result = await runner.send(session.id, {
        prompt,
        ...(attached?.images.length && { images: attached.images }),
        signal,
        approver: this.approver,
        permissionMode: mode,
        // `/model` may have changed it since the session started.
        model,
        onEvent: (event) => ui.dispatch({ type: "event", event }),
      });
      exit = result.exit;
    } catch (error) {
      ui.dispatch({
        type: "notice",
        level: "error",
        text: error instanceof Error ? error.message : String(error),
      });
    } finally {
      ui.dispatch({ type: "run_finished", exit });
      ui.flush();
    }
  }

  private async ensureSession(): Promise<SessionRecord> {
    if (this.session) return this.session;
    const { ui, runner, cwd } = this.deps;
    const state = ui.getState();
    const record = await runner.create({ cwd, model: state.model, permissionMode: state.mode });
    this.session = record;
    // The session_started event is in the log; show it like a replayed one.
    const [started] = await this.deps.store.events(record.id, { limit: 1 });
    if (started) ui.dispatch({ type: "event", event: started });
    return record;
  }

  private publishQueue(): void {
    this.deps.ui.dispatch({ type: "set_queue", queued: [...this.queue] });
  }
}
