import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "rolldown";

/**
 * Node 20 cannot run TypeScript, so the child scripts are bundled (with the
 * store's sources, through the "toad-source" condition) into one .mjs file.
 * better-sqlite3 stays outside the bundle, imported by absolute URL.
 */
export async function bundleChild(name: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), "toad-store-child-"));
  const file = join(outDir, `${name}.mjs`);
  const sqlite = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
  await build({
    input: fileURLToPath(new URL(`../children/${name}.ts`, import.meta.url)),
    platform: "node",
    external: ["better-sqlite3"],
    resolve: { conditionNames: ["toad-source", "import", "node", "default"] },
    logLevel: "silent",
    output: { file, format: "esm", paths: { "better-sqlite3": sqlite } },
  });
  return file;
}

export interface ChildRun {
  /** Lines written to stdout so far. */
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
  /** Resolves once stdout has at least `count` lines. */
  waitForLines(count: number): Promise<void>;
}

export function runChild(script: string, args: readonly string[]): ChildRun {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let partial = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
    for (const waiter of waiters) if (lines.length >= waiter.count) waiter.resolve();
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      child.on("close", (code, signal) => resolve({ code, signal, stderr }));
    },
  );
  return {
    lines,
    exit,
    kill: (signal) => child.kill(signal),
    waitForLines: (count) =>
      new Promise<void>((resolve, reject) => {
        if (lines.length >= count) resolve();
        else waiters.push({ count, resolve });
        exit.then((result) => reject(new Error(`child exited early: ${JSON.stringify(result)}`)), reject);
      }),
  };
}
