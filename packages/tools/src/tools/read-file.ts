import { z } from "zod";
import { workspaceFsOf } from "../fs/context-fs.js";
import type { LinesRead, WorkspaceFs } from "../fs/port.js";
import type { ToolLimits } from "../options.js";
import { clipLineOf, errorMessage, looksBinary, numberLine } from "../text.js";
import { defineTool, type Tool } from "../tool.js";
import { fail, ok, type Result, type ToolOutput } from "../types.js";
import { resolveInWorkspace, type WorkspacePath } from "../workspace.js";

const schema = z
  .object({
    path: z.string().describe("File path, relative to the workspace root."),
    start_line: z.number().int().min(1).optional().describe("First line to show (1-based). Default 1."),
    end_line: z.number().int().min(1).optional().describe("Last line to show (inclusive)."),
  })
  .refine(
    (args) =>
      args.end_line === undefined || args.start_line === undefined || args.end_line >= args.start_line,
    {
      message: "end_line must not be before start_line",
      path: ["end_line"],
    },
  );

/** Raw bytes asked of the file system: enough that the character budget always cuts first. */
function byteBudget(limits: ToolLimits): { maxLineBytes: number; maxBytes: number } {
  // A character is at most 4 bytes in UTF-8.
  return { maxLineBytes: 4 * limits.maxLineChars, maxBytes: 4 * (limits.readMaxChars + limits.maxLineChars) };
}

async function runReadFile(
  fs: WorkspaceFs,
  file: WorkspacePath,
  startLine: number | undefined,
  endLine: number | undefined,
  limits: ToolLimits,
): Promise<Result<ToolOutput>> {
  const start = startLine ?? 1;
  const end = endLine ?? start + limits.readMaxLines - 1;
  let read: LinesRead;
  try {
    read = await fs.readLines(file.abs, { start, end, ...byteBudget(limits) });
  } catch (error) {
    return fail("io_error", `cannot read ${file.rel}: ${errorMessage(error)}`);
  }
  if (read.kind === "missing") return fail("not_found", `${file.rel} does not exist`);
  if (read.kind === "directory") return fail("invalid_arguments", `${file.rel} is a directory; use list_dir`);
  if (read.size === 0) return ok({ output: `${file.rel} is empty.` });
  if (looksBinary(read.head)) {
    return fail(
      "binary_file",
      `${file.rel} is a binary file (${read.size} bytes); it cannot be shown as text`,
    );
  }
  const lines: string[] = [];
  let chars = 0;
  let cutByBudget = false;
  for (const [index, line] of read.lines.entries()) {
    const shown = numberLine(start + index, clipLineOf(line.text, line.chars, limits.maxLineChars));
    if (chars + shown.length > limits.readMaxChars && lines.length > 0) {
      cutByBudget = true;
      break;
    }
    chars += shown.length + 1;
    lines.push(shown);
  }
  const totalLines = cutByBudget ? undefined : read.totalLines;
  if (lines.length === 0) {
    return fail(
      "invalid_arguments",
      `start_line ${start} is past the end of ${file.rel} (${totalLines ?? 0} lines)`,
    );
  }
  const last = start + lines.length - 1;
  const notes: string[] = [];
  if (totalLines === undefined || totalLines > last) {
    const total = totalLines === undefined ? "more lines follow" : `the file has ${totalLines} lines`;
    const why = cutByBudget ? " (output size cap)" : "";
    notes.push(`[showing lines ${start}-${last}${why}; ${total}. Use start_line/end_line to read further.]`);
  }
  return ok({ output: [...lines, ...notes].join("\n") });
}

export function createReadFileTool(limits: ToolLimits): Tool {
  return defineTool({
    name: "read_file",
    description:
      "Read a text file with line numbers (`cat -n` style). Shows up to " +
      `${limits.readMaxLines} lines unless start_line/end_line select a range; long lines are clipped. ` +
      "Binary files are refused.",
    effect: "read",
    schema,
    async preview(args) {
      const range =
        args.start_line || args.end_line ? ` lines ${args.start_line ?? 1}-${args.end_line ?? "end"}` : "";
      return ok({ summary: `Read ${args.path}${range}` });
    },
    async execute(args, ctx) {
      const fs = workspaceFsOf(ctx);
      const file = await resolveInWorkspace(ctx.workspaceRoot, args.path, { fs });
      if (!file.ok) return file;
      return runReadFile(fs, file.value, args.start_line, args.end_line, limits);
    },
  });
}
