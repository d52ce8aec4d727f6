/** `git status --porcelain=v1` lines read into entries, and grouped into a small tree for the files panel. */
export interface StatusEntry {
  /** Two-letter porcelain code, e.g. " M", "A ", "??". */
  code: string;
  path: string;
}

export function parsePorcelain(output: string): StatusEntry[] {
  const entries: StatusEntry[] = [];
  for (const line of output.split("\n")) {
    if (line.length < 4) continue;
    const code = line.slice(0, 2);
    const rest = line.slice(3);
    // Renames read "old -> new"; the new path is the one that exists.
    const path = rest.includes(" -> ") ? (rest.split(" -> ")[1] ?? rest) : rest;
    entries.push({ code, path: path.replace(/^"|"$/g, "") });
  }
  return entries;
}

export interface TreeLine {
  /** The full path: unique in the tree. */
  key: string;
  depth: number;
  name: string;
  /** Set on files; directories have none. */
  code?: string;
}

/** Changed files as an indented tree: directories once, then their files, sorted. */
export function statusTree(entries: readonly StatusEntry[]): TreeLine[] {
  const lines: TreeLine[] = [];
  const seen = new Set<string>();
  for (const entry of [...entries].sort((a, b) => a.path.localeCompare(b.path))) {
    const parts = entry.path.split("/").filter((part) => part !== "");
    for (let depth = 0; depth < parts.length - 1; depth++) {
      const dir = parts.slice(0, depth + 1).join("/");
      if (seen.has(dir)) continue;
      seen.add(dir);
      lines.push({ key: dir, depth, name: `${parts[depth]}/` });
    }
    lines.push({
      key: entry.path,
      depth: Math.max(0, parts.length - 1),
      name: parts.at(-1) ?? entry.path,
      code: entry.code,
    });
  }
  return lines;
}

export interface FileTreeLine extends TreeLine {
  /** A folded directory: how many files it holds (none of them changed). */
  files?: number;
}

/**
 * The repository's files as a tree with git status: folders holding a change
 * open, the others fold to one line with their file count, so the tree fits a
 * panel in any repository.
 */
export function fileTree(paths: readonly string[], changes: readonly StatusEntry[]): FileTreeLine[] {
  const codes = new Map(changes.map((entry) => [entry.path, entry.code]));
  const all = [...new Set([...paths, ...codes.keys()])].sort((a, b) => a.localeCompare(b));
  const lines: FileTreeLine[] = [];
  const walk = (prefix: string, depth: number, relative: string[]) => {
    const folders = new Map<string, string[]>();
    const files: string[] = [];
    for (const path of relative) {
      const slash = path.indexOf("/");
      if (slash === -1) files.push(path);
      else {
        const name = path.slice(0, slash);
        folders.set(name, [...(folders.get(name) ?? []), path.slice(slash + 1)]);
      }
    }
    for (const [name, inside] of folders) {
      const key = `${prefix}${name}`;
      const changed = inside.some((path) => codes.has(`${key}/${path}`));
      if (!changed) {
        lines.push({ key, depth, name: `${name}/`, files: inside.length });
        continue;
      }
      lines.push({ key, depth, name: `${name}/` });
      walk(`${key}/`, depth + 1, inside);
    }
    for (const name of files) {
      const code = codes.get(`${prefix}${name}`);
      lines.push({ key: `${prefix}${name}`, depth, name, ...(code !== undefined && { code }) });
    }
  };
  walk("", 0, all);
  return lines;
}
