/**
 * MCP server configuration: the `mcpServers` object of `mcp.json` (the same
 * shape Claude Code and other agents use), validated into typed entries.
 * Parsing is pure; reading and writing the files is in `config-files.ts`.
 */

export type McpScope = "user" | "project";

interface CommonConfig {
  /** Unique per scope; becomes the `mcp__<name>__` tool prefix. */
  name: string;
  /** A tool call that takes longer fails, and the server is restarted on next use. Default 120 s. */
  timeoutMs?: number;
  /** Connecting and listing tools must finish within this. Default 15 s. */
  startupTimeoutMs?: number;
  disabled?: boolean;
}

export interface StdioServerConfig extends CommonConfig {
  type: "stdio";
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Working directory of the server; default the repository root. */
  cwd?: string;
}

export interface HttpServerConfig extends CommonConfig {
  /** "http" is Streamable HTTP; "sse" the deprecated HTTP+SSE transport. */
  type: "http" | "sse";
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

/** A server as configured, with where it came from. */
export type ScopedServerConfig = McpServerConfig & { scope: McpScope; file: string };

export interface ConfigProblem {
  file: string;
  /** Where in the file, e.g. `mcpServers.fs.args`; empty for the whole file. */
  path: string;
  message: string;
}

/** Letters, digits, `-` and `_`, but no `__` (it separates server and tool in tool names). */
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export function serverNameProblem(name: string): string | undefined {
  if (!SERVER_NAME.test(name)) {
    return `"${name}" is not a valid server name: use 1-40 letters, digits, "-" or "_", starting with a letter or digit`;
  }
  if (name.includes("__"))
    return `"${name}" is not a valid server name: "__" is reserved as the tool-name separator`;
  return undefined;
}

const STDIO_KEYS = new Set([
  "type",
  "command",
  "args",
  "env",
  "cwd",
  "timeoutMs",
  "startupTimeoutMs",
  "disabled",
]);
const HTTP_KEYS = new Set(["type", "url", "headers", "timeoutMs", "startupTimeoutMs", "disabled"]);

type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates one file's content; every problem is reported, good entries are kept. */
export function parseMcpConfig(
  raw: unknown,
  file: string,
): { servers: McpServerConfig[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const servers: McpServerConfig[] = [];
  const problem = (path: string, message: string) => problems.push({ file, path, message });
  if (!isRecord(raw)) {
    problem("", "must be a JSON object");
    return { servers, problems };
  }
  for (const key of Object.keys(raw)) {
    if (key !== "mcpServers") problem(key, `unknown key (expected "mcpServers")`);
  }
  const entries = raw.mcpServers ?? {};
  if (!isRecord(entries)) {
    problem("mcpServers", "must be an object of server name → server");
    return { servers, problems };
  }
  for (const [name, value] of Object.entries(entries)) {
    const path = `mcpServers.${name}`;
    const nameProblem = serverNameProblem(name);
    if (nameProblem) {
      problem(path, nameProblem);
      continue;
    }
    const parsed = parseServer(name, value, (sub, message) =>
      problem(sub ? `${path}.${sub}` : path, message),
    );
    if (parsed) servers.push(parsed);
  }
  return { servers, problems };
}

type Report = (subPath: string, message: string) => void;

function parseServer(name: string, value: unknown, report: Report): McpServerConfig | undefined {
  if (!isRecord(value)) {
    report("", "must be an object");
    return undefined;
  }
  const type = value.type ?? (value.url !== undefined ? "http" : "stdio");
  if (type !== "stdio" && type !== "http" && type !== "sse") {
    report("type", `must be "stdio", "http" or "sse" (got ${JSON.stringify(type)})`);
    return undefined;
  }
  const allowed = type === "stdio" ? STDIO_KEYS : HTTP_KEYS;
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      report(key, `unknown key for a ${type} server`);
      ok = false;
    }
  }
  const common = parseCommon(name, value, report);
  if (!common) ok = false;
  if (type === "stdio") {
    const command = value.command;
    if (typeof command !== "string" || command.trim() === "") {
      report("command", "must be a non-empty string");
      ok = false;
    }
    const args = stringArray(value.args ?? [], "args", report);
    const env = stringMap(value.env ?? {}, "env", report);
    if (value.cwd !== undefined && typeof value.cwd !== "string") {
      report("cwd", "must be a string");
      ok = false;
    }
    if (!ok || !common || typeof command !== "string" || !args || !env) return undefined;
    return {
      ...common,
      type,
      command,
      args,
      env,
      ...(typeof value.cwd === "string" && { cwd: value.cwd }),
    };
  }
  const url = value.url;
  if (typeof url !== "string" || !isHttpUrl(url)) {
    report("url", "must be an http:// or https:// URL");
    ok = false;
  }
  const headers = stringMap(value.headers ?? {}, "headers", report);
  if (!ok || !common || typeof url !== "string" || !headers) return undefined;
  return { ...common, type, url, headers };
}

function parseCommon(name: string, value: Record_, report: Report): CommonConfig | undefined {
  const common: CommonConfig = { name };
  let ok = true;
  for (const key of ["timeoutMs", "startupTimeoutMs"] as const) {
    const ms = value[key];
    if (ms === undefined) continue;
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 1) {
      report(key, "must be a positive integer (milliseconds)");
      ok = false;
    } else {
      common[key] = ms;
    }
  }
  if (value.disabled !== undefined) {
    if (typeof value.disabled !== "boolean") {
      report("disabled", "must be true or false");
      ok = false;
    } else if (value.disabled) {
      common.disabled = true;
    }
  }
  return ok ? common : undefined;
}

function stringArray(value: unknown, key: string, report: Report): string[] | undefined {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    report(key, "must be an array of strings");
    return undefined;
  }
  return value as string[];
}

function stringMap(value: unknown, key: string, report: Report): Record<string, string> | undefined {
  if (!isRecord(value) || Object.values(value).some((item) => typeof item !== "string")) {
    report(key, "must be an object of string values");
    return undefined;
  }
  return value as Record<string, string>;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** The JSON a server is written back as (the inverse of `parseServer`). */
export function serverToJson(server: McpServerConfig): Record<string, unknown> {
  const common = {
    ...(server.timeoutMs !== undefined && { timeoutMs: server.timeoutMs }),
    ...(server.startupTimeoutMs !== undefined && { startupTimeoutMs: server.startupTimeoutMs }),
    ...(server.disabled && { disabled: true }),
  };
  if (server.type === "stdio") {
    return {
      command: server.command,
      ...(server.args.length > 0 && { args: server.args }),
      ...(Object.keys(server.env).length > 0 && { env: server.env }),
      ...(server.cwd !== undefined && { cwd: server.cwd }),
      ...common,
    };
  }
  return {
    type: server.type,
    url: server.url,
    ...(Object.keys(server.headers).length > 0 && { headers: server.headers }),
    ...common,
  };
}

/** `${VAR}` in env values, headers and args is replaced from the environment (secrets stay out of files). */
export function expandVariables(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env[name] ?? "");
}

/**
 * Project entries override user entries of the same name (the project knows
 * its own servers best); disabled servers are dropped.
 */
export function mergeScopes(
  user: readonly ScopedServerConfig[],
  project: readonly ScopedServerConfig[],
): ScopedServerConfig[] {
  const byName = new Map<string, ScopedServerConfig>();
  for (const server of [...user, ...project]) byName.set(server.name, server);
  return [...byName.values()].filter((server) => !server.disabled);
}
