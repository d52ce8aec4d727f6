import { describe, expect, it } from "vitest";
import { initialState, uiReducer } from "../../src/ui/state/reducer.js";
import type { ChatItem, UiState } from "../../src/ui/state/types.js";
import { chatWindow, estimateRows, pageView, viewShowing } from "../../src/ui/state/viewport.js";

const rows3 = () => 3;

describe("the full-screen chat window", () => {
  it("follows the end: the last items that fill the height, plus one clipped at the top", () => {
    expect(chatWindow(2000, undefined, 10, rows3)).toEqual({
      start: 1996,
      end: 2000,
      anchor: "bottom",
      atEnd: true,
    });
    expect(chatWindow(2, undefined, 10, rows3)).toEqual({ start: 0, end: 2, anchor: "bottom", atEnd: true });
    expect(chatWindow(0, undefined, 10, rows3).end).toBe(0);
  });

  it("pins an item at the top or the bottom, and pages from one window to the next", () => {
    const top = chatWindow(100, { anchor: "top", index: 10 }, 10, rows3);
    expect(top).toEqual({ start: 10, end: 14, anchor: "top", atEnd: false });
    const end = chatWindow(100, undefined, 10, rows3);
    const up = pageView(end, -1, 100);
    expect(up).toEqual({ anchor: "bottom", index: 96 });
    const previous = chatWindow(100, up, 10, rows3);
    expect(previous.end).toBe(97);
    expect(pageView(previous, 1, 100)).toEqual({ anchor: "top", index: 96 });
    expect(pageView(end, 1, 100)).toBeUndefined();
  });

  it("scrolls just enough to show a selection, and not at all when it is shown", () => {
    const window = chatWindow(100, { anchor: "bottom", index: 50 }, 10, rows3);
    expect(viewShowing(49, window, 100)).toEqual({ anchor: "bottom", index: 50 });
    expect(viewShowing(20, window, 100)).toEqual({ anchor: "top", index: 20 });
    expect(viewShowing(70, window, 100)).toEqual({ anchor: "bottom", index: 70 });
    expect(viewShowing(99, window, 100)).toBeUndefined();
  });

  it("estimates rows from wrapped lines, code fences and expanded cards", () => {
    const text: ChatItem = { kind: "markdown", id: "m", text: `${"x".repeat(150)}\n\n\`\`\`js\nok\n\`\`\`` };
    expect(estimateRows(text, 80, false)).toBe(1 + 2 + 1 + 3 + 2);
    const card: ChatItem = {
      kind: "tool",
      id: "t",
      callId: "c",
      name: "read_file",
      argumentsJson: "{}",
      status: "done",
      startedAt: 0,
      output: "a\\nb\\nc",
    };
    expect(estimateRows(card, 80, false)).toBe(2);
    expect(estimateRows({ ...card, output: "a\nb\nc" }, 80, true)).toBe(5);
  });
});

describe("Agent-mode state", () => {
  const withItems = (count: number): UiState => ({
    ...initialState(),
    items: Array.from({ length: count }, (_, i): ChatItem => ({ kind: "user", id: `u${i}`, text: `m${i}` })),
  });

  it("entering selects the last entry; select clamps; leaving clears the selection", () => {
    let state = uiReducer(withItems(5), { type: "set_agent_mode", on: true });
    expect(state).toMatchObject({ agentMode: true, selected: 4 });
    state = uiReducer(state, { type: "select", index: 99 });
    expect(state.selected).toBe(4);
    state = uiReducer(state, { type: "select", index: -3 });
    expect(state.selected).toBe(0);
    state = uiReducer(state, { type: "set_agent_mode", on: false });
    expect(state).toMatchObject({ agentMode: false, selected: undefined });
  });

  it("a card expands and collapses by id; layout, panel and mode survive a new session", () => {
    let state = uiReducer(withItems(2), { type: "toggle_expanded", id: "t1" });
    expect(state.expanded).toEqual(["t1"]);
    state = uiReducer(state, { type: "toggle_expanded", id: "t1" });
    expect(state.expanded).toEqual([]);
    state = uiReducer(state, { type: "set_panel", panel: "files" });
    state = uiReducer(state, { type: "set_layout", layout: "split" });
    state = uiReducer(state, { type: "reset" });
    expect(state).toMatchObject({ layout: "split", panel: "files", items: [] });
  });
});
