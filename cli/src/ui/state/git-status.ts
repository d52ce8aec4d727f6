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
