import type { AgentEvent, PermissionMode } from "@toad/core";
import { SUMMARY_OPEN } from "@toad/llm";
import { splitStreaming } from "./split.js";
import { parseArgs } from "./tool-summary.js";
import type {
  ChatItem,
  ChatView,
  LiveTurn,
  NoticeLevel,
  PanelKind,
  TodoEntry,
  ToolCardItem,
  UiState,
} from "./types.js";

/**
 * The UI's state as a pure fold over the core event stream plus a few UI
 * actions. The live run and a replayed session go through the same reducer,
 * so a resumed session renders exactly as it did when it ran.
 */
export type UiAction =
  | { type: "event"; event: AgentEvent }
  | { type: "run_started" }
  | { type: "run_finished"; exit: string }
  | { type: "notice"; level: NoticeLevel; text: string }
  /** A fresh history (new or resumed session); settings stay. */
  | { type: "reset" }
  | { type: "set_mode"; mode: PermissionMode }
  | { type: "set_model"; model: string }
  | { type: "toggle_verbose" }
  | { type: "set_queue"; queued: string[] }
  | { type: "show_diff"; title: string; diff: string }
  /** Prints only the last `keep` items of a restored history. */
  | { type: "trim_history"; keep: number }
  | { type: "set_layout"; layout: UiState["layout"] }
  | { type: "set_vim"; vim: boolean }
  | { type: "set_panel"; panel: PanelKind }
  | { type: "set_agent_mode"; on: boolean }
  /** Agent mode: select an entry (clamped to the conversation). */
  | { type: "select"; index: number }
  | { type: "toggle_expanded"; id: string }
  | { type: "set_view"; view: ChatView };

export interface InitialOptions {
  model?: string;
  mode?: PermissionMode;
  maxTailLines?: number;
  vim?: boolean;
}

const EMPTY_LIVE: LiveTurn = { text: "", thinking: undefined, tools: [] };

export function initialState(options: InitialOptions = {}): UiState {
  return {
    sessionId: undefined,
    model: options.model ?? "auto",
    activeModel: undefined,
    mode: options.mode ?? "ask",
    items: [],
    printedFrom: 0,
    live: EMPTY_LIVE,
    running: false,
    queued: [],
    usage: emptyUsage(),
    todos: [],
    epoch: 0,
    verbose: false,
    layout: "focus",
    panel: "metrics",
    agentMode: false,
    selected: undefined,
    expanded: [],
    view: undefined,
    vim: options.vim ?? false,
    maxTailLines: options.maxTailLines ?? 20,
    nextId: 1,
  };
}

function emptyUsage(): UiState["usage"] {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    contextTokens: 0,
    requests: 0,
  };
}

export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case "event": {
      const next = reduceEvent(state, action.event);
      // Agent mode: a proposed edit takes the selection, so a/d/e act on what is shown.
      if (next.agentMode && action.event.type === "approval_request")
        return { ...next, selected: pendingIndex(next) ?? next.selected, view: undefined };
      return next;
    }
    case "run_started":
      return { ...state, running: true };
    case "run_finished": {
      const settled = settleLive({ ...state, running: false });
      if (action.exit === "cancelled") return push(settled, notice(settled, "warn", "Interrupted."));
      if (action.exit === "max_tokens")
        return push(settled, notice(settled, "warn", "The answer was cut at the output token limit."));
      if (action.exit === "refusal") return push(settled, notice(settled, "warn", "The model declined."));
      return settled;
    }
    case "notice":
      return push(state, notice(state, action.level, action.text));
    case "reset":
      return {
        ...initialState({ model: state.model, mode: state.mode, maxTailLines: state.maxTailLines }),
        verbose: state.verbose,
        layout: state.layout,
        panel: state.panel,
        agentMode: state.agentMode,
        vim: state.vim,
        queued: state.queued,
        epoch: state.epoch + 1,
        nextId: state.nextId,
      };
    case "set_mode":
      return { ...state, mode: action.mode };
    case "set_model":
      return { ...state, model: action.model };
    case "toggle_verbose":
      return { ...state, verbose: !state.verbose, epoch: state.epoch + 1 };
    case "set_queue":
      return { ...state, queued: action.queued };
    case "set_vim":
      return { ...state, vim: action.vim };
    case "set_layout":
      return { ...state, layout: action.layout, view: undefined };
    case "set_panel":
      return { ...state, panel: action.panel };
    case "set_agent_mode":
      return {
        ...state,
        agentMode: action.on,
        selected: action.on ? (pendingIndex(state) ?? lastIndex(state)) : undefined,
        view: undefined,
      };
    case "select": {
      const last = lastIndex(state);
      if (last === undefined) return state;
      return { ...state, selected: Math.max(0, Math.min(last, action.index)) };
    }
    case "toggle_expanded":
      return {
        ...state,
        expanded: state.expanded.includes(action.id)
          ? state.expanded.filter((id) => id !== action.id)
          : [...state.expanded, action.id],
      };
    case "set_view":
      return { ...state, view: action.view };
    case "trim_history":
      return { ...state, printedFrom: Math.max(state.printedFrom, state.items.length - action.keep) };
    case "show_diff":
      return push(state, { kind: "diff", id: `d${state.nextId}`, title: action.title, diff: action.diff });
  }
}

export function reduceEvent(state: UiState, event: AgentEvent): UiState {
  switch (event.type) {
    case "session_started":
      return push(
        { ...state, sessionId: event.sessionId, model: event.model, mode: event.permissionMode },
        {
          kind: "session",
          id: `s${event.seq}`,
          sessionId: event.sessionId,
          cwd: event.cwd,
          model: event.model,
          mode: event.permissionMode,
        },
      );
    case "user_message": {
      const settled = settleLive(state);
      // After /compact the next request starts from the summary: that is the context now.
      const compacted = event.text.startsWith(SUMMARY_OPEN);
      return push(
        {
          ...settled,
          sessionId: event.sessionId,
          ...(compacted && {
            usage: { ...settled.usage, contextTokens: Math.ceil(event.text.length / 4) },
          }),
        },
        { kind: "user", id: `u${event.seq}`, text: event.text },
      );
    }
    case "turn_start":
      return { ...state, activeModel: event.model };
    case "text_delta":
      return appendText(commitThinking(state, event.timestamp), event.text);
    case "thinking_delta": {
      const withText = commitText(state);
      const current = withText.live.thinking;
      return setLive(withText, {
        thinking: {
          text: (current?.text ?? "") + event.text,
          startedAt: current?.startedAt ?? event.timestamp,
          redacted: event.redacted,
        },
      });
    }
    case "tool_call_start": {
      const flushed = commitText(commitThinking(state, event.timestamp));
      const card: ToolCardItem = {
        kind: "tool",
        id: `t${event.seq}`,
        callId: event.callId,
        name: event.name,
        argumentsJson: "",
        status: "streaming",
        startedAt: event.timestamp,
      };
      return setLive(flushed, { tools: [...flushed.live.tools, card] });
    }
    case "tool_call_delta":
      return updateTool(
        state,
        (card) => card.callId === event.callId,
        (card) => ({
          argumentsJson: card.argumentsJson + event.argumentsDelta,
        }),
      );
    case "tool_call_complete": {
      const known = state.live.tools.some((card) => card.callId === event.callId);
      const base = known
        ? state
        : reduceEvent(state, { ...event, type: "tool_call_start", callId: event.callId, name: event.name });
      return updateTool(
        base,
        (card) => card.callId === event.callId,
        () => ({
          argumentsJson: event.argumentsJson,
          status: "pending",
        }),
      );
    }
    case "approval_request":
      return updateTool(
        state,
        (card) => card.callId === event.callId,
        () => ({
          status: "approval",
          approval: {
            requestId: event.requestId,
            kind: event.kind,
            summary: event.summary,
            ...(event.diff !== undefined && { diff: event.diff }),
            ...(event.command !== undefined && { command: event.command }),
          },
        }),
      );
    case "approval_decision":
      return updateTool(
        state,
        (card) => card.approval?.requestId === event.requestId,
        (card) => ({
          status: event.decision === "deny" ? "denied" : "running",
          ...(card.approval && {
            approval: {
              ...card.approval,
              decision: event.decision,
              ...(event.editedArgumentsJson !== undefined && {
                editedArgumentsJson: event.editedArgumentsJson,
              }),
            },
          }),
        }),
      );
    case "tool_result":
      return finishTool(state, event);
    case "usage": {
      const usage = state.usage;
      return {
        ...state,
        activeModel: event.model,
        usage: {
          inputTokens: usage.inputTokens + event.inputTokens,
          outputTokens: usage.outputTokens + event.outputTokens,
          cacheReadTokens: usage.cacheReadTokens + event.cacheReadTokens,
          cacheWriteTokens: usage.cacheWriteTokens + event.cacheWriteTokens,
          costUsd: usage.costUsd + event.costUsd,
          contextTokens:
            event.inputTokens + event.cacheReadTokens + event.cacheWriteTokens + event.outputTokens,
          requests: usage.requests + 1,
        },
      };
    }
    case "retry": {
      const target = event.nextModel ? ` with ${event.nextModel}` : "";
      const text = `Retrying${target} (attempt ${event.attempt}): ${event.reason}${
        event.discardPartial ? " — the partial answer above is void" : ""
      }`;
      const base = event.discardPartial
        ? setLive(state, {
            text: "",
            thinking: undefined,
            tools: state.live.tools.filter((card) => card.status !== "streaming"),
          })
        : state;
      return push(base, notice(base, "warn", text));
    }
    case "error":
      return push(state, notice(state, "error", event.message));
    case "turn_end":
      return commitText(commitThinking(state, event.timestamp));
  }
}

/** Appends streamed text and commits every complete block before the tail. */
function appendText(state: UiState, delta: string): UiState {
  let tail = state.live.text + delta;
  let next = state;
  for (
    let split = splitStreaming(tail, next.maxTailLines);
    split;
    split = splitStreaming(tail, next.maxTailLines)
  ) {
    next = pushMarkdown(next, split.commit);
    tail = split.tail;
  }
  return setLive(next, { text: tail });
}

function pushMarkdown(state: UiState, text: string): UiState {
  if (text.trim() === "") return state;
  return push(state, { kind: "markdown", id: `m${state.nextId}`, text });
}

function commitText(state: UiState): UiState {
  if (state.live.text === "") return state;
  return setLive(pushMarkdown(state, state.live.text), { text: "" });
}

function commitThinking(state: UiState, now: number): UiState {
  const thinking = state.live.thinking;
  if (!thinking) return state;
  const item: ChatItem = {
    kind: "thinking",
    id: `k${state.nextId}`,
    text: thinking.text,
    durationMs: Math.max(0, now - thinking.startedAt),
    redacted: thinking.redacted,
  };
  return setLive(push(state, item), { thinking: undefined });
}

/** Everything still live goes to the history (end of a run, or a new user message). */
function settleLive(state: UiState): UiState {
  let next = commitText(commitThinking(state, Date.now()));
  for (const card of next.live.tools) next = push(next, card);
  return setLive(next, { tools: [] });
}

function finishTool(state: UiState, event: Extract<AgentEvent, { type: "tool_result" }>): UiState {
  const known = state.live.tools.some((card) => card.callId === event.callId);
  const base = known
    ? state
    : reduceEvent(state, {
        ...event,
        type: "tool_call_complete",
        argumentsJson: "",
      });
  const finished = updateTool(
    base,
    (card) => card.callId === event.callId,
    (card) => ({
      status: event.isError
        ? event.errorKind === "denied" || card.status === "denied"
          ? "denied"
          : "error"
        : "done",
      output: event.output,
      durationMs: event.durationMs,
      ...(event.errorKind !== undefined && { errorKind: event.errorKind }),
    }),
  );
  const todos = !event.isError && event.name === "todo_write" ? todosOf(finished, event.callId) : undefined;
  // Finished cards move to the history in call order, so the printed log keeps the model's order.
  let next = todos ? { ...finished, todos } : finished;
  const tools = [...next.live.tools];
  while (tools[0] && isFinished(tools[0])) {
    const card = tools.shift();
    if (card) next = push(next, card);
  }
  return setLive(next, { tools });
}

const isFinished = (card: ToolCardItem) =>
  card.status === "done" ||
  card.status === "error" ||
  (card.status === "denied" && card.output !== undefined);

function todosOf(state: UiState, callId: string): TodoEntry[] | undefined {
  const card = state.live.tools.find((candidate) => candidate.callId === callId);
  const args = card && parseArgs(card.approval?.editedArgumentsJson ?? card.argumentsJson);
  if (!args || !Array.isArray(args.todos)) return undefined;
  const todos: TodoEntry[] = [];
  for (const entry of args.todos as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const { content, status } = entry as { content?: unknown; status?: unknown };
    if (typeof content !== "string") continue;
    if (status === "pending" || status === "in_progress" || status === "completed")
      todos.push({ content, status });
  }
  return todos;
}

function updateTool(
  state: UiState,
  which: (card: ToolCardItem) => boolean,
  change: (card: ToolCardItem) => Partial<ToolCardItem>,
): UiState {
  const index = state.live.tools.findIndex(which);
  const card = state.live.tools[index];
  if (!card) return state;
  const tools = [...state.live.tools];
  tools[index] = { ...card, ...change(card) };
  return setLive(state, { tools });
}

function setLive(state: UiState, change: Partial<LiveTurn>): UiState {
  return { ...state, live: { ...state.live, ...change } };
}

/** The last entry of the conversation (history items, then live tool cards). */
function lastIndex(state: UiState): number | undefined {
  const count = state.items.length + state.live.tools.length;
  return count === 0 ? undefined : count - 1;
}

const isPending = (card: ToolCardItem) => card.status === "approval" && card.approval?.decision === undefined;

/** The tool card waiting for the person's answer, if any. */
export function pendingCard(state: Pick<UiState, "live">): ToolCardItem | undefined {
  return state.live.tools.find(isPending);
}

/** The card waiting for an answer, as an entry index. */
function pendingIndex(state: UiState): number | undefined {
  const at = state.live.tools.findIndex(isPending);
  return at === -1 ? undefined : state.items.length + at;
}

function push(state: UiState, item: ChatItem): UiState {
  return { ...state, items: [...state.items, item], nextId: state.nextId + 1 };
}

function notice(state: UiState, level: NoticeLevel, text: string): ChatItem {
  return { kind: "notice", id: `n${state.nextId}`, level, text };
}
