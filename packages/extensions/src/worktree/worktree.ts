import { execFile } from "node:child_process";
import { appendFile, mkdir, readFile, realpath } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface Worktree {
  name: string;
  /** Absolute path of the worktree's checkout. */
  path: string;
  branch: string;
  /** False when an existing worktree of that name was reused. */
  created: boolean;
}

export type WorktreeResult = { ok: true; worktree: Worktree } | { ok: false; message: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Where worktrees live, inside the main checkout (and excluded from its status). */
export const WORKTREES_DIR = join(".toad", "worktrees");

/**
 * `toad --worktree NAME`: the session runs in its own checkout
 * `<repo>/.toad/worktrees/NAME` on its own branch `toad/NAME`, created from
 * HEAD on first use and reused after. The main checkout is not touched
 * (the folder is added to `.git/info/exclude`, which is never committed).
 */
export async function openWorktree(cwd: string, name: string, baseRef = "HEAD"): Promise<WorktreeResult> {
  if (!NAME.test(name) || name.includes("..") || name.endsWith(".lock")) {
    return { ok: false, message: `"${name}" is not a usable worktree name (letters, digits, ".", "_", "-")` };
  }
  const git = (args: string[], dir: string) => exec("git", ["-C", dir, ...args], { encoding: "utf8" });
  let commonDir: string;
  try {
    const { stdout } = await git(["rev-parse", "--path-format=absolute", "--git-common-dir"], cwd);
    commonDir = await realpath(stdout.trim());
  } catch {
    return { ok: false, message: `${cwd} is not inside a git repository` };
  }
  if (basename(commonDir) !== ".git")
    return { ok: false, message: "worktrees need a repository with a working tree" };
  const main = dirname(commonDir);
  const path = resolve(main, WORKTREES_DIR, name);
  const branch = `toad/${name}`;

  const existing = await registeredWorktrees(main);
  const found = existing.get(path);
  if (found !== undefined)
    return { ok: true, worktree: { name, path, branch: found || branch, created: false } };

  try {
    await git(["rev-parse", "--verify", "--quiet", `${baseRef}^{commit}`], main);
  } catch {
    return {
      ok: false,
      message: `cannot branch from ${baseRef}: the repository has no such commit (make a first commit)`,
    };
  }
  const branchExists = await git(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], main).then(
    () => true,
    () => false,
  );
  await mkdir(dirname(path), { recursive: true });
  await excludeWorktrees(commonDir);
  try {
    const args = branchExists
      ? ["worktree", "add", path, branch]
      : ["worktree", "add", "-b", branch, path, baseRef];
    await git(args, main);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return { ok: false, message: `git worktree add failed: ${stderr || (error as Error).message}` };
  }
  return { ok: true, worktree: { name, path: await realpath(path), branch, created: true } };
}

/** Path → branch of every worktree git knows. */
async function registeredWorktrees(main: string): Promise<Map<string, string>> {
  const { stdout } = await exec("git", ["-C", main, "worktree", "list", "--porcelain"], { encoding: "utf8" });
  const found = new Map<string, string>();
  let current: string | undefined;
  for (const line of stdout.split("\n")) {
    if (line.startsWith("worktree ")) {
      current = line.slice("worktree ".length);
      found.set(current, "");
    } else if (line.startsWith("branch ") && current !== undefined) {
      found.set(current, line.slice("branch refs/heads/".length));
    }
  }
  return found;
}

async function excludeWorktrees(commonDir: string): Promise<void> {
  const file = join(commonDir, "info", "exclude");
  const line = `/${WORKTREES_DIR.split("\\").join("/")}/`;
  const current = await readFile(file, "utf8").catch(() => "");
  if (current.split("\n").includes(line)) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${current === "" || current.endsWith("\n") ? "" : "\n"}${line}\n`);
}
