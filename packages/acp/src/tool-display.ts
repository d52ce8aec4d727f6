import { isAbsolute, join } from "node:path";
import type { ToolCallLocation, ToolKind } from "@agentclientprotocol/sdk";
import { serverOfToolName } from "@toad/mcp";

/** How an editor shows a tool call: its kind (icon), a title, and the files it touches. */
export interface ToolDisplay {
  kind: ToolKind;
  title: string;
  locations: ToolCallLocation[];
}

const KINDS: Record<string, ToolKind> = {
  read_file: "read",
  list_dir: "read",
  read_mcp_resource: "read",
  list_mcp_resources: "read",
  glob: "search",
  grep: "search",
  codebase_search: "search",
  repo_map: "search",
  write_file: "edit",
  edit_file: "edit",
  apply_patch: "edit",
  batch_edit: "edit",
  bash: "execute",
  git: "execute",
  run_tests: "execute",
  todo_write: "think",
};

export function toolKind(name: string): ToolKind {
  return KINDS[name] ?? "other";
}

type Args = Record<string, unknown>;

function str(args: Args, key: string): string | undefined {
  const value = args[key];
  return typeof value === "string" ? value : undefined;
}

function short(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Paths from a unified diff's `+++`/`---` headers. */
function patchPaths(patch: string): string[] {
  const paths = new Set<string>();
  for (const match of patch.matchAll(/^(?:\+\+\+|---) (?:[ab]\/)?(\S+)/gm)) {
    if (match[1] && match[1] !== "/dev/null") paths.add(match[1]);
  }
  return [...paths];
}

function editedPaths(name: string, args: Args): string[] {
  if (name === "apply_patch") return patchPaths(str(args, "patch") ?? "");
  if (name === "batch_edit" && Array.isArray(args.edits)) {
    const paths = args.edits.flatMap((edit: unknown) =>
      typeof edit === "object" && edit !== null && typeof (edit as Args).path === "string"
        ? [(edit as Args).path as string]
        : [],
    );
    return [...new Set(paths)];
  }
  const path = str(args, "path");
  return path === undefined ? [] : [path];
}

function title(name: string, args: Args): string {
  const path = str(args, "path");
  switch (name) {
    case "read_file": {
      const start = args.start_line;
      const end = args.end_line;
      const range =
        typeof start === "number" || typeof end === "number" ? ` (lines ${start ?? 1}-${end ?? "end"})` : "";
      return `Read ${path ?? "file"}${range}`;
    }
    case "list_dir":
      return `List ${path ?? "."}`;
    case "glob":
      return `Find ${str(args, "pattern") ?? "files"}`;
    case "grep":
      return `Search for ${short(str(args, "pattern") ?? "", 60)}${path && path !== "." ? ` in ${path}` : ""}`;
    case "write_file":
      return `Write ${path ?? "file"}`;
    case "edit_file":
      return `Edit ${path ?? "file"}`;
    case "apply_patch":
    case "batch_edit": {
      const paths = editedPaths(name, args);
      return paths.length === 1 ? `Edit ${paths[0]}` : `Edit ${paths.length} files`;
    }
    case "bash":
      return short(str(args, "command") ?? "Run a command");
    case "git":
      return `git ${str(args, "action") ?? ""}`.trim();
    case "run_tests":
      return str(args, "command") ? `Run tests: ${short(str(args, "command") ?? "")}` : "Run the tests";
    case "todo_write":
      return "Update the plan";
    case "codebase_search":
      return `Search the codebase for ${short(str(args, "query") ?? "", 60)}`;
    case "repo_map":
      return "Map the repository";
    case "read_mcp_resource":
      return `Read ${str(args, "uri") ?? "resource"}`;
    case "list_mcp_resources":
      return "List MCP resources";
    default: {
      const server = serverOfToolName(name);
      return server === undefined ? name : `${name.slice(`mcp__${server}__`.length)} (MCP ${server})`;
    }
  }
}

/** Absolute path as ACP wants it. */
export function absolutePath(workspaceRoot: string, path: string): string {
  return isAbsolute(path) ? path : join(workspaceRoot, path);
}

export function toolDisplay(name: string, args: Args, workspaceRoot: string): ToolDisplay {
  const paths = KINDS[name] === "read" || KINDS[name] === "edit" ? editedPaths(name, args) : [];
  const line = typeof args.start_line === "number" ? args.start_line : undefined;
  return {
    kind: toolKind(name),
    title: title(name, args),
    locations: paths.map((path) => ({
      path: absolutePath(workspaceRoot, path),
      ...(line !== undefined && { line }),
    })),
  };
}

/** The call's arguments as an object (a malformed call shows as its raw text). */
export function parseArgs(argumentsJson: string): Args {
  if (argumentsJson.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Args) : {};
  } catch {
    return { raw: argumentsJson };
  }
}
