import { type AgentEvent, PERMISSION_MODES, type PermissionMode, parseEvent } from "@toad/core";
import { StoreError } from "../errors.js";
import type { Checkpoint, CheckpointFile, SessionRecord } from "../port.js";

/** Row shapes as SQLite returns them, and their mapping to the port's types. */

export interface SessionRow {
  id: string;
  title: string;
  cwd: string;
  model: string;
  permission_mode: string;
  created_at: number;
  updated_at: number;
  last_seq: number;
  cost_usd: number;
}

export interface EventRow {
  seq: number;
  event: string;
}

export interface CheckpointRow {
  id: number;
  session_id: string;
  seq: number;
  created_at: number;
  reverted_at: number | null;
}

export interface CheckpointFileRow {
  checkpoint_id: number;
  path: string;
  blob_hash: string | null;
  size: number;
}

function isPermissionMode(value: string): value is PermissionMode {
  return (PERMISSION_MODES as readonly string[]).includes(value);
}

export function sessionFromRow(row: SessionRow): SessionRecord {
  const mode = row.permission_mode;
  if (!isPermissionMode(mode)) {
    throw new StoreError(
      "corrupt_data",
      `session ${row.id} has an unknown permission mode ${JSON.stringify(mode)}`,
    );
  }
  return {
    id: row.id,
    title: row.title,
    cwd: row.cwd,
    model: row.model,
    permissionMode: mode,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeq: row.last_seq,
    costUsd: row.cost_usd,
  };
}

export function eventFromRow(sessionId: string, row: EventRow): AgentEvent {
  try {
    return parseEvent(row.event);
  } catch (error) {
    throw new StoreError(
      "corrupt_data",
      `event ${row.seq} of session ${sessionId} cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Groups file rows (ordered by checkpoint) under their checkpoints. */
export function checkpointsFromRows(
  rows: readonly CheckpointRow[],
  files: readonly CheckpointFileRow[],
): Checkpoint[] {
  const byId = new Map<number, CheckpointFile[]>();
  for (const file of files) {
    let list = byId.get(file.checkpoint_id);
    if (list === undefined) {
      list = [];
      byId.set(file.checkpoint_id, list);
    }
    list.push({ path: file.path, blobHash: file.blob_hash, size: file.size });
  }
  return rows.map((row) => ({
    id: row.id,
    sessionId: row.session_id,
    seq: row.seq,
    createdAt: row.created_at,
    revertedAt: row.reverted_at,
    files: byId.get(row.id) ?? [],
  }));
}
