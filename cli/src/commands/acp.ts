import { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import { PERMISSION_MODES, type PermissionMode } from "@toad/core";
import { type Command, parseFlags } from "../command.js";
import { CliError, EXIT } from "../errors.js";
import { openEmbeddedRuntime } from "../runtime.js";
import { cliVersion } from "../version.js";

const USAGE = `Usage: toad acp [--model ID] [--permission-mode MODE] [--cwd DIR]
Speaks the Agent Client Protocol on stdin/stdout: an editor (Zed, JetBrains, Neovim, …) starts it
and drives TOAD sessions. Logs go to stderr. Sessions are TOAD sessions (toad sessions lists them).`;

export const acpCommand: Command = {
  name: "acp",
  summary: "serve the Agent Client Protocol on stdio, for editors (toad acp --help)",
  async run(argv, io) {
    const { values } = parseFlags(USAGE, () =>
      parseArgs({
        args: argv,
        strict: true,
        options: {
          model: { type: "string" },
          "permission-mode": { type: "string" },
          cwd: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }),
    );
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    const modeFlag = values["permission-mode"];
    const permissionMode = PERMISSION_MODES.find((mode): mode is PermissionMode => mode === modeFlag);
    if (modeFlag !== undefined && permissionMode === undefined) {
      throw new CliError(
        `--permission-mode must be one of ${PERMISSION_MODES.join(", ")} (got "${modeFlag}")`,
      );
    }
    // Loaded on demand: other commands never pay for the ACP SDK.
    const [{ ndJsonStream }, { serveAcp }] = await Promise.all([
      import("@agentclientprotocol/sdk"),
      import("@toad/acp"),
    ]);
    const runtime = await openEmbeddedRuntime({ cwd: values.cwd ?? io.cwd, env: io.env, stderr: io.stderr });
    try {
      // stdout carries only protocol messages; everything else goes to stderr.
      const stream = ndJsonStream(
        Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
        Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
      );
      await serveAcp(
        {
          store: runtime.store,
          model: runtime.model,
          mcp: runtime.mcp,
          env: io.env,
          logger: { warn: (message) => io.stderr.write(`toad acp: ${message}\n`) },
          agentInfo: { name: "toad", version: cliVersion() },
          ...(values.model !== undefined && { modelId: values.model }),
          ...(permissionMode !== undefined && { permissionMode }),
        },
        stream,
      );
    } finally {
      await runtime.close();
    }
    return EXIT.ok;
  },
};
