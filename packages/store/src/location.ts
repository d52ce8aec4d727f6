import { isAbsolute, join } from "node:path";
import { StoreError } from "./errors.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface StoreLocation {
  /** The directory TOAD keeps its data in. */
  dataDir: string;
  /** The embedded SQLite database inside it. */
  dbPath: string;
}

export const DB_FILE_NAME = "toad.db";

/**
 * Where the embedded store lives, from the environment passed in (pass
 * `process.env` at the edge):
 * 1. `$TOAD_DATA_DIR/toad.db` when `TOAD_DATA_DIR` is set;
 * 2. `$XDG_DATA_HOME/toad/toad.db` when `XDG_DATA_HOME` is set;
 * 3. `$HOME/.local/share/toad/toad.db` otherwise.
 * Relative directories are refused rather than resolved against whatever
 * the current directory happens to be. Throws `StoreError` "no_location".
 */
export function storeLocation(env: Env): StoreLocation {
  const dataDir = dataDirFrom(env);
  return { dataDir, dbPath: join(dataDir, DB_FILE_NAME) };
}

function dataDirFrom(env: Env): string {
  const explicit = nonEmpty(env.TOAD_DATA_DIR);
  if (explicit !== undefined) return absolute("TOAD_DATA_DIR", explicit);
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and should be ignored.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, "toad");
  const home = nonEmpty(env.HOME);
  if (home !== undefined) return join(absolute("HOME", home), ".local", "share", "toad");
  throw new StoreError("no_location", "cannot place the session store: set TOAD_DATA_DIR or HOME");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function absolute(name: string, value: string): string {
  if (!isAbsolute(value)) {
    throw new StoreError("no_location", `${name} must be an absolute path, got ${JSON.stringify(value)}`);
  }
  return value;
}
