import { err, ok, StoreError } from "./errors.js";
import { applyRestore, type WorkspaceFiles } from "./files.js";
import type { Checkpoint, RestoreResult } from "./port.js";
import { planRestore, type RestoreEntry } from "./snapshots.js";

/** What `undo` and `rewind` need from an adapter's storage. */
export interface CheckpointSource {
  hasSession(sessionId: string): boolean;
  /** The session's checkpoints, oldest first, reverted ones included. */
  checkpointsOf(sessionId: string): Checkpoint[];
  blob(hash: string): Uint8Array | undefined;
  /** Marks the checkpoints reverted at `at`. */
  markReverted(checkpointIds: readonly number[], at: number): void;
}

export async function undoLatest(
  source: CheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  now: number,
): Promise<RestoreResult> {
  if (!source.hasSession(sessionId)) return noSession(sessionId);
  const latest = source
    .checkpointsOf(sessionId)
    .filter((checkpoint) => checkpoint.revertedAt === null)
    .at(-1);
  if (latest === undefined) {
    return err({ code: "nothing_to_undo", message: `session ${sessionId} has no edit left to undo` });
  }
  return revert(source, files, [latest], now);
}

export async function rewindTo(
  source: CheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  checkpointId: number,
  now: number,
): Promise<RestoreResult> {
  if (!source.hasSession(sessionId)) return noSession(sessionId);
  const all = source.checkpointsOf(sessionId);
  if (!all.some((checkpoint) => checkpoint.id === checkpointId)) {
    return err({
      code: "checkpoint_not_found",
      message: `session ${sessionId} has no checkpoint ${checkpointId}`,
    });
  }
  const live = all.filter((checkpoint) => checkpoint.id >= checkpointId && checkpoint.revertedAt === null);
  return revert(source, files, live, now);
}

async function revert(
  source: CheckpointSource,
  files: WorkspaceFiles,
  checkpoints: readonly Checkpoint[],
  now: number,
): Promise<RestoreResult> {
  // Every blob is read before the first file is touched: a damaged store fails with nothing changed.
  const entries: RestoreEntry[] = planRestore(checkpoints).map(({ path, blobHash }) => {
    if (blobHash === null) return { path, content: null };
    const content = source.blob(blobHash);
    if (content === undefined) throw new StoreError("corrupt_data", `blob ${blobHash} of ${path} is missing`);
    return { path, content };
  });
  const outcome = await applyRestore(files, entries);
  if (outcome.failed.length > 0) {
    const names = outcome.failed.map((failure) => `${failure.path} (${failure.message})`).join(", ");
    return err({ code: "restore_failed", message: `could not restore ${names}`, ...outcome });
  }
  const checkpointIds = checkpoints.map((checkpoint) => checkpoint.id);
  source.markReverted(checkpointIds, now);
  return ok({ checkpointIds, files: outcome.restored });
}

function noSession(sessionId: string): RestoreResult {
  return err({ code: "session_not_found", message: `no session ${sessionId}` });
}
