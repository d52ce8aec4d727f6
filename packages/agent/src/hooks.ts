import type { AgentEventBody } from "@toad/core";
import type { ToolCall, ToolOutcome } from "./ports.js";

/**
 * The loop's hook points (implemented by `@toad/extensions` over user and
 * project hook commands, LSP diagnostics and the like). Every method is
 * optional; none throws: a hook that could not run comes back as a `failure`,
 * which the loop records as an `error` event, so no failure goes unseen.
 */
export interface AgentHooks {
  /** Before the prompt is logged and sent: may block it or add context to it. */
  userPromptSubmit?(prompt: string, signal: AbortSignal): Promise<HookReply<PromptGate>>;
  /**
   * Before a validated tool call asks for permission and runs: may block it
   * (the reason becomes the tool result the model reads) or rewrite its input.
   */
  preToolUse?(call: ToolCall, signal: AbortSignal): Promise<HookReply<ToolGate>>;
  /** After a call ran: may add context (diagnostics, lint output) to the result the model reads. */
  postToolUse?(call: ToolCall, outcome: ToolOutcome, signal: AbortSignal): Promise<HookReply<ToolFeedback>>;
  /** When the model ends its turn without tool calls: may send it back to work with a reason. */
  stop?(input: StopInput, signal: AbortSignal): Promise<HookReply<StopGate>>;
}

/** A hook that could not do its job: crashed, timed out, or printed what cannot be read. */
export interface HookFailure {
  /** Which hook, e.g. `PreToolUse: ./guard.sh`. */
  source: string;
  message: string;
}

export type HookReply<T> = T & { failures?: HookFailure[] };

export type PromptGate = { action: "continue"; context?: string[] } | { action: "block"; reason: string };

export type ToolGate =
  | {
      action: "continue";
      /** The call's new arguments, validated again as if the model had sent them. */
      argumentsJson?: string;
      context?: string[];
    }
  | { action: "block"; reason: string };

export interface ToolFeedback {
  context?: string[];
}

export interface StopInput {
  /** The text of the model's last turn. */
  text: string;
  /** True when a stop hook already sent the model back once in this run (guards against loops). */
  stopHookActive: boolean;
}

export type StopGate = { action: "stop" } | { action: "continue"; reason: string };

/** Several hook sets as one: gates run in order (a block stops the chain, rewrites chain), context adds up. */
export function combineHooks(...sets: readonly (AgentHooks | undefined)[]): AgentHooks {
  const hooks = sets.filter((set): set is AgentHooks => set !== undefined);
  return {
    async userPromptSubmit(prompt, signal) {
      const context: string[] = [];
      const failures: HookFailure[] = [];
      for (const set of hooks) {
        const reply = await set.userPromptSubmit?.(prompt, signal);
        if (!reply) continue;
        failures.push(...(reply.failures ?? []));
        if (reply.action === "block") return { ...reply, failures };
        context.push(...(reply.context ?? []));
      }
      return { action: "continue", context, failures };
    },
    async preToolUse(call, signal) {
      const context: string[] = [];
      const failures: HookFailure[] = [];
      let current = call;
      for (const set of hooks) {
        const reply = await set.preToolUse?.(current, signal);
        if (!reply) continue;
        failures.push(...(reply.failures ?? []));
        if (reply.action === "block") return { ...reply, failures };
        context.push(...(reply.context ?? []));
        if (reply.argumentsJson !== undefined) current = { ...current, argumentsJson: reply.argumentsJson };
      }
      const rewritten = current.argumentsJson !== call.argumentsJson;
      return {
        action: "continue",
        context,
        failures,
        ...(rewritten && { argumentsJson: current.argumentsJson }),
      };
    },
    async postToolUse(call, outcome, signal) {
      const replies = await Promise.all(hooks.map((set) => set.postToolUse?.(call, outcome, signal)));
      return {
        context: replies.flatMap((reply) => reply?.context ?? []),
        failures: replies.flatMap((reply) => reply?.failures ?? []),
      };
    },
    async stop(input, signal) {
      const failures: HookFailure[] = [];
      for (const set of hooks) {
        const reply = await set.stop?.(input, signal);
        if (!reply) continue;
        failures.push(...(reply.failures ?? []));
        if (reply.action === "continue") return { ...reply, failures };
      }
      return { action: "stop", failures };
    },
  };
}

/** Context a hook added, as the model reads it. */
export function formatHookContext(context: readonly string[]): string {
  return context
    .filter((text) => text.trim() !== "")
    .map((text) => `<hook_context>\n${text.trim()}\n</hook_context>`)
    .join("\n");
}

/** Hook failures become `error` events: reported, never silently ignored. */
export async function recordHookFailures(
  failures: readonly HookFailure[] | undefined,
  record: (body: AgentEventBody) => Promise<void>,
): Promise<void> {
  for (const failure of failures ?? []) {
    await record({
      type: "error",
      code: "hook_failed",
      message: `${failure.source}: ${failure.message}`,
      retryable: false,
    });
  }
}
