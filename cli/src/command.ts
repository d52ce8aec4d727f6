import type { ExitCode } from "./errors.js";
import type { Writable } from "./output.js";

/** What a command gets from the process: streams, environment, directory. */
export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * A `toad <name> …` subcommand. Each lives in its own module under
 * `commands/` and is listed once in `commands/index.ts`; it parses its own
 * arguments and throws `CliError` for bad usage.
 */
export interface Command {
  name: string;
  /** One line for `toad --help`. */
  summary: string;
  run(argv: string[], io: CommandIo): Promise<ExitCode>;
}
