import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const TOAD_BIN = fileURLToPath(new URL("../bin/toad.js", import.meta.url));
const DIST_MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** The e2e tests run the built command as a real process; `npm test` builds first. */
export function assertBuilt(): void {
  if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} is missing: run npm run build first`);
}

export interface Sandbox {
  root: string;
  repo: string;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/** A temp home (data, config) and a git repository with the given files. */
export async function makeSandbox(files: Record<string, string>, llmUrl: string): Promise<Sandbox> {
  const root = await realpath(await mkdtemp(join(tmpdir(), "toad-e2e-")));
  const repo = join(root, "repo");
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  await mkdir(repo, { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: repo });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(root, "home"),
    TOAD_DATA_DIR: join(root, "data"),
    TOAD_CONFIG_HOME: join(root, "config"),
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: llmUrl,
  };
  return { root, repo, env, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export interface ToadRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startToad(args: string[], sandbox: Sandbox, input?: string): ChildProcess {
  const child = spawn(process.execPath, [TOAD_BIN, ...args], {
    cwd: sandbox.repo,
    env: sandbox.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin?.end(input ?? "");
  return child;
}

export function runToad(args: string[], sandbox: Sandbox, input?: string): Promise<ToadRun> {
  const child = startToad(args, sandbox, input);
  return finished(child);
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
  return new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
