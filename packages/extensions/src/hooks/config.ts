import { join } from "node:path";
import { isRecord } from "../shared/json.js";
import { type ConfigPlaces, type ConfigProblem, configDirs, readIfExists } from "../shared/paths.js";

export const HOOK_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop"] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** One command bound to an event (`matcher` only for the tool events). */
export interface HookBinding {
  event: HookEvent;
  /** Tool names it applies to, as an anchored regular expression; absent means every tool. */
  matcher?: RegExp;
  command: string;
  timeoutMs: number;
  /** The file it came from, for messages. */
  file: string;
  /** Where the command runs: the project root. */
  cwd: string;
}

export type HooksLoad = { ok: true; hooks: HookBinding[] } | { ok: false; problems: ConfigProblem[] };

export const DEFAULT_HOOK_TIMEOUT_MS = 60_000;

/**
 * Reads `hooks.json` at user level (`$TOAD_CONFIG_HOME` or ~/.config/toad)
 * and project level (`.toad/hooks.json`); both apply, user hooks first. The
 * format is Claude Code's:
 *
 *     { "hooks": { "PreToolUse": [ { "matcher": "bash|write_file",
 *         "hooks": [ { "type": "command", "command": "./guard.sh", "timeout": 30 } ] } ] } }
 *
 * `timeout` is in seconds. A broken file is reported whole, never half applied.
 */
export async function loadHooks(places: ConfigPlaces): Promise<HooksLoad> {
  const hooks: HookBinding[] = [];
  const problems: ConfigProblem[] = [];
  for (const { dir } of configDirs(places)) {
    const file = join(dir, "hooks.json");
    let text: string | undefined;
    try {
      text = await readIfExists(file);
    } catch (error) {
      problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    if (text === undefined) continue;
    const parsed = parseHooksFile(text, file, places.projectDir);
    if (parsed.ok) hooks.push(...parsed.hooks);
    else problems.push(...parsed.problems);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, hooks };
}

export function parseHooksFile(text: string, file: string, cwd: string): HooksLoad {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ file, message: `is not valid JSON: ${(error as Error).message}` }] };
  }
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file, message: `${path}: ${message}` });
  const events = isRecord(raw) ? raw.hooks : undefined;
  if (!isRecord(events)) return { ok: false, problems: [{ file, message: 'expected { "hooks": { … } }' }] };

  const hooks: HookBinding[] = [];
  for (const [event, groups] of Object.entries(events)) {
    if (!isHookEvent(event)) {
      problem(`hooks.${event}`, `unknown event (expected one of ${HOOK_EVENTS.join(", ")})`);
      continue;
    }
    if (!Array.isArray(groups)) {
      problem(`hooks.${event}`, "expected an array of { matcher, hooks }");
      continue;
    }
    groups.forEach((group: unknown, index) => {
      const at = `hooks.${event}[${index}]`;
      if (!isRecord(group) || !Array.isArray(group.hooks)) {
        problem(at, 'expected { "matcher"?: string, "hooks": [ … ] }');
        return;
      }
      const matcher = parseMatcher(group.matcher, `${at}.matcher`, problem);
      if (matcher === null) return;
      group.hooks.forEach((entry: unknown, hookIndex) => {
        const binding = parseCommand(entry, `${at}.hooks[${hookIndex}]`, problem);
        if (binding) hooks.push({ event, ...binding, file, cwd, ...(matcher && { matcher }) });
      });
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, hooks };
}

type Report = (path: string, message: string) => void;

/** `undefined` = every tool; `null` = invalid (reported). */
function parseMatcher(value: unknown, at: string, problem: Report): RegExp | undefined | null {
  if (value === undefined || value === "" || value === "*") return undefined;
  if (typeof value !== "string") {
    problem(at, "expected a string (a tool name or a regular expression)");
    return null;
  }
  try {
    return new RegExp(`^(?:${value})$`);
  } catch (error) {
    problem(at, `is not a valid regular expression: ${(error as Error).message}`);
    return null;
  }
}

function parseCommand(
  entry: unknown,
  at: string,
  problem: Report,
): { command: string; timeoutMs: number } | undefined {
  if (!isRecord(entry) || typeof entry.command !== "string" || entry.command.trim() === "") {
    problem(at, 'expected { "type": "command", "command": "…", "timeout"?: seconds }');
    return undefined;
  }
  if (entry.type !== undefined && entry.type !== "command") {
    problem(`${at}.type`, `only "command" hooks are supported (got ${JSON.stringify(entry.type)})`);
    return undefined;
  }
  const timeout = entry.timeout;
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0))) {
    problem(`${at}.timeout`, "expected a positive number of seconds");
    return undefined;
  }
  return {
    command: entry.command,
    timeoutMs: timeout === undefined ? DEFAULT_HOOK_TIMEOUT_MS : timeout * 1000,
  };
}

function isHookEvent(value: string): value is HookEvent {
  return (HOOK_EVENTS as readonly string[]).includes(value);
}
