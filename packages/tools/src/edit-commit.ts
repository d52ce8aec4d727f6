import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffStat, unifiedDiff } from "./diff.js";
import { errorMessage, plural } from "./text.js";
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

function tempNameFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.toad-${randomBytes(6).toString("hex")}.tmp`,
  );
}

type Step = { kind: "wrote"; change: FileChange } | { kind: "removed"; change: FileChange; backup: string };

/**
 * Writes every change or none: contents go to temp files beside their
 * targets first, then are renamed into place; if a rename fails, the files
 * already swapped are put back.
 */
async function writeAllOrNothing(changes: readonly FileChange[]): Promise<Result<void>> {
  const staged = new Map<FileChange, string>();
  try {
    for (const change of changes) {
      if (change.after === null) continue;
      await mkdir(path.dirname(change.file.abs), { recursive: true });
      const temp = tempNameFor(change.file.abs);
      await writeFile(temp, change.after, "utf8");
      if (change.mode !== undefined) await chmod(temp, change.mode);
      staged.set(change, temp);
    }
  } catch (error) {
    await Promise.all([...staged.values()].map((temp) => unlink(temp).catch(() => {})));
    return fail("io_error", `could not write the new contents: ${errorMessage(error)}. No file was changed.`);
  }

  const done: Step[] = [];
  try {
    for (const change of changes) {
      const temp = staged.get(change);
      if (temp !== undefined) {
        await rename(temp, change.file.abs);
        staged.delete(change);
        done.push({ kind: "wrote", change });
      } else if (change.before !== null) {
        const backup = tempNameFor(change.file.abs);
        await rename(change.file.abs, backup);
        done.push({ kind: "removed", change, backup });
      }
    }
  } catch (error) {
    for (const step of done.reverse()) {
      if (step.kind === "removed") await rename(step.backup, step.change.file.abs).catch(() => {});
      else if (step.change.before === null) await unlink(step.change.file.abs).catch(() => {});
      else await writeFile(step.change.file.abs, step.change.before, "utf8").catch(() => {});
    }
    await Promise.all([...staged.values()].map((temp) => unlink(temp).catch(() => {})));
    return fail("io_error", `could not apply the change: ${errorMessage(error)}. Files were restored.`);
  }
  for (const step of done) if (step.kind === "removed") await unlink(step.backup).catch(() => {});
  return ok(undefined);
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
  const written = await writeAllOrNothing(effective);
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
