import type { AgentEvent, Decision } from "@toad/core";

export type Unsubscribe = () => Promise<void>;

/** W3C trace context and similar, carried next to a message (NATS headers). */
export type Headers = Record<string, string>;

/** A tool call the session delegated to its client, waiting for `SubmitToolResult`. */
export interface DelegatedCall {
  callId: string;
  name: string;
  argumentsJson: string;
}

/** Commands for the process that runs a session (with several replicas, maybe another one). */
export type RunCommand =
  | {
      type: "approve";
      requestId: string;
      decision: Decision;
      reason?: string;
      editedArgumentsJson?: string;
    }
  | {
      type: "tool_result";
      callId: string;
      output: string;
      isError: boolean;
      errorKind?: string;
      durationMs: number;
    }
  | { type: "cancel" }
  | { type: "status" };

export type RunState = "running" | "awaiting_approval";

export type RunReply =
  | { ok: true; state: RunState; pendingCalls: DelegatedCall[] }
  | { ok: false; code: "not_found"; message: string };

/**
 * What crosses session-service replicas: every event of a session fanned out
 * to all its watchers (Resume streams), and commands (approve, tool result,
 * cancel, status) routed to whichever replica runs the session. Adapters: in
 * process memory (embedded, `toad serve`) and NATS (JetStream for events,
 * request/reply for commands).
 */
export interface SessionBus {
  /**
   * Fans an event out to the session's watchers. Log events are published
   * after they are in the store; a seq of 0 marks a tool call delegated to
   * the client, which is not a log entry.
   */
  publish(event: AgentEvent, headers?: Headers): Promise<void>;
  /** Live events of the session from now on. */
  watch(sessionId: string, onEvent: (event: AgentEvent, headers: Headers) => void): Promise<Unsubscribe>;
  /** Answers commands for a session while this process runs it. */
  serveRun(sessionId: string, handler: (command: RunCommand) => RunReply): Promise<Unsubscribe>;
  /** Sends a command to whoever runs the session: `undefined` when no one does. */
  command(sessionId: string, command: RunCommand): Promise<RunReply | undefined>;
  close(): Promise<void>;
}
