import type { SessionStore } from "@toad/store";
import type { SessionController } from "../controller/session-controller.js";
import type { UiStore } from "../state/store.js";

/** What a slash command may touch. */
export interface CommandContext {
  controller: SessionController;
  ui: UiStore;
  /** Sessions of this directory; `undo` only where the checkpoints are local. */
  store: Pick<SessionStore, "list"> & Partial<Pick<SessionStore, "undo">>;
  /** `/model` may change the model of a started session (the embedded runner takes it per run). */
  modelSwitch: boolean;
  cwd: string;
  /** Model ids from the registry. */
  models: readonly string[];
  /** Replaces the conversation with a summary; undefined when the models layer offers none. */
  compact: (() => Promise<void>) | undefined;
  exit(): void;
  openSessionPicker(): void;
  /** Clears the terminal before the history is printed again. */
  clearScreen(): void;
}

export interface SlashCommand {
  name: string;
  summary: string;
  /** Shown in help: e.g. "[id]". */
  args?: string;
  run(ctx: CommandContext, arg: string): Promise<void> | void;
}
