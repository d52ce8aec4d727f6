import { constants } from "node:fs";
import { access, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { SandboxError } from "./types.js";

/** True when `child` is `parent` or below it (both absolute and normalised). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * Resolves a command's working directory: relative to the workspace root,
 * an existing directory, and inside the root once symlinks are followed.
 */
export async function resolveCwd(
  workspaceRoot: string,
  cwd: string | undefined,
): Promise<{ ok: true; cwd: string; root: string } | { ok: false; error: SandboxError }> {
  const wanted = path.resolve(workspaceRoot, cwd ?? ".");
  const refuse = (message: string) => ({
    ok: false as const,
    error: { kind: "invalid_cwd" as const, message },
  });
  if (!isInside(workspaceRoot, wanted)) return refuse(`working directory ${wanted} is outside the workspace`);
  try {
    const [realRoot, real] = await Promise.all([realpath(workspaceRoot), realpath(wanted)]);
    if (!isInside(realRoot, real)) return refuse(`working directory ${wanted} leads outside the workspace`);
    if (!(await stat(real)).isDirectory()) return refuse(`working directory ${wanted} is not a directory`);
    return { ok: true, cwd: real, root: realRoot };
  } catch (error) {
    return refuse(`working directory ${wanted}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The first executable called `name` on `PATH`, or undefined. */
export async function findExecutable(
  name: string,
  pathEnv: string | undefined = process.env.PATH,
): Promise<string | undefined> {
  if (name.includes("/")) return (await isExecutable(name)) ? name : undefined;
  for (const dir of (pathEnv ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
