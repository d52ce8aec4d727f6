import { type LocalCommand, LocalDriver, type LocalDriverOptions } from "./local-driver.js";
import type { SpawnSpec } from "./run-process.js";
import type { ExecRequest, SandboxDescription } from "./types.js";

export type ProcessDriverOptions = LocalDriverOptions;

/**
 * No isolation at all: a plain child process in its own process group. Used
 * when bubblewrap is missing; `createLocalSandbox` warns when it picks it.
 */
export class ProcessDriver extends LocalDriver<ProcessDriverOptions> {
  protected override spawnSpec(command: LocalCommand, request: ExecRequest): SpawnSpec {
    const [file, ...args] = command.argv;
    return { file, args, cwd: command.cwd, env: { ...command.env, ...request.env } };
  }

  override describe(): SandboxDescription {
    return {
      driver: "process",
      workspaceRoot: this.options.workspaceRoot,
      filesystemIsolated: false,
      networkIsolated: false,
      summary: "plain child processes: no filesystem or network isolation",
    };
  }
}
