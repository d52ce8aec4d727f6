import type { AgentTools, PrepareResult, ToolEffect, ToolOutcome, ToolRunServices } from "@toad/agent";
import type { ToolSpec } from "@toad/core";
import { isRecord } from "./json.js";

/** A tool implemented in this package: arguments are a JSON object, checked by `check`. */
export interface ExtensionTool {
  spec: ToolSpec;
  effect(args: Record<string, unknown>): ToolEffect;
  /** A message for the model when the arguments are wrong; undefined when they are fine. */
  check(args: Record<string, unknown>): string | undefined;
  /** One line for an approval prompt. */
  summary(args: Record<string, unknown>): string;
  run(args: Record<string, unknown>, signal: AbortSignal, services?: ToolRunServices): Promise<ToolOutcome>;
}

const invalid = (message: string): PrepareResult => ({
  ok: false,
  outcome: { ok: false, errorKind: "invalid_arguments", message },
});

export function toolsetOf(tools: readonly ExtensionTool[]): AgentTools {
  const byName = new Map(tools.map((tool) => [tool.spec.name, tool]));
  return {
    specs: () => tools.map((tool) => tool.spec),
    prepare(call, signal) {
      const tool = byName.get(call.name);
      if (!tool) {
        return {
          ok: false,
          outcome: { ok: false, errorKind: "unknown_tool", message: `no tool named "${call.name}"` },
        };
      }
      let args: unknown;
      try {
        args = call.argumentsJson.trim() === "" ? {} : JSON.parse(call.argumentsJson);
      } catch (error) {
        return invalid(`arguments of ${call.name} are not valid JSON: ${(error as Error).message}`);
      }
      if (!isRecord(args)) return invalid(`arguments of ${call.name} must be a JSON object`);
      const problem = tool.check(args);
      if (problem !== undefined) return invalid(`invalid arguments for ${call.name}: ${problem}`);
      return {
        ok: true,
        call: {
          effect: tool.effect(args),
          preview: async () => ({ ok: true, preview: { summary: tool.summary(args) } }),
          execute: (services) => tool.run(args, signal, services),
        },
      };
    },
  };
}

export interface Restriction {
  /** Only these tools (absent: all). */
  names?: ReadonlySet<string>;
  /** Never these tools. */
  without?: ReadonlySet<string>;
  /** Refuse any call whose effect is not "read" (`git status` passes, `git commit` does not). */
  readOnly?: boolean;
}

/** A subset of a toolset: what a subagent may use. */
export function restrictTools(tools: AgentTools, restriction: Restriction): AgentTools {
  const allowed = (name: string) =>
    (restriction.names === undefined || restriction.names.has(name)) && !restriction.without?.has(name);
  return {
    specs: () => tools.specs().filter((spec) => allowed(spec.name)),
    prepare(call, signal) {
      if (!allowed(call.name)) {
        const names = tools
          .specs()
          .map((spec) => spec.name)
          .filter(allowed);
        return {
          ok: false,
          outcome: {
            ok: false,
            errorKind: "unknown_tool",
            message: `no tool named "${call.name}" here; available: ${names.join(", ")}`,
          },
        };
      }
      const prepared = tools.prepare(call, signal);
      if (prepared.ok && restriction.readOnly && prepared.call.effect !== "read") {
        return {
          ok: false,
          outcome: {
            ok: false,
            errorKind: "denied",
            message: `this agent is read-only: the ${call.name} call would ${EFFECT_WORDS[prepared.call.effect]}`,
          },
        };
      }
      return prepared;
    },
  };
}

const EFFECT_WORDS: Record<ToolEffect, string> = {
  read: "read",
  edit: "edit files",
  command: "run a command that may change things",
  network: "reach the network",
};

export function outcomeError(errorKind: string, message: string): ToolOutcome {
  return { ok: false, errorKind, message };
}

export function stringArg(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  return typeof value === "string" ? value : undefined;
}
