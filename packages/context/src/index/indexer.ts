import { readFile, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { analyzeFile } from "../parse/analyze.js";
import { languageForPath } from "../parse/languages.js";
import { TreeSitterRuntime } from "../parse/runtime.js";
import type { FileRecord, IndexStore } from "../store/index-store.js";
import { ParsePool } from "./parse-pool.js";
import { contentHash, recordFromAnalysis, recordFromText } from "./record.js";
import { isIndexable, listFiles } from "./walk.js";

export interface IndexProgress {
  phase: "scan" | "index" | "done";
  /** Files looked at so far in this phase. */
  done: number;
  total: number;
  path?: string;
}

export interface IndexError {
  path: string;
  message: string;
}

export interface IndexResult {
  /** Files in the index after the run. */
  files: number;
  /** Files parsed and written in this run (new or changed). */
  indexed: number;
  unchanged: number;
  removed: number;
  /** Definitions written in this run. */
  symbols: number;
  durationMs: number;
  /** Files that could not be read or parsed; the rest of the index is still written. */
  errors: IndexError[];
  /** Paths added, changed or removed: what a repo map or graph must refresh. */
  changed: string[];
}

export interface IndexOptions {
  runtime?: TreeSitterRuntime;
  /** Only look at these repository-relative paths (an edit notification); others stay as they are. */
  paths?: readonly string[];
  /** Files above this size are skipped (generated code, data). */
  maxFileBytes?: number;
  /** Parser worker threads for large runs (0: parse on this thread). Default: the machine's parallelism, at most 4. */
  workers?: number;
  /** Extra filter on repository-relative paths. */
  include?: (path: string) => boolean;
}

const DEFAULT_MAX_BYTES = 1_000_000;
/** Files parsed on the calling thread before a worker pool is started. */
const POOL_THRESHOLD = 32;
/** Parsed files waiting to be written: bounds memory while workers run ahead. */
const MAX_IN_FLIGHT = 16;

/**
 * Brings the store up to date with the files under `root`. Files whose content
 * hash matches the stored one are not parsed again, so a re-index after an
 * edit touches only the edited files.
 */
export async function indexRepository(
  root: string,
  store: IndexStore,
  onProgress: (progress: IndexProgress) => void = () => {},
  options: IndexOptions = {},
): Promise<IndexResult> {
  const started = performance.now();
  const runtime = options.runtime ?? new TreeSitterRuntime();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_BYTES;
  const include = options.include ?? (() => true);
  const workers = options.workers ?? Math.min(4, availableParallelism());
  const stored = store.fileHashes();
  const candidates = (options.paths ? options.paths.filter(isIndexable) : listFiles(root)).filter(include);
  onProgress({ phase: "scan", done: candidates.length, total: candidates.length });

  const result: IndexResult = {
    files: 0,
    indexed: 0,
    unchanged: 0,
    removed: 0,
    symbols: 0,
    durationMs: 0,
    errors: [],
    changed: [],
  };
  const seen = new Set<string>();
  let done = 0;
  let pool: ParsePool | undefined;
  let parsedHere = 0;
  const inflight = new Set<Promise<void>>();
  const parse = (path: string, content: string, hash: string): Promise<FileRecord> => {
    // Worker threads pay off once there is real work; a one-file update stays on this thread.
    if (!pool && parsedHere >= POOL_THRESHOLD && workers > 0) pool = ParsePool.create(workers);
    const here = (): Promise<FileRecord> => {
      parsedHere++;
      return languageForPath(path)
        ? analyzeToRecord(runtime, path, content, hash)
        : Promise.resolve(recordFromText(path, content, hash));
    };
    const active = pool;
    // A dead worker pool degrades to parsing here rather than failing the run.
    if (active?.alive)
      return active
        .parse(path, content, hash)
        .catch((e: unknown) => (active.alive ? Promise.reject(e) : here()));
    return here();
  };
  try {
    for (const path of candidates) {
      done++;
      const content = await readText(join(root, path), maxBytes);
      if (content === undefined) continue;
      seen.add(path);
      const hash = contentHash(content);
      if (stored.get(path) === hash) {
        result.unchanged++;
        continue;
      }
      const task = parse(path, content, hash).then(
        (record) => {
          store.writeFile(record);
          result.indexed++;
          result.symbols += record.defs.length;
          result.changed.push(path);
        },
        (error: unknown) => {
          result.errors.push({ path, message: error instanceof Error ? error.message : String(error) });
        },
      );
      inflight.add(task);
      void task.finally(() => inflight.delete(task));
      if (inflight.size >= MAX_IN_FLIGHT) await Promise.race(inflight);
      if (done % 25 === 0 || done === candidates.length) {
        onProgress({ phase: "index", done, total: candidates.length, path });
      }
    }
    await Promise.all(inflight);
  } finally {
    await pool?.close();
  }
  result.changed.sort();

  // A full scan removes every stored file it did not see; a path-limited run removes only the named paths gone.
  const gone = options.paths
    ? options.paths.filter((p) => stored.has(p) && !seen.has(p))
    : [...stored.keys()].filter((p) => !seen.has(p));
  for (const path of gone) {
    store.removeFile(path);
    result.removed++;
    result.changed.push(path);
  }
  result.files = store.counts().files;
  result.durationMs = performance.now() - started;
  onProgress({ phase: "done", done: candidates.length, total: candidates.length });
  return result;
}

async function analyzeToRecord(runtime: TreeSitterRuntime, path: string, content: string, hash: string) {
  const analysis = await analyzeFile(runtime, path, content);
  return analysis ? recordFromAnalysis(analysis, content, hash) : recordFromText(path, content, hash);
}

/** The file's text, or undefined when it is missing, too large or binary. */
async function readText(absolute: string, maxBytes: number): Promise<string | undefined> {
  try {
    const info = await stat(absolute);
    if (!info.isFile() || info.size > maxBytes) return undefined;
    const buffer = await readFile(absolute);
    if (buffer.subarray(0, 8000).includes(0)) return undefined;
    return buffer.toString("utf8");
  } catch {
    return undefined;
  }
}
