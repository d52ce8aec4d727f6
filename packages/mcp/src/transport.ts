import { resolve } from "node:path";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { expandVariables, type McpServerConfig } from "./config.js";
import type { Env } from "./config-files.js";
import type { Sdk } from "./sdk-loader.js";

/** The last lines a server wrote to stderr: shown when it fails to start or crashes. */
export class StderrTail {
  private lines: string[] = [];
  private partial = "";

  constructor(private readonly maxLines = 20) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.add(line);
  }

  private add(line: string): void {
    const trimmed = line.trimEnd();
    if (trimmed === "") return;
    this.lines.push(trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  text(): string {
    const all = this.partial.trim() === "" ? this.lines : [...this.lines, this.partial.trim()];
    return all.join("\n");
  }
}

export interface OpenedTransport {
  transport: Transport;
  stderr: StderrTail;
  /** The server's process id (stdio only, once started). */
  pid(): number | null;
}

export interface TransportOptions {
  /** Where `${VAR}` placeholders come from, and the base of a stdio server's environment. */
  env: Env;
  /** Working directory of stdio servers that name none (the repository root). */
  cwd: string;
}

/**
 * A transport for one server. Stdio servers get only the safe default
 * variables (PATH, HOME, …) plus their configured `env`, never TOAD's whole
 * environment with its API keys.
 */
export function openTransport(sdk: Sdk, config: McpServerConfig, options: TransportOptions): OpenedTransport {
  const stderr = new StderrTail();
  const expand = (text: string) => expandVariables(text, options.env);
  if (config.type === "stdio") {
    const transport = new sdk.StdioClientTransport({
      command: expand(config.command),
      args: config.args.map(expand),
      env: Object.fromEntries(Object.entries(config.env).map(([key, value]) => [key, expand(value)])),
      cwd: config.cwd === undefined ? options.cwd : resolve(options.cwd, expand(config.cwd)),
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer | string) => stderr.push(chunk.toString()));
    return { transport, stderr, pid: () => transport.pid };
  }
  const headers = Object.fromEntries(
    Object.entries(config.headers).map(([key, value]) => [key, expand(value)]),
  );
  const url = new URL(expand(config.url));
  const transport =
    config.type === "http"
      ? new sdk.StreamableHTTPClientTransport(url, { requestInit: { headers } })
      : new sdk.SSEClientTransport(url, { requestInit: { headers } });
  return { transport, stderr, pid: () => null };
}
