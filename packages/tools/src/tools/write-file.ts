import { z } from "zod";
import type { FileChange } from "../edit-commit.js";
import { defineEditTool } from "../edit-tool.js";
import { readEditableFile } from "../file-io.js";
import type { ToolLimits } from "../options.js";
import type { Tool } from "../tool.js";
import { ok, type Result, type ToolContext } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z.object({
  path: z.string().describe("File path, relative to the workspace root. Missing directories are created."),
  content: z.string().describe("The complete new content of the file."),
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
  return ok([
    {
      file: file.value,
      before: existing.value?.text ?? null,
      after: args.content,
      mode: existing.value?.mode,
    },
  ]);
}

export function createWriteFileTool(limits: ToolLimits): Tool {
  return defineEditTool({
    name: "write_file",
    description:
      "Create a file or replace its whole content. Prefer edit_file for changes to an existing file. " +
      "An edit that breaks the syntax of a file that parsed before is refused.",
    schema,
    plan: (args, ctx) => plan(args, ctx, limits),
    summary: (args, changes) => `${changes[0]?.before === null ? "Create" : "Overwrite"} ${args.path}`,
  });
}
