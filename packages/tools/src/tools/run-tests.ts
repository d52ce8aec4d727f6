import { z } from "zod";
import { runInSandbox } from "../command-output.js";
import { detectTestCommand } from "../detect-tests.js";
import { workspaceFsOf } from "../fs/context-fs.js";
import type { ToolLimits } from "../options.js";
import { defineTool, type Tool } from "../tool.js";
import { fail, ok, type Result, type ToolContext } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

/** Quotes one argument for bash. */
function shellQuote(arg: string): string {
  return /^[\w./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

interface Plan {
  command: string;
  reason: string;
  cwd: string;
}

export function createRunTestsTool(limits: ToolLimits): Tool {
  const schema = z.object({
    command: z.string().optional().describe("Test command to run instead of the detected one."),
    args: z.array(z.string()).optional().describe("Extra arguments, e.g. a test file or a name filter."),
    path: z
      .string()
      .default(".")
      .describe("Project directory (where package.json, go.mod... are), relative to the workspace root."),
    timeout_ms: z.number().int().min(1_000).max(limits.commandMaxTimeoutMs).optional(),
  });
  type Args = z.output<typeof schema>;

  async function plan(args: Args, ctx: ToolContext): Promise<Result<Plan>> {
    const fs = workspaceFsOf(ctx);
    const dir = await resolveInWorkspace(ctx.workspaceRoot, args.path, { fs });
    if (!dir.ok) return dir;
    const extra = (args.args ?? []).map(shellQuote).join(" ");
    if (args.command) {
      return ok({
        command: extra ? `${args.command} ${extra}` : args.command,
        reason: "given",
        cwd: dir.value.rel,
      });
    }
    const detected = await detectTestCommand(dir.value.abs, fs);
    if (!detected) {
      return fail(
        "not_found",
        `no test command detected in ${dir.value.rel} (looked for package.json scripts.test, pytest, go.mod, Cargo.toml, a Makefile test target, Maven, Gradle); pass command`,
      );
    }
    const command = extra ? `${detected.command}${detected.argsSeparator}${extra}` : detected.command;
    return ok({ command, reason: detected.reason, cwd: dir.value.rel });
  }

  return defineTool({
    name: "run_tests",
    description:
      "Run the project's tests. The command is detected (package.json scripts.test, pytest, go test, cargo test, " +
      "make test, Maven, Gradle) unless given; extra args select tests. Runs in the sandbox without network.",
    effect: "command",
    schema,
    async preview(args, ctx) {
      const planned = await plan(args, ctx);
      if (!planned.ok) return planned;
      return ok({ summary: `Run tests (${planned.value.reason})`, command: planned.value.command });
    },
    async execute(args, ctx) {
      const planned = await plan(args, ctx);
      if (!planned.ok) return planned;
      const { command, reason, cwd } = planned.value;
      const header = `$ ${command}   (${reason === "given" ? "as given" : `detected from ${reason}`})\n`;
      const ran = await runInSandbox(
        ctx,
        limits,
        { command, cwd, timeoutMs: args.timeout_ms, env: { CI: "1" } },
        header,
      );
      if (!ran.ok) return ran;
      const verdict = ran.value.result.exitCode === 0 ? "Tests passed." : "Tests failed.";
      return ok({ output: `${ran.value.output}\n${verdict}` });
    },
  });
}
