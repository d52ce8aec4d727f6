import { createReadStream } from "node:fs";
import { lstat, open, readFile, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { grepWithJs, grepWithRipgrep } from "../grep-search.js";
import { listFiles } from "../list-files.js";
import { type SearchEngine, searchEngineResolver } from "../ripgrep.js";
import { localDirReader } from "./local-dir.js";
import { writeAllLocally } from "./local-write.js";
import type { FileRead, FileStat, LinesRead, LinesRequest, WorkspaceFs } from "./port.js";

const MAX_SYMLINK_HOPS = 40;
const SNIFF_BYTES = 8_000;

export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}

const isMissing = (error: unknown) =>
  isErrnoException(error) && (error.code === "ENOENT" || error.code === "ENOTDIR");

/** `realpath` for paths that may not exist yet: see `WorkspaceFs.realpaths`. */
export async function realpathLoose(target: string, hops = 0): Promise<string> {
  if (hops > MAX_SYMLINK_HOPS) throw new Error(`too many symbolic links at ${target}`);
  try {
    return await realpath(target);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const parent = path.dirname(target);
  if (parent === target) return target;
  const stats = await lstat(target).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    const pointee = path.resolve(parent, await readlink(target));
    return realpathLoose(pointee, hops + 1);
  }
  return path.join(await realpathLoose(parent, hops), path.basename(target));
}

async function statOne(abs: string): Promise<FileStat | undefined> {
  try {
    const stats = await stat(abs);
    return {
      isFile: stats.isFile(),
      isDirectory: stats.isDirectory(),
      size: stats.size,
      mode: stats.mode & 0o7777,
      mtimeMs: stats.mtimeMs,
    };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function readWhole(abs: string, maxBytes: number): Promise<FileRead> {
  const stats = await statOne(abs);
  if (!stats) return { kind: "missing" };
  if (stats.isDirectory) return { kind: "directory" };
  if (stats.size > maxBytes) return { kind: "too_large", size: stats.size };
  return { kind: "file", bytes: await readFile(abs), mode: stats.mode };
}

async function sniff(abs: string): Promise<Buffer> {
  const handle = await open(abs, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readLines(abs: string, request: LinesRequest): Promise<LinesRead> {
  const stats = await statOne(abs);
  if (!stats) return { kind: "missing" };
  if (stats.isDirectory) return { kind: "directory" };
  const head = await sniff(abs);
  const lines: LinesRead & { kind: "file" } = { kind: "file", size: stats.size, head, lines: [] };
  if (stats.size === 0) return { ...lines, totalLines: 0 };
  let lineNumber = 0;
  let bytes = 0;
  let complete = true;
  const reader = createInterface({
    input: createReadStream(abs, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of reader) {
    lineNumber++;
    if (lineNumber < request.start) continue;
    if (lineNumber > request.end || bytes > request.maxBytes) {
      complete = false;
      break;
    }
    // Only the start of a long line is kept (the tool shows at most maxLineChars of it).
    lines.lines.push({ text: line.slice(0, request.maxLineBytes), chars: line.length });
    bytes += Math.min(line.length, request.maxLineBytes) + 1;
  }
  reader.close();
  return complete ? { ...lines, totalLines: lineNumber } : lines;
}

/**
 * node:fs on this machine. grep and the file walk use `engine` (ripgrep when
 * present, else the JavaScript implementation).
 */
export function createLocalWorkspaceFs(
  engine: () => Promise<SearchEngine> = searchEngineResolver({}),
): WorkspaceFs {
  return {
    kind: "local",
    realpaths: (paths) => Promise.all(paths.map((p) => realpathLoose(p))),
    stat: (paths) => Promise.all(paths.map(statOne)),
    readFile: readWhole,
    readLines,
    writeAll: writeAllLocally,
    readTree: async (root) => localDirReader(root, true),
    async listFiles(root, dirRel, maxFiles, signal) {
      return listFiles(await engine(), root, dirRel, maxFiles, signal);
    },
    async grep(root, query, signal) {
      const chosen = await engine();
      return chosen.kind === "ripgrep"
        ? grepWithRipgrep(chosen.path, root, query, signal)
        : grepWithJs(localDirReader(root), root, query, signal);
    },
  };
}

/** The default when a tool context names no file system. */
export const LOCAL_FS: WorkspaceFs = createLocalWorkspaceFs();
