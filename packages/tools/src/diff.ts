import { createTwoFilesPatch } from "diff";

/**
 * A git-style unified diff of one file (`a/`, `b/` prefixes, `/dev/null` for
 * a created or deleted file). Empty when nothing changed.
 */
export function unifiedDiff(rel: string, before: string | null, after: string | null): string {
  if (before === after) return "";
  const patch = createTwoFilesPatch(
    before === null ? "/dev/null" : `a/${rel}`,
    after === null ? "/dev/null" : `b/${rel}`,
    before ?? "",
    after ?? "",
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff starts with a line of "=" characters that no patch tool expects.
  return patch.replace(/^=+\n/, "");
}

/** Lines added and removed by a unified diff. */
export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++") || line.startsWith("---")) continue;
    if (line.startsWith("+")) added++;
    else if (line.startsWith("-")) removed++;
  }
  return { added, removed };
}
