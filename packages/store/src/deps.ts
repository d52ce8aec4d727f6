import { randomUUID } from "node:crypto";
import { localFiles, type WorkspaceFiles } from "./files.js";

/** What every adapter takes from outside; tests pass a fixed clock and ids. */
export interface StoreDeps {
  /** Milliseconds since the epoch; stamps events, sessions and checkpoints. Default `Date.now`. */
  now?: () => number;
  /** New session ids. Default: random UUIDs. */
  newId?: () => string;
  /** Where `undo` and `rewind` write. Default: the local disk. */
  files?: WorkspaceFiles;
}

export function withDefaults(deps: StoreDeps): Required<StoreDeps> {
  return {
    now: deps.now ?? Date.now,
    newId: deps.newId ?? randomUUID,
    files: deps.files ?? localFiles,
  };
}
