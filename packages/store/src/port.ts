import type { AgentEvent, AgentEventBody, PermissionMode } from "@toad/core";
import type { Result } from "./errors.js";

/** A session as listed by `toad sessions` (twin of `toad.v1.Session`). */
export interface SessionRecord {
  id: string;
  /** Set at creation, or taken from the first user message when empty. */
  title: string;
  /** Absolute, normalised working directory. */
  cwd: string;
  model: string;
  permissionMode: PermissionMode;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Time of the newest event (or of creation when the log is empty). */
  updatedAt: number;
  /** Seq of the newest event in the log; 0 when the log is empty. */
  lastSeq: number;
  /** Sum of `costUsd` over the log's `usage` events. */
  costUsd: number;
}

export interface NewSession {
  /** Generated when absent; otherwise 1–128 characters of `[A-Za-z0-9._-]`. */
  id?: string;
  /** Must be absolute. */
  cwd: string;
  model: string;
  permissionMode: PermissionMode;
  title?: string;
}

export interface SessionQuery {
  /** Only sessions started in this directory (absolute). */
  cwd?: string;
  limit?: number;
}

export interface EventQuery {
  /** Events with a seq above this one; 0 (the default) reads from the start. */
  afterSeq?: number;
  limit?: number;
}

/**
 * A file's content just before an edit: its bytes, or `absent: true` when the
 * edit creates it (undoing the edit deletes it again).
 */
export type FileSnapshot = { path: string; content: string | Uint8Array } | { path: string; absent: true };

export interface CheckpointFile {
  /** Absolute path (relative paths are resolved against the session's cwd). */
  path: string;
  /** SHA-256 of the previous content, hex; `null` when the file did not exist. */
  blobHash: string | null;
  /** Size of the previous content in bytes; 0 when the file did not exist. */
  size: number;
}

export interface Checkpoint {
  /** Increases with every checkpoint of the store, so it orders a session's checkpoints. */
  id: number;
  sessionId: string;
  /** The seq of the event whose edit this checkpoint precedes. */
  seq: number;
  createdAt: number;
  /** When `undo` or `rewind` restored this checkpoint's files; `null` while it is live. */
  revertedAt: number | null;
  files: CheckpointFile[];
}

export interface RestoredFile {
  path: string;
  /** `written`: previous content put back; `deleted`: the edit had created the file. */
  action: "written" | "deleted";
}

export interface RestoreReport {
  /** The checkpoints now marked reverted, oldest first. */
  checkpointIds: number[];
  files: RestoredFile[];
}

export type RestoreError =
  | { code: "nothing_to_undo"; message: string }
  | { code: "checkpoint_not_found"; message: string }
  | { code: "session_not_found"; message: string }
  /**
   * Some files could not be written. The checkpoints stay live (nothing is
   * lost), so the same call can be retried once the cause is fixed.
   */
  | {
      code: "restore_failed";
      message: string;
      restored: RestoredFile[];
      failed: { path: string; message: string }[];
    };

export type RestoreResult = Result<RestoreReport, RestoreError>;

/**
 * The session store port: sessions, their event log and their file
 * checkpoints. The log is the core event stream itself, one entry per event;
 * `conversationFromEvents(await store.events(id))` rebuilds what to send the
 * model on resume.
 */
export interface SessionStore {
  create(input: NewSession): Promise<SessionRecord>;
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** Most recently active first. */
  list(query?: SessionQuery): Promise<SessionRecord[]>;
  /** The most recently active session in `cwd` (`toad --continue`). */
  latest(cwd: string): Promise<SessionRecord | undefined>;

  /**
   * Stamps `body` with the next seq (gapless from 1) and the time, and writes
   * it durably before resolving. Throws `StoreError` ("session_not_found",
   * "invalid_event"); a rejected body leaves the log untouched.
   */
  append(sessionId: string, body: AgentEventBody): Promise<AgentEvent>;
  /** The log in seq order. Throws `StoreError` "session_not_found". */
  events(sessionId: string, query?: EventQuery): Promise<AgentEvent[]>;

  /**
   * Records the content `files` had before the edit of event `seq`. Blobs are
   * content-addressed: the same bytes are stored once however often they are
   * snapshotted.
   */
  checkpoint(sessionId: string, seq: number, files: readonly FileSnapshot[]): Promise<Checkpoint>;
  /** A session's checkpoints, oldest first, reverted ones included. */
  checkpoints(sessionId: string): Promise<Checkpoint[]>;
  /** Restores the files of the newest live checkpoint and marks it reverted. */
  undo(sessionId: string): Promise<RestoreResult>;
  /**
   * Restores every file changed since checkpoint `checkpointId` (that
   * checkpoint included) to its content before that edit, and marks those
   * checkpoints reverted. Nothing live after it: an empty report.
   */
  rewind(sessionId: string, checkpointId: number): Promise<RestoreResult>;

  close(): Promise<void>;
}
