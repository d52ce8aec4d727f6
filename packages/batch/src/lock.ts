import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fail, ok, type Result } from "./result.js";

export interface RunLock {
  release(): Promise<void>;
}

const LOCK_FILE = ".lock";

/**
 * One batch at a time per output folder: two would append the same
 * predictions and share workspaces. A lock left by a killed run (its process
 * is gone) is taken over.
 */
export async function acquireRunLock(outDir: string): Promise<Result<RunLock>> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, LOCK_FILE);
  try {
    await writeFile(path, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number((await readFile(path, "utf8").catch(() => "")).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      return fail("bad_run_dir", `another toad batch (pid ${holder}) is running in ${outDir}`);
    }
    await writeFile(path, String(process.pid));
  }
  return ok({ release: () => rm(path, { force: true }) });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
