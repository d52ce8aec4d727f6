import { parseArgs } from "node:util";
import { type Command, parseFlags } from "../command.js";
import { openEmbeddedRuntime } from "../runtime.js";
import { listSessions } from "../sessions-command.js";

export const sessionsCommand: Command = {
  name: "sessions",
  summary: "list the sessions of this directory (--all: every one; --json)",
  async run(argv, io) {
    const { values } = parseFlags("Usage: toad sessions [--all] [--json] [--cwd DIR]", () =>
      parseArgs({
        args: argv,
        strict: true,
        options: { all: { type: "boolean" }, json: { type: "boolean" }, cwd: { type: "string" } },
      }),
    );
    const cwd = values.cwd ?? io.cwd;
    const runtime = await openEmbeddedRuntime({ cwd, env: io.env, stderr: io.stderr });
    try {
      return await listSessions(
        runtime.store,
        { cwd, all: values.all ?? false, outputFormat: values.json ? "json" : "text" },
        io.stdout,
      );
    } finally {
      await runtime.close();
    }
  },
};
