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

/** What every driver that spawns on this machine is configured with. */
export interface LocalDriverOptions {
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

/** One command, checked and ready to wrap: its argv, its real cwd and workspace root, its base env. */
export interface LocalCommand {
  argv: [string, ...string[]];
  cwd: string;
  root: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The part the local drivers share: the working directory checked against the
 * workspace, the argv, the base environment and the limits. A subclass says
 * how the command is spawned (as is, or wrapped).
 */
export abstract class LocalDriver<Options extends LocalDriverOptions = LocalDriverOptions>
  implements SandboxDriver
{
  private readonly limits: DriverLimits;

  constructor(protected readonly options: Options) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const cwd = await resolveCwd(this.options.workspaceRoot, request.cwd);
    if (!cwd.ok) return failedResult(cwd.error);
    const [file, ...args] = commandArgv(request.command, this.options.shell ?? "/bin/bash");
    if (file === undefined) return failedResult({ kind: "spawn_failed", message: "empty command" });
    const command: LocalCommand = {
      argv: [file, ...args],
      cwd: cwd.cwd,
      root: cwd.root,
      env: this.options.env ?? commandEnvironment(),
    };
    return runProcess(this.spawnSpec(command, request), request, this.limits);
  }

  /** How `command` is spawned; the request's own env goes on top of `command.env`. */
  protected abstract spawnSpec(command: LocalCommand, request: ExecRequest): SpawnSpec;

  abstract describe(): SandboxDescription;
}
