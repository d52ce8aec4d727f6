import type { GrepFile, GrepQuery, GrepResult } from "../grep-search.js";
import { fail, ok, type Result } from "../types.js";

/**
 * The fallback when the workspace has no rg: `grep -r`, which skips .git and
 * binary files but does not read .gitignore. A glob without "/" becomes
 * --include; one with a directory part filters the paths afterwards.
 */
export function grepArgs(query: GrepQuery): string[] {
  const args = ["-rnHI", "-Z", "--exclude-dir=.git", query.fixedStrings ? "-F" : "-E"];
  if (query.caseInsensitive) args.push("-i");
  if (query.context > 0) args.push("-C", String(query.context));
  if (query.glob && !query.targetIsFile && !query.glob.includes("/")) args.push(`--include=${query.glob}`);
  args.push("-e", query.pattern, "--", query.target);
  return args;
}

/** Folds `grep -rnHZ` output ("path\0N:text", context "path\0N-text", "--" between groups), sorted by path like rg. */
export function parseGrepOutput(
  output: string,
  query: GrepQuery,
  pathGlob: ((relPath: string) => boolean) | undefined,
  run: { exitCode: number | null; stderr: string; stopped: boolean },
): Result<GrepResult> {
  if (run.exitCode === 2 && output === "") {
    const kind = /regular expression|unmatched|invalid/i.test(run.stderr) ? "invalid_arguments" : "io_error";
    return fail(kind, `grep: ${run.stderr.trim()}`);
  }
  const base = query.target === "." ? "" : `${query.target}/`;
  const byPath = new Map<string, GrepFile>();
  for (const line of output.split("\n")) {
    const nul = line.indexOf("\0");
    if (nul === -1) continue;
    const file = line.slice(0, nul).replace(/^\.\//, "");
    const match = /^(\d+)([:-])(.*)$/s.exec(line.slice(nul + 1));
    if (!match || (pathGlob && !pathGlob(file.slice(base.length)))) continue;
    const entry = byPath.get(file) ?? { path: file, lines: [], matches: 0 };
    byPath.set(file, entry);
    const isMatch = match[2] === ":";
    if (isMatch) entry.matches++;
    entry.lines.push({ line: Number(match[1]), text: (match[3] ?? "").replace(/\r$/, ""), isMatch });
  }
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Keep the first maxMatches matching lines (in path order), with their context.
  let left = query.maxMatches;
  let truncated = run.stopped;
  const kept: GrepFile[] = [];
  for (const file of files) {
    if (file.matches === 0) continue;
    if (left <= 0) {
      truncated = true;
      break;
    }
    if (file.matches > left) {
      truncated = true;
      let seen = 0;
      const lastKept = file.lines.findIndex((line) => line.isMatch && ++seen === left);
      file.lines = file.lines.slice(0, lastKept + 1);
      file.matches = left;
    }
    left -= file.matches;
    kept.push(file);
  }
  return ok({ files: kept, truncated });
}
