import { err, ok, StoreError } from "./errors.js";
import { applyRestore, type WorkspaceFiles } from "./files.js";
import type { Checkpoint, RestoreResult } from "./port.js";
import { planRestore, type RestoreEntry } from "./snapshots.js";

/**
 * What `undo` and `rewind` need from an adapter's storage. Local adapters
 * answer at once; remote ones (Redis) answer with promises.
 */
export interface CheckpointSource {
  hasSession(sessionId: string): boolean | Promise<boolean>;
  /** The session's checkpoints, oldest first, reverted ones included. */
  checkpointsOf(sessionId: string): Checkpoint[] | Promise<Checkpoint[]>;
  blob(hash: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** Marks the session's checkpoints reverted at `at`. */
  markReverted(sessionId: string, checkpointIds: readonly number[], at: number): void | Promise<void>;
}

export async function undoLatest(
  source: CheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  now: number,
): Promise<RestoreResult> {
  if (!(await source.hasSession(sessionId))) return noSession(sessionId);
  const latest = (await source.checkpointsOf(sessionId))
    .filter((checkpoint) => checkpoint.revertedAt === null)
    .at(-1);
  if (latest === undefined) {
    return err({ code: "nothing_to_undo", message: `session ${sessionId} has no edit left to undo` });
  }
  return revert(source, files, sessionId, [latest], now);
}

export async function rewindTo(
  source: CheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  checkpointId: number,
  now: number,
): Promise<RestoreResult> {
  if (!(await source.hasSession(sessionId))) return noSession(sessionId);
  const all = await source.checkpointsOf(sessionId);
  if (!all.some((checkpoint) => checkpoint.id === checkpointId)) {
    return err({
      code: "checkpoint_not_found",
      message: `session ${sessionId} has no checkpoint ${checkpointId}`,
    });
  }
  const live = all.filter((checkpoint) => checkpoint.id >= checkpointId && checkpoint.revertedAt === null);
  return revert(source, files, sessionId, live, now);
}

async function revert(
  source: CheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  checkpoints: readonly Checkpoint[],
  now: number,
): Promise<RestoreResult> {
  // Every blob is read before the first file is touched: a damaged store fails with nothing changed.
  const entries: RestoreEntry[] = [];
  for (const { path, blobHash } of planRestore(checkpoints)) {
    if (blobHash === null) {
      entries.push({ path, content: null });
      continue;
    }
    const content = await source.blob(blobHash);
    if (content === undefined) throw new StoreError("corrupt_data", `blob ${blobHash} of ${path} is missing`);
    entries.push({ path, content });
  }
  const outcome = await applyRestore(files, entries);
  if (outcome.failed.length > 0) {
    const names = outcome.failed.map((failure) => `${failure.path} (${failure.message})`).join(", ");
    return err({ code: "restore_failed", message: `could not restore ${names}`, ...outcome });
  }
  const checkpointIds = checkpoints.map((checkpoint) => checkpoint.id);
  await source.markReverted(sessionId, checkpointIds, now);
  return ok({ checkpointIds, files: outcome.restored });
}

function noSession(sessionId: string): RestoreResult {
  return err({ code: "session_not_found", message: `no session ${sessionId}` });
}
