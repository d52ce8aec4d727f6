import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import type { DirReader } from "./fs/port.js";
import { RG_WALK_FLAGS, runRipgrep } from "./ripgrep.js";
import { errorMessage, looksBinary, splitLines } from "./text.js";
import { fail, ok, type Result } from "./types.js";
import { walkFiles } from "./walk.js";

export interface GrepQuery {
  pattern: string;
  /** Workspace-relative file or directory ("." for the root). */
  target: string;
  targetIsFile: boolean;
  glob?: string;
  caseInsensitive: boolean;
  fixedStrings: boolean;
  context: number;
  /** Stop after this many matching lines in total. */
  maxMatches: number;
}

export interface GrepLine {
  line: number;
  text: string;
  isMatch: boolean;
}

export interface GrepFile {
  path: string;
  lines: GrepLine[];
  matches: number;
}

export interface GrepResult {
  files: GrepFile[];
  /** Stopped at `maxMatches`. */
  truncated: boolean;
}

/** Files the JS search skips as too big to scan in a turn. */
const JS_MAX_FILE_BYTES = 10 * 1024 * 1024;

interface RgMessage {
  type: string;
  data?: { path?: { text?: string }; lines?: { text?: string }; line_number?: number };
}

function isRgMessage(value: unknown): value is RgMessage {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}

function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** The ripgrep argv of a query (run from the workspace root), and the glob to filter paths by when rg cannot. */
export function ripgrepArgs(query: GrepQuery): { args: string[]; pathGlob?: (relPath: string) => boolean } {
  const args = ["--json", ...RG_WALK_FLAGS];
  if (query.caseInsensitive) args.push("--ignore-case");
  if (query.fixedStrings) args.push("--fixed-strings");
  if (query.context > 0) args.push("--context", String(query.context));
  // rg's --glob would override .gitignore (an ignored *.ts file would be searched); a file type does
  // not, but matches names only, so a glob with a directory part filters the results instead.
  const glob = query.targetIsFile ? undefined : query.glob;
  const pathGlob = glob?.includes("/") ? globMatcher(glob) : undefined;
  if (glob && !pathGlob) args.push("--type-add", `toadglob:${glob}`, "--type", "toadglob");
  args.push("--regexp", query.pattern, "--", query.target);
  return pathGlob ? { args, pathGlob } : { args };
}

/**
 * Folds `rg --json` lines into a result, up to the query's match cap:
 * `onLine` returns false once the cap is reached (stop reading).
 */
export class RipgrepCollector {
  private readonly files: GrepFile[] = [];
  private total = 0;
  private truncated = false;
  private skipping = false;
  private readonly base: string;

  constructor(
    private readonly query: GrepQuery,
    private readonly pathGlob?: (relPath: string) => boolean,
  ) {
    this.base = query.target === "." ? "" : `${query.target}/`;
  }

  onLine(line: string): boolean {
    const message = parseJsonLine(line);
    if (!isRgMessage(message) || !message.data) return true;
    const file = (message.data.path?.text ?? "").replace(/^\.\//, "");
    if (message.type === "begin") {
      this.skipping = this.pathGlob !== undefined && !this.pathGlob(file.slice(this.base.length));
      if (!this.skipping) this.files.push({ path: file, lines: [], matches: 0 });
    }
    if (this.skipping || (message.type !== "match" && message.type !== "context")) return true;
    const current = this.files[this.files.length - 1];
    if (!current) return true;
    if (message.type === "match") {
      if (this.total >= this.query.maxMatches) {
        this.truncated = true;
        return false;
      }
      this.total++;
      current.matches++;
    }
    const text = (message.data.lines?.text ?? "").replace(/\r?\n$/, "");
    current.lines.push({ line: message.data.line_number ?? 0, text, isMatch: message.type === "match" });
    return true;
  }

  /** The result once rg ended; its exit status 2 with nothing found is an error (bad regex, bad glob). */
  finish(run: { exitCode: number | null; stderr: string; stopped: boolean }): Result<GrepResult> {
    if (run.exitCode === 2 && !run.stopped && this.total === 0) {
      const kind = /regex parse error|error parsing glob/i.test(run.stderr)
        ? "invalid_arguments"
        : "io_error";
      return fail(kind, `ripgrep: ${run.stderr.trim()}`);
    }
    return ok({ files: this.files.filter((file) => file.matches > 0), truncated: this.truncated });
  }
}

export async function grepWithRipgrep(
  rgPath: string,
  root: string,
  query: GrepQuery,
  signal?: AbortSignal,
): Promise<Result<GrepResult>> {
  const { args, pathGlob } = ripgrepArgs(query);
  const collector = new RipgrepCollector(query, pathGlob);
  const run = await runRipgrep(rgPath, args, root, (line) => collector.onLine(line), signal);
  return collector.finish(run);
}

/** Glob semantics shared with the glob tool: a pattern without "/" matches the file name at any depth. */
export function globMatcher(glob: string): (relPath: string) => boolean {
  return picomatch(glob, { dot: true, basename: !glob.includes("/") });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The fallback when rg is absent: same walk rules, JavaScript regular expressions. */
export async function grepWithJs(
  reader: DirReader,
  root: string,
  query: GrepQuery,
  signal?: AbortSignal,
): Promise<Result<GrepResult>> {
  let regex: RegExp;
  try {
    regex = new RegExp(
      query.fixedStrings ? escapeRegExp(query.pattern) : query.pattern,
      query.caseInsensitive ? "i" : "",
    );
  } catch (error) {
    return fail("invalid_arguments", `invalid regular expression: ${errorMessage(error)}`);
  }
  let candidates: string[];
  if (query.targetIsFile) {
    candidates = [query.target];
  } else {
    const walked = await walkFiles(reader, query.target, 1_000_000, signal);
    const base = query.target === "." ? "" : `${query.target}/`;
    const globMatch = query.glob ? globMatcher(query.glob) : undefined;
    candidates = walked.files.filter((file) => !globMatch || globMatch(file.slice(base.length)));
  }

  const files: GrepFile[] = [];
  let total = 0;
  for (const file of candidates) {
    if (signal?.aborted) break;
    const abs = path.join(root, file);
    const size = (await stat(abs).catch(() => undefined))?.size ?? 0;
    if (size === 0 || size > JS_MAX_FILE_BYTES) continue;
    const bytes = await readFile(abs).catch(() => undefined);
    if (!bytes || looksBinary(bytes)) continue;
    const lines = splitLines(bytes.toString("utf8"));
    const found: GrepFile = { path: file, lines: [], matches: 0 };
    const shown = new Set<number>();
    for (let i = 0; i < lines.length; i++) {
      if (!regex.test(lines[i] ?? "")) continue;
      if (total >= query.maxMatches) {
        if (found.matches > 0) files.push(found);
        return ok({ files, truncated: true });
      }
      total++;
      found.matches++;
      for (let j = Math.max(0, i - query.context); j <= Math.min(lines.length - 1, i + query.context); j++) {
        if (shown.has(j)) {
          const existing = found.lines.find((line) => line.line === j + 1);
          if (existing && j === i) existing.isMatch = true;
          continue;
        }
        shown.add(j);
        found.lines.push({ line: j + 1, text: lines[j] ?? "", isMatch: j === i });
      }
    }
    if (found.matches > 0) files.push(found);
  }
  return ok({ files, truncated: false });
}
