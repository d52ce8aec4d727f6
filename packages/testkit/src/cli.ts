import { parseArgs } from "node:util";
import { loadScript } from "./load.js";
import type { MockScript } from "./script.js";
import { startMockLlm } from "./server.js";

// The `toad-mock-llm` command. It writes to stdout/stderr directly: the URL line on
// stdout is the contract a parent process reads to know the server is up.

const USAGE = `usage: toad-mock-llm --script FILE [--port N] [--host 127.0.0.1] [--tokens-per-second N]

Serves a scripted model on loopback (Anthropic /v1/messages, OpenAI /v1/chat/completions
and /v1/responses). Prints the base URL on one line once it listens; stops on SIGTERM or SIGINT.
`;

function fail(message: string): never {
  process.stderr.write(`toad-mock-llm: ${message}\n${USAGE}`);
  process.exit(2);
}

function toNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

export async function runCli(argv: string[]): Promise<void> {
  let values: { script?: string; port?: string; host?: string; "tokens-per-second"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        script: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "tokens-per-second": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  let script: MockScript = { turns: [] };
  if (values.script !== undefined) {
    try {
      script = await loadScript(values.script);
    } catch (err) {
      fail((err as Error).message);
    }
  }
  const server = await startMockLlm({
    script,
    host: values.host ?? "127.0.0.1",
    port: toNumber("port", values.port) ?? 0,
    tokensPerSecond: toNumber("tokens-per-second", values["tokens-per-second"]),
  });
  process.stdout.write(`${server.url}\n`);

  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
