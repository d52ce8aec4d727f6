import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "rolldown";

/**
 * Bundles `children/<name>.ts` with the workspace sources (the "toad-source"
 * condition) into one .mjs file; better-sqlite3 stays outside, imported by
 * absolute URL.
 */
export async function bundleChild(name: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), "toad-batch-child-"));
  const file = join(outDir, `${name}.mjs`);
  const sqliteRequire = createRequire(fileURLToPath(new URL("../../store/package.json", import.meta.url)));
  const sqlite = pathToFileURL(sqliteRequire.resolve("better-sqlite3")).href;
  await build({
    input: fileURLToPath(new URL(`./children/${name}.ts`, import.meta.url)),
    platform: "node",
    external: ["better-sqlite3"],
    resolve: { conditionNames: ["toad-source", "import", "node", "default"] },
    logLevel: "silent",
    output: { file, format: "esm", paths: { "better-sqlite3": sqlite } },
  });
  return file;
}

export interface ChildRun {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runChild(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): ChildRun {
  const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  return { child, stderr: () => stderr, stdout: () => stdout, exit };
}
