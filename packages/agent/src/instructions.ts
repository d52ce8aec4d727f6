import { readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Instruction files read into the system prompt, in the order they are tried per directory. */
export const INSTRUCTION_FILES = ["AGENTS.md", "TOAD.md", "CLAUDE.md"] as const;

/** Larger files are cut: instructions are meant to be read on every turn. */
const MAX_INSTRUCTION_BYTES = 64 * 1024;

export interface InstructionFile {
  /** Path relative to the repository root. */
  path: string;
  content: string;
}

/** The nearest ancestor of `cwd` (itself included) that holds `.git`, else `cwd`. */
export async function findRepositoryRoot(cwd: string): Promise<string> {
  let dir = resolve(cwd);
  for (;;) {
    if (await exists(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

/**
 * Collects AGENTS.md / TOAD.md / CLAUDE.md from the repository root down to
 * the working directory, outermost first, so nearer files read last and win
 * where they disagree.
 */
export async function loadInstructions(cwd: string, root?: string): Promise<InstructionFile[]> {
  const top = root ?? (await findRepositoryRoot(cwd));
  const dirs = directoriesFromRootTo(top, resolve(cwd));
  const found: InstructionFile[] = [];
  for (const dir of dirs) {
    for (const name of INSTRUCTION_FILES) {
      const path = join(dir, name);
      if (!(await exists(path))) continue;
      const bytes = await readFile(path);
      const cut = bytes.length > MAX_INSTRUCTION_BYTES;
      const content = bytes.subarray(0, MAX_INSTRUCTION_BYTES).toString("utf8");
      found.push({
        path: relative(top, path) || name,
        content: cut ? `${content}\n[… cut at ${MAX_INSTRUCTION_BYTES} bytes]` : content,
      });
    }
  }
  return found;
}

function directoriesFromRootTo(root: string, cwd: string): string[] {
  const rel = relative(root, cwd);
  if (rel.startsWith("..") || rel === "") return [root];
  const dirs = [root];
  let dir = root;
  for (const part of rel.split(sep)) {
    dir = join(dir, part);
    dirs.push(dir);
  }
  return dirs;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
