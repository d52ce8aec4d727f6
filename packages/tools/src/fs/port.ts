import type { GrepQuery, GrepResult } from "../grep-search.js";
import type { Result } from "../types.js";
import type { WalkResult } from "../walk.js";

/**
 * The workspace file system the built-in tools read and write through. The
 * local implementation (local-fs.ts) is node:fs on this machine; the exec
 * implementation (exec-fs.ts) does each operation with one command in a
 * sandbox driver, so the tools work on a workspace that lives elsewhere (a
 * Kubernetes pod). Paths are absolute POSIX paths on that file system.
 * Unexpected failures throw; the tools map them to `io_error`.
 */
export interface WorkspaceFs {
  /** "local" or "exec": for logs and tests. */
  readonly kind: string;
  /**
   * Each path with every symbolic link followed, on the workspace's own file
   * system. A path that does not exist yet resolves its deepest existing
   * ancestor and appends the rest; a dangling link is followed to where it
   * points (so creating a file through it cannot escape the workspace).
   */
  realpaths(paths: readonly string[]): Promise<string[]>;
  /** Follows symbolic links; `undefined` for a path that does not exist. */
  stat(paths: readonly string[]): Promise<Array<FileStat | undefined>>;
  /** A whole file, refused (not read) over `maxBytes`. */
  readFile(abs: string, maxBytes: number): Promise<FileRead>;
  /** Lines `start..end` of a file, streamed, so a huge file costs only what is asked for. */
  readLines(abs: string, request: LinesRequest): Promise<LinesRead>;
  /**
   * Writes and deletes every file or none: contents are staged beside their
   * targets, then swapped in; if a swap fails the files already swapped are
   * put back. The error message says which of the two happened.
   */
  writeAll(writes: readonly FileWrite[]): Promise<Result<void>>;
  /** Directory entries and ignore files below `dirAbs`, `depth` levels deep (list_dir). */
  readTree(root: string, dirRel: string, depth: number): Promise<DirReader>;
  /** Files under a workspace directory as ripgrep walks them (.gitignore-aware, hidden in, .git out). */
  listFiles(root: string, dirRel: string, maxFiles: number, signal?: AbortSignal): Promise<WalkResult>;
  /** Content search (grep tool) with ripgrep semantics, at most `query.maxMatches` matching lines. */
  grep(root: string, query: GrepQuery, signal?: AbortSignal): Promise<Result<GrepResult>>;
}

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  /** Permission bits. */
  mode: number;
  mtimeMs: number;
}

export type FileRead =
  | { kind: "missing" }
  | { kind: "directory" }
  | { kind: "too_large"; size: number }
  | { kind: "file"; bytes: Buffer; mode: number };

export interface LinesRequest {
  /** 1-based, inclusive. */
  start: number;
  end: number;
  /** Each line's text is kept up to this many bytes at least (its full length is reported). */
  maxLineBytes: number;
  /** Stop once the kept text of the lines passes this many bytes. */
  maxBytes: number;
}

export interface ReadLine {
  /** The line, maybe cut to about `maxLineBytes`. */
  text: string;
  /** Characters in the whole line. */
  chars: number;
}

export type LinesRead =
  | { kind: "missing" }
  | { kind: "directory" }
  | {
      kind: "file";
      size: number;
      /** The file's first bytes, for the binary sniff. */
      head: Buffer;
      lines: ReadLine[];
      /** Set when the file ended by `end` and nothing was cut: the number of lines in it. */
      totalLines?: number;
    };

/** One file's new state: `content` null deletes it. `mode` keeps an existing file's permission bits. */
export interface FileWrite {
  abs: string;
  content: string | null;
  /** The content before (null: the file did not exist), restored if the batch fails. */
  previous: string | null;
  mode?: number;
}

export type EntryKind = "file" | "directory" | "symlink" | "other";

export interface DirEntry {
  name: string;
  kind: EntryKind;
  /** Files: their size. */
  size?: number;
  /** Symbolic links: where they point. */
  linkTarget?: string;
}

/** Directory listings and ignore-file texts, by workspace-relative POSIX path ("" for the root). */
export interface DirReader {
  /** Entries sorted by name; [] for a directory that cannot be read. */
  readdir(rel: string): Promise<DirEntry[]>;
  /** A small text file (an ignore file); `undefined` when absent. */
  readText(rel: string): Promise<string | undefined>;
}
