import { homedir } from "node:os";
import { findRepositoryRoot } from "@toad/agent";
import type { AgentEvent, UserImage } from "@toad/core";
import { expandSlashCommand, formatProblems, loadCommands, openWorktree } from "@toad/extensions";
import { AUTO_MODEL, SessionNotFoundError, type SessionRunner } from "@toad/session";
import type { SessionRecord } from "@toad/store";
import type { RunArgs } from "./args.js";
import { CliError, EXIT, type ExitCode } from "./errors.js";
import { attachImages } from "./images.js";
import { createRunOutput, exitCodeFor, type Writable } from "./output.js";
import { connectGateway, gatewayError, RemoteSessionRunner } from "./remote/index.js";
import type { EmbeddedRuntime } from "./runtime.js";

export interface HeadlessIo {
  stdout: Writable;
  stderr: Writable;
  /** Resolves to the whole of stdin; used when `-p` has no task. */
  readStdin(): Promise<string>;
  /** Aborts on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /** Where user-level config is found (TOAD_CONFIG_HOME); process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

/** Where a headless run's session lives: this process (embedded), or a cluster behind a gateway. */
interface HeadlessBackend {
  runner: Pick<SessionRunner, "create" | "get" | "latest" | "send">;
  events(sessionId: string): Promise<AgentEvent[]>;
}

/** `toad -p`: one task, run to the end, printed in the chosen format. */
export async function runHeadless(
  args: RunArgs,
  runtime: EmbeddedRuntime,
  io: HeadlessIo,
): Promise<ExitCode> {
  const url = args.gateway ?? runtime.gateway.url;
  if (url === undefined) {
    return runOn(args, { runner: runtime.runner, events: (id) => runtime.store.events(id) }, io);
  }
  const token = runtime.gateway.token;
  if (token === undefined) throw new CliError(`the gateway at ${url} needs an API token: set TOAD_TOKEN`);
  const connection = connectGateway({ url, token });
  const runner = new RemoteSessionRunner(connection, {
    ...(args.budgetUsd !== undefined && { budgetUsd: args.budgetUsd }),
    logger: { warn: (message) => io.stderr.write(`toad: ${message}\n`) },
  });
  try {
    return await runOn(args, { runner, events: (id) => runner.events(id) }, io);
  } catch (error) {
    throw gatewayError(error, url);
  } finally {
    connection.close();
  }
}

async function runOn(given: RunArgs, runtime: HeadlessBackend, io: HeadlessIo): Promise<ExitCode> {
  const typed = (given.prompt ?? (await io.readStdin())).trim();
  if (typed === "")
    throw new CliError('no task: pass it after -p ("toad -p "fix the failing test"") or on stdin');
  const { args, prompt } = await prepareTask(given, typed, io);
  const images = await promptImages(prompt, given.cwd, io);

  const output = createRunOutput(args.outputFormat, io.stdout, io.stderr, { verbose: args.verbose });
  const session = await openSession(args, runtime);
  if (session.isNew && args.outputFormat === "stream-json") {
    for (const event of await runtime.events(session.record.id)) output.event(event);
  }
  const started = Date.now();
  const result = await runtime.runner.send(session.record.id, {
    prompt,
    ...(images.length > 0 && { images }),
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

/** Images the prompt names (`./shot.png`) go with it; files that cannot be sent are reported. */
async function promptImages(prompt: string, cwd: string, io: HeadlessIo): Promise<UserImage[]> {
  const { images, notices } = await attachImages(prompt, cwd);
  for (const notice of notices) io.stderr.write(`toad: ${notice}\n`);
  return images;
}

async function openSession(
  args: RunArgs,
  runtime: HeadlessBackend,
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

/**
 * `--worktree NAME` moves the run into its git worktree; `/name args` runs
 * the custom command `.toad/commands/name.md` (user or project level).
 */
async function prepareTask(
  given: RunArgs,
  typed: string,
  io: HeadlessIo,
): Promise<{ args: RunArgs; prompt: string }> {
  let args = given;
  if (given.worktree !== undefined) {
    const opened = await openWorktree(given.cwd, given.worktree);
    if (!opened.ok) throw new CliError(`--worktree: ${opened.message}`, EXIT.usage);
    const { worktree } = opened;
    io.stderr.write(
      `toad: in worktree ${worktree.path} (branch ${worktree.branch}${worktree.created ? ", new" : ""})\n`,
    );
    args = { ...given, cwd: worktree.path };
  }
  if (!typed.startsWith("/")) return { args, prompt: typed };
  const places = {
    env: io.env ?? process.env,
    homeDir: homedir(),
    projectDir: await findRepositoryRoot(args.cwd),
  };
  const { commands, problems } = await loadCommands(places);
  if (problems.length > 0)
    io.stderr.write(`toad: custom commands have problems:\n${formatProblems(problems)}\n`);
  const expansion = expandSlashCommand(typed, commands);
  if (expansion.kind === "expanded") return { args, prompt: expansion.prompt };
  if (expansion.kind === "unknown") {
    io.stderr.write(
      `toad: /${expansion.name} is not a custom command (.toad/commands/*.md); sending it as written\n`,
    );
  }
  return { args, prompt: typed };
}
