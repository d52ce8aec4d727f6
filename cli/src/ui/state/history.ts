import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Prompt history, newest last, kept in a JSON-lines file in TOAD's data
 * directory so it survives restarts. A missing or damaged file is an empty
 * history, never an error.
 */
export interface PromptHistory {
  entries(): readonly string[];
  add(prompt: string): Promise<void>;
}

const MAX_ENTRIES = 500;

export async function openPromptHistory(path: string | undefined): Promise<PromptHistory> {
  const entries: string[] = [];
  if (path !== undefined) {
    try {
      for (const line of (await readFile(path, "utf8")).split("\n")) {
        if (line === "") continue;
        try {
          const value: unknown = JSON.parse(line);
          if (typeof value === "string") entries.push(value);
        } catch {
          // A damaged line is skipped; the rest of the history still loads.
        }
      }
    } catch {
      // No history yet.
    }
  }
  entries.splice(0, Math.max(0, entries.length - MAX_ENTRIES));
  return {
    entries: () => entries,
    async add(prompt) {
      if (prompt.trim() === "" || entries.at(-1) === prompt) return;
      entries.push(prompt);
      if (path === undefined) return;
      try {
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, `${JSON.stringify(prompt)}\n`);
      } catch {
        // History is a convenience: failing to save it must not disturb the session.
      }
    },
  };
}

/** Walks the history with up/down while keeping the draft the user was typing. */
export interface HistoryCursor {
  index: number;
  draft: string;
}

export function historyUp(
  entries: readonly string[],
  cursor: HistoryCursor | undefined,
  current: string,
): { cursor: HistoryCursor; text: string } | undefined {
  const index = (cursor?.index ?? entries.length) - 1;
  const text = entries[index];
  if (text === undefined) return undefined;
  return { cursor: { index, draft: cursor?.draft ?? current }, text };
}

export function historyDown(
  entries: readonly string[],
  cursor: HistoryCursor | undefined,
): { cursor: HistoryCursor | undefined; text: string } | undefined {
  if (!cursor) return undefined;
  const index = cursor.index + 1;
  if (index >= entries.length) return { cursor: undefined, text: cursor.draft };
  return { cursor: { ...cursor, index }, text: entries[index] ?? "" };
}
