import type { UiStore } from "../state/store.js";
import { PANELS, type ToolCardItem } from "../state/types.js";
import { type ChatWindow, pageView, selectedEntry, viewShowing } from "../state/viewport.js";
import type { Key } from "./keys.js";

export interface AgentKeyContext {
  ui: UiStore;
  /** The viewport's window in the last frame (for scrolling to the selection). */
  window(): ChatWindow | undefined;
  pending(): ToolCardItem | undefined;
  answer(card: ToolCardItem, decision: "allow" | "deny" | "allow_always"): void;
  /** Opens the edit-then-run editor on the pending call. */
  edit(card: ToolCardItem): void;
  /** Leaves Agent mode with `text` in the prompt (":" starts a command line). */
  toPrompt(text: string): void;
}

/**
 * Agent mode (ctrl+g, /agent, or `:agent`): keys act on the conversation, not
 * the prompt. j/k (or ↑/↓) select messages and tool cards, enter expands a
 * card, a/d/e accept, dismiss or edit a proposed change, : opens a command
 * line (`:ai fix-bug in src/x.ts` runs a prompt), 1-4 pick the side panel,
 * i or esc go back to the prompt. Returns false for keys it leaves alone.
 */
export function agentKey(ctx: AgentKeyContext, input: string, key: Key): boolean {
  const { ui } = ctx;
  const state = ui.getState();
  const count = state.items.length + state.live.tools.length;
  const select = (index: number) => {
    ui.dispatch({ type: "select", index });
    const next = ui.getState().selected;
    const window = ctx.window();
    if (next !== undefined && window)
      ui.dispatch({ type: "set_view", view: viewShowing(next, window, state.items.length) });
  };
  if (key.ctrl || key.meta) return false;
  const pending = ctx.pending();
  if (pending) {
    if (input === "a" || input === "y") return done(() => ctx.answer(pending, "allow"));
    if (input === "d" || input === "n") return done(() => ctx.answer(pending, "deny"));
    if (input === "A") return done(() => ctx.answer(pending, "allow_always"));
    if (input === "e") return done(() => ctx.edit(pending));
  }
  if (input === "j" || key.downArrow) return done(() => select((state.selected ?? count - 1) + 1));
  if (input === "k" || key.upArrow) return done(() => select((state.selected ?? count) - 1));
  if (input === "g") return done(() => select(0));
  if (input === "G") return done(() => select(count - 1));
  if (key.return || input === " ") {
    const entry = selectedEntry(state);
    if (entry && (entry.kind === "tool" || entry.kind === "thinking"))
      ui.dispatch({ type: "toggle_expanded", id: entry.id });
    return true;
  }
  const panel = PANELS[Number(input) - 1];
  if (panel && /^[1-4]$/.test(input)) return done(() => ui.dispatch({ type: "set_panel", panel }));
  if (input === ":") return done(() => ctx.toPrompt(":"));
  if (input === "i" || input === "q") return done(() => ctx.toPrompt(""));
  // Anything else is swallowed: a stray key must not reach the prompt unseen.
  return !key.escape && !key.pageUp && !key.pageDown;
}

/** PgUp/PgDn in full-screen mode: a page of the conversation. */
export function scrollKey(ui: UiStore, window: ChatWindow | undefined, key: Key): boolean {
  if (!(key.pageUp || key.pageDown) || !window) return false;
  const state = ui.getState();
  ui.dispatch({ type: "set_view", view: pageView(window, key.pageUp ? -1 : 1, state.items.length) });
  return true;
}

function done(action: () => void): true {
  action();
  return true;
}
