import type { UiStore } from "./store.js";
import type { UiState } from "./types.js";

/** Clears the screen and the scrollback, so a history printed again is not doubled. */
export const CLEAR_SCREEN = "\u001b[2J\u001b[3J\u001b[H";
const ENTER = "\u001b[?1049h\u001b[2J\u001b[H";
const LEAVE = "\u001b[?1049l";

/** The split layout and Agent mode draw the whole screen; the focus layout lives in the scrollback. */
export function isFullScreen(state: Pick<UiState, "layout" | "agentMode">): boolean {
  return state.layout === "split" || state.agentMode;
}

/**
 * Switches the terminal to its alternate screen while the UI is full screen,
 * and back (cleared, so the history prints again whole) when it is not. It
 * listens to the store before the app does, so the switch is written before
 * the first frame of the new layout. Returns the function that stops it and
 * leaves the alternate screen.
 */
export function followAlternateScreen(ui: UiStore, write: (text: string) => void): () => void {
  let on = isFullScreen(ui.getState());
  if (on) write(ENTER);
  const unsubscribe = ui.subscribe(() => {
    const next = isFullScreen(ui.getState());
    if (next === on) return;
    on = next;
    write(next ? ENTER : LEAVE + CLEAR_SCREEN);
  });
  return () => {
    unsubscribe();
    if (on) write(LEAVE);
    on = false;
  };
}
