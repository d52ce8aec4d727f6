/** One-line descriptions of tool calls and results for the tool cards. */

type Args = Record<string, unknown>;

export function parseArgs(argumentsJson: string): Args | undefined {
  try {
    const value: unknown = JSON.parse(argumentsJson);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Args) : undefined;
  } catch {
    return undefined;
  }
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What the call does, from its arguments: `calc.js`, `npm test`, `/TODO/ in src`. */
export function describeCall(name: string, argumentsJson: string): string {
  const args = parseArgs(argumentsJson);
  if (!args) return argumentsJson === "" ? "" : oneLine(argumentsJson, 60);
  switch (name) {
    case "read_file": {
      const path = str(args.path) ?? "?";
      const from = typeof args.start_line === "number" ? args.start_line : undefined;
      const to = typeof args.end_line === "number" ? args.end_line : undefined;
      return from !== undefined || to !== undefined ? `${path}:${from ?? 1}-${to ?? ""}` : path;
    }
    case "write_file":
    case "edit_file":
    case "list_dir":
      return str(args.path) ?? ".";
    case "bash":
      return oneLine(str(args.command) ?? "");
    case "grep":
      return `/${str(args.pattern) ?? ""}/ in ${str(args.path) ?? "."}${args.glob ? ` (${String(args.glob)})` : ""}`;
    case "glob":
      return `${str(args.pattern) ?? ""}${args.path && args.path !== "." ? ` in ${String(args.path)}` : ""}`;
    case "git":
      return oneLine(`${str(args.action) ?? ""} ${str(args.message) ?? str(args.ref) ?? ""}`);
    case "run_tests":
      return oneLine(
        str(args.command) ?? (Array.isArray(args.args) ? args.args.join(" ") : "detected command"),
      );
    case "batch_edit":
      return Array.isArray(args.edits) ? `${args.edits.length} edits` : "";
    case "todo_write":
      return Array.isArray(args.todos) ? `${args.todos.length} tasks` : "";
    case "apply_patch":
      return "patch";
    default: {
      const first = Object.values(args).find((value) => typeof value === "string");
      return typeof first === "string" ? oneLine(first, 60) : "";
    }
  }
}

/** A short verdict on the result: `42 lines`, `+3 −1`, the first line of an error. */
export function describeResult(name: string, output: string, isError: boolean): string {
  if (isError) return oneLine(output.split("\n")[0] ?? "", 90);
  const lines = output === "" ? 0 : output.split("\n").length;
  if (name === "edit_file" || name === "write_file" || name === "batch_edit" || name === "apply_patch") {
    return oneLine(output.split("\n")[0] ?? "", 90);
  }
  if (name === "run_tests") {
    const verdict = output.split("\n").find((line) => /Tests (passed|failed)/.test(line));
    if (verdict) return oneLine(verdict, 90);
  }
  return lines === 1 ? oneLine(output, 90) : `${lines} lines`;
}
