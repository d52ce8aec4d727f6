import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  type ConfigProblem,
  type McpScope,
  type McpServerConfig,
  mergeScopes,
  parseMcpConfig,
  type ScopedServerConfig,
  serverToJson,
} from "./config.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface McpConfigLocation {
  env: Env;
  homeDir: string;
  /** The repository root; its `.toad/mcp.json` holds the project's servers. */
  projectDir?: string;
}

/** `$TOAD_CONFIG_HOME/mcp.json`, else `$XDG_CONFIG_HOME/toad/mcp.json`, else `~/.config/toad/mcp.json`. */
export function userMcpFile(env: Env, homeDir: string): string {
  if (env.TOAD_CONFIG_HOME) return join(env.TOAD_CONFIG_HOME, "mcp.json");
  return join(env.XDG_CONFIG_HOME || join(homeDir, ".config"), "toad", "mcp.json");
}

export function projectMcpFile(projectDir: string): string {
  return join(projectDir, ".toad", "mcp.json");
}

export function mcpFileFor(scope: McpScope, location: McpConfigLocation): string {
  if (scope === "user") return userMcpFile(location.env, location.homeDir);
  if (location.projectDir === undefined) throw new Error("the project scope needs a project directory");
  return projectMcpFile(location.projectDir);
}

export type McpConfigResult =
  | {
      ok: true;
      /** Effective servers: project over user, disabled ones dropped. */
      servers: ScopedServerConfig[];
      /** Every entry of every file, disabled included (for `toad mcp list`). */
      all: ScopedServerConfig[];
      files: string[];
    }
  | { ok: false; problems: ConfigProblem[] };

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Reads the scope's file; a missing file is an empty one, a broken one is reported. */
export async function readScope(
  scope: McpScope,
  file: string,
): Promise<{ servers: ScopedServerConfig[]; problems: ConfigProblem[]; exists: boolean }> {
  let text: string | undefined;
  try {
    text = await readIfExists(file);
  } catch (error) {
    return {
      servers: [],
      problems: [{ file, path: "", message: `cannot be read: ${(error as Error).message}` }],
      exists: true,
    };
  }
  if (text === undefined) return { servers: [], problems: [], exists: false };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      servers: [],
      problems: [{ file, path: "", message: `is not valid JSON: ${(error as Error).message}` }],
      exists: true,
    };
  }
  const parsed = parseMcpConfig(raw, file);
  return {
    servers: parsed.servers.map((server) => ({ ...server, scope, file })),
    problems: parsed.problems,
    exists: true,
  };
}

/** The user's and the project's servers. Any problem in either file fails the whole load. */
export async function loadMcpConfig(location: McpConfigLocation): Promise<McpConfigResult> {
  const userFile = userMcpFile(location.env, location.homeDir);
  const user = await readScope("user", userFile);
  const project =
    location.projectDir === undefined
      ? { servers: [], problems: [], exists: false }
      : await readScope("project", projectMcpFile(location.projectDir));
  const problems = [...user.problems, ...project.problems];
  if (problems.length > 0) return { ok: false, problems };
  const files = [
    ...(user.exists ? [userFile] : []),
    ...(project.exists && location.projectDir !== undefined ? [projectMcpFile(location.projectDir)] : []),
  ];
  return {
    ok: true,
    servers: mergeScopes(user.servers, project.servers),
    all: [...user.servers, ...project.servers],
    files,
  };
}

export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n");
}

export type EditResult = { ok: true; file: string } | { ok: false; message: string };

/**
 * Rewrites one scope's file with `edit` applied to its raw JSON, keeping keys
 * it does not understand untouched. Refuses to touch a file it cannot parse:
 * a broken file is the user's to fix, never to lose.
 */
async function editScopeFile(
  file: string,
  edit: (servers: Record<string, unknown>) => EditResult | undefined,
): Promise<EditResult> {
  const text = await readIfExists(file);
  let raw: Record<string, unknown> = {};
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { ok: false, message: `${file} is not valid JSON (${(error as Error).message}); fix it first` };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { ok: false, message: `${file} is not a JSON object; fix it first` };
    }
    raw = parsed as Record<string, unknown>;
  }
  const current = raw.mcpServers ?? {};
  if (typeof current !== "object" || current === null || Array.isArray(current)) {
    return { ok: false, message: `${file}: "mcpServers" is not an object; fix it first` };
  }
  const servers = { ...(current as Record<string, unknown>) };
  const refused = edit(servers);
  if (refused) return refused;
  const next = { ...raw, mcpServers: servers };
  await mkdir(dirname(file), { recursive: true });
  // Write then rename, so a crash never leaves half a file.
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(temp, file);
  return { ok: true, file };
}

export function addServer(
  file: string,
  server: McpServerConfig,
  options: { replace?: boolean } = {},
): Promise<EditResult> {
  return editScopeFile(file, (servers) => {
    if (servers[server.name] !== undefined && !options.replace) {
      return {
        ok: false,
        message: `a server named "${server.name}" is already in ${file} (remove it first, or pass --force)`,
      };
    }
    servers[server.name] = serverToJson(server);
    return undefined;
  });
}

export function removeServer(file: string, name: string): Promise<EditResult> {
  return editScopeFile(file, (servers) => {
    if (servers[name] === undefined) return { ok: false, message: `no server named "${name}" in ${file}` };
    delete servers[name];
    return undefined;
  });
}
