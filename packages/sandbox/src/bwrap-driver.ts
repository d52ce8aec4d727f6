import { type LocalCommand, LocalDriver, type LocalDriverOptions } from "./local-driver.js";
import type { SpawnSpec } from "./run-process.js";
import type { ExecRequest, SandboxDescription } from "./types.js";

export interface BubblewrapDriverOptions extends LocalDriverOptions {
  /** Absolute path; the only writable tree besides a private /tmp and `writablePaths`. */
  workspaceRoot: string;
  /** Path of the `bwrap` binary. Default "bwrap" (looked up on PATH). */
  bwrapPath?: string;
  /** Extra absolute paths bound writable (e.g. a build cache under $HOME). */
  writablePaths?: readonly string[];
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
export class BubblewrapDriver extends LocalDriver<BubblewrapDriverOptions> {
  protected override spawnSpec(command: LocalCommand, request: ExecRequest): SpawnSpec {
    const args = [
      ...bwrapArgs({
        workspaceRoot: command.root,
        cwd: command.cwd,
        network: request.network === true,
        writablePaths: this.options.writablePaths,
      }),
      ...command.argv,
    ];
    // The host's TMPDIR is hidden behind the private /tmp.
    const env = { ...command.env, TMPDIR: "/tmp", ...request.env };
    return { file: this.options.bwrapPath ?? "bwrap", args, cwd: command.cwd, env };
  }

  override describe(): SandboxDescription {
    return {
      driver: "bubblewrap",
      workspaceRoot: this.options.workspaceRoot,
      filesystemIsolated: true,
      networkIsolated: true,
      summary: "bubblewrap: workspace writable, rest read-only, network off unless allowed",
    };
  }
}
