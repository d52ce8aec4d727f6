import { z } from "zod";
import type { FileChange } from "../edit-commit.js";
import { defineEditTool, type EditTarget, planFileEdit } from "../edit-tool.js";
import type { ToolLimits } from "../options.js";
import { applySearchReplace } from "../search-replace.js";
import type { Tool } from "../tool.js";
import { fail, ok, type Result } from "../types.js";

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

function change(args: z.output<typeof schema>, { file, existing }: EditTarget): Result<FileChange[]> {
  if (existing === null) {
    if (args.old_string !== "") return fail("not_found", `${file.rel} does not exist`);
    return ok([{ file, before: null, after: args.new_string }]);
  }
  if (args.old_string === "") {
    return fail(
      "already_exists",
      `${file.rel} exists; give the text to replace in old_string (or use write_file)`,
    );
  }
  const edited = applySearchReplace(
    existing.text,
    { oldString: args.old_string, newString: args.new_string, replaceAll: args.replace_all },
    file.rel,
  );
  if (!edited.ok) return edited;
  return ok([{ file, before: existing.text, after: edited.value, mode: existing.mode }]);
}

export function createEditFileTool(limits: ToolLimits): Tool {
  return defineEditTool({
    name: "edit_file",
    description:
      "Replace exact text in a file. old_string must match the file exactly (whitespace included) and occur " +
      "once, unless replace_all is set. When it is not found, the error shows the closest candidates. " +
      "An edit that breaks the syntax of a file that parsed before is refused.",
    schema,
    plan: planFileEdit(limits, change),
    summary: (args) => `Edit ${args.path}`,
  });
}
