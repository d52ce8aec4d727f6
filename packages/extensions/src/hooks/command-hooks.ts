import type { AgentHooks, HookFailure, ToolCall } from "@toad/agent";
import type { Env } from "../shared/paths.js";
import { runCommand } from "../shared/run-command.js";
import type { HookBinding, HookEvent } from "./config.js";
import { type HookVerdict, readHookResult } from "./reply.js";

export interface CommandHooksOptions {
  hooks: readonly HookBinding[];
  sessionId: string;
  /** The session's working directory, passed to hooks in their input. */
  cwd: string;
  env: Env;
}

/** What one event's commands said, in order; a block stops the chain. */
interface ChainResult {
  blocked?: { reason: string; source: string };
  context: string[];
  failures: HookFailure[];
  /** The tool input after every rewrite (PreToolUse). */
  input?: unknown;
}

/**
 * The hook commands of `hooks.json` as the agent loop's hook points (and the
 * session's SessionStart). Each command gets the event as JSON on stdin. A
 * PreToolUse hook that fails blocks its call (a guard that cannot run must
 * not wave calls through); at every other event a failure is reported and
 * the run goes on.
 */
export function commandHooks(options: CommandHooksOptions): AgentHooks & {
  sessionStart(input: { model: string; permissionMode: string }, signal: AbortSignal): Promise<ChainResult>;
} {
  const bound = (event: HookEvent, tool?: string) =>
    options.hooks.filter(
      (hook) => hook.event === event && (tool === undefined || !hook.matcher || hook.matcher.test(tool)),
    );
  const run = (event: HookEvent, payload: Record<string, unknown>, signal: AbortSignal, tool?: string) =>
    runChain(bound(event, tool), event, payload, options, signal);

  return {
    sessionStart: (input, signal) => run("SessionStart", input, signal),

    async userPromptSubmit(prompt, signal) {
      const result = await run("UserPromptSubmit", { prompt }, signal);
      if (result.blocked)
        return { action: "block", reason: result.blocked.reason, failures: result.failures };
      return { action: "continue", context: result.context, failures: result.failures };
    },

    async preToolUse(call, signal) {
      const hooks = bound("PreToolUse", call.name);
      if (hooks.length === 0) return { action: "continue" };
      const input = parseInput(call);
      const result = await runChain(hooks, "PreToolUse", toolPayload(call, input), options, signal);
      const failed = result.failures[0];
      if (failed) {
        return {
          action: "block",
          reason: `the check ${failed.source} failed (${failed.message}), so the call was not run`,
          failures: result.failures,
        };
      }
      if (result.blocked) return { action: "block", reason: result.blocked.reason, failures: [] };
      const rewritten = result.input !== input;
      return {
        action: "continue",
        context: result.context,
        ...(rewritten && { argumentsJson: JSON.stringify(result.input) }),
      };
    },

    async postToolUse(call, outcome, signal) {
      const hooks = bound("PostToolUse", call.name);
      if (hooks.length === 0) return {};
      const toolResult = outcome.ok
        ? { ok: true, output: outcome.output }
        : { ok: false, errorKind: outcome.errorKind, message: outcome.message };
      const payload = { ...toolPayload(call, parseInput(call)), toolResult, tool_response: toolResult };
      const result = await runChain(hooks, "PostToolUse", payload, options, signal);
      // The call already ran: a "block" here is feedback the model reads with the result.
      const feedback = result.blocked ? [`${result.blocked.source}: ${result.blocked.reason}`] : [];
      return { context: [...result.context, ...feedback], failures: result.failures };
    },

    async stop(input, signal) {
      const result = await run("Stop", { text: input.text, stopHookActive: input.stopHookActive }, signal);
      if (result.blocked)
        return { action: "continue", reason: result.blocked.reason, failures: result.failures };
      return { action: "stop", failures: result.failures };
    },
  };
}

async function runChain(
  hooks: readonly HookBinding[],
  event: HookEvent,
  payload: Record<string, unknown>,
  options: CommandHooksOptions,
  signal: AbortSignal,
): Promise<ChainResult> {
  const result: ChainResult = { context: [], failures: [], input: payload.toolInput };
  for (const hook of hooks) {
    const source = `${event} hook "${hook.command}" (${hook.file})`;
    // Later hooks see earlier rewrites.
    const input = result.input === undefined ? {} : { toolInput: result.input, tool_input: result.input };
    const verdict = await runOne(hook, event, { ...payload, ...input }, options, signal);
    if (verdict.kind === "failed") {
      result.failures.push({ source, message: verdict.message });
      continue;
    }
    if (verdict.kind === "block") {
      if (event === "SessionStart") {
        result.failures.push({ source, message: `SessionStart hooks cannot block: ${verdict.reason}` });
        continue;
      }
      result.blocked = { reason: verdict.reason, source };
      return result;
    }
    if (verdict.context) result.context.push(verdict.context);
    if (verdict.updatedInput) result.input = verdict.updatedInput;
  }
  return result;
}

async function runOne(
  hook: HookBinding,
  event: HookEvent,
  payload: Record<string, unknown>,
  options: CommandHooksOptions,
  signal: AbortSignal,
): Promise<HookVerdict> {
  // camelCase is TOAD's; the snake_case twins let Claude Code hook scripts run unchanged.
  const input = {
    event,
    hook_event_name: event,
    sessionId: options.sessionId,
    session_id: options.sessionId,
    cwd: options.cwd,
    ...payload,
  };
  const result = await runCommand({
    command: hook.command,
    cwd: hook.cwd,
    env: {
      ...options.env,
      TOAD_PROJECT_DIR: hook.cwd,
      TOAD_SESSION_ID: options.sessionId,
      TOAD_HOOK_EVENT: event,
    },
    stdin: JSON.stringify(input),
    timeoutMs: hook.timeoutMs,
    signal,
  });
  return readHookResult(result, event, hook.timeoutMs);
}

function toolPayload(call: ToolCall, input: unknown): Record<string, unknown> {
  return {
    toolName: call.name,
    tool_name: call.name,
    callId: call.callId,
    toolInput: input,
    tool_input: input,
  };
}

/** The call's arguments as JSON; the raw text when they do not parse (the hook still sees them). */
function parseInput(call: ToolCall): unknown {
  try {
    return JSON.parse(call.argumentsJson);
  } catch {
    return call.argumentsJson;
  }
}
