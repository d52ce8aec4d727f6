import type { Database } from "better-sqlite3";
import { StoreError } from "../errors.js";

/**
 * The schema, one migration per version; `PRAGMA user_version` records how
 * far a database has come. Append new migrations, never edit old ones.
 * packages/store/README.md documents the tables.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL DEFAULT '',
    cwd             TEXT NOT NULL,
    model           TEXT NOT NULL,
    permission_mode TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    cost_usd        REAL NOT NULL DEFAULT 0
  );
  CREATE INDEX sessions_by_cwd ON sessions (cwd, updated_at);
  CREATE INDEX sessions_by_update ON sessions (updated_at);

  CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    seq        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    timestamp  INTEGER NOT NULL,
    event      TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  );

  CREATE TABLE blobs (
    hash    TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    content BLOB NOT NULL
  );

  CREATE TABLE checkpoints (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL REFERENCES sessions (id),
    seq         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    reverted_at INTEGER
  );
  CREATE INDEX checkpoints_by_session ON checkpoints (session_id, id);

  CREATE TABLE checkpoint_files (
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints (id),
    path          TEXT NOT NULL,
    blob_hash     TEXT REFERENCES blobs (hash),
    size          INTEGER NOT NULL,
    UNIQUE (checkpoint_id, path)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to `SCHEMA_VERSION`; safe when several processes open a new file at once. */
export function migrate(db: Database): void {
  // IMMEDIATE takes the write lock first, so a second process waits and then finds the work done.
  db.transaction(() => {
    const current = Number(db.pragma("user_version", { simple: true }));
    if (current > SCHEMA_VERSION) {
      throw new StoreError(
        "schema_too_new",
        `the session store has schema version ${current}; this TOAD knows up to ${SCHEMA_VERSION}`,
      );
    }
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
