import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AgentTools, ToolOutcome } from "@toad/agent";
import type { StdioServerConfig } from "@toad/mcp";

const require = createRequire(import.meta.url);

/** The real reference servers from npm, run with this node (no npx, no registry). */
export function serverScript(pkg: "server-everything" | "server-filesystem"): string {
  return join(dirname(require.resolve(`@modelcontextprotocol/${pkg}/package.json`)), "dist", "index.js");
}

export function everythingServer(overrides: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return {
    name: "everything",
    type: "stdio",
    command: process.execPath,
    args: [serverScript("server-everything"), "stdio"],
    env: {},
    ...overrides,
  };
}

export function filesystemServer(dir: string): StdioServerConfig {
  return {
    name: "fs",
    type: "stdio",
    command: process.execPath,
    args: [serverScript("server-filesystem"), dir],
    env: {},
  };
}

export async function tempDir(prefix = "toad-mcp-"): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A deliberately broken MCP server (a real child process): it completes the
 * handshake, then `bad-result` answers with a result that is not a tool
 * result, `junk` prints a non-JSON line and never answers, and `ok` works.
 */
export async function writeMisbehavingServer(dir: string): Promise<string> {
  const path = join(dir, "misbehaving-server.mjs");
  await writeFile(
    path,
    `import { createInterface } from "node:readline";
const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\\n");
const tools = ["ok", "bad-result", "junk"].map((name) => ({ name, inputSchema: { type: "object" } }));
for await (const line of createInterface({ input: process.stdin })) {
  const message = JSON.parse(line);
  if (message.method === "initialize") {
    send({ id: message.id, result: { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "misbehaving", version: "1" } } });
  } else if (message.method === "tools/list") {
    send({ id: message.id, result: { tools } });
  } else if (message.method === "tools/call") {
    const name = message.params.name;
    if (name === "ok") send({ id: message.id, result: { content: [{ type: "text", text: "fine, pid " + process.pid }] } });
    if (name === "bad-result") send({ id: message.id, result: { content: "this is not an array" } });
    if (name === "junk") process.stdout.write("Traceback (most recent call last): garbage\\n");
  } else if (message.id !== undefined) {
    send({ id: message.id, error: { code: -32601, message: "Method not found" } });
  }
}
`,
  );
  return path;
}

/** Prepares and executes one call with no approval step (the tests call tools directly). */
export async function runTool(
  tools: AgentTools,
  name: string,
  args: Record<string, unknown>,
  signal: AbortSignal = new AbortController().signal,
): Promise<ToolOutcome> {
  const prepared = tools.prepare(
    { callId: `call_${name}`, name, argumentsJson: JSON.stringify(args) },
    signal,
  );
  if (!prepared.ok) return prepared.outcome;
  return prepared.call.execute();
}

export async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
