import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { ToolLimits } from "../options.js";
import { clipLine, errorMessage, looksBinary, numberLine } from "../text.js";
import { defineTool, type Tool } from "../tool.js";
import { fail, ok, type Result, type ToolOutput } from "../types.js";
import { isErrnoException, resolveInWorkspace, type WorkspacePath } from "../workspace.js";

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

async function sniff(abs: string): Promise<Buffer> {
  const handle = await open(abs, "r");
  try {
    const buffer = Buffer.alloc(8_000);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface Excerpt {
  lines: string[];
  /** Known only when the whole file was read. */
  totalLines?: number;
  /** Stopped early because of the character budget. */
  cutByBudget: boolean;
}

/** Streams lines [start, end] so a huge file costs only what is shown. */
async function readRange(abs: string, start: number, end: number, limits: ToolLimits): Promise<Excerpt> {
  const lines: string[] = [];
  let chars = 0;
  let lineNumber = 0;
  let cutByBudget = false;
  let reachedEnd = true;
  const reader = createInterface({
    input: createReadStream(abs, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of reader) {
    lineNumber++;
    if (lineNumber < start) continue;
    if (lineNumber > end || cutByBudget) {
      reachedEnd = false;
      break;
    }
    const shown = numberLine(lineNumber, clipLine(line, limits.maxLineChars));
    if (chars + shown.length > limits.readMaxChars && lines.length > 0) {
      cutByBudget = true;
      reachedEnd = false;
      break;
    }
    chars += shown.length + 1;
    lines.push(shown);
  }
  reader.close();
  return { lines, totalLines: reachedEnd ? lineNumber : undefined, cutByBudget };
}

async function runReadFile(
  file: WorkspacePath,
  startLine: number | undefined,
  endLine: number | undefined,
  limits: ToolLimits,
): Promise<Result<ToolOutput>> {
  let size: number;
  try {
    const stats = await stat(file.abs);
    if (stats.isDirectory()) return fail("invalid_arguments", `${file.rel} is a directory; use list_dir`);
    size = stats.size;
  } catch (error) {
    if (isErrnoException(error) && error.code === "ENOENT")
      return fail("not_found", `${file.rel} does not exist`);
    return fail("io_error", `cannot read ${file.rel}: ${errorMessage(error)}`);
  }
  if (size === 0) return ok({ output: `${file.rel} is empty.` });
  if (looksBinary(await sniff(file.abs))) {
    return fail("binary_file", `${file.rel} is a binary file (${size} bytes); it cannot be shown as text`);
  }
  const start = startLine ?? 1;
  const end = endLine ?? start + limits.readMaxLines - 1;
  const excerpt = await readRange(file.abs, start, end, limits);
  if (excerpt.lines.length === 0) {
    return fail(
      "invalid_arguments",
      `start_line ${start} is past the end of ${file.rel} (${excerpt.totalLines ?? 0} lines)`,
    );
  }
  const last = start + excerpt.lines.length - 1;
  const notes: string[] = [];
  if (excerpt.totalLines === undefined || excerpt.totalLines > last) {
    const total =
      excerpt.totalLines === undefined ? "more lines follow" : `the file has ${excerpt.totalLines} lines`;
    const why = excerpt.cutByBudget ? " (output size cap)" : "";
    notes.push(`[showing lines ${start}-${last}${why}; ${total}. Use start_line/end_line to read further.]`);
  }
  return ok({ output: [...excerpt.lines, ...notes].join("\n") });
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
      const file = await resolveInWorkspace(ctx.workspaceRoot, args.path);
      if (!file.ok) return file;
      return runReadFile(file.value, args.start_line, args.end_line, limits);
    },
  });
}
