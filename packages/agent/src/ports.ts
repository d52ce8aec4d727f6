import type { AgentEventBody, ApprovalKind, ToolSpec } from "@toad/core";

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

/**
 * The agent's view of its tools (implemented over `@toad/tools` by the
 * wiring). `preview` and `execute` never throw for bad input: they answer
 * with a typed failure the model can read.
 */
export interface AgentTools {
  specs(): ToolSpec[];
  /** Undefined for a tool that does not exist. */
  effectOf(name: string): ToolEffect | undefined;
  preview(call: ToolCall, signal: AbortSignal): Promise<ToolPreview | { error: ToolOutcome }>;
  execute(call: ToolCall, signal: AbortSignal): Promise<ToolOutcome>;
}

export interface ApprovalQuestion {
  requestId: string;
  call: ToolCall;
  kind: ApprovalKind;
  preview: ToolPreview;
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
