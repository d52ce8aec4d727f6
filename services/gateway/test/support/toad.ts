import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const TOAD_BIN = fileURLToPath(new URL("../../../../cli/bin/toad.js", import.meta.url));
const CLI_DIST = fileURLToPath(new URL("../../../../cli/dist/main.js", import.meta.url));

export function assertCliBuilt(): void {
  if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: run npm run build first`);
}

/** A git repository with `files`, where the CLI runs (and where its tools act). */
export async function makeRepo(root: string, files: Record<string, string>): Promise<string> {
  const repo = join(root, "repo");
  await mkdir(repo, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  execFileSync("git", ["init", "-q"], { cwd: repo });
  return repo;
}

export interface ToadRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function spawnToad(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  const child = spawn(process.execPath, [TOAD_BIN, ...args], { ...options, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin?.end("");
  return child;
}

export function finished(child: ChildProcess): Promise<ToadRun> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
