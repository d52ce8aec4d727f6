import { mkdir, realpath, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { git, gitProblem } from "./git.js";
import { fail, ok, type Result } from "./result.js";

/** A local repository the workspaces borrow their objects from. */
export interface Mirror {
  repo: string;
  /** The repository as found (bare mirror or normal clone). */
  path: string;
  /** Its object store, absolute: what a workspace lists in its alternates. */
  objectsDir: string;
}

export interface RepoCacheOptions {
  /** The folder of local clones or bare mirrors (`--repos`). */
  dir: string;
  /**
   * Where to clone a missing repository from, as a URL or path prefix
   * (`<prefix>/<owner>/<name>`); absent means never clone: a missing one is
   * an error that says what to clone.
   */
  cloneFrom?: string;
}

/** The names a repository `owner/name` is looked up by, in order. */
export function mirrorCandidates(dir: string, repo: string): string[] {
  const [owner = "", name = ""] = repo.split("/");
  const bases = [join(dir, owner, name), join(dir, `${owner}__${name}`), join(dir, name)];
  return bases.flatMap((base) => [base, `${base}.git`]);
}

/**
 * Finds each repository's mirror once (and clones it once when allowed),
 * however many workers ask at the same time.
 */
export class RepoCache {
  private readonly found = new Map<string, Promise<Result<Mirror>>>();

  constructor(private readonly options: RepoCacheOptions) {}

  mirror(repo: string): Promise<Result<Mirror>> {
    let pending = this.found.get(repo);
    if (!pending) {
      pending = this.locate(repo);
      this.found.set(repo, pending);
    }
    return pending;
  }

  private async locate(repo: string): Promise<Result<Mirror>> {
    const candidates = mirrorCandidates(this.options.dir, repo);
    for (const path of candidates) {
      const mirror = await openMirror(repo, path);
      if (mirror) return ok(mirror);
    }
    const target = join(this.options.dir, `${repo.replace("/", "__")}.git`);
    if (this.options.cloneFrom === undefined) {
      return fail(
        "missing_repository",
        `${repo} is not in ${this.options.dir} (looked for ${candidates.map((c) => c.slice(this.options.dir.length + 1)).join(", ")}). ` +
          `Clone it: git clone --bare https://github.com/${repo}.git ${target} (or pass --clone-from URL to let toad clone it)`,
      );
    }
    return cloneMirror(repo, `${this.options.cloneFrom.replace(/\/+$/, "")}/${repo}`, target);
  }
}

async function openMirror(repo: string, path: string): Promise<Mirror | undefined> {
  try {
    if (!(await stat(path)).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const common = await git(path, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  if (common.code !== 0) return undefined;
  // A folder inside some other repository would answer too; only its own top level counts.
  const bare = await git(path, ["rev-parse", "--is-bare-repository"]);
  if (bare.stdout.trim() !== "true") {
    const top = await git(path, ["rev-parse", "--show-toplevel"]);
    if (top.code !== 0 || (await realpath(top.stdout.trim())) !== (await realpath(path))) return undefined;
  }
  return { repo, path, objectsDir: join(common.stdout.trim(), "objects") };
}

async function cloneMirror(repo: string, url: string, target: string): Promise<Result<Mirror>> {
  // Clone beside the target and rename, so a clone killed half-way never looks like a mirror.
  const partial = `${target}.partial-${process.pid}`;
  await mkdir(join(target, ".."), { recursive: true });
  await rm(partial, { recursive: true, force: true });
  const cloned = await git(join(target, ".."), ["clone", "--quiet", "--bare", url, partial]);
  if (cloned.code !== 0) {
    await rm(partial, { recursive: true, force: true });
    return fail(
      "missing_repository",
      `${repo} is not in the repository folder and cloning ${url} failed: ${gitProblem(cloned)}. ` +
        `Clone it yourself: git clone --bare ${url} ${target}`,
    );
  }
  await rename(partial, target);
  const mirror = await openMirror(repo, target);
  return mirror ? ok(mirror) : fail("missing_repository", `${target} was cloned but git cannot read it`);
}
