import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { git, gitProblem } from "./git.js";
import type { Mirror } from "./repos.js";
import { fail, ok, type Result } from "./result.js";

/**
 * Files a run leaves behind that are never part of a fix (byte code, test
 * caches, build metadata). Listed in the workspace's own `.git/info/exclude`
 * so `git add -A` skips them even where the repository's .gitignore does not.
 */
export const SCRATCH_PATTERNS = [
  "__pycache__/",
  "*.py[cod]",
  ".pytest_cache/",
  ".mypy_cache/",
  ".ruff_cache/",
  ".hypothesis/",
  ".tox/",
  ".eggs/",
  "*.egg-info/",
  "node_modules/",
];

// The whole config of a workspace: the agent may commit; nothing may gc the borrowed objects.
const CONFIG = [
  "[core]",
  "\trepositoryformatversion = 0",
  "\tfilemode = true",
  "\tbare = false",
  "\tlogallrefupdates = true",
  "[user]",
  "\tname = toad-batch",
  "\temail = toad-batch@localhost",
  "[gc]",
  "\tauto = 0",
  "[advice]",
  "\tdetachedHead = false",
  "",
].join("\n");

export interface Workspace {
  dir: string;
  /** True when an earlier instance's checkout was reset instead of made anew. */
  recycled: boolean;
}

/**
 * A workspace at `baseCommit` in `dir` that borrows the mirror's objects
 * (git alternates): no object is copied and the mirror is only read, so any
 * number of workspaces share one mirror, even a read-only one. Its `.git` is
 * private and writable, so git works inside the sandbox.
 *
 * With `recycle`, a workspace an earlier instance left in `dir` (same
 * mirror) is reset instead of checked out anew: only the files that differ
 * are rewritten. The reset leaves what a fresh checkout would: the tree of
 * `baseCommit` and nothing else (ignored files included), a detached HEAD, no
 * refs, reflogs, hooks or local objects, this module's config. If any step
 * fails, the workspace is made anew.
 */
export async function prepareWorkspace(
  mirror: Mirror,
  baseCommit: string,
  dir: string,
  options: { recycle: boolean } = { recycle: false },
): Promise<Result<Workspace>> {
  if (options.recycle && (await borrowsFrom(dir, mirror))) {
    if (await resetWorkspace(dir, baseCommit)) return ok({ dir, recycled: true });
  }
  const made = await createWorkspace(mirror, baseCommit, dir);
  return made.ok ? ok({ dir, recycled: false }) : made;
}

/** A brand-new checkout of `baseCommit` in `dir` (whatever was there is removed). */
export async function createWorkspace(
  mirror: Mirror,
  baseCommit: string,
  dir: string,
): Promise<Result<string>> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const init = await git(dir, ["init", "--quiet", "--template=", "."]);
  if (init.code !== 0) return fail("git_failed", `git init in ${dir} failed: ${gitProblem(init)}`);
  await mkdir(join(dir, ".git", "objects", "info"), { recursive: true });
  await writeFile(join(dir, ".git", "objects", "info", "alternates"), `${mirror.objectsDir}\n`);
  await writeOwnFiles(dir);
  const checkout = await git(dir, ["checkout", "--quiet", "--detach", baseCommit]);
  if (checkout.code !== 0) {
    const present = await git(dir, ["cat-file", "-e", `${baseCommit}^{commit}`]);
    if (present.code !== 0) {
      return fail(
        "missing_commit",
        `base commit ${baseCommit} is not in ${mirror.path}; update the mirror (git -C ${mirror.path} fetch --all)`,
      );
    }
    return fail("git_failed", `checking out ${baseCommit} in ${dir} failed: ${gitProblem(checkout)}`);
  }
  return ok(dir);
}

/**
 * Puts back this module's config and exclude file and drops hooks. The agent
 * can write the workspace's .git from inside the sandbox; this runs before
 * every git command TOAD runs there on the host, so nothing it wrote (a
 * filter driver, a hook, an fsmonitor command) runs outside the sandbox.
 */
async function writeOwnFiles(dir: string): Promise<void> {
  await rm(join(dir, ".git", "hooks"), { recursive: true, force: true });
  await mkdir(join(dir, ".git", "info"), { recursive: true });
  await writeFile(join(dir, ".git", "config"), CONFIG);
  await writeFile(join(dir, ".git", "info", "exclude"), `${SCRATCH_PATTERNS.join("\n")}\n`);
}

async function borrowsFrom(dir: string, mirror: Mirror): Promise<boolean> {
  const alternates = await readFile(join(dir, ".git", "objects", "info", "alternates"), "utf8").catch(
    () => "",
  );
  return alternates.trim() === mirror.objectsDir;
}

/** Git state an instance may leave that a fresh checkout does not have. */
const LEFTOVERS = [
  "hooks",
  "logs",
  "packed-refs",
  "refs",
  "ORIG_HEAD",
  "MERGE_HEAD",
  "MERGE_MSG",
  "CHERRY_PICK_HEAD",
  "REVERT_HEAD",
  "FETCH_HEAD",
  "rebase-merge",
  "rebase-apply",
  "sequencer",
  "modules",
];

/** Resets a used workspace to a fresh checkout of `baseCommit`; false when it could not. */
async function resetWorkspace(dir: string, baseCommit: string): Promise<boolean> {
  try {
    const gitDir = join(dir, ".git");
    await writeOwnFiles(dir);
    const checkout = await git(dir, ["checkout", "--quiet", "--force", "--detach", baseCommit]);
    if (checkout.code !== 0) return false;
    const clean = await git(dir, ["clean", "-ffdxq"]);
    if (clean.code !== 0) return false;
    for (const name of LEFTOVERS) await rm(join(gitDir, name), { recursive: true, force: true });
    await mkdir(join(gitDir, "refs", "heads"), { recursive: true });
    await mkdir(join(gitDir, "refs", "tags"), { recursive: true });
    // Local objects are only what the last instance created: the base is borrowed from the mirror.
    const objects = join(gitDir, "objects");
    for (const entry of await readdir(objects)) {
      if (entry !== "info") await rm(join(objects, entry), { recursive: true, force: true });
    }
    const status = await git(dir, ["status", "--porcelain", "--untracked-files=all", "--ignored"]);
    const [head, base] = (await git(dir, ["rev-parse", "HEAD", `${baseCommit}^{commit}`])).stdout
      .trim()
      .split("\n");
    return status.code === 0 && status.stdout === "" && head !== undefined && head === base;
  } catch {
    return false;
  }
}

/**
 * The workspace's change against `baseCommit`: everything staged (new files
 * included, ignored ones not), diffed as `git apply` reads it. Only the
 * repository's tree can appear in it.
 */
export async function extractPatch(dir: string, baseCommit: string): Promise<Result<string>> {
  await writeOwnFiles(dir);
  const added = await git(dir, ["add", "-A"]);
  if (added.code !== 0) return fail("git_failed", `git add -A failed: ${gitProblem(added)}`);
  const diff = await git(dir, ["diff", "--cached", "--binary", "--no-ext-diff", "--no-renames", baseCommit]);
  if (diff.code !== 0) return fail("git_failed", `git diff failed: ${gitProblem(diff)}`);
  return ok(diff.stdout);
}

export async function removeWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 2 });
}
