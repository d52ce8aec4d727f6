import { type UiAction, uiReducer } from "./reducer.js";
import type { UiState } from "./types.js";

export interface UiStore {
  getState(): UiState;
  dispatch(action: UiAction): void;
  /** Applies many actions and notifies once (replaying a stored session). */
  dispatchAll(actions: Iterable<UiAction>): void;
  subscribe(listener: () => void): () => void;
  /** Notifies now instead of at the next frame. */
  flush(): void;
}

export interface UiStoreOptions {
  /**
   * Listeners hear at most one change per frame (33 ms: 30 frames/s): a model
   * streaming 200 tokens/s then costs the UI one render per frame, not one per
   * token. Keys do not wait for it: the editor renders on its own state.
   * 0 notifies synchronously (tests).
   */
  frameMs?: number;
}

export type Reducer = (state: UiState, action: UiAction) => UiState;

export function createUiStore(
  initial: UiState,
  options: UiStoreOptions = {},
  reducer: Reducer = uiReducer,
): UiStore {
  const frameMs = options.frameMs ?? 33;
  let state = initial;
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const notify = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    for (const listener of [...listeners]) listener();
  };
  const schedule = () => {
    if (frameMs === 0) notify();
    else timer ??= setTimeout(notify, frameMs);
  };

  return {
    getState: () => state,
    dispatch(action) {
      state = reducer(state, action);
      schedule();
    },
    dispatchAll(actions) {
      for (const action of actions) state = reducer(state, action);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: notify,
  };
}
