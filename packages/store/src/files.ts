import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { FileSnapshot, RestoredFile } from "./port.js";
import type { RestoreEntry } from "./snapshots.js";

/**
 * Where `undo` and `rewind` put files back. The default writes the local
 * disk; a session whose tools run in a remote sandbox passes one that writes
 * there.
 */
export interface WorkspaceFiles {
  /** Replaces the file whole (creating parent directories), keeping its mode if it exists. */
  write(path: string, content: Uint8Array): Promise<void>;
  /** Deletes the file; a file already gone is not an error. */
  remove(path: string): Promise<void>;
}

export const localFiles: WorkspaceFiles = {
  async write(path, content) {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const mode = await stat(path).then(
      (info) => (info.isFile() ? info.mode & 0o7777 : undefined),
      () => undefined,
    );
    // Write aside and rename, so a crash mid-restore never leaves a half-written file.
    const temp = join(dir, `.${basename(path)}.toad-restore-${randomBytes(6).toString("hex")}`);
    try {
      await writeFile(temp, content, { flag: "wx" });
      if (mode !== undefined) await chmod(temp, mode);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  },
  async remove(path) {
    await rm(path, { force: true });
  },
};

export interface RestoreOutcome {
  restored: RestoredFile[];
  failed: { path: string; message: string }[];
}

/** Puts every entry back, going on past failures so one bad path does not block the rest. */
export async function applyRestore(
  files: WorkspaceFiles,
  entries: readonly RestoreEntry[],
): Promise<RestoreOutcome> {
  const outcome: RestoreOutcome = { restored: [], failed: [] };
  for (const entry of entries) {
    try {
      if (entry.content === null) {
        await files.remove(entry.path);
        outcome.restored.push({ path: entry.path, action: "deleted" });
      } else {
        await files.write(entry.path, entry.content);
        outcome.restored.push({ path: entry.path, action: "written" });
      }
    } catch (error) {
      outcome.failed.push({ path: entry.path, message: (error as Error).message });
    }
  }
  return outcome;
}

/** Reads files as they are now, for `checkpoint` just before editing them: a missing file is `absent`. */
export async function captureFiles(paths: readonly string[]): Promise<FileSnapshot[]> {
  return Promise.all(
    paths.map(async (path): Promise<FileSnapshot> => {
      try {
        return { path, content: await readFile(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return { path, absent: true };
        throw error;
      }
    }),
  );
}
