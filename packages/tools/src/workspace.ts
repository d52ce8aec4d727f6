import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { isInside } from "@toad/sandbox";
import { fail, ok, type Result } from "./types.js";

/** A path argument resolved against the workspace. */
export interface WorkspacePath {
  /** Absolute, symlinks resolved: what file operations use. */
  abs: string;
  /** Workspace-relative with forward slashes, as the model wrote it ("." for the root): what output shows. */
  rel: string;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Like `realpath`, but for paths that do not exist yet: the deepest existing
 * ancestor is resolved and the rest appended. A dangling symlink is followed
 * to where it points, so creating a file through it cannot escape either.
 */
export async function realpathLoose(target: string, hops = 0): Promise<string> {
  if (hops > MAX_SYMLINK_HOPS) throw new Error(`too many symbolic links at ${target}`);
  try {
    return await realpath(target);
  } catch (error) {
    if (!isErrnoException(error) || (error.code !== "ENOENT" && error.code !== "ENOTDIR")) throw error;
  }
  const parent = path.dirname(target);
  if (parent === target) return target;
  const stats = await lstat(target).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    const pointee = path.resolve(parent, await readlink(target));
    return realpathLoose(pointee, hops + 1);
  }
  return path.join(await realpathLoose(parent, hops), path.basename(target));
}

export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}

export function toPosix(relative: string): string {
  return relative.split(path.sep).join("/");
}

/**
 * Resolves a path argument inside the workspace root. Refused: paths that
 * leave the root lexically (`../x`, `/etc/passwd`), paths that leave it
 * through a symlink, and, for writes, anything inside `.git`.
 */
export async function resolveInWorkspace(
  workspaceRoot: string,
  input: string,
  options: { forWrite?: boolean } = {},
): Promise<Result<WorkspacePath>> {
  if (input.trim() === "") return fail("invalid_arguments", "path must not be empty");
  if (input.includes("\0")) return fail("invalid_arguments", "path must not contain NUL characters");
  const root = await realpath(workspaceRoot);
  const lexical = path.resolve(root, input);
  if (!isInside(root, lexical)) {
    return fail(
      "outside_workspace",
      `path "${input}" is outside the workspace (${root}); use a path inside it`,
    );
  }
  let abs: string;
  try {
    abs = await realpathLoose(lexical);
  } catch (error) {
    return fail(
      "io_error",
      `cannot resolve "${input}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isInside(root, abs)) {
    return fail("outside_workspace", `path "${input}" leads outside the workspace through a symbolic link`);
  }
  const realRel = toPosix(path.relative(root, abs));
  if (options.forWrite && (realRel === ".git" || realRel.startsWith(".git/"))) {
    return fail("protected_path", `path "${input}" is inside .git; use the git tool instead of editing it`);
  }
  return ok({ abs, rel: toPosix(path.relative(root, lexical)) || "." });
}
