import type { AgentEventBody, ApprovalKind, ToolSpec, UsageEvent } from "@toad/core";

/** What a tool does to the world; decides concurrency and which permission applies. */
export type ToolEffect = "read" | "edit" | "command" | "network";

export interface ToolCall {
  callId: string;
  name: string;
  argumentsJson: string;
}

/** What a person needs to see to approve a call. */
export interface ToolPreview {
  summary: string;
  diff?: string;
  command?: string;
}

export type ToolOutcome = { ok: true; output: string } | { ok: false; errorKind: string; message: string };

/** A call past validation: approve it by its effect and preview, then execute it. */
export interface PreparedToolCall {
  /** The call's own effect (e.g. `git status` reads although `git` can write). */
  effect: ToolEffect;
  preview(): Promise<{ ok: true; preview: ToolPreview } | { ok: false; outcome: ToolOutcome }>;
  execute(services?: ToolRunServices): Promise<ToolOutcome>;
}

/** What the loop lends a running call besides its arguments. */
export interface ToolRunServices {
  /**
   * Logs the usage of a model request the tool made itself (a subagent's
   * turns), so it counts toward the session's cost and budget.
   */
  reportUsage(usage: UsageEvent): Promise<void>;
  /**
   * An approver for an agent the tool runs (a subagent, named `agent`): its
   * questions go to the person this run asks, shown with the agent's name,
   * one open question at a time, and each request and decision is logged in
   * this run's log. Absent when the run has no one to ask.
   */
  approverFor?(agent: string): Approver;
}

export type PrepareResult = { ok: true; call: PreparedToolCall } | { ok: false; outcome: ToolOutcome };

/**
 * The agent's view of its tools (implemented over `@toad/tools` by the
 * wiring). `prepare` validates a call (the tool exists, its arguments parse
 * and fit the schema); nothing here throws for bad input: failures are
 * outcomes the model can read.
 */
export interface AgentTools {
  specs(): ToolSpec[];
  prepare(call: ToolCall, signal: AbortSignal): PrepareResult;
}

export interface ApprovalQuestion {
  requestId: string;
  call: ToolCall;
  kind: ApprovalKind;
  preview: ToolPreview;
  /** Set when a subagent asks: its name, for the person to see who wants to act. */
  subagent?: string;
}

export type ApprovalAnswer =
  | { decision: "allow" | "allow_always"; editedArgumentsJson?: string }
  | { decision: "deny"; reason?: string };

/** Asks a person (UI, ACP client, remote CLI). Headless runs have none. */
export interface Approver {
  ask(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer>;
}

/**
 * Where events go: the wiring stamps and persists each event (the session
 * log) before handing it to watchers. The loop awaits it before acting on
 * the event, so nothing is done that the log does not show.
 */
export type EventSink = (body: AgentEventBody) => Promise<unknown> | unknown;
