import { commandEnvironment } from "./env.js";
import { resolveCwd } from "./paths.js";
import { failedResult, runProcess, type SpawnSpec } from "./run-process.js";
import {
  DEFAULT_LIMITS,
  type DriverLimits,
  type ExecRequest,
  type ExecResult,
  type SandboxDescription,
  type SandboxDriver,
} from "./types.js";

export interface ProcessDriverOptions {
  /** Absolute path; commands run inside it. */
  workspaceRoot: string;
  /** Base environment of every command. Default: this process's, without credential-like variables. */
  env?: NodeJS.ProcessEnv;
  limits?: Partial<DriverLimits>;
  /** Shell for string commands. Default /bin/bash. */
  shell?: string;
}

/** argv of a request: a string goes through the shell, an array runs as is. */
export function commandArgv(command: ExecRequest["command"], shell: string): string[] {
  return typeof command === "string" ? [shell, "-c", command] : [...command];
}

/**
 * No isolation at all: a plain child process in its own process group. Used
 * when bubblewrap is missing; `createLocalSandbox` warns when it picks it.
 */
export class ProcessDriver implements SandboxDriver {
  private readonly limits: DriverLimits;
  private readonly shell: string;

  constructor(private readonly options: ProcessDriverOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.shell = options.shell ?? "/bin/bash";
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const cwd = await resolveCwd(this.options.workspaceRoot, request.cwd);
    if (!cwd.ok) return failedResult(cwd.error);
    const [file, ...args] = commandArgv(request.command, this.shell);
    if (file === undefined) return failedResult({ kind: "spawn_failed", message: "empty command" });
    const spec: SpawnSpec = {
      file,
      args,
      cwd: cwd.cwd,
      env: { ...(this.options.env ?? commandEnvironment()), ...request.env },
    };
    return runProcess(spec, request, this.limits);
  }

  describe(): SandboxDescription {
    return {
      driver: "process",
      workspaceRoot: this.options.workspaceRoot,
      filesystemIsolated: false,
      networkIsolated: false,
      summary: "plain child processes: no filesystem or network isolation",
    };
  }
}
