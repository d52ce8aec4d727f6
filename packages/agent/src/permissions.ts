import type { PermissionMode } from "@toad/core";
import type { ToolCall, ToolEffect } from "./ports.js";

/**
 * Permission rules from config, e.g. `read_file`, `bash(npm test*)`,
 * `bash(git status)`. A rule names a tool and, optionally, a prefix the
 * call's subject (the command for `bash`, the path for file tools) must start
 * with; a trailing `*` is allowed and means the same thing.
 */
export interface PermissionRules {
  allow?: string[];
  deny?: string[];
  ask?: string[];
}

export type PermissionVerdict =
  | { action: "allow"; by: "mode" | "rule" }
  | { action: "ask" }
  | { action: "deny"; by: "mode" | "rule"; reason: string };

interface ParsedRule {
  source: string;
  tool: string;
  prefix: string | undefined;
}

const RULE = /^([A-Za-z0-9_.-]+)(?:\((.*)\))?$/;

export class PermissionRuleError extends Error {
  override readonly name = "PermissionRuleError";
}

function parseRule(source: string): ParsedRule {
  const match = RULE.exec(source.trim());
  if (!match?.[1])
    throw new PermissionRuleError(`invalid permission rule "${source}": expected tool or tool(prefix)`);
  const prefix = match[2]?.replace(/\*$/, "").replace(/:$/, "");
  return { source, tool: match[1].toLowerCase(), prefix: prefix === "" ? undefined : prefix };
}

/** The part of a call a rule prefix matches against. */
function subjectOf(call: ToolCall): string | undefined {
  try {
    const args: unknown = JSON.parse(call.argumentsJson);
    if (typeof args !== "object" || args === null) return undefined;
    const record = args as Record<string, unknown>;
    for (const key of ["command", "path", "file_path", "url", "pattern"]) {
      if (typeof record[key] === "string") return record[key];
    }
  } catch {
    // Malformed arguments: the tool pipeline answers them; no rule prefix can match.
  }
  return undefined;
}

function matches(rule: ParsedRule, call: ToolCall): boolean {
  if (rule.tool !== call.name.toLowerCase()) return false;
  if (rule.prefix === undefined) return true;
  const subject = subjectOf(call);
  return subject?.trimStart().startsWith(rule.prefix) === true;
}

/** Decides each tool call from the permission mode and the configured rules. */
export class PermissionPolicy {
  private readonly allow: ParsedRule[];
  private readonly deny: ParsedRule[];
  private readonly ask: ParsedRule[];
  /** Rules added by "always allow" answers during this session. */
  private readonly granted: ParsedRule[] = [];

  constructor(
    private mode: PermissionMode,
    rules: PermissionRules = {},
  ) {
    this.allow = (rules.allow ?? []).map(parseRule);
    this.deny = (rules.deny ?? []).map(parseRule);
    this.ask = (rules.ask ?? []).map(parseRule);
  }

  get permissionMode(): PermissionMode {
    return this.mode;
  }

  setMode(mode: PermissionMode): void {
    this.mode = mode;
  }

  decide(call: ToolCall, effect: ToolEffect): PermissionVerdict {
    const denied = this.deny.find((rule) => matches(rule, call));
    if (denied) return { action: "deny", by: "rule", reason: `denied by rule ${denied.source}` };
    if (this.mode === "plan" && effect !== "read") {
      return { action: "deny", by: "mode", reason: "plan mode is read-only: describe the change instead" };
    }
    if (this.ask.some((rule) => matches(rule, call))) return { action: "ask" };
    if ([...this.allow, ...this.granted].some((rule) => matches(rule, call)))
      return { action: "allow", by: "rule" };
    return this.byMode(effect);
  }

  /** Remembers an "always allow" answer: the same tool with the same subject prefix passes from now on. */
  grantAlways(call: ToolCall, effect: ToolEffect): void {
    const subject = effect === "command" ? subjectOf(call)?.split(/\s+/).slice(0, 2).join(" ") : undefined;
    this.granted.push({
      source: `${call.name}(${subject ?? ""})`,
      tool: call.name.toLowerCase(),
      prefix: subject,
    });
  }

  private byMode(effect: ToolEffect): PermissionVerdict {
    if (effect === "read" || this.mode === "full-auto") return { action: "allow", by: "mode" };
    if (this.mode === "auto-edit" && effect === "edit") return { action: "allow", by: "mode" };
    return { action: "ask" };
  }
}
