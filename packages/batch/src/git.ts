import { execFile } from "node:child_process";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables that would point git at another repository than the one asked for. */
const REPOSITORY_VARIABLES = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_COMMON_DIR",
];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return env;
}

/**
 * Runs git (never interactive, plain output, no CRLF conversion) and
 * resolves with its exit code and output; it rejects only when git itself
 * cannot be started.
 */
export function git(
  cwd: string,
  args: readonly string[],
  options: { input?: string; signal?: AbortSignal } = {},
): Promise<GitResult> {
  // Hooks and fsmonitor are off: a workspace's .git is the agent's to write, and no command
  // written there may run outside the sandbox when TOAD runs git on the host.
  const argv = [
    ...["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"],
    ...["-c", "core.autocrlf=false", "-c", "core.quotepath=off", "-c", "color.ui=never"],
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      argv,
      { cwd, env: gitEnv(), maxBuffer: 512 * 1024 * 1024, encoding: "utf8", signal: options.signal },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          if (error.name === "AbortError") resolve({ code: 130, stdout, stderr: "aborted" });
          else reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** The first line of git's complaint, for error messages. */
export function gitProblem(result: GitResult): string {
  const line = result.stderr
    .trim()
    .split("\n")
    .find((text) => text.trim() !== "");
  return line ?? `exit code ${result.code}`;
}
