import path from "node:path";
import { z } from "zod";
import { workspaceFsOf } from "../fs/context-fs.js";
import { createLocalWorkspaceFs } from "../fs/local-fs.js";
import { globMatcher } from "../grep-search.js";
import type { ToolLimits } from "../options.js";
import type { SearchEngine } from "../ripgrep.js";
import { plural } from "../text.js";
import { defineTool, type Tool } from "../tool.js";
import { ok } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z.object({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Glob, e.g. "**/*.test.ts" or "src/**/index.{js,ts}". A pattern without "/" matches file names at any depth.',
    ),
  path: z.string().default(".").describe("Directory to search in, relative to the workspace root."),
});

const MTIME_SORT_MAX = 5_000;

/** Ceiling of the walk itself, far above what is shown. */
const WALK_CAP = 200_000;

export function createGlobTool(limits: ToolLimits, engine: () => Promise<SearchEngine>): Tool {
  const local = createLocalWorkspaceFs(engine);
  return defineTool({
    name: "glob",
    description:
      "Find files by glob pattern, most recently modified first. Skips .git and files ignored by .gitignore; " +
      "hidden files are included.",
    effect: "read",
    schema,
    async preview(args) {
      return ok({ summary: `Find files matching ${args.pattern} in ${args.path}` });
    },
    async execute(args, ctx) {
      const fs = workspaceFsOf(ctx, local);
      const dir = await resolveInWorkspace(ctx.workspaceRoot, args.path, { fs });
      if (!dir.ok) return dir;
      const walked = await fs.listFiles(ctx.workspaceRoot, dir.value.rel, WALK_CAP, ctx.signal);
      const isMatch = globMatcher(args.pattern);
      const base = dir.value.rel === "." ? "" : `${dir.value.rel}/`;
      const matched = walked.files.filter((file) => isMatch(file.slice(base.length)));
      // Newest first is worth a stat per file only while the list is of a readable size.
      const byTime = matched.length <= MTIME_SORT_MAX;
      const stats = byTime
        ? await fs.stat(matched.map((file) => path.join(ctx.workspaceRoot, file))).catch(() => [])
        : [];
      const timed = matched.map((file, index) => ({ file, mtime: stats[index]?.mtimeMs ?? 0 }));
      timed.sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
      if (timed.length === 0) return ok({ output: `No files match ${args.pattern} in ${dir.value.rel}.` });
      const shown = timed.slice(0, limits.globMaxResults).map((entry) => entry.file);
      const notes: string[] = [];
      if (timed.length > shown.length)
        notes.push(`[${timed.length - shown.length} more not shown; narrow the pattern]`);
      if (walked.truncated) notes.push("[the walk stopped early; search a smaller directory]");
      return ok({ output: [`${plural(timed.length, "file")}:`, ...shown, ...notes].join("\n") });
    },
  });
}
