/** Exit codes of the toad command. */
export const EXIT = {
  ok: 0,
  /** The run failed: model or API error, refusal, crash. */
  failed: 1,
  /** Bad flags or configuration: nothing was run. */
  usage: 2,
  /** The run stopped at a cap (--max-turns or the session budget). */
  capped: 3,
  /** Interrupted (Ctrl-C / SIGTERM). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one line on stderr and an exit code, without a stack. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
  }
}
