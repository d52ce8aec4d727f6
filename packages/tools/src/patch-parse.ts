/**
 * A tolerant parser of unified diffs (plain and git-style, several files).
 * Models get hunk counts and blank context lines wrong, so counts only guide
 * where a hunk ends, and a blank line inside a hunk is an empty context line.
 */

export interface HunkLine {
  op: " " | "-" | "+";
  text: string;
}

export interface Hunk {
  /** 1-based line of the hunk in the old file (0 for an empty old file); null when the header had no numbers. */
  oldStart: number | null;
  header: string;
  lines: HunkLine[];
  /** "\ No newline at end of file" followed the last old / new line. */
  oldNoNewline: boolean;
  newNoNewline: boolean;
}

export interface FilePatch {
  /** null for /dev/null (the file is created). */
  oldPath: string | null;
  /** null for /dev/null (the file is deleted). */
  newPath: string | null;
  hunks: Hunk[];
}

export type ParseResult = { ok: true; files: FilePatch[] } | { ok: false; message: string };

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** `a/src/x.ts\t2024-01-01` → `src/x.ts`; `/dev/null` → null. */
function headerPath(raw: string, prefix: "a/" | "b/"): string | null {
  let name = raw.split("\t")[0]?.trim() ?? "";
  if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
  if (name === "/dev/null") return null;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function isFileHeader(lines: readonly string[], i: number): boolean {
  return (lines[i]?.startsWith("--- ") ?? false) && (lines[i + 1]?.startsWith("+++ ") ?? false);
}

export function parseUnifiedDiff(text: string): ParseResult {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const files: FilePatch[] = [];
  let current: FilePatch | undefined;
  let gitPaths: { old: string; new: string } | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const git = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
    if (git) {
      gitPaths = { old: git[1] ?? "", new: git[2] ?? "" };
      current = { oldPath: gitPaths.old, newPath: gitPaths.new, hunks: [] };
      files.push(current);
      i++;
      continue;
    }
    if (current && gitPaths && /^(new file mode|deleted file mode|rename from|rename to) /.test(line)) {
      if (line.startsWith("new file mode")) current.oldPath = null;
      if (line.startsWith("deleted file mode")) current.newPath = null;
      if (line.startsWith("rename from ")) current.oldPath = line.slice("rename from ".length);
      if (line.startsWith("rename to ")) current.newPath = line.slice("rename to ".length);
      i++;
      continue;
    }
    if (isFileHeader(lines, i)) {
      const oldPath = headerPath(line.slice(4), "a/");
      const newPath = headerPath((lines[i + 1] ?? "").slice(4), "b/");
      // A git header already opened this file; the ---/+++ pair refines it.
      if (current && gitPaths && current.hunks.length === 0) {
        current.oldPath = oldPath;
        current.newPath = newPath;
      } else {
        current = { oldPath, newPath, hunks: [] };
        files.push(current);
      }
      gitPaths = undefined;
      i += 2;
      continue;
    }
    if (line.startsWith("@@")) {
      if (!current) return { ok: false, message: `line ${i + 1}: hunk before any ---/+++ file header` };
      const parsed = parseHunk(lines, i);
      current.hunks.push(parsed.hunk);
      i = parsed.next;
      continue;
    }
    // Anything else (index lines, "Binary files differ", commentary) is skipped.
    i++;
  }
  if (files.length === 0) return { ok: false, message: "no file headers (--- a/path, +++ b/path) found" };
  for (const file of files) {
    if (file.oldPath === null && file.newPath === null)
      return { ok: false, message: "a file goes from /dev/null to /dev/null" };
    const renameOnly = file.oldPath !== file.newPath && file.oldPath !== null && file.newPath !== null;
    if (file.hunks.length === 0 && !renameOnly && file.newPath !== null) {
      return { ok: false, message: `no hunks for ${file.newPath ?? file.oldPath}` };
    }
  }
  return { ok: true, files };
}

function parseHunk(lines: readonly string[], start: number): { hunk: Hunk; next: number } {
  const header = lines[start] ?? "";
  const numbers = HUNK_HEADER.exec(header);
  // Without numbers the hunk is located by its content alone and ends where the hunk lines end.
  let oldLeft = numbers ? Number(numbers[2] ?? "1") : Number.POSITIVE_INFINITY;
  let newLeft = numbers ? Number(numbers[4] ?? "1") : Number.POSITIVE_INFINITY;
  const hunk: Hunk = {
    oldStart: numbers ? Number(numbers[1]) : null,
    header,
    lines: [],
    oldNoNewline: false,
    newNoNewline: false,
  };
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.startsWith("\\")) {
      const last = hunk.lines[hunk.lines.length - 1];
      if (last?.op !== "+") hunk.oldNoNewline = true;
      if (last?.op !== "-") hunk.newNoNewline = true;
      i++;
      continue;
    }
    if (line.startsWith("@@") || line.startsWith("diff --git ") || isFileHeader(lines, i)) break;
    const countsLeft = oldLeft > 0 || newLeft > 0;
    const op = line.charAt(0);
    if (line === "" && countsLeft && i < lines.length - 1) {
      hunk.lines.push({ op: " ", text: "" });
      oldLeft--;
      newLeft--;
    } else if (op === " " || op === "-" || op === "+") {
      hunk.lines.push({ op, text: line.slice(1) });
      if (op !== "+") oldLeft--;
      if (op !== "-") newLeft--;
    } else {
      break;
    }
    i++;
  }
  return { hunk, next: i };
}
