import { spawn } from "node:child_process";

export interface CommandRun {
  /** A shell command line, run with `sh -c`. */
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Each stream keeps at most this many bytes (the rest is dropped and flagged). */
  maxOutputBytes?: number;
}

export type CommandResult =
  | { kind: "exited"; code: number; stdout: string; stderr: string; durationMs: number }
  | {
      kind: "killed";
      why: "timeout" | "aborted" | "signal";
      stdout: string;
      stderr: string;
      durationMs: number;
    }
  | { kind: "spawn_failed"; message: string };

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** After SIGTERM, how long the group gets before SIGKILL. */
const KILL_GRACE_MS = 500;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Runs a shell command in its own process group, feeds it `stdin`, and
 * collects its output. On timeout or abort the whole group is killed, so a
 * hook's children do not outlive it. Never rejects.
 */
export function runCommand(run: CommandRun): Promise<CommandResult> {
  const started = performance.now();
  const maxBytes = run.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve) => {
    if (run.signal?.aborted) {
      resolve({ kind: "killed", why: "aborted", stdout: "", stderr: "", durationMs: 0 });
      return;
    }
    const child = spawn("sh", ["-c", run.command], {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let why: "timeout" | "aborted" | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const terminate = (reason: "timeout" | "aborted") => {
      why ??= reason;
      if (child.pid === undefined) return;
      const pid = child.pid;
      killGroup(pid, "SIGTERM");
      timers.push(setTimeout(() => killGroup(pid, "SIGKILL"), KILL_GRACE_MS));
    };
    const onAbort = () => terminate("aborted");
    const text = (stream: "stdout" | "stderr") => Buffer.concat(out[stream]).toString("utf8");
    const settle = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
      resolve(result);
    };

    for (const stream of ["stdout", "stderr"] as const) {
      child[stream].on("data", (chunk: Buffer) => {
        if (sizes[stream] >= maxBytes) return;
        const kept = chunk.subarray(0, maxBytes - sizes[stream]);
        sizes[stream] += kept.length;
        out[stream].push(kept);
      });
    }
    // The command may exit without reading its input; EPIPE is not its failure.
    child.stdin.on("error", () => {});
    child.stdin.end(run.stdin);

    child.on("error", (error) => settle({ kind: "spawn_failed", message: error.message }));
    // A background child still holding the pipes would keep "close" from firing.
    child.on("exit", () => {
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
    });
    child.on("close", (code, signal) => {
      const durationMs = Math.round(performance.now() - started);
      const stdout = text("stdout");
      const stderr = text("stderr");
      if (why !== undefined || code === null) {
        settle({
          kind: "killed",
          why: why ?? "signal",
          stdout,
          stderr: stderr || String(signal),
          durationMs,
        });
        return;
      }
      settle({ kind: "exited", code, stdout, stderr, durationMs });
    });

    timers.push(setTimeout(() => terminate("timeout"), run.timeoutMs));
    run.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
