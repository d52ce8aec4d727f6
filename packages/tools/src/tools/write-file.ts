import { z } from "zod";
import type { FileChange } from "../edit-commit.js";
import { defineEditTool, type EditTarget, planFileEdit } from "../edit-tool.js";
import type { ToolLimits } from "../options.js";
import type { Tool } from "../tool.js";
import { ok, type Result } from "../types.js";

const schema = z.object({
  path: z.string().describe("File path, relative to the workspace root. Missing directories are created."),
  content: z.string().describe("The complete new content of the file."),
});

function change(args: z.output<typeof schema>, { file, existing }: EditTarget): Result<FileChange[]> {
  return ok([{ file, before: existing?.text ?? null, after: args.content, mode: existing?.mode }]);
}

export function createWriteFileTool(limits: ToolLimits): Tool {
  return defineEditTool({
    name: "write_file",
    description:
      "Create a file or replace its whole content. Prefer edit_file for changes to an existing file. " +
      "An edit that breaks the syntax of a file that parsed before is refused.",
    schema,
    plan: planFileEdit(limits, change),
    summary: (args, changes) => `${changes[0]?.before === null ? "Create" : "Overwrite"} ${args.path}`,
  });
}
