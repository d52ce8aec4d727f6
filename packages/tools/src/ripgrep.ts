import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { findExecutable } from "@toad/sandbox";
import type { BuiltinToolsOptions } from "./options.js";

/** Where grep and glob get their file lists and matches. */
export type SearchEngine = { kind: "ripgrep"; path: string } | { kind: "js" };

/** Resolved once per registry, on first use. */
export function searchEngineResolver(options: BuiltinToolsOptions): () => Promise<SearchEngine> {
  let engine: Promise<SearchEngine> | undefined;
  return () => {
    engine ??= (async (): Promise<SearchEngine> => {
      if (options.search === "js") return { kind: "js" };
      const found = await findExecutable(options.rgPath ?? "rg");
      if (found) return { kind: "ripgrep", path: found };
      if (options.search === "ripgrep")
        throw new Error(`ripgrep was requested but ${options.rgPath ?? "rg"} is not on PATH`);
      return { kind: "js" };
    })();
    return engine;
  };
}

/** The flags that give ripgrep the walker's semantics: hidden files in, .git out, ignore files honoured outside git too. */
export const RG_WALK_FLAGS = ["--hidden", "--no-require-git", "--glob", "!.git", "--sort", "path"];

export interface RgRun {
  exitCode: number | null;
  stderr: string;
  /** `onLine` asked to stop. */
  stopped: boolean;
}

/**
 * Runs rg and hands each stdout line to `onLine`; returning false stops rg.
 * It runs outside the sandbox: it only reads, and the walk needs no shell.
 */
export function runRipgrep(
  rgPath: string,
  args: readonly string[],
  cwd: string,
  onLine: (line: string) => boolean,
  signal?: AbortSignal,
): Promise<RgRun> {
  return new Promise((resolve) => {
    const child = spawn(rgPath, [...args], { cwd, stdio: ["ignore", "pipe", "pipe"], signal });
    let stderr = "";
    let stopped = false;
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString("utf8");
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on("line", (line) => {
      if (stopped) return;
      if (!onLine(line)) {
        stopped = true;
        child.kill("SIGTERM");
      }
    });
    child.on("error", (error) => {
      stderr += error.message;
    });
    child.on("close", (code) => resolve({ exitCode: code, stderr, stopped }));
  });
}
