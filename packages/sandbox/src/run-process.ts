import { spawn } from "node:child_process";
import { StreamCapture } from "./output-cap.js";
import type { DriverLimits, ExecRequest, ExecResult, SandboxError } from "./types.js";

/** What to start; drivers differ only in how they build this. */
export interface SpawnSpec {
  file: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** How long to wait for pipes to close after the process exited (a daemon that escaped the group may hold them). */
const PIPE_DRAIN_MS = 2_000;

export function failedResult(error: SandboxError, durationMs = 0): ExecResult {
  return {
    exitCode: null,
    signal: null,
    stdout: "",
    stderr: "",
    timedOut: false,
    aborted: false,
    truncated: false,
    durationMs,
    error,
  };
}

/** Sends `signal` to every process of the group led by `pid`; a group already gone is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has no members left.
  }
}

/**
 * Runs one process in its own process group (`detached`), captures both
 * streams head+tail, and on timeout or abort terminates the whole group
 * (SIGTERM, then SIGKILL after the grace period) so grandchildren die too.
 * When the process exits on its own, whatever it left running in its group
 * is killed: a command's processes do not outlive the command.
 */
export function runProcess(spec: SpawnSpec, request: ExecRequest, limits: DriverLimits): Promise<ExecResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (request.signal?.aborted) {
    const { error: _none, ...notStarted } = failedResult({ kind: "spawn_failed", message: "aborted" });
    return Promise.resolve({ ...notStarted, aborted: true });
  }
  const maxBytes = request.maxOutputBytes ?? limits.maxOutputBytes;
  const timeoutMs = request.timeoutMs ?? limits.defaultTimeoutMs;

  return new Promise<ExecResult>((resolve) => {
    const child = spawn(spec.file, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: [request.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const capture = new StreamCapture(maxBytes, request.onOutput);
    let timedOut = false;
    let aborted = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let spawnError: SandboxError | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const terminate = () => {
      if (child.pid === undefined) return;
      const pid = child.pid;
      killGroup(pid, "SIGTERM");
      timers.push(setTimeout(() => killGroup(pid, "SIGKILL"), limits.killGraceMs));
    };
    const onAbort = () => {
      aborted = true;
      terminate();
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      if (spawnError) {
        resolve(failedResult(spawnError, elapsed()));
        return;
      }
      resolve({
        exitCode,
        signal: exitSignal,
        ...capture.result(),
        timedOut,
        aborted,
        durationMs: elapsed(),
      });
    };

    for (const stream of ["stdout", "stderr"] as const) {
      child[stream]?.on("data", (chunk: Buffer) => capture.push(stream, chunk));
    }
    if (request.stdin !== undefined && child.stdin) {
      // The command may exit without reading its input; EPIPE is not our failure.
      child.stdin.on("error", () => {});
      child.stdin.end(request.stdin);
    }

    child.on("error", (error) => {
      spawnError = { kind: "spawn_failed", message: `${spec.file}: ${error.message}` };
      finish();
    });
    child.on("exit", (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      timers.push(
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        }, PIPE_DRAIN_MS),
      );
    });
    child.on("close", finish);

    timers.push(
      setTimeout(() => {
        timedOut = true;
        terminate();
      }, timeoutMs),
    );
    request.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
