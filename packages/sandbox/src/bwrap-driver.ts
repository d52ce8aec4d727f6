import { commandEnvironment } from "./env.js";
import { resolveCwd } from "./paths.js";
import { commandArgv } from "./process-driver.js";
import { failedResult, runProcess } from "./run-process.js";
import {
  DEFAULT_LIMITS,
  type DriverLimits,
  type ExecRequest,
  type ExecResult,
  type SandboxDescription,
  type SandboxDriver,
} from "./types.js";

export interface BubblewrapDriverOptions {
  /** Absolute path; the only writable tree besides a private /tmp and `writablePaths`. */
  workspaceRoot: string;
  /** Path of the `bwrap` binary. Default "bwrap" (looked up on PATH). */
  bwrapPath?: string;
  /** Extra absolute paths bound writable (e.g. a build cache under $HOME). */
  writablePaths?: readonly string[];
  /** Base environment of every command. Default: this process's, without credential-like variables. */
  env?: NodeJS.ProcessEnv;
  limits?: Partial<DriverLimits>;
  shell?: string;
}

/**
 * The bwrap arguments of one command, before the command itself. Order
 * matters: later mounts cover earlier ones, so the workspace bind comes after
 * the private /tmp (workspaces often live under /tmp).
 */
export function bwrapArgs(options: {
  workspaceRoot: string;
  cwd: string;
  network: boolean;
  writablePaths?: readonly string[];
}): string[] {
  const args = [
    "--die-with-parent",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    ...(options.network ? [] : ["--unshare-net"]),
    // As root, bwrap keeps every capability unless told otherwise; without
    // CAP_SYS_ADMIN the command cannot remount the read-only root.
    "--cap-drop",
    "ALL",
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    "--bind",
    options.workspaceRoot,
    options.workspaceRoot,
  ];
  for (const writable of options.writablePaths ?? []) args.push("--bind-try", writable, writable);
  args.push("--chdir", options.cwd, "--");
  return args;
}

/**
 * Commands under bubblewrap: the filesystem read-only except the workspace
 * (and a private /tmp), no network unless the request allows it, own PID
 * namespace so nothing outlives the command.
 */
export class BubblewrapDriver implements SandboxDriver {
  private readonly limits: DriverLimits;

  constructor(private readonly options: BubblewrapDriverOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const cwd = await resolveCwd(this.options.workspaceRoot, request.cwd);
    if (!cwd.ok) return failedResult(cwd.error);
    const argv = commandArgv(request.command, this.options.shell ?? "/bin/bash");
    if (argv.length === 0) return failedResult({ kind: "spawn_failed", message: "empty command" });
    const args = [
      ...bwrapArgs({
        workspaceRoot: cwd.root,
        cwd: cwd.cwd,
        network: request.network === true,
        writablePaths: this.options.writablePaths,
      }),
      ...argv,
    ];
    // The host's TMPDIR is hidden behind the private /tmp.
    const env = { ...(this.options.env ?? commandEnvironment()), TMPDIR: "/tmp", ...request.env };
    return runProcess(
      { file: this.options.bwrapPath ?? "bwrap", args, cwd: cwd.cwd, env },
      request,
      this.limits,
    );
  }

  describe(): SandboxDescription {
    return {
      driver: "bubblewrap",
      workspaceRoot: this.options.workspaceRoot,
      filesystemIsolated: true,
      networkIsolated: true,
      summary: "bubblewrap: workspace writable, rest read-only, network off unless allowed",
    };
  }
}
