export interface ToolLimits {
  /** read_file: lines shown when no range is given. */
  readMaxLines: number;
  /** read_file: characters kept of one line. */
  maxLineChars: number;
  /** read_file: characters of output before it stops adding lines. */
  readMaxChars: number;
  /** Edit tools refuse files larger than this. */
  editMaxBytes: number;
  /** Safety net over every tool's output. */
  outputMaxChars: number;
  /** bash, git, run_tests: default timeout. */
  commandTimeoutMs: number;
  /** Upper bound of a timeout the model may ask for. */
  commandMaxTimeoutMs: number;
  /** Per stream, of a command's captured output (head + tail). */
  commandOutputBytes: number;
  /** grep: matches (content mode) or files shown. */
  grepMaxResults: number;
  /** glob: paths shown. */
  globMaxResults: number;
  /** list_dir: entries shown. */
  listMaxEntries: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  readMaxLines: 2_000,
  maxLineChars: 2_000,
  readMaxChars: 100_000,
  editMaxBytes: 5 * 1024 * 1024,
  outputMaxChars: 120_000,
  commandTimeoutMs: 120_000,
  commandMaxTimeoutMs: 600_000,
  commandOutputBytes: 32 * 1024,
  grepMaxResults: 200,
  globMaxResults: 500,
  listMaxEntries: 500,
};

export interface BuiltinToolsOptions {
  limits?: Partial<ToolLimits>;
  /**
   * Search engine of grep and the file walker of glob: "auto" (default) uses
   * ripgrep when `rg` is on PATH, else the JavaScript implementation.
   */
  search?: "auto" | "ripgrep" | "js";
  /** Path of `rg`; default: found on PATH. */
  rgPath?: string;
  /** Only these tools (by name); default all. */
  only?: readonly string[];
}
