import type { ApprovalKind, Decision, PermissionMode } from "@toad/core";

/** Where a tool call is in its life; the card's spinner and colour follow it. */
export type ToolStatus =
  | "streaming" // the model is still writing the arguments
  | "pending" // complete, waiting to run (or for its turn in the batch)
  | "approval" // waiting for the user's answer
  | "running"
  | "done"
  | "error"
  | "denied";

export interface ApprovalInfo {
  requestId: string;
  kind: ApprovalKind;
  summary: string;
  diff?: string;
  command?: string;
  decision?: Decision;
  editedArgumentsJson?: string;
}

export interface ToolCardItem {
  kind: "tool";
  id: string;
  callId: string;
  name: string;
  argumentsJson: string;
  status: ToolStatus;
  /** Event time of `tool_call_start` (ms since the epoch). */
  startedAt: number;
  durationMs?: number;
  output?: string;
  errorKind?: string;
  approval?: ApprovalInfo;
}

export type NoticeLevel = "info" | "warn" | "error";

/** One finished piece of the conversation: rendered once, in Ink's `<Static>`. */
export type ChatItem =
  | { kind: "session"; id: string; sessionId: string; cwd: string; model: string; mode: PermissionMode }
  | { kind: "user"; id: string; text: string }
  /** A committed chunk of assistant text (markdown); a long answer is several chunks. */
  | { kind: "markdown"; id: string; text: string }
  | { kind: "thinking"; id: string; text: string; durationMs: number; redacted: boolean }
  | ToolCardItem
  | { kind: "notice"; id: string; level: NoticeLevel; text: string }
  /** A diff shown on request (`/diff`). */
  | { kind: "diff"; id: string; title: string; diff: string };

/** The part of the current turn that still changes: re-rendered on every update. */
export interface LiveTurn {
  /** Assistant text not yet committed to the history (the tail after the last safe split). */
  text: string;
  thinking: { text: string; startedAt: number; redacted: boolean } | undefined;
  /** Tool calls of the turn that have not finished, in call order. */
  tools: ToolCardItem[];
}

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** Size of the last prompt plus its answer: what the next request starts from. */
  contextTokens: number;
  requests: number;
}

export interface TodoEntry {
  content: string;
  status: "pending" | "in_progress" | "completed";
}

/** What the split layout shows beside the chat. */
export const PANELS = ["diff", "todos", "files", "metrics"] as const;
export type PanelKind = (typeof PANELS)[number];

/**
 * Where the full-screen chat viewport stands: an item pinned at its top or at
 * its bottom. `undefined` follows the end of the conversation.
 */
export type ChatView = { anchor: "top" | "bottom"; index: number } | undefined;

export interface UiState {
  sessionId: string | undefined;
  /** The session's model setting (a registry id or "auto"). */
  model: string;
  /** The model that answered last (what "auto" resolved to). */
  activeModel: string | undefined;
  mode: PermissionMode;
  items: ChatItem[];
  /** Items before this index are not printed (a long restored session shows its recent part). */
  printedFrom: number;
  live: LiveTurn;
  running: boolean;
  /** Prompts typed while the agent was busy, sent in order when it is done. */
  queued: string[];
  usage: UsageTotals;
  todos: TodoEntry[];
  /** Bumped when the history must be printed again from scratch (clear, resume, expand). */
  epoch: number;
  /** Tool results and thinking shown in full. */
  verbose: boolean;
  /** focus: the conversation alone (in the scrollback); split: full screen, the chat beside a panel. */
  layout: "focus" | "split";
  /** The panel of the split layout. */
  panel: PanelKind;
  /** Agent mode: keys act on the conversation (j/k select, enter expands, a/d/e answer an edit). */
  agentMode: boolean;
  /** The selected entry of the conversation: an index into `items`, then into `live.tools`. */
  selected: number | undefined;
  /** Ids of tool cards shown in full (enter in Agent mode). */
  expanded: readonly string[];
  /** The full-screen viewport's position. */
  view: ChatView;
  /** Vim keys in the prompt editor (opt-in). */
  vim: boolean;
  /** The streaming tail is committed at a line break once it grows past this many lines. */
  maxTailLines: number;
  nextId: number;
}
