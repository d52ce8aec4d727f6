import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type AgentEvent, type AgentEventBody, serializeEvent } from "@toad/core";
import Database from "better-sqlite3";
import { type StoreDeps, withDefaults } from "../deps.js";
import { StoreError } from "../errors.js";
import type { WorkspaceFiles } from "../files.js";
import type {
  Checkpoint,
  EventQuery,
  FileSnapshot,
  NewSession,
  RestoreResult,
  SessionQuery,
  SessionRecord,
  SessionStore,
} from "../port.js";
import { type CheckpointSource, rewindTo, undoLatest } from "../restore.js";
import { prepareSnapshots } from "../snapshots.js";
import {
  stampValid,
  titleFrom,
  validCheckpointSeq,
  validCwd,
  validEventQuery,
  validNewSession,
  validSessionQuery,
} from "../validate.js";
import {
  type CheckpointFileRow,
  type CheckpointRow,
  checkpointsFromRows,
  type EventRow,
  eventFromRow,
  type SessionRow,
  sessionFromRow,
} from "./rows.js";
import { migrate } from "./schema.js";

/**
 * How hard each append is pushed to disk. Both run SQLite in WAL mode, where
 * a commit is one append to the -wal file.
 * - "full" (the default): `synchronous=FULL` fsyncs the WAL on every commit,
 *   so an appended event survives a process kill *and* an OS crash or power
 *   cut. Measured here (bench/append.mjs, one commit per event): about 2,000
 *   appends/s, p50 0.2 ms, p99 4-6 ms; a streaming model produces tens to a
 *   few hundred events per second, so the log keeps up with room to spare.
 * - "normal": `synchronous=NORMAL` skips that fsync (the WAL is synced at
 *   checkpoints). A killed process still loses nothing, since the write has
 *   reached the OS before the append returns; a power cut may roll back the
 *   last commits, never corrupt the file. About 5x faster (~10,000/s); for
 *   bulk imports and throwaway stores.
 */
export type Durability = "full" | "normal";

export interface SqliteStoreOptions extends StoreDeps {
  /** The database file (its directory is created), or ":memory:". */
  path: string;
  durability?: Durability;
  /**
   * How long a write waits for another process's write lock before failing
   * with SQLITE_BUSY. Transactions here last well under a millisecond, so
   * the default of 5 s only runs out when something is badly stuck.
   */
  busyTimeoutMs?: number;
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteSessionStore {
  return new SqliteSessionStore(options);
}

/** The embedded `SessionStore`: one SQLite file that several processes can share. */
export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly files: WorkspaceFiles;
  private readonly sql: Statements;
  private readonly source: CheckpointSource;
  private readonly appendTx: Database.Transaction<(sessionId: string, body: AgentEventBody) => AgentEvent>;

  constructor(options: SqliteStoreOptions) {
    ({ now: this.now, newId: this.newId, files: this.files } = withDefaults(options));
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma(`synchronous = ${options.durability === "normal" ? "NORMAL" : "FULL"}`);
      this.db.pragma("foreign_keys = ON");
      migrate(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.sql = prepareStatements(this.db);
    this.appendTx = this.db.transaction((sessionId: string, body: AgentEventBody) =>
      this.appendInTransaction(sessionId, body),
    );
    this.source = {
      hasSession: (id) => this.sql.session.get(id) !== undefined,
      checkpointsOf: (id) => this.readCheckpoints(id),
      blob: (hash) => this.sql.blob.get(hash)?.content,
      markReverted: (_sessionId, ids, at) => {
        this.db.transaction(() => {
          for (const id of ids) this.sql.markReverted.run(at, id);
        })();
      },
    };
  }

  async create(input: NewSession): Promise<SessionRecord> {
    const session = validNewSession(input, this.newId);
    const at = this.now();
    const row: SessionRow = {
      id: session.id,
      title: session.title,
      cwd: session.cwd,
      model: session.model,
      permission_mode: session.permissionMode,
      created_at: at,
      updated_at: at,
      last_seq: 0,
      cost_usd: 0,
    };
    if (this.sql.insertSession.run(row).changes === 0) {
      throw new StoreError("session_exists", `a session ${session.id} already exists`);
    }
    return sessionFromRow(row);
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const row = this.sql.session.get(sessionId);
    return row === undefined ? undefined : sessionFromRow(row);
  }

  async list(query?: SessionQuery): Promise<SessionRecord[]> {
    const { cwd, limit } = validSessionQuery(query);
    // SQLite reads a negative LIMIT as "no limit".
    const rows =
      cwd === undefined ? this.sql.listAll.all(limit ?? -1) : this.sql.listByCwd.all(cwd, limit ?? -1);
    return rows.map(sessionFromRow);
  }

  async latest(cwd: string): Promise<SessionRecord | undefined> {
    const row = this.sql.listByCwd.get(validCwd(cwd), 1);
    return row === undefined ? undefined : sessionFromRow(row);
  }

  async append(sessionId: string, body: AgentEventBody): Promise<AgentEvent> {
    // IMMEDIATE: the write lock is taken before last_seq is read, so two
    // writers of one session can never be handed the same seq.
    return this.appendTx.immediate(sessionId, body);
  }

  async events(sessionId: string, query?: EventQuery): Promise<AgentEvent[]> {
    const { afterSeq, limit } = validEventQuery(query);
    const rows = this.db.transaction(() => {
      if (this.sql.session.get(sessionId) === undefined) {
        throw new StoreError("session_not_found", `no session ${sessionId}`);
      }
      return this.sql.events.all(sessionId, afterSeq, limit ?? -1);
    })();
    return rows.map((row) => eventFromRow(sessionId, row));
  }

  async checkpoint(sessionId: string, seq: number, files: readonly FileSnapshot[]): Promise<Checkpoint> {
    const session = this.sql.session.get(sessionId);
    if (session === undefined) throw new StoreError("session_not_found", `no session ${sessionId}`);
    validCheckpointSeq(seq, session.last_seq);
    // Hashing happens before the write lock is taken: big files do not hold up other writers.
    const prepared = prepareSnapshots(files, session.cwd);
    const createdAt = this.now();
    const id = this.db
      .transaction(() => {
        const { lastInsertRowid } = this.sql.insertCheckpoint.run(sessionId, seq, createdAt);
        for (const file of prepared) {
          const { blob } = file;
          if (blob !== null && this.sql.hasBlob.get(blob.hash) === undefined) {
            const bytes = Buffer.from(blob.bytes.buffer, blob.bytes.byteOffset, blob.bytes.byteLength);
            this.sql.insertBlob.run(blob.hash, bytes.byteLength, bytes);
          }
          this.sql.insertCheckpointFile.run(
            lastInsertRowid,
            file.path,
            blob?.hash ?? null,
            blob?.bytes.byteLength ?? 0,
          );
        }
        return Number(lastInsertRowid);
      })
      .immediate();
    return {
      id,
      sessionId,
      seq,
      createdAt,
      revertedAt: null,
      files: prepared.map(({ path, blob }) => ({
        path,
        blobHash: blob?.hash ?? null,
        size: blob?.bytes.byteLength ?? 0,
      })),
    };
  }

  async checkpoints(sessionId: string): Promise<Checkpoint[]> {
    if (!this.source.hasSession(sessionId))
      throw new StoreError("session_not_found", `no session ${sessionId}`);
    return this.readCheckpoints(sessionId);
  }

  async undo(sessionId: string): Promise<RestoreResult> {
    return undoLatest(this.source, this.files, sessionId, this.now());
  }

  async rewind(sessionId: string, checkpointId: number): Promise<RestoreResult> {
    return rewindTo(this.source, this.files, sessionId, checkpointId, this.now());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private readCheckpoints(sessionId: string): Checkpoint[] {
    return this.db.transaction(() =>
      checkpointsFromRows(this.sql.checkpoints.all(sessionId), this.sql.checkpointFiles.all(sessionId)),
    )();
  }

  private appendInTransaction(sessionId: string, body: AgentEventBody): AgentEvent {
    const session = this.sql.session.get(sessionId);
    if (session === undefined) throw new StoreError("session_not_found", `no session ${sessionId}`);
    const event = stampValid(body, { sessionId, seq: session.last_seq + 1, timestamp: this.now() });
    this.sql.insertEvent.run(sessionId, event.seq, event.type, event.timestamp, serializeEvent(event));
    this.sql.advanceSession.run({
      id: sessionId,
      seq: event.seq,
      at: event.timestamp,
      cost: event.type === "usage" ? event.costUsd : 0,
      title: event.type === "user_message" ? titleFrom(event.text) : "",
    });
    return event;
  }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    insertSession: db.prepare<SessionRow, never>(
      `INSERT INTO sessions (id, title, cwd, model, permission_mode, created_at, updated_at, last_seq, cost_usd)
       VALUES (@id, @title, @cwd, @model, @permission_mode, @created_at, @updated_at, @last_seq, @cost_usd)
       ON CONFLICT (id) DO NOTHING`,
    ),
    session: db.prepare<[string], SessionRow>("SELECT * FROM sessions WHERE id = ?"),
    listAll: db.prepare<[number], SessionRow>(
      "SELECT * FROM sessions ORDER BY updated_at DESC, rowid DESC LIMIT ?",
    ),
    listByCwd: db.prepare<[string, number], SessionRow>(
      "SELECT * FROM sessions WHERE cwd = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?",
    ),
    insertEvent: db.prepare<[string, number, string, number, string], never>(
      "INSERT INTO events (session_id, seq, type, timestamp, event) VALUES (?, ?, ?, ?, ?)",
    ),
    advanceSession: db.prepare<{ id: string; seq: number; at: number; cost: number; title: string }, never>(
      `UPDATE sessions SET last_seq = @seq, updated_at = max(updated_at, @at), cost_usd = cost_usd + @cost,
         title = CASE WHEN title = '' THEN @title ELSE title END
       WHERE id = @id`,
    ),
    events: db.prepare<[string, number, number], EventRow>(
      "SELECT seq, event FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ),
    hasBlob: db.prepare<[string], { found: 1 }>("SELECT 1 AS found FROM blobs WHERE hash = ?"),
    blob: db.prepare<[string], { content: Buffer }>("SELECT content FROM blobs WHERE hash = ?"),
    insertBlob: db.prepare<[string, number, Buffer], never>(
      "INSERT INTO blobs (hash, size, content) VALUES (?, ?, ?)",
    ),
    insertCheckpoint: db.prepare<[string, number, number], never>(
      "INSERT INTO checkpoints (session_id, seq, created_at) VALUES (?, ?, ?)",
    ),
    insertCheckpointFile: db.prepare<[number | bigint, string, string | null, number], never>(
      "INSERT INTO checkpoint_files (checkpoint_id, path, blob_hash, size) VALUES (?, ?, ?, ?)",
    ),
    checkpoints: db.prepare<[string], CheckpointRow>(
      "SELECT id, session_id, seq, created_at, reverted_at FROM checkpoints WHERE session_id = ? ORDER BY id",
    ),
    checkpointFiles: db.prepare<[string], CheckpointFileRow>(
      `SELECT f.checkpoint_id, f.path, f.blob_hash, f.size FROM checkpoint_files f
       JOIN checkpoints c ON c.id = f.checkpoint_id WHERE c.session_id = ? ORDER BY f.rowid`,
    ),
    markReverted: db.prepare<[number, number], never>(
      "UPDATE checkpoints SET reverted_at = ? WHERE id = ? AND reverted_at IS NULL",
    ),
  };
}
