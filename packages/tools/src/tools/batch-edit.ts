import { z } from "zod";
import type { FileChange } from "../edit-commit.js";
import { defineEditTool } from "../edit-tool.js";
import { readEditableFile } from "../file-io.js";
import { workspaceFsOf } from "../fs/context-fs.js";
import type { ToolLimits } from "../options.js";
import { applySearchReplace } from "../search-replace.js";
import { plural } from "../text.js";
import type { Tool } from "../tool.js";
import { fail, ok, type Result, type ToolContext } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z.object({
  edits: z
    .array(
      z.object({
        path: z.string().describe("File path, relative to the workspace root."),
        old_string: z.string().min(1).describe("Exact text to replace."),
        new_string: z.string().describe("The replacement text."),
        replace_all: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(100)
    .describe("Applied in order; several edits may target the same file."),
});

/** Every edit is applied in memory first; one failure means no file changes. */
async function plan(
  args: z.output<typeof schema>,
  ctx: ToolContext,
  limits: ToolLimits,
): Promise<Result<FileChange[]>> {
  const changes = new Map<string, FileChange>();
  const fs = workspaceFsOf(ctx);
  for (const [index, edit] of args.edits.entries()) {
    const label = `edit ${index + 1} of ${args.edits.length} (${edit.path})`;
    const file = await resolveInWorkspace(ctx.workspaceRoot, edit.path, { forWrite: true, fs });
    if (!file.ok) return fail(file.error.kind, `${label}: ${file.error.message}. No file was changed.`);
    let change = changes.get(file.value.abs);
    if (!change) {
      const existing = await readEditableFile(fs, file.value, limits.editMaxBytes);
      if (!existing.ok)
        return fail(existing.error.kind, `${label}: ${existing.error.message}. No file was changed.`);
      if (existing.value === null)
        return fail("not_found", `${label}: ${file.value.rel} does not exist. No file was changed.`);
      change = {
        file: file.value,
        before: existing.value.text,
        after: existing.value.text,
        mode: existing.value.mode,
      };
      changes.set(file.value.abs, change);
    }
    const edited = applySearchReplace(
      change.after ?? "",
      { oldString: edit.old_string, newString: edit.new_string, replaceAll: edit.replace_all },
      change.file.rel,
    );
    if (!edited.ok) return fail(edited.error.kind, `${label}: ${edited.error.message}\nNo file was changed.`);
    change.after = edited.value;
  }
  return ok([...changes.values()]);
}

export function createBatchEditTool(limits: ToolLimits): Tool {
  return defineEditTool({
    name: "batch_edit",
    description:
      "Several exact search/replace edits across one or more files, applied atomically: all are validated " +
      "first, and if any fails (text not found, ambiguous, syntax broken) no file changes.",
    schema,
    plan: (args, ctx) => plan(args, ctx, limits),
    summary: (args, changes) => `${plural(args.edits.length, "edit")} in ${plural(changes.length, "file")}`,
  });
}
