import { describeCandidates, findCandidates } from "./match.js";
import type { Hunk } from "./patch-parse.js";
import { detectEol, numberLine, splitLines } from "./text.js";
import { fail, ok, type Result } from "./types.js";

type Compare = (fileLine: string, patchLine: string) => boolean;

/** Tried in order: exact, then trailing whitespace ignored, then all surrounding whitespace ignored. */
const COMPARATORS: readonly Compare[] = [
  (a, b) => a === b,
  (a, b) => a.trimEnd() === b.trimEnd(),
  (a, b) => a.trim() === b.trim(),
];

function matchesAt(
  lines: readonly string[],
  block: readonly string[],
  at: number,
  compare: Compare,
): boolean {
  for (let i = 0; i < block.length; i++) {
    if (!compare(lines[at + i] ?? "", block[i] ?? "")) return false;
  }
  return true;
}

/** The position of `block` at or after `from`, nearest to `expected` first. */
function locate(
  lines: readonly string[],
  block: readonly string[],
  from: number,
  expected: number,
): number | undefined {
  const last = lines.length - block.length;
  if (last < from) return undefined;
  const anchor = Math.min(Math.max(expected, from), last);
  for (const compare of COMPARATORS) {
    for (let distance = 0; anchor - distance >= from || anchor + distance <= last; distance++) {
      const below = anchor + distance;
      if (below <= last && matchesAt(lines, block, below, compare)) return below;
      const above = anchor - distance;
      if (distance > 0 && above >= from && matchesAt(lines, block, above, compare)) return above;
    }
  }
  return undefined;
}

function excerpt(lines: readonly string[], from: number, to: number): string {
  const start = Math.max(0, from);
  return lines
    .slice(start, Math.min(lines.length, to))
    .map((line, i) => numberLine(start + i + 1, line))
    .join("\n");
}

/**
 * Applies a file's hunks in order. Line numbers are hints: each hunk is found
 * by its content nearest to where the header says, so a patch made against a
 * slightly different version still applies. Context lines keep the file's text.
 */
export function applyHunks(content: string, hunks: readonly Hunk[], rel: string): Result<string> {
  const eol = detectEol(content);
  let endsWithNewline = content === "" || content.endsWith("\n");
  const lines = splitLines(content);
  let cursor = 0;
  let delta = 0;
  for (const [index, hunk] of hunks.entries()) {
    const oldBlock = hunk.lines.filter((line) => line.op !== "+").map((line) => line.text);
    let at: number | undefined;
    if (oldBlock.length === 0) {
      // Pure insertion: "-N,0" inserts after line N; without numbers, append.
      at =
        hunk.oldStart === null
          ? lines.length
          : Math.min(Math.max(hunk.oldStart + delta, cursor), lines.length);
    } else {
      const expected = hunk.oldStart === null ? cursor : hunk.oldStart - 1 + delta;
      at = locate(lines, oldBlock, cursor, expected);
    }
    if (at === undefined) {
      const candidates = findCandidates(lines.join("\n"), oldBlock.join("\n"), 1);
      const expected = hunk.oldStart === null ? cursor : Math.max(0, hunk.oldStart - 1 + delta);
      const hint =
        candidates.length > 0
          ? `\n${describeCandidates(rel, candidates).replace(/^old_string/, "The hunk's old text")}`
          : `\n${rel} around line ${expected + 1} reads:\n${excerpt(lines, expected - 2, expected + oldBlock.length + 2)}`;
      return fail(
        "patch_failed",
        `hunk ${index + 1} (${hunk.header}) of ${rel} does not apply: its context and removed lines were not found:\n` +
          `${oldBlock.join("\n")}${hint}`,
      );
    }
    const replacement: string[] = [];
    let fileIndex = at;
    for (const line of hunk.lines) {
      if (line.op === "+") replacement.push(line.text);
      else if (line.op === " ") replacement.push(lines[fileIndex++] ?? line.text);
      else fileIndex++;
    }
    lines.splice(at, oldBlock.length, ...replacement);
    cursor = at + replacement.length;
    delta += replacement.length - oldBlock.length;
    if (hunk.newNoNewline) endsWithNewline = false;
    else if (hunk.oldNoNewline) endsWithNewline = true;
  }
  if (lines.length === 0) return ok("");
  return ok(lines.join(eol) + (endsWithNewline ? eol : ""));
}
