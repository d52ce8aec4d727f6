import { AUTO_MODEL, SessionNotFoundError } from "@toad/session";
import type { SessionRecord } from "@toad/store";
import type { RunArgs } from "./args.js";
import { CliError, EXIT, type ExitCode } from "./errors.js";
import { createRunOutput, exitCodeFor, type Writable } from "./output.js";
import type { EmbeddedRuntime } from "./runtime.js";

export interface HeadlessIo {
  stdout: Writable;
  stderr: Writable;
  /** Resolves to the whole of stdin; used when `-p` has no task. */
  readStdin(): Promise<string>;
  /** Aborts on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

/** `toad -p`: one task, run to the end, printed in the chosen format. */
export async function runHeadless(
  args: RunArgs,
  runtime: EmbeddedRuntime,
  io: HeadlessIo,
): Promise<ExitCode> {
  const prompt = (args.prompt ?? (await io.readStdin())).trim();
  if (prompt === "")
    throw new CliError('no task: pass it after -p ("toad -p "fix the failing test"") or on stdin');

  const output = createRunOutput(args.outputFormat, io.stdout, io.stderr, { verbose: args.verbose });
  const session = await openSession(args, runtime);
  if (session.isNew && args.outputFormat === "stream-json") {
    for (const event of await runtime.store.events(session.record.id)) output.event(event);
  }
  const started = Date.now();
  const result = await runtime.runner.send(session.record.id, {
    prompt,
    signal: io.signal,
    ...(args.permissionMode !== undefined && { permissionMode: args.permissionMode }),
    ...(args.maxTurns !== undefined && { maxTurns: args.maxTurns }),
    ...(args.budgetUsd !== undefined && { budgetUsd: args.budgetUsd }),
    onEvent: (event) => output.event(event),
  });
  output.finish({
    sessionId: session.record.id,
    exit: result.exit,
    turns: result.turns,
    costUsd: result.costUsd,
    text: result.text,
    durationMs: Date.now() - started,
  });
  return exitCodeFor(result.exit);
}

async function openSession(
  args: RunArgs,
  runtime: EmbeddedRuntime,
): Promise<{ record: SessionRecord; isNew: boolean }> {
  if (args.resume !== undefined) {
    try {
      return { record: await runtime.runner.get(args.resume), isNew: false };
    } catch (error) {
      if (error instanceof SessionNotFoundError) throw new CliError(error.message, EXIT.usage);
      throw error;
    }
  }
  if (args.continueLatest) {
    const latest = await runtime.runner.latest(args.cwd);
    if (!latest) throw new CliError(`no session to continue in ${args.cwd} (start one with toad -p "task")`);
    return { record: latest, isNew: false };
  }
  const record = await runtime.runner.create({
    cwd: args.cwd,
    model: args.model ?? AUTO_MODEL,
    permissionMode: args.permissionMode ?? "ask",
  });
  return { record, isNew: true };
}
