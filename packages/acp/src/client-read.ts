import type { AgentContext } from "@agentclientprotocol/sdk";
import {
  DEFAULT_TOOL_LIMITS,
  fail,
  ok,
  type Result,
  resolveInWorkspace,
  type Tool,
  type ToolOutput,
} from "@toad/tools";

/** `cat -n` style, as the built-in read_file numbers lines. */
function numbered(lineNumber: number, text: string): string {
  const max = DEFAULT_TOOL_LIMITS.maxLineChars;
  const clipped =
    text.length <= max ? text : `${text.slice(0, max)} [... ${text.length - max} more characters]`;
  return `${String(lineNumber).padStart(6)}\t${clipped}`;
}

interface ReadArgs {
  path: string;
  start_line?: number;
  end_line?: number;
}

function validate(raw: unknown): Result<ReadArgs> {
  if (typeof raw !== "object" || raw === null)
    return fail("invalid_arguments", "arguments must be an object");
  const args = raw as Record<string, unknown>;
  if (typeof args.path !== "string")
    return fail("invalid_arguments", "invalid arguments for read_file: path must be a string");
  for (const key of ["start_line", "end_line"] as const) {
    const value = args[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 1)) {
      return fail("invalid_arguments", `invalid arguments for read_file: ${key} must be an integer ≥ 1`);
    }
  }
  const start = args.start_line as number | undefined;
  const end = args.end_line as number | undefined;
  if (start !== undefined && end !== undefined && end < start) {
    return fail(
      "invalid_arguments",
      "invalid arguments for read_file: end_line must not be before start_line",
    );
  }
  return ok({ path: args.path, start_line: start, end_line: end });
}

async function read(
  client: AgentContext,
  sessionId: string,
  args: ReadArgs,
  root: string,
): Promise<Result<ToolOutput>> {
  const file = await resolveInWorkspace(root, args.path);
  if (!file.ok) return file;
  const start = args.start_line ?? 1;
  const wanted = (args.end_line ?? start + DEFAULT_TOOL_LIMITS.readMaxLines - 1) - start + 1;
  let content: string;
  try {
    // One line more than shown tells whether the file goes on.
    ({ content } = await client.request("fs/read_text_file", {
      sessionId,
      path: file.value.abs,
      line: start,
      limit: wanted + 1,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return /not.?found|ENOENT|-32002/i.test(message)
      ? fail("not_found", `${file.value.rel} does not exist`)
      : fail("io_error", `the editor could not read ${file.value.rel}: ${message}`);
  }
  if (content === "") {
    return start === 1
      ? ok({ output: `${file.value.rel} is empty.` })
      : fail("invalid_arguments", `start_line ${start} is past the end of ${file.value.rel}`);
  }
  const lines = content.replace(/\n$/, "").split("\n");
  const shown = lines.slice(0, wanted);
  const output = shown.map((line, index) => numbered(start + index, line));
  if (lines.length > wanted) {
    const last = start + shown.length - 1;
    output.push(
      `[showing lines ${start}-${last}; more lines follow. Use start_line/end_line to read further.]`,
    );
  }
  return ok({ output: output.join("\n") });
}

/**
 * `read_file` through the editor (ACP `fs/read_text_file`): the model reads
 * what the user sees, unsaved changes included. Same name, arguments and
 * output as the built-in tool it replaces.
 */
export function clientReadFileTool(builtin: Tool, client: AgentContext, sessionId: string): Tool {
  return {
    name: builtin.name,
    description: builtin.description,
    effect: "read",
    spec: () => builtin.spec(),
    bind(raw, ctx) {
      const args = validate(raw);
      if (!args.ok) return args;
      return ok({
        effect: "read",
        args: args.value,
        preview: async () => ok({ summary: `Read ${args.value.path}` }),
        execute: () => read(client, sessionId, args.value, ctx.workspaceRoot),
      });
    },
  };
}
