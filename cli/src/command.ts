import { CliError, type ExitCode } from "./errors.js";

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

/**
 * Runs a command's flag parser (node's `parseArgs`), turning its complaint
 * into a usage error: the message, then `usage` on the next line.
 */
export function parseFlags<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`);
  }
}
