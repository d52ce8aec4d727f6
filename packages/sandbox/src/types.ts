/**
 * The port every command of TOAD runs through: the local drivers (bubblewrap,
 * plain child process) and the Kubernetes pod driver (src/k8s) behind the
 * same interface.
 */

export type OutputStream = "stdout" | "stderr";

export interface OutputChunk {
  stream: OutputStream;
  text: string;
}

export interface ExecRequest {
  /**
   * A string runs through `/bin/bash -c`; an array is an argv executed as is
   * (no shell, no quoting to get wrong).
   */
  command: string | readonly string[];
  /** Working directory; relative to the workspace root, and must stay inside it. Default: the root. */
  cwd?: string;
  /** Added to (and overriding) the driver's base environment. */
  env?: Readonly<Record<string, string>>;
  /** Kill the whole process group after this long. Default: the driver's `defaultTimeoutMs`. */
  timeoutMs?: number;
  /** Aborting kills the whole process group. */
  signal?: AbortSignal;
  /**
   * Allow network access. Default false (enforced only by isolating drivers; see `describe()`).
   * A pod's network is decided when its workspace is created, not per command.
   */
  network?: boolean;
  /** Text written to the command's standard input, which is then closed. Default: no input. */
  stdin?: string;
  /** Live output, uncapped, as it arrives. */
  onOutput?: (chunk: OutputChunk) => void;
  /** Per-stream cap of the returned text (head + tail kept). Default: the driver's `maxOutputBytes`. */
  maxOutputBytes?: number;
}

/** Why a command could not be run at all (as opposed to running and failing). */
export interface SandboxError {
  kind: "invalid_cwd" | "spawn_failed";
  message: string;
}

export interface ExecResult {
  /** Null when the process was killed by a signal or never started. */
  exitCode: number | null;
  /** The signal that ended the process, e.g. "SIGKILL". */
  signal: string | null;
  /** Captured output; when over the cap, head and tail with a marker line in between. */
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** True when either stream was cut. */
  truncated: boolean;
  durationMs: number;
  /** Set when the command could not start; the other fields then describe nothing. */
  error?: SandboxError;
}

export interface SandboxDescription {
  /** "bubblewrap", "process" or "kubernetes". */
  driver: string;
  workspaceRoot: string;
  /** Writes outside the workspace (and its private /tmp) are impossible. */
  filesystemIsolated: boolean;
  /** `network: false` is enforced. */
  networkIsolated: boolean;
  /** One line for logs and the UI. */
  summary: string;
}

export interface SandboxDriver {
  exec(request: ExecRequest): Promise<ExecResult>;
  describe(): SandboxDescription;
}

/** Where drivers report what a user should know (e.g. "running unsandboxed"). */
export interface SandboxLogger {
  warn(message: string): void;
}

export interface DriverLimits {
  /** Default 120 s. */
  defaultTimeoutMs: number;
  /** Per stream; default 64 KiB. */
  maxOutputBytes: number;
  /** Between SIGTERM and SIGKILL of the process group; default 1 s. */
  killGraceMs: number;
}

export const DEFAULT_LIMITS: DriverLimits = {
  defaultTimeoutMs: 120_000,
  maxOutputBytes: 64 * 1024,
  killGraceMs: 1_000,
};
