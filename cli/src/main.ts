import { existsSync } from "node:fs";
import { HELP, parseCliArgs } from "./args.js";
import type { CommandIo } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { CliError, EXIT, type ExitCode } from "./errors.js";
import type { Writable } from "./output.js";
import { cliVersion } from "./version.js";

export type MainIo = CommandIo;

const processIo = (): MainIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});

/** The toad command. Returns the exit code; never throws. */
export async function main(argv: string[], io: MainIo = processIo()): Promise<ExitCode> {
  try {
    const command = COMMANDS.find((candidate) => candidate.name === argv[0]);
    if (command) return await (await command.load()).run(argv.slice(1), io);
    const args = parseCliArgs(argv, io.cwd);
    switch (args.command) {
      case "help":
        io.stdout.write(`${HELP}\n\nCommands:\n${await commandList()}\n`);
        return EXIT.ok;
      case "version":
        io.stdout.write(`toad ${cliVersion()}\n`);
        return EXIT.ok;
      case "interactive": {
        // Loaded on demand: headless runs never pay for Ink and React.
        const { runInteractive } = await importWithProductionReact(loadUi);
        return await runInteractive(args, io);
      }
      case "run": {
        const [{ openEmbeddedRuntime }, { runHeadless }] = await Promise.all([
          import("./runtime.js"),
          import("./headless.js"),
        ]);
        const runtime = await openEmbeddedRuntime({ cwd: args.cwd, env: io.env, stderr: io.stderr });
        const interrupt = interruptSignal(io.stderr);
        try {
          return await runHeadless(args, runtime, {
            stdout: io.stdout,
            stderr: io.stderr,
            signal: interrupt.signal,
            readStdin: () => readAll(io.stdin),
          });
        } finally {
          interrupt.dispose();
          await runtime.close();
        }
      }
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`toad: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `toad: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.failed;
  }
}

/**
 * The UI as one bundled file when the build made one (`scripts/bundle-ui.mjs`:
 * the first frame comes about half a second sooner), else its modules.
 */
async function loadUi(): Promise<typeof import("./ui/run-ui.js")> {
  const bundle = new URL("./ui/run-ui.bundle.js", import.meta.url);
  if (existsSync(bundle)) return (await import(bundle.href)) as typeof import("./ui/run-ui.js");
  return import("./ui/run-ui.js");
}

/**
 * React picks its build from NODE_ENV when first loaded, and the development
 * build (the default) is much slower. NODE_ENV is set only while the UI loads:
 * the commands the agent runs inherit this process's environment.
 */
async function importWithProductionReact<T>(load: () => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV !== undefined) return load();
  process.env.NODE_ENV = "production";
  try {
    return await load();
  } finally {
    delete process.env.NODE_ENV;
  }
}

/** First Ctrl-C (or SIGTERM) cancels the run cleanly; a second one exits at once. */
function interruptSignal(stderr: Writable): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    stderr.write("toad: interrupted, stopping (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

async function readAll(stream: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stream.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function commandList(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((entry) => entry.load()));
  const width = Math.max(...commands.map((command) => command.name.length));
  return commands.map((command) => `  toad ${command.name.padEnd(width)}  ${command.summary}`).join("\n");
}
