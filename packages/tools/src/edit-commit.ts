import { diffStat, unifiedDiff } from "./diff.js";
import { workspaceFsOf } from "./fs/context-fs.js";
import { plural } from "./text.js";
import { fail, ok, type Result, type ToolContext, type ToolOutput } from "./types.js";
import type { WorkspacePath } from "./workspace.js";

/** One file's planned change; `null` content means absent (created from / deleted to nothing). */
export interface FileChange {
  file: WorkspacePath;
  before: string | null;
  after: string | null;
  /** Permission bits of the existing file, kept on rewrite. */
  mode?: number;
}

/** The unified diff of a set of changes, for approval display and the tool result. */
export function changesDiff(changes: readonly FileChange[]): string {
  return changes.map((change) => unifiedDiff(change.file.rel, change.before, change.after)).join("");
}

/**
 * Refuses changes that break the syntax of a file that parsed before. A new
 * file, or one that was already broken, only earns a warning: refusing it
 * would block fixing it.
 */
async function syntaxGate(ctx: ToolContext, changes: readonly FileChange[]): Promise<Result<string[]>> {
  const warnings: string[] = [];
  for (const change of changes) {
    if (change.after === null) continue;
    const after = await ctx.syntaxChecker.check(change.file.abs, change.after);
    if (after.status !== "error") continue;
    const where = `${change.file.rel}:${after.line}:${after.column}: ${after.message}`;
    const before =
      change.before === null ? undefined : await ctx.syntaxChecker.check(change.file.abs, change.before);
    if (before === undefined || before.status === "error") {
      warnings.push(`warning: syntax error at ${where}`);
      continue;
    }
    return fail(
      "syntax_error",
      `edit refused: it would break the syntax of ${change.file.rel}, which parsed before ` +
        `(line ${after.line}, column ${after.column}: ${after.message}). No file was changed.`,
    );
  }
  return ok(warnings);
}

/**
 * The last stage of every edit tool: syntax gate, `beforeWrite` checkpoint
 * hook, then an all-or-nothing write. The output names each file with its
 * line counts and carries the diff.
 */
export async function commitChanges(
  ctx: ToolContext,
  changes: readonly FileChange[],
): Promise<Result<ToolOutput>> {
  const effective = changes.filter((change) => change.before !== change.after);
  if (effective.length === 0) return fail("no_change", "the edit would not change any file");
  const gate = await syntaxGate(ctx, effective);
  if (!gate.ok) return gate;
  await ctx.beforeWrite(effective.map((change) => change.file.abs));
  const written = await workspaceFsOf(ctx).writeAll(
    effective.map((change) => ({
      abs: change.file.abs,
      content: change.after,
      previous: change.before,
      ...(change.mode !== undefined && { mode: change.mode }),
    })),
  );
  if (!written.ok) return written;

  const lines = effective.map((change) => {
    const diff = unifiedDiff(change.file.rel, change.before, change.after);
    const { added, removed } = diffStat(diff);
    const verb = change.before === null ? "Created" : change.after === null ? "Deleted" : "Edited";
    return `${verb} ${change.file.rel} (+${added} -${removed})`;
  });
  const summary = effective.length > 1 ? [`Changed ${plural(effective.length, "file")}:`, ...lines] : lines;
  return ok({
    output: [...summary, ...gate.value].join("\n"),
    diff: changesDiff(effective),
    changedPaths: effective.map((change) => change.file.rel),
  });
}
