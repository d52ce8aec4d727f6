import type { CustomCommand } from "./discover.js";

export type SlashExpansion =
  /** The input is not a slash command: send it as it is. */
  | { kind: "not_command" }
  /** A custom command: send `prompt` instead of the input. */
  | { kind: "expanded"; command: CustomCommand; prompt: string }
  /** `/name` matches no custom command (it may be one of the UI's own). */
  | { kind: "unknown"; name: string };

const SLASH = /^\/([A-Za-z0-9][A-Za-z0-9._-]*)(?:\s+([\s\S]*))?$/;

/** What the UI and `toad -p` call on a prompt that may be `/name args`. */
export function expandSlashCommand(input: string, commands: readonly CustomCommand[]): SlashExpansion {
  const match = SLASH.exec(input.trim());
  if (!match?.[1]) return { kind: "not_command" };
  const name = match[1];
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return { kind: "unknown", name };
  return { kind: "expanded", command, prompt: expandTemplate(command.template, match[2] ?? "") };
}

/**
 * `$ARGUMENTS` is everything after the name; `$1`…`$9` (or `${10}`…) are the
 * words, with "double" or 'single' quotes grouping words. A template that
 * uses neither gets the arguments appended, so none are lost.
 */
export function expandTemplate(template: string, rawArgs: string): string {
  const args = rawArgs.trim();
  const words = splitArguments(args);
  let used = false;
  const expanded = template.replace(
    /\$ARGUMENTS|\$\{(\d+)\}|\$(\d)/g,
    (_token, braced?: string, bare?: string) => {
      used = true;
      if (braced === undefined && bare === undefined) return args;
      const index = Number(braced ?? bare);
      return index >= 1 ? (words[index - 1] ?? "") : "";
    },
  );
  return used || args === "" ? expanded : `${expanded}\n\n${args}`;
}

/** Shell-like word splitting: whitespace separates, quotes group, a backslash escapes one character. */
export function splitArguments(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === "\\" && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
