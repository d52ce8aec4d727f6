export type { StoreDeps } from "./deps.js";
export { err, ok, type Result, StoreError, type StoreErrorCode } from "./errors.js";
export { captureFiles, localFiles, type WorkspaceFiles } from "./files.js";
export { DB_FILE_NAME, type Env, type StoreLocation, storeLocation } from "./location.js";
export { MemorySessionStore } from "./memory/memory-store.js";
export type * from "./port.js";
// The rules every SessionStore adapter shares, for adapters outside this package (Redis in @toad/platform).
export { type CheckpointSource, rewindTo, undoLatest } from "./restore.js";
export { type PreparedFile, prepareSnapshots } from "./snapshots.js";
export { SCHEMA_VERSION } from "./sqlite/schema.js";
export {
  type Durability,
  openSqliteStore,
  SqliteSessionStore,
  type SqliteStoreOptions,
} from "./sqlite/sqlite-store.js";
export {
  stampValid,
  titleFrom,
  type ValidSession,
  validCheckpointSeq,
  validCwd,
  validEventQuery,
  validNewSession,
  validSessionQuery,
} from "./validate.js";
