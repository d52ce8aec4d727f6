import type { Dirent } from "node:fs";
import { readdir, readlink, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
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

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface Listing {
  lines: string[];
  hidden: number;
  full: boolean;
}

async function list(
  root: string,
  rel: string,
  stack: IgnoreStack,
  depth: number,
  indent: string,
  max: number,
  into: Listing,
) {
  const entries = (await readdir(path.join(root, rel), { withFileTypes: true })).sort(byName);
  for (const entry of entries) {
    if (into.lines.length >= max) {
      into.full = true;
      return;
    }
    const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.name === ".git" || stack.ignores(child, entry.isDirectory())) {
      into.hidden++;
      continue;
    }
    if (entry.isSymbolicLink()) {
      const target = await readlink(path.join(root, child)).catch(() => "?");
      into.lines.push(`${indent}${entry.name} -> ${target}`);
    } else if (entry.isDirectory()) {
      into.lines.push(`${indent}${entry.name}/`);
      if (depth > 1)
        await list(root, child, await stack.enter(root, child), depth - 1, `${indent}  `, max, into);
    } else {
      const size = (await stat(path.join(root, child)).catch(() => undefined))?.size;
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
      const dir = await resolveInWorkspace(ctx.workspaceRoot, args.path);
      if (!dir.ok) return dir;
      const stats = await stat(dir.value.abs).catch(() => undefined);
      if (!stats) return fail("not_found", `${dir.value.rel} does not exist`);
      if (!stats.isDirectory()) return fail("invalid_arguments", `${dir.value.rel} is a file; use read_file`);
      const rel = path.relative(ctx.workspaceRoot, dir.value.abs).split(path.sep).join("/");
      const listing: Listing = { lines: [], hidden: 0, full: false };
      try {
        const stack = await IgnoreStack.forDirectory(ctx.workspaceRoot, rel);
        await list(ctx.workspaceRoot, rel, stack, args.depth, "", limits.listMaxEntries, listing);
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
