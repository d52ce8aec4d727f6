import { z } from "zod";
import { workspaceFsOf } from "../fs/context-fs.js";
import { createLocalWorkspaceFs } from "../fs/local-fs.js";
import type { GrepFile, GrepQuery } from "../grep-search.js";
import type { ToolLimits } from "../options.js";
import type { SearchEngine } from "../ripgrep.js";
import { clipLine, plural } from "../text.js";
import { defineTool, type Tool } from "../tool.js";
import { ok } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z.object({
  pattern: z.string().min(1).describe("Regular expression (ripgrep syntax) to search for."),
  path: z.string().default(".").describe("File or directory to search, relative to the workspace root."),
  glob: z.string().optional().describe('Only files matching this glob, e.g. "*.ts" or "src/**/*.py".'),
  case_insensitive: z.boolean().default(false),
  fixed_strings: z.boolean().default(false).describe("Treat the pattern as literal text."),
  context: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(0)
    .describe("Lines of context before and after each match."),
  output_mode: z
    .enum(["content", "files_with_matches", "count"])
    .default("content")
    .describe(
      "content: matching lines as path:line:text; files_with_matches: paths only; count: matches per file.",
    ),
  max_results: z.number().int().min(1).max(5_000).optional().describe("Cap on matching lines. Default 200."),
});

const FILES_MODE_MAX_MATCHES = 100_000;

/** Long lines (minified code) are clipped in search output. */
const GREP_LINE_CHARS = 300;

function formatContent(files: readonly GrepFile[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    let previous: number | undefined;
    if (out.length > 0) out.push("--");
    for (const line of file.lines) {
      if (previous !== undefined && line.line > previous + 1) out.push("--");
      const separator = line.isMatch ? ":" : "-";
      out.push(`${file.path}${separator}${line.line}${separator}${clipLine(line.text, GREP_LINE_CHARS)}`);
      previous = line.line;
    }
  }
  return out;
}

export function createGrepTool(limits: ToolLimits, engine: () => Promise<SearchEngine>): Tool {
  const local = createLocalWorkspaceFs(engine);
  return defineTool({
    name: "grep",
    description:
      "Search file contents with a regular expression (ripgrep semantics): skips .git, files ignored by " +
      ".gitignore, and binary files; hidden files are searched. Results are sorted by path.",
    effect: "read",
    schema,
    async preview(args) {
      return ok({
        summary: `Search for /${args.pattern}/ in ${args.path}${args.glob ? ` (${args.glob})` : ""}`,
      });
    },
    async execute(args, ctx) {
      const fs = workspaceFsOf(ctx, local);
      const target = await resolveInWorkspace(ctx.workspaceRoot, args.path, { fs });
      if (!target.ok) return target;
      const [stats] = await fs.stat([target.value.abs]).catch(() => []);
      if (!stats)
        return { ok: false, error: { kind: "not_found", message: `${target.value.rel} does not exist` } };
      const cap = args.max_results ?? limits.grepMaxResults;
      const query: GrepQuery = {
        pattern: args.pattern,
        target: target.value.rel,
        targetIsFile: stats.isFile,
        glob: args.glob,
        caseInsensitive: args.case_insensitive,
        fixedStrings: args.fixed_strings,
        context: args.output_mode === "content" ? args.context : 0,
        // Paths and counts need every match; only the listing is capped.
        maxMatches: args.output_mode === "content" ? cap : FILES_MODE_MAX_MATCHES,
      };
      const result = await fs.grep(ctx.workspaceRoot, query, ctx.signal);
      if (!result.ok) return result;
      const { files, truncated } = result.value;
      if (files.length === 0)
        return ok({ output: `No matches for /${args.pattern}/ in ${target.value.rel}.` });
      const matches = files.reduce((sum, file) => sum + file.matches, 0);
      let body: string[];
      if (args.output_mode === "files_with_matches") body = files.slice(0, cap).map((file) => file.path);
      else if (args.output_mode === "count")
        body = files.slice(0, cap).map((file) => `${file.path}:${file.matches}`);
      else body = formatContent(files);
      if (args.output_mode !== "content" && files.length > cap)
        body.push(`[${files.length - cap} more files not shown]`);
      const summary = `${plural(matches, "match", "matches")} in ${plural(files.length, "file")}`;
      const cut = truncated
        ? ` (stopped at ${query.maxMatches} matches; narrow the search or raise max_results)`
        : "";
      return ok({ output: [...body, `[${summary}${cut}]`].join("\n") });
    },
  });
}
