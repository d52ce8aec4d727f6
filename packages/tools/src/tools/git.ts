import { z } from "zod";
import { runInSandbox } from "../command-output.js";
import { workspaceFsOf } from "../fs/context-fs.js";
import type { ToolLimits } from "../options.js";
import { defineTool, type Tool } from "../tool.js";
import { fail, ok, type Result, type ToolContext, type ToolOutput } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z
  .object({
    action: z.enum(["status", "diff", "log", "commit"]),
    paths: z
      .array(z.string())
      .optional()
      .describe("Limit to these paths (commit: stage these before committing)."),
    staged: z.boolean().default(false).describe("diff: show staged changes instead of unstaged ones."),
    ref: z.string().optional().describe("diff: compare with this commit or branch; log: start from it."),
    max_count: z.number().int().min(1).max(200).default(20).describe("log: number of commits."),
    message: z.string().optional().describe("commit: the commit message (required)."),
    all: z.boolean().default(false).describe("commit: stage every change, untracked files included."),
  })
  .refine((args) => args.action !== "commit" || (args.message ?? "").trim() !== "", {
    message: "commit needs a non-empty message",
    path: ["message"],
  })
  .refine(
    (args) => args.ref === undefined || (/^[\w./@^~{}:+-]+$/.test(args.ref) && !args.ref.startsWith("-")),
    {
      message: "ref must be a commit, branch or tag name (no spaces, not starting with '-')",
      path: ["ref"],
    },
  );

type GitArgs = z.output<typeof schema>;

/** Plain, stable, never interactive. */
const GIT = ["git", "--no-pager", "-c", "color.ui=never", "-c", "core.quotepath=off"];
const GIT_ENV = { GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", GIT_EDITOR: "true", LC_ALL: "C" };

function argvFor(args: GitArgs, paths: readonly string[]): string[] {
  switch (args.action) {
    case "status":
      return [...GIT, "status", "--short", "--branch", "--", ...paths];
    case "diff":
      return [
        ...GIT,
        "diff",
        "--no-ext-diff",
        ...(args.staged ? ["--staged"] : []),
        ...(args.ref ? [args.ref] : []),
        "--",
        ...paths,
      ];
    case "log":
      return [
        ...GIT,
        "log",
        `--max-count=${args.max_count}`,
        "--date=short",
        "--format=%h %ad %an%n    %s",
        ...(args.ref ? [args.ref] : []),
        "--",
        ...paths,
      ];
    case "commit":
      return [...GIT, "commit", "--message", args.message ?? ""];
  }
}

async function git(ctx: ToolContext, limits: ToolLimits, argv: readonly string[]): Promise<Result<string>> {
  const ran = await runInSandbox(ctx, limits, { command: argv, env: GIT_ENV });
  if (!ran.ok) return ran;
  const { exitCode, stdout, stderr } = ran.value.result;
  if (exitCode !== 0)
    return fail("command_failed", `git ${argv.slice(GIT.length).join(" ")} failed:\n${ran.value.output}`);
  return ok(
    stderr.trim() === "" ? stdout : `${stdout}${stdout.endsWith("\n") || stdout === "" ? "" : "\n"}${stderr}`,
  );
}

async function execute(args: GitArgs, ctx: ToolContext, limits: ToolLimits): Promise<Result<ToolOutput>> {
  const paths: string[] = [];
  for (const input of args.paths ?? []) {
    const resolved = await resolveInWorkspace(ctx.workspaceRoot, input, { fs: workspaceFsOf(ctx) });
    if (!resolved.ok) return resolved;
    paths.push(resolved.value.rel);
  }
  if (args.action === "commit") {
    if (args.all || paths.length > 0) {
      const staged = await git(ctx, limits, [...GIT, "add", ...(args.all ? ["--all"] : ["--", ...paths])]);
      if (!staged.ok) return staged;
    }
    const committed = await git(ctx, limits, argvFor(args, paths));
    return committed.ok ? ok({ output: committed.value.trim() }) : committed;
  }
  const result = await git(ctx, limits, argvFor(args, paths));
  if (!result.ok) return result;
  const empty = { status: "(clean)", diff: "(no differences)", log: "(no commits)" }[args.action];
  return ok({ output: result.value.trim() === "" ? empty : result.value.replace(/\n$/, "") });
}

export function createGitTool(limits: ToolLimits): Tool {
  return defineTool({
    name: "git",
    description:
      "Git in the workspace: status (short, with branch), diff (unstaged, staged, or against a ref), " +
      "log (recent commits), commit (with a message; stage `paths` or `all` first).",
    effect: "command",
    // A commit runs hooks and changes history: gate it like a command.
    effectFor: (args) => (args.action === "commit" ? "command" : "read"),
    schema,
    async preview(args) {
      const shown =
        args.action === "commit"
          ? `git commit -m ${JSON.stringify(args.message ?? "")}`
          : `git ${args.action}`;
      return ok({ summary: `git ${args.action}`, command: shown });
    },
    execute: (args, ctx) => execute(args, ctx, limits),
  });
}
