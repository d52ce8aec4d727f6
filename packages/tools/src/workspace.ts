import path from "node:path";
import { isInside } from "@toad/sandbox";
import { LOCAL_FS } from "./fs/local-fs.js";
import type { WorkspaceFs } from "./fs/port.js";
import { fail, ok, type Result } from "./types.js";

/** A path argument resolved against the workspace. */
export interface WorkspacePath {
  /** Absolute, symlinks resolved: what file operations use. */
  abs: string;
  /** Workspace-relative with forward slashes, as the model wrote it ("." for the root): what output shows. */
  rel: string;
}

export function toPosix(relative: string): string {
  return relative.split(path.sep).join("/");
}

/**
 * Resolves a path argument inside the workspace root. Refused: paths that
 * leave the root lexically (`../x`, `/etc/passwd`), paths that leave it
 * through a symlink, and, for writes, anything inside `.git`. Symbolic links
 * are followed on the workspace's own file system (`options.fs`; default
 * this machine's), in one call for the root and the path.
 */
export async function resolveInWorkspace(
  workspaceRoot: string,
  input: string,
  options: { forWrite?: boolean; fs?: WorkspaceFs } = {},
): Promise<Result<WorkspacePath>> {
  if (input.trim() === "") return fail("invalid_arguments", "path must not be empty");
  if (input.includes("\0")) return fail("invalid_arguments", "path must not contain NUL characters");
  const lexical = path.resolve(workspaceRoot, input);
  if (!isInside(workspaceRoot, lexical)) {
    return fail(
      "outside_workspace",
      `path "${input}" is outside the workspace (${workspaceRoot}); use a path inside it`,
    );
  }
  let root: string;
  let abs: string;
  try {
    const [realRoot, realTarget] = await (options.fs ?? LOCAL_FS).realpaths([workspaceRoot, lexical]);
    if (realRoot === undefined || realTarget === undefined) throw new Error("no path came back");
    root = realRoot;
    abs = realTarget;
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
  return ok({ abs, rel: toPosix(path.relative(workspaceRoot, lexical)) || "." });
}
