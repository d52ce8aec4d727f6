import { isRecord } from "../shared/json.js";
import type { CommandResult } from "../shared/run-command.js";
import type { HookEvent } from "./config.js";

/** What one hook command said, read from its exit code and output. */
export type HookVerdict =
  | { kind: "ok"; context?: string; updatedInput?: Record<string, unknown> }
  | { kind: "block"; reason: string }
  | { kind: "failed"; message: string };

/** Events whose plain (non-JSON) stdout is context for the model, as in Claude Code. */
const PLAIN_STDOUT_IS_CONTEXT = new Set<HookEvent>(["SessionStart", "UserPromptSubmit"]);

/**
 * Exit 0: success; stdout may be JSON (`decision: "block"` + `reason`,
 * `updatedInput`, `additionalContext`, flat or under `hookSpecificOutput`).
 * Exit 2: block, with stderr as the reason. Anything else, a timeout or
 * output that cannot be read: the hook failed.
 */
export function readHookResult(result: CommandResult, event: HookEvent, timeoutMs: number): HookVerdict {
  switch (result.kind) {
    case "spawn_failed":
      return { kind: "failed", message: `could not start: ${result.message}` };
    case "killed":
      if (result.why === "timeout") {
        return {
          kind: "failed",
          message: `timed out after ${timeoutMs / 1000}s; its process group was killed`,
        };
      }
      return {
        kind: "failed",
        message: result.why === "aborted" ? "cancelled" : `killed (${result.stderr})`,
      };
    case "exited":
      break;
  }
  if (result.code === 2) {
    return {
      kind: "block",
      reason: result.stderr.trim() || result.stdout.trim() || "(the hook gave no reason)",
    };
  }
  if (result.code !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).slice(0, 2000);
    return { kind: "failed", message: `exited with code ${result.code}${said ? `: ${said}` : ""}` };
  }
  const stdout = result.stdout.trim();
  if (!stdout.startsWith("{")) {
    return stdout !== "" && PLAIN_STDOUT_IS_CONTEXT.has(event)
      ? { kind: "ok", context: stdout }
      : { kind: "ok" };
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (error) {
    return { kind: "failed", message: `printed invalid JSON: ${(error as Error).message}` };
  }
  return readJsonReply(json);
}

function readJsonReply(json: unknown): HookVerdict {
  if (!isRecord(json)) return { kind: "failed", message: "printed JSON that is not an object" };
  const specific = isRecord(json.hookSpecificOutput) ? json.hookSpecificOutput : {};
  const reasonOf = (value: unknown) =>
    typeof value === "string" && value.trim() !== "" ? value : "(the hook gave no reason)";
  if (json.decision === "block") return { kind: "block", reason: reasonOf(json.reason) };
  if (specific.permissionDecision === "deny") {
    return { kind: "block", reason: reasonOf(specific.permissionDecisionReason ?? json.reason) };
  }
  const updatedInput = json.updatedInput ?? specific.updatedInput;
  if (updatedInput !== undefined && !isRecord(updatedInput)) {
    return { kind: "failed", message: "updatedInput must be a JSON object (the tool's whole new input)" };
  }
  const context = json.additionalContext ?? specific.additionalContext;
  if (context !== undefined && typeof context !== "string") {
    return { kind: "failed", message: "additionalContext must be a string" };
  }
  return {
    kind: "ok",
    ...(context !== undefined && context.trim() !== "" && { context }),
    ...(updatedInput !== undefined && { updatedInput }),
  };
}
