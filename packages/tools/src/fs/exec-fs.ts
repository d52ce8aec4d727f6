import path from "node:path";
import type { ExecResult, SandboxDriver } from "@toad/sandbox";
import { type GrepResult, RipgrepCollector, ripgrepArgs } from "../grep-search.js";
import { RG_WALK_FLAGS } from "../ripgrep.js";
import type { Result } from "../types.js";
import { grepArgs, parseGrepOutput } from "./exec-grep.js";
import { GREP, LIST_FILES, READ_FILE, READ_LINES, READ_TREE, REALPATHS, STAT } from "./exec-scripts.js";
import { snapshotReader } from "./exec-tree.js";
import { writeAllThrough } from "./exec-write.js";
import type { FileRead, FileStat, LinesRead, LinesRequest, ReadLine, WorkspaceFs } from "./port.js";

export interface ExecWorkspaceFsOptions {
  /** Per operation. Default 60 s. */
  timeoutMs?: number;
  /** Cap of grep's raw output and of a listing, in bytes. Default 8 MiB. */
  maxListingBytes?: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/** A command of the exec file system: it ran and the script reported no failure, or this throws. */
export type RunScript = (
  script: string,
  args: readonly string[],
  options?: { maxOutputBytes?: number; signal?: AbortSignal; okCodes?: readonly number[] },
) => Promise<ExecResult>;

/**
 * The workspace file system of a sandbox driver whose files are not on this
 * machine (a Kubernetes pod): every operation is one bash command through
 * `driver.exec` (a large write adds one per 72 KiB staged), contents travel
 * as base64, and links are resolved by the workspace's own `readlink`, so the
 * boundary checks see the pod's file system, not this one.
 */
export function createExecWorkspaceFs(
  driver: SandboxDriver,
  options: ExecWorkspaceFsOptions = {},
): WorkspaceFs {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const listingBytes = options.maxListingBytes ?? 8 * 1024 * 1024;
  const run: RunScript = async (script, args, runOptions = {}) => {
    const result = await driver.exec({
      command: ["bash", "-c", script, "toad-fs", ...args],
      timeoutMs,
      ...(runOptions.signal && { signal: runOptions.signal }),
      maxOutputBytes: runOptions.maxOutputBytes ?? 1024 * 1024,
    });
    if (result.error) throw new Error(result.error.message);
    if (result.timedOut) throw new Error(`the workspace did not answer within ${timeoutMs} ms`);
    if (result.aborted) throw new Error("aborted");
    const okCodes = runOptions.okCodes ?? [0];
    if (result.exitCode === null || !okCodes.includes(result.exitCode)) {
      throw new Error(result.stderr.trim() || `exit code ${result.exitCode ?? result.signal}`);
    }
    if (result.truncated) throw new Error("the answer was larger than expected and was cut");
    return result;
  };

  return {
    kind: "exec",

    async realpaths(paths) {
      const { stdout } = await run(REALPATHS, paths);
      const resolved = stdout.split("\0").slice(0, -1);
      if (resolved.length !== paths.length) throw new Error("readlink gave an unexpected answer");
      return resolved;
    },

    async stat(paths) {
      if (paths.length === 0) return [];
      const { stdout } = await run(STAT, paths, { maxOutputBytes: 64 * paths.length + 1024 * 1024 });
      const byPath = new Map<string, FileStat>();
      for (const line of stdout.split("\n")) {
        const match = /^([0-9a-f]+) (\d+) (\d+) (.*)$/.exec(line);
        if (!match) continue;
        const raw = Number.parseInt(match[1] ?? "0", 16);
        byPath.set(match[4] ?? "", {
          isFile: (raw & S_IFMT) === S_IFREG,
          isDirectory: (raw & S_IFMT) === S_IFDIR,
          size: Number(match[2]),
          mode: raw & 0o7777,
          mtimeMs: Number(match[3]) * 1000,
        });
      }
      return paths.map((p) => byPath.get(p));
    },

    async readFile(abs, maxBytes): Promise<FileRead> {
      const { stdout } = await run(READ_FILE, [abs, String(maxBytes)], {
        maxOutputBytes: Math.ceil(maxBytes * 1.4) + 4096,
      });
      const newline = stdout.indexOf("\n");
      const [kind, value = ""] = stdout.slice(0, newline === -1 ? undefined : newline).split(" ");
      if (kind === "missing") return { kind: "missing" };
      if (kind === "directory") return { kind: "directory" };
      if (kind === "too_large") return { kind: "too_large", size: Number(value) };
      if (kind !== "file") throw new Error(`unexpected answer: ${stdout.slice(0, 80)}`);
      return {
        kind: "file",
        bytes: Buffer.from(stdout.slice(newline + 1), "base64"),
        mode: Number.parseInt(value, 8),
      };
    },

    async readLines(abs, request) {
      const { stdout, stderr } = await run(
        READ_LINES,
        [
          abs,
          String(request.start),
          String(request.end),
          String(request.maxLineBytes),
          String(request.maxBytes),
        ],
        { maxOutputBytes: Math.ceil(request.maxBytes * 1.4) + 16_384 },
      );
      return parseLines(stdout, stderr, request);
    },

    writeAll: (writes) => writeAllThrough(run, writes),

    async readTree(root, dirRel, depth) {
      const { stdout } = await run(READ_TREE, [root, dirRel, String(depth)], {
        maxOutputBytes: listingBytes,
      });
      return snapshotReader(stdout, dirRel);
    },

    async listFiles(root, dirRel, maxFiles, signal) {
      const dir = path.posix.join(root, dirRel);
      const { stdout } = await run(LIST_FILES, [dir, String(maxFiles + 2), ...RG_WALK_FLAGS], {
        maxOutputBytes: listingBytes,
        ...(signal && { signal }),
      });
      const prefix = dirRel === "." || dirRel === "" ? "" : `${dirRel}/`;
      const lines = stdout.split("\n").slice(1, -1);
      const files = lines.slice(0, maxFiles).map((line) => prefix + line);
      return { files, truncated: lines.length > maxFiles };
    },

    async grep(root, query, signal): Promise<Result<GrepResult>> {
      const rg = ripgrepArgs(query);
      const { stdout, stderr, exitCode } = await run(
        GREP,
        [root, String(listingBytes), String(rg.args.length), ...rg.args, ...grepArgs(query)],
        // rg and grep exit 1 for "no match" and 2 for errors (reported by the collectors); 141 is a cut pipe.
        { maxOutputBytes: listingBytes + 1024, okCodes: [0, 1, 2, 141], ...(signal && { signal }) },
      );
      const newline = stdout.indexOf("\n");
      const engine = stdout.slice(0, newline);
      const body = stdout.slice(newline + 1);
      const rgRun = { exitCode, stderr, stopped: exitCode === 141 };
      if (engine === "grep") return parseGrepOutput(body, query, rg.pathGlob, rgRun);
      const collector = new RipgrepCollector(query, rg.pathGlob);
      for (const line of body.split("\n")) if (!collector.onLine(line)) break;
      return collector.finish(rgRun);
    },
  };
}

function parseLines(stdout: string, stderr: string, request: LinesRequest): LinesRead {
  const newline = stdout.indexOf("\n");
  const [kind, size = "0"] = stdout.slice(0, newline).split(" ");
  if (kind === "missing") return { kind: "missing" };
  if (kind === "directory") return { kind: "directory" };
  if (kind !== "file") throw new Error(`unexpected answer: ${stdout.slice(0, 80)}`);
  const [headB64 = "", linesB64 = ""] = stdout.slice(newline + 1).split(/(?:^|\n)--\n/);
  const raw = Buffer.from(linesB64, "base64");
  const cut = raw.length >= request.maxBytes;
  const rows = raw.toString("utf8").split("\n");
  // The last row is the empty tail after the final newline, or a line the byte cap cut.
  rows.pop();
  const lines: ReadLine[] = rows.map((row) => {
    const tab = row.indexOf("\t");
    return { text: row.slice(tab + 1), chars: Number(row.slice(0, tab)) };
  });
  const total = /^total (\d+)$/m.exec(stderr);
  const read: LinesRead = { kind: "file", size: Number(size), head: Buffer.from(headB64, "base64"), lines };
  return total && !cut ? { ...read, totalLines: Number(total[1]) } : read;
}
