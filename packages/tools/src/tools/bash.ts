import { z } from "zod";
import { runInSandbox } from "../command-output.js";
import type { ToolLimits } from "../options.js";
import { defineTool, type Tool } from "../tool.js";
import { ok } from "../types.js";

export function createBashTool(limits: ToolLimits): Tool {
  const schema = z.object({
    command: z.string().min(1).describe("Shell command (bash) to run in the workspace."),
    description: z.string().optional().describe("A few words on what the command does, shown to the user."),
    timeout_ms: z
      .number()
      .int()
      .min(1_000)
      .max(limits.commandMaxTimeoutMs)
      .optional()
      .describe(`Kill the command after this long. Default ${limits.commandTimeoutMs}.`),
    cwd: z
      .string()
      .optional()
      .describe("Working directory relative to the workspace root. Default: the root."),
    network: z.boolean().default(false).describe("Allow network access (needs approval)."),
  });
  return defineTool({
    name: "bash",
    description:
      "Run a shell command in the workspace sandbox (the workspace is writable, the rest of the filesystem " +
      "read-only, no network unless asked). On timeout the command and all its child processes are killed. " +
      "Long output keeps its head and tail with the cut marked.",
    effect: "command",
    effectFor: (args) => (args.network ? "network" : "command"),
    schema,
    async preview(args) {
      return ok({ summary: args.description ?? "Run a shell command", command: args.command });
    },
    async execute(args, ctx) {
      const ran = await runInSandbox(ctx, limits, {
        command: args.command,
        cwd: args.cwd,
        timeoutMs: args.timeout_ms,
        network: args.network,
      });
      return ran.ok ? ok({ output: ran.value.output }) : ran;
    },
  });
}
