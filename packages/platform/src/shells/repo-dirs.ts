import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A repository's folder under `base`: a hash of its id, so no id can name a path outside `base`. */
export function repoDir(base: string, repoId: string): string {
  return join(base, createHash("sha256").update(repoId).digest("hex").slice(0, 32));
}

/** Clones `gitUrl` into `dir` and checks out `commit` (a full clone: any commit can be asked for). */
export async function checkout(
  gitUrl: string,
  commit: string,
  dir: string,
  signal?: AbortSignal,
): Promise<string> {
  const options = { signal, maxBuffer: 16 * 1024 * 1024 };
  await run("git", ["clone", "--quiet", "--no-checkout", gitUrl, dir], options);
  await run("git", ["-C", dir, "checkout", "--quiet", "--detach", commit === "" ? "HEAD" : commit], options);
  const { stdout } = await run("git", ["-C", dir, "rev-parse", "HEAD"], options);
  return stdout.trim();
}
