import { homedir } from "node:os";
import { parseArgs } from "node:util";
import { findRepositoryRoot } from "@toad/agent";
import {
  addServer,
  formatConfigProblems,
  loadMcpConfig,
  type McpConfigLocation,
  McpHub,
  type McpScope,
  type McpServerConfig,
  mcpFileFor,
  readScope,
  removeServer,
  type ScopedServerConfig,
  serverNameProblem,
} from "@toad/mcp";
import { type Command, type CommandIo, parseFlags } from "../command.js";
import { CliError, EXIT, type ExitCode } from "../errors.js";

const USAGE = `Usage:
  toad mcp list [--check] [--json]               the configured MCP servers (user and project)
  toad mcp add NAME [options] -- COMMAND [ARGS…]  add a stdio server
  toad mcp add NAME --url URL [options]           add a Streamable HTTP server (--transport sse: legacy SSE)
  toad mcp remove NAME [--user | --project]       remove a server
  toad mcp serve [--read-only] [--http PORT]      serve TOAD's own tools over MCP (stdio, or HTTP on loopback)
Options:
  --user | --project     which mcp.json: ~/.config/toad/mcp.json (default) or .toad/mcp.json in the repository
  --env KEY=VALUE        environment of a stdio server (repeatable; \${VAR} is filled from yours at start)
  --header "Name: value" header of an HTTP server (repeatable)
  --timeout MS           a tool call taking longer fails and the server is restarted (default 120000)
  --force                replace a server of the same name
  --check                start each server and show what it offers
  --cwd DIR              the repository (default: the current directory)`;

function usageError(message: string): CliError {
  return new CliError(`${message}\n${USAGE}`);
}

async function locate(cwd: string, env: NodeJS.ProcessEnv): Promise<McpConfigLocation> {
  return { env, homeDir: homedir(), projectDir: await findRepositoryRoot(cwd) };
}

function describeTarget(server: McpServerConfig): string {
  return server.type === "stdio" ? [server.command, ...server.args].join(" ") : server.url;
}

async function list(argv: string[], io: CommandIo): Promise<ExitCode> {
  const { values } = parseFlags(USAGE, () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        check: { type: "boolean" },
        json: { type: "boolean" },
        cwd: { type: "string" },
      },
    }),
  );
  const location = await locate(values.cwd ?? io.cwd, io.env);
  const loaded = await loadMcpConfig(location);
  if (!loaded.ok)
    throw new CliError(`the MCP config has problems:\n${formatConfigProblems(loaded.problems)}`);
  const effective = new Set(loaded.servers);
  const checks = values.check ? await checkServers(loaded.servers, location, io) : new Map<string, string>();
  const rows = loaded.all.map((server) => ({
    name: server.name,
    scope: server.scope,
    type: server.type,
    target: describeTarget(server),
    file: server.file,
    status: server.disabled ? "disabled" : effective.has(server) ? "enabled" : "overridden by project",
    ...(checks.has(server.name) && effective.has(server) && { check: checks.get(server.name) }),
  }));
  if (values.json) {
    io.stdout.write(`${JSON.stringify(rows)}\n`);
  } else if (rows.length === 0) {
    io.stdout.write("no MCP servers configured (add one with toad mcp add NAME -- COMMAND [ARGS…])\n");
  } else {
    const width = Math.max(...rows.map((row) => row.name.length));
    for (const row of rows) {
      const status = row.status === "enabled" ? "" : `  (${row.status})`;
      const check = row.check === undefined ? "" : `\n  ${" ".repeat(width)}  → ${row.check}`;
      io.stdout.write(
        `${row.name.padEnd(width)}  ${row.scope.padEnd(7)}  ${row.type.padEnd(5)}  ${row.target}${status}${check}\n`,
      );
    }
  }
  const failed = [...checks.values()].some((check) => check.startsWith("failed"));
  return failed ? EXIT.failed : EXIT.ok;
}

/** Starts every server once and says what it offers, or why it failed. */
async function checkServers(
  servers: readonly ScopedServerConfig[],
  location: McpConfigLocation,
  io: CommandIo,
): Promise<Map<string, string>> {
  const hub = new McpHub({ servers, env: io.env, cwd: location.projectDir ?? io.cwd });
  const results = new Map<string, string>();
  try {
    await hub.start();
    const resources = await hub.listResources();
    const prompts = await hub.listPrompts();
    for (const connection of hub.list()) {
      if (connection.state !== "ready") {
        results.set(connection.name, `failed: ${connection.lastError ?? "not running"}`);
        continue;
      }
      const resourceCount =
        resources.find((entry) => entry.server === connection.name)?.resources.length ?? 0;
      const promptCount = prompts.find((entry) => entry.server === connection.name)?.prompts.length ?? 0;
      const names = connection.tools.map((tool) => tool.name).join(", ");
      results.set(
        connection.name,
        `ok: ${connection.tools.length} tools (${names}), ${resourceCount} resources, ${promptCount} prompts`,
      );
    }
  } finally {
    await hub.close();
  }
  return results;
}

function scopeOf(values: { user?: unknown; project?: unknown }): McpScope | undefined {
  if (values.user && values.project) throw usageError("pass either --user or --project, not both");
  if (values.project) return "project";
  if (values.user) return "user";
  return undefined;
}

function keyValues(items: unknown, separator: string, flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of Array.isArray(items) ? items : []) {
    const text = String(item);
    const cut = text.indexOf(separator);
    const key = cut > 0 ? text.slice(0, cut).trim() : "";
    if (key === "") throw usageError(`${flag} must look like KEY${separator}VALUE (got "${text}")`);
    result[key] = text.slice(cut + separator.length).trim();
  }
  return result;
}

async function add(argv: string[], io: CommandIo): Promise<ExitCode> {
  const { values, positionals } = parseFlags(USAGE, () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        user: { type: "boolean" },
        project: { type: "boolean" },
        env: { type: "string", multiple: true },
        header: { type: "string", multiple: true },
        url: { type: "string" },
        transport: { type: "string" },
        timeout: { type: "string" },
        force: { type: "boolean" },
        cwd: { type: "string" },
      },
    }),
  );
  const [name, ...command] = positionals;
  if (name === undefined) throw usageError("toad mcp add needs a server name");
  const nameProblem = serverNameProblem(name);
  if (nameProblem) throw usageError(nameProblem);
  const timeout = values.timeout;
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1)) {
    throw usageError(`--timeout must be a positive number of milliseconds (got "${timeout}")`);
  }
  const url = values.url;
  const common = { name, ...(timeoutMs !== undefined && { timeoutMs }) };
  let server: McpServerConfig;
  if (url !== undefined) {
    if (command.length > 0) throw usageError("give either --url or a command, not both");
    const transport = values.transport ?? "http";
    if (transport !== "http" && transport !== "sse") throw usageError("--transport must be http or sse");
    if (!/^https?:\/\//.test(url))
      throw usageError(`--url must be an http:// or https:// URL (got "${url}")`);
    server = { ...common, type: transport, url, headers: keyValues(values.header, ":", "--header") };
  } else {
    const [program, ...args] = command;
    if (program === undefined) throw usageError("give the server's command after --, or --url");
    server = { ...common, type: "stdio", command: program, args, env: keyValues(values.env, "=", "--env") };
  }
  const location = await locate(values.cwd ?? io.cwd, io.env);
  const file = mcpFileFor(scopeOf(values) ?? "user", location);
  const added = await addServer(file, server, { replace: values.force === true });
  if (!added.ok) throw new CliError(added.message, EXIT.failed);
  io.stdout.write(`added MCP server "${name}" to ${added.file}\n`);
  return EXIT.ok;
}

async function remove(argv: string[], io: CommandIo): Promise<ExitCode> {
  const { values, positionals } = parseFlags(USAGE, () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        user: { type: "boolean" },
        project: { type: "boolean" },
        cwd: { type: "string" },
      },
    }),
  );
  const [name] = positionals;
  if (name === undefined || positionals.length > 1) throw usageError("toad mcp remove needs one server name");
  const location = await locate(values.cwd ?? io.cwd, io.env);
  let scope = scopeOf(values);
  if (scope === undefined) {
    const holders: McpScope[] = [];
    for (const candidate of ["user", "project"] as const) {
      const read = await readScope(candidate, mcpFileFor(candidate, location));
      if (read.servers.some((server) => server.name === name)) holders.push(candidate);
    }
    if (holders.length > 1) throw usageError(`"${name}" is in both files: pass --user or --project`);
    scope = holders[0] ?? "user";
  }
  const removed = await removeServer(mcpFileFor(scope, location), name);
  if (!removed.ok) throw new CliError(removed.message, EXIT.failed);
  io.stdout.write(`removed MCP server "${name}" from ${removed.file}\n`);
  return EXIT.ok;
}

async function serve(argv: string[], io: CommandIo): Promise<ExitCode> {
  const { values } = parseFlags(USAGE, () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { "read-only": { type: "boolean" }, http: { type: "string" }, cwd: { type: "string" } },
    }),
  );
  const port = values.http === undefined ? undefined : Number(values.http);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw usageError(`--http must be a port number (0 picks a free one; got "${values.http}")`);
  }
  // Loaded here only: the context engine is not needed by the other commands.
  const { createToolsServer, serveHttp, serveStdio, toadToolsForServing } = await import("@toad/mcp/serve");
  const workspaceRoot = await findRepositoryRoot(values.cwd ?? io.cwd);
  const served = await toadToolsForServing({
    workspaceRoot,
    readOnly: values["read-only"] === true,
    logger: { warn: (message) => io.stderr.write(`toad mcp serve: ${message}\n`) },
  });
  const server = () =>
    createToolsServer({
      tools: served.tools,
      effectOf: served.effectOf,
      name: "toad",
      instructions: `TOAD's tools on the repository at ${workspaceRoot}. Paths are relative to it.`,
    });
  try {
    if (port === undefined) {
      await serveStdio(server());
    } else {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        await serveHttp(server, {
          port,
          signal: stop.signal,
          onListening: (url) => io.stderr.write(`toad mcp serve: listening on ${url}\n`),
        });
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }
  } finally {
    served.close();
  }
  return EXIT.ok;
}

export const mcpCommand: Command = {
  name: "mcp",
  summary: "MCP servers: list, add, remove; serve TOAD's tools over MCP (toad mcp --help)",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case "list":
        return list(rest, io);
      case "add":
        return add(rest, io);
      case "remove":
        return remove(rest, io);
      case "serve":
        return serve(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
      default:
        throw usageError(`unknown mcp command "${sub}"`);
    }
  },
};
