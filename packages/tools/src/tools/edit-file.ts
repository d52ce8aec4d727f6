import { z } from "zod";
import type { FileChange } from "../edit-commit.js";
import { defineEditTool } from "../edit-tool.js";
import { readEditableFile } from "../file-io.js";
import type { ToolLimits } from "../options.js";
import { applySearchReplace } from "../search-replace.js";
import type { Tool } from "../tool.js";
import { fail, ok, type Result, type ToolContext } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z.object({
  path: z.string().describe("File path, relative to the workspace root."),
  old_string: z
    .string()
    .describe(
      "Exact text to replace, including indentation. Empty only to create a file that does not exist.",
    ),
  new_string: z.string().describe("The replacement text."),
  replace_all: z.boolean().default(false).describe("Replace every occurrence instead of exactly one."),
});

async function plan(
  args: z.output<typeof schema>,
  ctx: ToolContext,
  limits: ToolLimits,
): Promise<Result<FileChange[]>> {
  const file = await resolveInWorkspace(ctx.workspaceRoot, args.path, { forWrite: true });
  if (!file.ok) return file;
  const existing = await readEditableFile(file.value, limits.editMaxBytes);
  if (!existing.ok) return existing;
  if (existing.value === null) {
    if (args.old_string !== "") return fail("not_found", `${file.value.rel} does not exist`);
    return ok([{ file: file.value, before: null, after: args.new_string }]);
  }
  if (args.old_string === "") {
    return fail(
      "already_exists",
      `${file.value.rel} exists; give the text to replace in old_string (or use write_file)`,
    );
  }
  const edited = applySearchReplace(
    existing.value.text,
    { oldString: args.old_string, newString: args.new_string, replaceAll: args.replace_all },
    file.value.rel,
  );
  if (!edited.ok) return edited;
  return ok([
    { file: file.value, before: existing.value.text, after: edited.value, mode: existing.value.mode },
  ]);
}

export function createEditFileTool(limits: ToolLimits): Tool {
  return defineEditTool({
    name: "edit_file",
    description:
      "Replace exact text in a file. old_string must match the file exactly (whitespace included) and occur " +
      "once, unless replace_all is set. When it is not found, the error shows the closest candidates. " +
      "An edit that breaks the syntax of a file that parsed before is refused.",
    schema,
    plan: (args, ctx) => plan(args, ctx, limits),
    summary: (args) => `Edit ${args.path}`,
  });
}
