import { parseArgs } from "./tool-summary.js";
import type { ToolCardItem } from "./types.js";

/**
 * "Edit then run": the text the person edits for a call (the command alone
 * for shell calls, the pretty-printed arguments otherwise) and the
 * `editedArgumentsJson` it becomes.
 */
export function editableText(card: ToolCardItem): string {
  const args = parseArgs(card.argumentsJson);
  if (args && typeof args.command === "string") return args.command;
  return args ? JSON.stringify(args, null, 2) : card.argumentsJson;
}

export type EditedArguments = { ok: true; json: string } | { ok: false; error: string };

export function editedArguments(card: ToolCardItem, text: string): EditedArguments {
  const args = parseArgs(card.argumentsJson);
  if (args && typeof args.command === "string") {
    if (text.trim() === "") return { ok: false, error: "The command is empty." };
    return { ok: true, json: JSON.stringify({ ...args, command: text }) };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return { ok: false, error: "The arguments must be a JSON object." };
    return { ok: true, json: JSON.stringify(value) };
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
}
