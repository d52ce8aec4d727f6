import ignore, { type Ignore } from "ignore";
import type { DirEntry, DirReader } from "./fs/port.js";

/** The ignore files ripgrep reads in every directory. */
const IGNORE_FILES = [".gitignore", ".ignore", ".rgignore"];

interface IgnoreLayer {
  /** Directory of the ignore files, workspace-relative posix ("" for the root). */
  base: string;
  rules: Ignore;
}

const join = (dirRel: string, name: string) => (dirRel === "" ? name : `${dirRel}/${name}`);

async function readIgnoreLayer(
  reader: DirReader,
  dirRel: string,
  extra: readonly string[] = [],
): Promise<IgnoreLayer | undefined> {
  const rules = ignore();
  let any = false;
  for (const name of [...extra, ...IGNORE_FILES]) {
    const text = await reader.readText(join(dirRel, name)).catch(() => undefined);
    if (text === undefined) continue;
    rules.add(text);
    any = true;
  }
  return any ? { base: dirRel, rules } : undefined;
}

/**
 * gitignore semantics across nested files: the deepest file with an opinion
 * (ignore or `!` re-include) decides.
 */
export class IgnoreStack {
  private constructor(private readonly layers: readonly IgnoreLayer[]) {}

  /** The rules that apply in `dirRel`: those of the root and of every directory down to it. */
  static async forDirectory(reader: DirReader, dirRel: string): Promise<IgnoreStack> {
    let stack = new IgnoreStack([]);
    const parts = dirRel === "" || dirRel === "." ? [] : dirRel.split("/");
    const rootLayer = await readIgnoreLayer(reader, "", [".git/info/exclude"]);
    if (rootLayer) stack = new IgnoreStack([rootLayer]);
    for (let i = 1; i <= parts.length; i++) stack = await stack.enter(reader, parts.slice(0, i).join("/"));
    return stack;
  }

  /** The stack inside a subdirectory, with its own ignore files added. */
  async enter(reader: DirReader, dirRel: string): Promise<IgnoreStack> {
    const layer = await readIgnoreLayer(reader, dirRel);
    return layer ? new IgnoreStack([...this.layers, layer]) : this;
  }

  ignores(relPath: string, isDirectory: boolean): boolean {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      if (!layer) continue;
      const local = layer.base === "" ? relPath : relPath.slice(layer.base.length + 1);
      const verdict = layer.rules.test(isDirectory ? `${local}/` : local);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }
}

export interface WalkResult {
  /** Workspace-relative posix paths, depth-first with each directory's entries sorted. */
  files: string[];
  truncated: boolean;
}

export function byName(a: DirEntry, b: DirEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Every file under `dirRel` that ripgrep would search: hidden files
 * included, `.git` and ignored paths skipped, symbolic links not followed.
 */
export async function walkFiles(
  reader: DirReader,
  dirRel: string,
  maxFiles: number,
  signal?: AbortSignal,
): Promise<WalkResult> {
  const start = dirRel === "." ? "" : dirRel;
  const files: string[] = [];
  const visit = async (rel: string, stack: IgnoreStack): Promise<boolean> => {
    if (signal?.aborted) return false;
    const entries = await reader.readdir(rel).catch(() => []);
    for (const entry of entries) {
      if (entry.name === ".git" || entry.kind === "symlink") continue;
      const child = join(rel, entry.name);
      if (entry.kind === "directory") {
        if (stack.ignores(child, true)) continue;
        if (!(await visit(child, await stack.enter(reader, child)))) return false;
      } else if (entry.kind === "file" && !stack.ignores(child, false)) {
        if (files.length >= maxFiles) return false;
        files.push(child);
      }
    }
    return true;
  };
  const complete = await visit(start, await IgnoreStack.forDirectory(reader, start));
  return { files, truncated: !complete };
}
