import type { z } from "zod";
import { changesDiff, commitChanges, type FileChange } from "./edit-commit.js";
import { readEditableFile, type TextFile } from "./file-io.js";
import { workspaceFsOf } from "./fs/context-fs.js";
import type { ToolLimits } from "./options.js";
import { defineTool, type Tool } from "./tool.js";
import { fail, ok, type Result, type ToolContext } from "./types.js";
import { resolveInWorkspace, type WorkspacePath } from "./workspace.js";

/** An edit tool is a planner: it computes file changes in memory; the shared stages do the rest. */
export interface EditToolDefinition<S extends z.ZodType> {
  name: string;
  description: string;
  schema: S;
  /** The changes the call would make, computed without writing anything. */
  plan(args: z.output<S>, ctx: ToolContext): Promise<Result<FileChange[]>>;
  /** One line for the approval prompt. */
  summary(args: z.output<S>, changes: readonly FileChange[]): string;
}

/**
 * Preview shows the plan's diff; execute plans again on the files as they
 * are now, refuses if that is no longer the diff a person approved (the
 * file changed meanwhile), then commits: syntax gate, checkpoint, atomic write.
 */
export function defineEditTool<S extends z.ZodType>(definition: EditToolDefinition<S>): Tool {
  const effective = (changes: readonly FileChange[]) =>
    changes.filter((change) => change.before !== change.after);
  return defineTool({
    name: definition.name,
    description: definition.description,
    effect: "edit",
    schema: definition.schema,
    async preview(args, ctx) {
      const changes = await definition.plan(args, ctx);
      if (!changes.ok) return changes;
      const touched = effective(changes.value);
      return ok({ summary: definition.summary(args, touched), diff: changesDiff(touched) });
    },
    async execute(args, ctx, approved) {
      const changes = await definition.plan(args, ctx);
      if (!changes.ok) return changes;
      if (approved?.diff !== undefined && changesDiff(effective(changes.value)) !== approved.diff) {
        return fail(
          "conflict",
          "the files changed after this edit was approved, so it would now make a different change; " +
            "nothing was written. Read the files again and redo the edit.",
        );
      }
      return commitChanges(ctx, changes.value);
    },
  });
}

/** The one file a call names, resolved for writing, with its text now (`null`: it does not exist yet). */
export interface EditTarget {
  file: WorkspacePath;
  existing: TextFile | null;
}

/**
 * The `plan` of a tool that changes the one file named by `args.path`: it
 * resolves and reads the file, then `change` computes the new content.
 */
export function planFileEdit<A extends { path: string }>(
  limits: ToolLimits,
  change: (args: A, target: EditTarget) => Result<FileChange[]>,
): (args: A, ctx: ToolContext) => Promise<Result<FileChange[]>> {
  return async (args, ctx) => {
    const fs = workspaceFsOf(ctx);
    const file = await resolveInWorkspace(ctx.workspaceRoot, args.path, { forWrite: true, fs });
    if (!file.ok) return file;
    const existing = await readEditableFile(fs, file.value, limits.editMaxBytes);
    if (!existing.ok) return existing;
    return change(args, { file: file.value, existing: existing.value });
  };
}
