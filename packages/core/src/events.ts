/**
 * TOAD's core event model: the one normalized stream of agent events.
 *
 * Provider adapters emit it, the agent loop adds tool and approval events, the
 * session store appends every event as it happens (the session log *is* this
 * stream), the UI renders it, `toad -p --output-format stream-json` prints it
 * one per line, and gRPC carries it as `toad.v1.AgentEvent`. Field names match
 * the proto's camelCase names; `event-proto.ts` maps the two losslessly.
 *
 * Producers build an `AgentEventBody`; whoever owns the session log stamps it
 * with the envelope (`sessionId`, `seq`, `timestamp`) to make an `AgentEvent`.
 */

export const PERMISSION_MODES = ["plan", "ask", "auto-edit", "full-auto"] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

export const STOP_REASONS = [
  "end_turn",
  "tool_use",
  "max_tokens",
  "stop_sequence",
  "refusal",
  "pause_turn",
  "cancelled",
  "error",
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const APPROVAL_KINDS = ["edit", "command", "network", "other"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

export const DECISIONS = ["allow", "deny", "allow_always"] as const;
export type Decision = (typeof DECISIONS)[number];

export const DECIDERS = ["user", "rule", "mode", "hook"] as const;
export type DecidedBy = (typeof DECIDERS)[number];

export interface SessionStartedEvent {
  type: "session_started";
  cwd: string;
  model: string;
  permissionMode: PermissionMode;
}

/**
 * An image attached to a user message: a path named in the prompt, a pasted
 * screenshot. A session log stores each image's bytes once: a later message
 * attaching the same image (same `sha256`) carries the reference alone, and
 * the conversation fold takes the bytes from the earlier message
 * (`storeImagesOnce`). Producers cap the size of what they attach.
 */
export interface UserImage {
  /** "image/png", "image/jpeg", "image/gif" or "image/webp". */
  mediaType: string;
  /** Lower-case hex SHA-256 of the bytes: the image's name within the log. */
  sha256: string;
  /** The bytes, base64; absent when an earlier user message of this log carries them. */
  dataBase64?: string;
  /** Where it came from as the person named it ("./shot.png", "pasted"), for readers of the log. */
  source?: string;
}

export interface UserMessageEvent {
  type: "user_message";
  text: string;
  /** Absent when the message has none (never empty). */
  images?: UserImage[];
}

/** One request to one model begins. `turn` counts from 1 within the session. */
export interface TurnStartEvent {
  type: "turn_start";
  turn: number;
  model: string;
  provider: string;
}

export interface TextDeltaEvent {
  type: "text_delta";
  text: string;
}

/** Model reasoning; `signature` is the provider's opaque token, echoed back verbatim. */
export interface ThinkingDeltaEvent {
  type: "thinking_delta";
  text: string;
  signature?: string;
  redacted: boolean;
}

export interface ToolCallStartEvent {
  type: "tool_call_start";
  callId: string;
  name: string;
}

export interface ToolCallDeltaEvent {
  type: "tool_call_delta";
  callId: string;
  argumentsDelta: string;
}

/** The call is fully streamed; `argumentsJson` is exactly what the model sent, possibly malformed. */
export interface ToolCallCompleteEvent {
  type: "tool_call_complete";
  callId: string;
  name: string;
  argumentsJson: string;
}

export interface ToolResultEvent {
  type: "tool_result";
  callId: string;
  name: string;
  /** What the model sees. */
  output: string;
  isError: boolean;
  /** Machine-readable kind when `isError`, e.g. "invalid_arguments", "denied", "timeout". */
  errorKind?: string;
  durationMs: number;
}

export interface ApprovalRequestEvent {
  type: "approval_request";
  requestId: string;
  callId: string;
  tool: string;
  kind: ApprovalKind;
  summary: string;
  diff?: string;
  command?: string;
  /**
   * Set when a subagent asks: its name. `callId` is then the `task` call of
   * this log that runs the subagent, and `tool` the subagent's own tool.
   */
  subagent?: string;
}

export interface ApprovalDecisionEvent {
  type: "approval_decision";
  requestId: string;
  decision: Decision;
  decidedBy: DecidedBy;
  reason?: string;
  /** For "edit then run": the arguments the user changed the call to. */
  editedArgumentsJson?: string;
}

/** Token usage of one model request, priced by the model registry. */
export interface UsageEvent {
  type: "usage";
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

/** The request is retried; with `discardPartial`, output already streamed this turn is void. */
export interface RetryEvent {
  type: "retry";
  attempt: number;
  delayMs: number;
  reason: string;
  discardPartial: boolean;
  /** Set when the retry goes to another model (fallback chain). */
  nextModel?: string;
}

export interface ErrorEvent {
  type: "error";
  /** Stable machine-readable code, e.g. "rate_limited", "auth", "context_length". */
  code: string;
  message: string;
  retryable: boolean;
}

export interface TurnEndEvent {
  type: "turn_end";
  turn: number;
  stopReason: StopReason;
}

export type AgentEventBody =
  | SessionStartedEvent
  | UserMessageEvent
  | TurnStartEvent
  | TextDeltaEvent
  | ThinkingDeltaEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallCompleteEvent
  | ToolResultEvent
  | ApprovalRequestEvent
  | ApprovalDecisionEvent
  | UsageEvent
  | RetryEvent
  | ErrorEvent
  | TurnEndEvent;

export type AgentEventType = AgentEventBody["type"];

/** Where an event sits in its session's log. */
export interface EventEnvelope {
  sessionId: string;
  /** Position in the session's log: 1, 2, 3… without gaps. */
  seq: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export type AgentEvent = EventEnvelope & AgentEventBody;

/** The event of the given type, envelope included. */
export type AgentEventOf<T extends AgentEventType> = EventEnvelope & Extract<AgentEventBody, { type: T }>;

export function stampEvent(body: AgentEventBody, envelope: EventEnvelope): AgentEvent {
  // Named fields then one spread: V8 builds this far faster than two spreads (a hot path per model delta).
  return {
    sessionId: envelope.sessionId,
    seq: envelope.seq,
    timestamp: envelope.timestamp,
    ...body,
  } as AgentEvent;
}

export function isEventOfType<T extends AgentEventType>(
  event: AgentEvent,
  type: T,
): event is AgentEventOf<T> {
  return event.type === type;
}
