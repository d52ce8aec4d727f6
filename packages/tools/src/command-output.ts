import type { ExecRequest, ExecResult } from "@toad/sandbox";
import type { ToolLimits } from "./options.js";
import { fail, ok, type Result, type ToolContext, type ToolOutput } from "./types.js";

/** The output sections of a finished command, as the model reads them. */
export function formatStreams(result: ExecResult): string {
  const parts: string[] = [];
  const status =
    result.exitCode !== null ? `Exit code ${result.exitCode}` : `Killed by ${result.signal ?? "a signal"}`;
  parts.push(status);
  if (result.stdout !== "") parts.push(`[stdout]\n${result.stdout.replace(/\n$/, "")}`);
  if (result.stderr !== "") parts.push(`[stderr]\n${result.stderr.replace(/\n$/, "")}`);
  if (result.stdout === "" && result.stderr === "") parts.push("(no output)");
  if (result.truncated) parts.push("[output was cut in the middle; the marker shows how much]");
  return parts.join("\n");
}

/**
 * Runs a command in the context's sandbox and maps the result: a command
 * that ran (whatever its exit code) is a success the model reads; one that
 * timed out, was cancelled or could not start is a typed error.
 */
export async function runInSandbox(
  ctx: ToolContext,
  limits: ToolLimits,
  request: Omit<ExecRequest, "signal" | "onOutput" | "maxOutputBytes">,
  header = "",
): Promise<Result<ToolOutput & { result: ExecResult }>> {
  const timeoutMs = request.timeoutMs ?? limits.commandTimeoutMs;
  const result = await ctx.sandbox.exec({
    ...request,
    timeoutMs,
    signal: ctx.signal,
    onOutput: ctx.onOutput,
    maxOutputBytes: limits.commandOutputBytes,
  });
  if (result.error) {
    const kind = result.error.kind === "invalid_cwd" ? "invalid_arguments" : "command_failed";
    return fail(kind, `could not run the command: ${result.error.message}`);
  }
  const body = `${header}${formatStreams(result)}`;
  if (result.timedOut) {
    return fail(
      "timeout",
      `timed out after ${timeoutMs} ms; the command and its child processes were killed.\n${body}`,
    );
  }
  if (result.aborted)
    return fail("aborted", `cancelled; the command and its child processes were killed.\n${body}`);
  return ok({ output: body, result });
}
