import path from "node:path";
import { isInside } from "../paths.js";
import type { SandboxError } from "../types.js";

/** First words of the wrapper's stderr line when it refuses a working directory. */
const CWD_REFUSED = "toad-sandbox: invalid_cwd: ";
/** The wrapper's exit status when it refused the working directory (the command never ran). */
const CWD_EXIT = 120;

/**
 * The exec API runs an argv with no working directory, no environment of its
 * own and no way to signal the process. So every command goes through this
 * POSIX sh wrapper inside the pod, which:
 *  - checks the working directory once symlinks are followed (still inside the workspace),
 *  - feeds the request's stdin from an argument (stdin over the exec stream cannot be
 *    closed on the v4 protocol, so the command would wait for EOF forever),
 *  - starts the command with `setsid` in its own process group and records the group id
 *    in a pid file, so a timeout or abort can kill the whole group with a second exec,
 *  - kills whatever the command left running in its group when it exits (as the local
 *    drivers do), and exits with the command's status.
 *
 * Arguments: $1 workspace root, $2 working directory, $3 pid file, $4 "1" when $5 is stdin
 * ("0" and an empty $5 otherwise), then `env` assignments and the command itself.
 */
const WRAPPER = `
root=$1; dir=$2; pidfile=$3; has_stdin=$4; stdin_text=$5; shift 5
refuse() { printf '%s%s\\n' "${CWD_REFUSED}" "$1" >&2; exit ${CWD_EXIT}; }
cd -- "$root" 2>/dev/null || refuse "workspace root $root does not exist"
real_root=$(pwd -P)
cd -- "$dir" 2>/dev/null || refuse "working directory $dir does not exist or is not a directory"
real=$(pwd -P)
case "$real/" in "$real_root"/*) ;; *) refuse "working directory $dir leads outside the workspace" ;; esac
if [ "$has_stdin" = 1 ]; then
  input="$pidfile.in"
  printf '%s' "$stdin_text" > "$input"
else
  input=/dev/null
fi
setsid "$@" < "$input" &
pid=$!
echo "$pid" > "$pidfile"
wait "$pid"
code=$?
kill -KILL -- "-$pid" 2>/dev/null
rm -f -- "$pidfile" "$pidfile.in"
exit "$code"
`;

/** Above this, stdin does not fit in one argument (Linux caps a single argument at 128 KiB). */
export const MAX_STDIN_BYTES = 100 * 1024;

export interface WrappedCommand {
  workspaceRoot: string;
  /** As the request gave it; relative to the root. */
  cwd: string | undefined;
  pidFile: string;
  stdin: string | undefined;
  env: Readonly<Record<string, string>> | undefined;
  argv: readonly string[];
}

/**
 * The argv sent to the exec API for one command, or an error the request
 * itself carries (a working directory that leaves the workspace lexically,
 * stdin too large, a bad variable name).
 */
export function wrapCommand(
  command: WrappedCommand,
): { ok: true; argv: string[] } | { ok: false; error: SandboxError } {
  const dir = path.posix.resolve(command.workspaceRoot, command.cwd ?? ".");
  if (!isInside(command.workspaceRoot, dir)) {
    return {
      ok: false,
      error: { kind: "invalid_cwd", message: `working directory ${dir} is outside the workspace` },
    };
  }
  if (command.stdin !== undefined && Buffer.byteLength(command.stdin) > MAX_STDIN_BYTES) {
    return {
      ok: false,
      error: {
        kind: "spawn_failed",
        message: `stdin over ${MAX_STDIN_BYTES} bytes cannot be passed into a pod`,
      },
    };
  }
  const assignments: string[] = [];
  for (const [name, value] of Object.entries(command.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return {
        ok: false,
        error: { kind: "spawn_failed", message: `bad environment variable name ${JSON.stringify(name)}` },
      };
    }
    assignments.push(`${name}=${value}`);
  }
  return {
    ok: true,
    argv: [
      "/bin/sh",
      "-c",
      WRAPPER,
      "toad-exec",
      command.workspaceRoot,
      dir,
      command.pidFile,
      command.stdin === undefined ? "0" : "1",
      command.stdin ?? "",
      // After `--`, env takes NAME=VALUE words as assignments and the first other word as the command.
      "env",
      "--",
      ...assignments,
      ...command.argv,
    ],
  };
}

/** The wrapper refused the working directory: the error to report instead of an exit status. */
export function refusedCwd(exitCode: number | null, stderr: string): SandboxError | undefined {
  if (exitCode !== CWD_EXIT || !stderr.startsWith(CWD_REFUSED)) return undefined;
  return { kind: "invalid_cwd", message: stderr.slice(CWD_REFUSED.length).trim() };
}

/** The argv of a second exec that signals a running command's process group. */
export function killArgv(pidFile: string, signal: "TERM" | "KILL"): string[] {
  return [
    "/bin/sh",
    "-c",
    'pid=$(cat -- "$1" 2>/dev/null) && kill -s "$2" -- "-$pid" 2>/dev/null; exit 0',
    "toad-kill",
    pidFile,
    signal,
  ];
}
