import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

/**
 * Bundles `children/<name>.ts` (see `bundleEntry`); remove the file's folder when done.
 */
export async function bundleChild(name: string): Promise<string> {
  return (await bundleEntry(fileURLToPath(new URL(`./children/${name}.ts`, import.meta.url)))).file;
}

/**
 * Bundles an entry (a child script, or a service's main.ts) with the
 * workspace sources inlined (Node 20 cannot run TypeScript) and npm packages
 * left external, into a folder under the repository's node_modules so those
 * imports resolve, and find their own files (native modules, wasm grammars),
 * as they do for the built code. Returns the file and a cleanup.
 */
export async function bundleEntry(entry: string): Promise<{ file: string; cleanup(): Promise<void> }> {
  const cache = fileURLToPath(new URL("../../../node_modules/.cache/", import.meta.url));
  await mkdir(cache, { recursive: true });
  const outDir = await mkdtemp(join(cache, "toad-batch-entry-"));
  const file = join(outDir, "entry.mjs");
  await build({
    input: entry,
    platform: "node",
    // Workspace packages (and relative files) are bundled from source; npm packages the root
    // node_modules holds load from there (those only a workspace holds are bundled too).
    external: (id) => {
      if (id.startsWith("@toad/") || id.startsWith(".") || isAbsolute(id)) return false;
      if (id.startsWith("node:")) return true;
      const name = id
        .split("/")
        .slice(0, id.startsWith("@") ? 2 : 1)
        .join("/");
      return existsSync(join(cache, "..", name));
    },
    resolve: { conditionNames: ["toad-source", "import", "node", "default"] },
    logLevel: "silent",
    output: { file, format: "esm", codeSplitting: false },
  });
  return { file, cleanup: () => rm(outDir, { recursive: true, force: true }) };
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
