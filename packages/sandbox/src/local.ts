import { realpath } from "node:fs/promises";
import { BubblewrapDriver, bwrapArgs } from "./bwrap-driver.js";
import { findExecutable } from "./paths.js";
import { ProcessDriver } from "./process-driver.js";
import { runProcess } from "./run-process.js";
import { DEFAULT_LIMITS, type DriverLimits, type SandboxDriver, type SandboxLogger } from "./types.js";

export interface LocalSandboxOptions {
  workspaceRoot: string;
  /** Told when the sandbox falls back to unisolated processes. */
  logger: SandboxLogger;
  /** "auto" (default): bubblewrap when it works here, else plain processes with a warning. */
  prefer?: "auto" | "bubblewrap" | "process";
  /** Default: `bwrap` on PATH. */
  bwrapPath?: string;
  writablePaths?: readonly string[];
  env?: NodeJS.ProcessEnv;
  limits?: Partial<DriverLimits>;
}

export type BubblewrapProbe = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Whether bubblewrap can run here with the flags the driver uses: the binary
 * may exist and still fail (no user namespaces in a container, for example).
 */
export async function probeBubblewrap(workspaceRoot: string, bwrapPath?: string): Promise<BubblewrapProbe> {
  const found = await findExecutable(bwrapPath ?? "bwrap");
  if (!found) return { ok: false, reason: "bwrap was not found on PATH" };
  const root = await realpath(workspaceRoot);
  const result = await runProcess(
    {
      file: found,
      args: [...bwrapArgs({ workspaceRoot: root, cwd: root, network: false }), "/bin/true"],
      cwd: root,
      env: process.env,
    },
    { command: "true", timeoutMs: 5_000 },
    DEFAULT_LIMITS,
  );
  if (result.exitCode === 0) return { ok: true, path: found };
  const detail = result.error?.message ?? (result.stderr.trim() || `exit code ${result.exitCode}`);
  return { ok: false, reason: `bwrap does not work here: ${detail}` };
}

/** The local sandbox: bubblewrap when it works, otherwise plain processes and a warning. */
export async function createLocalSandbox(options: LocalSandboxOptions): Promise<SandboxDriver> {
  const workspaceRoot = await realpath(options.workspaceRoot);
  const common = { workspaceRoot, env: options.env, limits: options.limits };
  const prefer = options.prefer ?? "auto";
  if (prefer !== "process") {
    const probe = await probeBubblewrap(workspaceRoot, options.bwrapPath);
    if (probe.ok) {
      return new BubblewrapDriver({ ...common, bwrapPath: probe.path, writablePaths: options.writablePaths });
    }
    options.logger.warn(
      `sandbox: ${probe.reason}; commands run as plain child processes with NO filesystem or network ` +
        "isolation. Install bubblewrap (apt-get install bubblewrap) to sandbox them.",
    );
  } else {
    options.logger.warn("sandbox: plain child processes requested; commands run with NO isolation.");
  }
  return new ProcessDriver(common);
}
