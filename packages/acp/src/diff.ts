import { readFile } from "node:fs/promises";
import type { Diff } from "@agentclientprotocol/sdk";
import { parseUnifiedDiff } from "@toad/tools";
import { absolutePath } from "./tool-display.js";

type Hunks = Extract<ReturnType<typeof parseUnifiedDiff>, { ok: true }>["files"][number]["hunks"];

/** Applies hunks at their stated positions; undefined when the file no longer matches them. */
export function applyHunks(old: string, hunks: Hunks): string | undefined {
  const lines = old === "" ? [] : old.split("\n");
  const hadTrailingNewline = old.endsWith("\n");
  if (hadTrailingNewline) lines.pop();
  const out: string[] = [];
  let cursor = 0;
  let endNoNewline: boolean | undefined;
  for (const hunk of hunks) {
    const start = hunk.oldStart === null ? cursor : Math.max(0, hunk.oldStart - 1);
    if (start < cursor || start > lines.length) return undefined;
    out.push(...lines.slice(cursor, start));
    cursor = start;
    for (const line of hunk.lines) {
      if (line.op === "+") {
        out.push(line.text);
        continue;
      }
      if (lines[cursor] !== line.text) return undefined;
      if (line.op === " ") out.push(line.text);
      cursor++;
    }
    if (cursor === lines.length) endNoNewline = hunk.newNoNewline;
  }
  out.push(...lines.slice(cursor));
  const trailing = endNoNewline === undefined ? hadTrailingNewline : !endNoNewline;
  return out.length === 0 ? "" : `${out.join("\n")}${trailing ? "\n" : ""}`;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * An edit's preview (a unified diff) as ACP diffs — whole old and new texts,
 * which editors show side by side. Files whose hunks do not apply are left
 * out (the caller still shows the unified diff as text).
 */
export async function diffsFromUnified(unified: string, workspaceRoot: string): Promise<Diff[]> {
  const parsed = parseUnifiedDiff(unified);
  if (!parsed.ok) return [];
  const diffs: Diff[] = [];
  for (const file of parsed.files) {
    const rel = file.newPath ?? file.oldPath;
    if (rel === null) continue;
    const path = absolutePath(workspaceRoot, rel);
    const oldText = file.oldPath === null ? null : await readText(absolutePath(workspaceRoot, file.oldPath));
    const newText = file.newPath === null ? "" : applyHunks(oldText ?? "", file.hunks);
    if (newText === undefined) continue;
    diffs.push({ path, oldText, newText });
  }
  return diffs;
}
