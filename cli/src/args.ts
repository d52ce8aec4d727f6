import { parseArgs } from "node:util";
import { PERMISSION_MODES, type PermissionMode } from "@toad/core";
import { CliError } from "./errors.js";

export const OUTPUT_FORMATS = ["text", "json", "stream-json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RunArgs {
  command: "run";
  /** The task; `undefined` means read it from stdin. */
  prompt: string | undefined;
  outputFormat: OutputFormat;
  model: string | undefined;
  maxTurns: number | undefined;
  budgetUsd: number | undefined;
  permissionMode: PermissionMode | undefined;
  cwd: string;
  continueLatest: boolean;
  resume: string | undefined;
  verbose: boolean;
  /** `--gateway URL`: run the session in a cluster (TOAD_GATEWAY_URL is the default, read with the env). */
  gateway: string | undefined;
  /** `--worktree NAME`: run in the git worktree `.toad/worktrees/NAME` on branch `toad/NAME`. */
  worktree: string | undefined;
}

/** `toad` with no task: the terminal UI. */
export interface InteractiveArgs {
  command: "interactive";
  cwd: string;
  model: string | undefined;
  permissionMode: PermissionMode | undefined;
  continueLatest: boolean;
  /** A session id, or "" for `--resume` without one (pick from a list). */
  resume: string | undefined;
  /** `--gateway URL`: the session runs in a cluster, the tools here. */
  gateway: string | undefined;
  /** `--worktree NAME`: work in the git worktree `.toad/worktrees/NAME`. */
  worktree: string | undefined;
}

/** Arguments of the agent itself (`toad [-p task]`); subcommands parse their own. */
export type CliArgs = RunArgs | InteractiveArgs | { command: "help" } | { command: "version" };

export const HELP = `toad — an AI coding agent

Usage:
  toad -p "task" [options]      run a task headless and exit (the task may also come on stdin)
  toad <command> [options]      one of the commands below
  toad --help | --version

Options:
  -p, --print                   headless: run the task, print the result, exit
  --output-format FORMAT        text (default) | json | stream-json (one core event per line)
  --model ID                    model id from the registry (default: config, else by tier)
  --max-turns N                 stop after N model turns
  --budget USD                  stop when the session's cost reaches USD
  --permission-mode MODE        plan | ask | auto-edit | full-auto (default: ask; headless runs
                                refuse what needs approval)
  --cwd DIR                     work in DIR (default: the current directory)
  -c, --continue                continue the latest session of this directory
  -r, --resume [ID]             continue the session ID (interactive: without ID, pick one)
  -v, --verbose                 headless text mode: show tool calls on stderr
  --worktree NAME               work in the git worktree .toad/worktrees/NAME on branch
                                toad/NAME (created from HEAD on first use, reused after)
  --gateway URL                 run the session on a TOAD cluster (or TOAD_GATEWAY_URL; API token in
                                TOAD_TOKEN); tools still run here, in this working tree

Exit codes: 0 done · 1 failed · 2 bad usage · 3 stopped at a cap · 130 interrupted`;

export function parseCliArgs(argv: string[], cwd: string): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(withOptionalResumeValue(argv));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nRun toad --help for usage.`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  if (values.version) return { command: "version" };
  const outputFormat = oneOf("--output-format", values["output-format"] ?? "text", OUTPUT_FORMATS);
  const dir = values.cwd ?? cwd;

  if (!values.print) {
    if (positionals.length > 0) {
      throw new CliError(
        `unknown command "${positionals[0]}". Did you mean toad -p "${positionals.join(" ")}"?`,
      );
    }
    return {
      command: "interactive",
      cwd: dir,
      model: values.model,
      permissionMode: permissionModeOf(values["permission-mode"]),
      continueLatest: values.continue ?? false,
      resume: values.resume,
      gateway: values.gateway,
      worktree: values.worktree,
    };
  }
  if (values.resume === "") throw new CliError("--resume needs a session id with -p (see toad sessions)");
  const prompt = positionals.length > 0 ? positionals.join(" ") : undefined;
  return {
    command: "run",
    prompt,
    outputFormat,
    model: values.model,
    maxTurns: positiveInteger("--max-turns", values["max-turns"]),
    budgetUsd: positiveNumber("--budget", values.budget),
    permissionMode: permissionModeOf(values["permission-mode"]),
    cwd: dir,
    continueLatest: values.continue ?? false,
    resume: values.resume,
    verbose: values.verbose ?? false,
    gateway: values.gateway,
    worktree: values.worktree,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      print: { type: "boolean", short: "p" },
      "output-format": { type: "string" },
      model: { type: "string" },
      "max-turns": { type: "string" },
      budget: { type: "string" },
      "permission-mode": { type: "string" },
      cwd: { type: "string" },
      continue: { type: "boolean", short: "c" },
      resume: { type: "string", short: "r" },
      verbose: { type: "boolean", short: "v" },
      gateway: { type: "string" },
      worktree: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}

function permissionModeOf(value: string | undefined): PermissionMode | undefined {
  return value === undefined ? undefined : oneOf("--permission-mode", value, PERMISSION_MODES);
}

/**
 * `--resume` may come without an id (the UI then offers a picker): a bare
 * `--resume`/`-r` (last, or followed by another option) becomes `--resume=`.
 */
function withOptionalResumeValue(argv: readonly string[]): string[] {
  return argv.map((arg, index) => {
    if (arg !== "--resume" && arg !== "-r") return arg;
    const next = argv[index + 1];
    return next === undefined || next.startsWith("-") ? "--resume=" : arg;
  });
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined)
    throw new CliError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
  return found;
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new CliError(`${flag} must be a positive integer (got "${value}")`);
  return number;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new CliError(`${flag} must be a positive number (got "${value}")`);
  return number;
}
