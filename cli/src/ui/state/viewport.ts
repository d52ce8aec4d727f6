import type { ChatItem, ChatView, UiState } from "./types.js";

/**
 * The full-screen chat shows a window of the conversation, never all of it:
 * a 2,000-message session renders the few items that fit, so a frame costs
 * the same at any length. Heights are estimates (wrapped lines, card rows);
 * the viewport clips whatever overshoots, so an estimate only has to be
 * generous, not exact.
 */
export interface ChatWindow {
  /** First and one-past-last item index. */
  start: number;
  end: number;
  /** Which edge is pinned: the other one is clipped when the items overflow. */
  anchor: "top" | "bottom";
  /** The window reaches the end of the conversation (the live turn shows under it). */
  atEnd: boolean;
}

const RESULT_LINES = 40;

function wrappedRows(text: string, width: number): number {
  let rows = 0;
  for (const line of text.split("\n")) rows += Math.max(1, Math.ceil(line.length / Math.max(10, width)));
  return rows;
}

/** Rows an item takes (with the blank line before it), roughly. */
export function estimateRows(item: ChatItem, width: number, expanded: boolean): number {
  const gap = item.kind === "tool" ? 0 : 1;
  switch (item.kind) {
    case "session":
      return gap + 1;
    case "user":
    case "notice":
      return gap + wrappedRows(item.text, width - 2);
    case "markdown":
      // Code blocks get a border row above and below.
      return gap + wrappedRows(item.text, width - 4) + (item.text.match(/^```/gm)?.length ?? 0);
    case "thinking":
      return gap + (expanded ? 1 + wrappedRows(item.text, width - 2) : 1);
    case "diff":
      return gap + 1 + Math.min(400, item.diff.split("\n").length);
    case "tool": {
      if (!expanded) return 2;
      const output = Math.min(RESULT_LINES, (item.output ?? "").split("\n").length) + 1;
      const diff = item.approval?.diff ? Math.min(RESULT_LINES, item.approval.diff.split("\n").length) : 0;
      return 1 + output + diff;
    }
  }
}

/** The items to render for a viewport of `height` rows. `rows(i)` estimates item i. */
export function chatWindow(
  count: number,
  view: ChatView,
  height: number,
  rows: (index: number) => number,
): ChatWindow {
  if (count === 0) return { start: 0, end: 0, anchor: "bottom", atEnd: true };
  if (view?.anchor === "top") {
    const start = clamp(view.index, count);
    let end = start;
    // One item past the edge, so the window never ends short of the frame.
    for (let used = 0; end < count && used <= height; end++) used += rows(end);
    return { start, end, anchor: "top", atEnd: end >= count };
  }
  const last = view === undefined ? count - 1 : clamp(view.index, count);
  let start = last + 1;
  for (let used = 0; start > 0 && used <= height; ) used += rows(--start);
  return { start, end: last + 1, anchor: "bottom", atEnd: last === count - 1 };
}

/** The view after moving the selection to `selected`: it scrolls just enough to show it. */
export function viewShowing(selected: number, window: ChatWindow, count: number): ChatView {
  // The item at the pinned edge's far side may be clipped: it does not count as shown.
  const firstShown = window.anchor === "bottom" && window.start > 0 ? window.start + 1 : window.start;
  const lastShown = window.anchor === "top" && !window.atEnd ? window.end - 2 : window.end - 1;
  if (selected >= firstShown && selected <= lastShown) {
    // On screen: keep the window where it is, so it does not jump.
    if (window.atEnd && window.anchor === "bottom") return undefined;
    return { anchor: window.anchor, index: window.anchor === "top" ? window.start : window.end - 1 };
  }
  if (selected < firstShown) return { anchor: "top", index: selected };
  return selected >= count - 1 ? undefined : { anchor: "bottom", index: selected };
}

/** A page up or down from the current window. */
export function pageView(window: ChatWindow, direction: -1 | 1, count: number): ChatView {
  if (direction === -1) return { anchor: "bottom", index: Math.max(0, window.start) };
  const top = window.end - 1;
  return top >= count - 1 || window.atEnd ? undefined : { anchor: "top", index: top };
}

function clamp(index: number, count: number): number {
  return Math.max(0, Math.min(count - 1, index));
}

/** The selected entry of Agent mode: a history item, or a card of the live turn. */
export function selectedEntry(state: Pick<UiState, "selected" | "items" | "live">): ChatItem | undefined {
  if (state.selected === undefined) return undefined;
  return state.items[state.selected] ?? state.live.tools[state.selected - state.items.length];
}
