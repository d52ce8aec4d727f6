import path from "node:path";
import { z } from "zod";
import { workspaceFsOf } from "../fs/context-fs.js";
import type { DirReader } from "../fs/port.js";
import type { ToolLimits } from "../options.js";
import { errorMessage, plural } from "../text.js";
import { defineTool, type Tool } from "../tool.js";
import { fail, ok } from "../types.js";
import { IgnoreStack } from "../walk.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z.object({
  path: z.string().default(".").describe("Directory, relative to the workspace root."),
  depth: z
    .number()
    .int()
    .min(1)
    .max(5)
    .default(1)
    .describe("How many levels to descend (1 = this directory only)."),
});

interface Listing {
  lines: string[];
  hidden: number;
  full: boolean;
}

async function list(
  reader: DirReader,
  rel: string,
  stack: IgnoreStack,
  depth: number,
  indent: string,
  max: number,
  into: Listing,
) {
  const entries = await reader.readdir(rel);
  for (const entry of entries) {
    if (into.lines.length >= max) {
      into.full = true;
      return;
    }
    const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.name === ".git" || stack.ignores(child, entry.kind === "directory")) {
      into.hidden++;
      continue;
    }
    if (entry.kind === "symlink") {
      into.lines.push(`${indent}${entry.name} -> ${entry.linkTarget ?? "?"}`);
    } else if (entry.kind === "directory") {
      into.lines.push(`${indent}${entry.name}/`);
      if (depth > 1)
        await list(reader, child, await stack.enter(reader, child), depth - 1, `${indent}  `, max, into);
    } else {
      const size = entry.size;
      into.lines.push(`${indent}${entry.name}${size === undefined ? "" : `  (${size} bytes)`}`);
    }
  }
}

export function createListDirTool(limits: ToolLimits): Tool {
  return defineTool({
    name: "list_dir",
    description:
      "List a directory: subdirectories end with '/', files show their size, symbolic links their target. " +
      ".git and entries ignored by .gitignore are left out (their count is shown).",
    effect: "read",
    schema,
    async preview(args) {
      return ok({ summary: `List ${args.path}` });
    },
    async execute(args, ctx) {
      const fs = workspaceFsOf(ctx);
      const dir = await resolveInWorkspace(ctx.workspaceRoot, args.path, { fs });
      if (!dir.ok) return dir;
      const [stats] = await fs.stat([dir.value.abs]).catch(() => []);
      if (!stats) return fail("not_found", `${dir.value.rel} does not exist`);
      if (!stats.isDirectory) return fail("invalid_arguments", `${dir.value.rel} is a file; use read_file`);
      const rel = path.relative(ctx.workspaceRoot, dir.value.abs).split(path.sep).join("/");
      const listing: Listing = { lines: [], hidden: 0, full: false };
      try {
        const reader = await fs.readTree(ctx.workspaceRoot, rel, args.depth);
        const stack = await IgnoreStack.forDirectory(reader, rel);
        await list(reader, rel, stack, args.depth, "", limits.listMaxEntries, listing);
      } catch (error) {
        return fail("io_error", `cannot list ${dir.value.rel}: ${errorMessage(error)}`);
      }
      const notes: string[] = [];
      if (listing.lines.length === 0) notes.push("(empty)");
      if (listing.hidden > 0)
        notes.push(`[${plural(listing.hidden, "entry", "entries")} hidden: .git or ignored]`);
      if (listing.full) notes.push(`[stopped at ${limits.listMaxEntries} entries; list a subdirectory]`);
      return ok({
        output: [`${dir.value.rel}/`, ...listing.lines.map((line) => `  ${line}`), ...notes].join("\n"),
      });
    },
  });
}
