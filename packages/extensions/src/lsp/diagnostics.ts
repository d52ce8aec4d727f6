import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import type { AgentHooks, HookFailure, ToolCall } from "@toad/agent";
import type { Env } from "../shared/paths.js";
import type { LspClient, LspDiagnostic } from "./client.js";
import { findServerExecutable, KNOWN_SERVERS, type LanguageServerSpec, serverFor } from "./servers.js";

export interface DiagnosticsOptions {
  /** The workspace root: servers start here, relative paths resolve here. */
  rootDir: string;
  env: Env;
  servers?: readonly LanguageServerSpec[];
  /** The first answer of a server that just started (a cold tsserver takes seconds). */
  firstTimeoutMs?: number;
  timeoutMs?: number;
  /** How long to wait for a follow-up publish after the first one. */
  settleMs?: number;
  /** Errors shown per file at most. */
  maxPerFile?: number;
}

export interface FileDiagnostics {
  /** Relative to the workspace root. */
  path: string;
  errors: LspDiagnostic[];
}

type ServerState = { kind: "ready"; client: LspClient; warm: boolean } | { kind: "unavailable"; why: string };

/**
 * Language servers started on demand, one per language per workspace, kept
 * for the session. After an edit, `check` sends the touched files' new text
 * and returns their errors.
 */
export class DiagnosticsService {
  private readonly servers = new Map<string, Promise<ServerState>>();

  constructor(private readonly options: DiagnosticsOptions) {}

  /** Errors of each file; a server that failed or is not installed is a failure (once per server). */
  async check(paths: readonly string[]): Promise<{ files: FileDiagnostics[]; failures: HookFailure[] }> {
    const files: FileDiagnostics[] = [];
    const failures: HookFailure[] = [];
    await Promise.all(
      paths.map(async (path) => {
        const spec = serverFor(path, this.options.servers ?? KNOWN_SERVERS);
        if (!spec) return;
        const state = await this.server(spec);
        if (state.kind === "unavailable") return; // Reported when it was found missing or broken.
        const absolute = resolve(this.options.rootDir, path);
        let text: string;
        try {
          text = await readFile(absolute, "utf8");
        } catch {
          return; // Deleted by the edit: nothing to diagnose.
        }
        const since = Date.now();
        const { uri, version } = await state.client.sync(absolute, spec.languageId(absolute), text);
        const timeoutMs = state.warm
          ? (this.options.timeoutMs ?? 5_000)
          : (this.options.firstTimeoutMs ?? 20_000);
        const found = await state.client.diagnostics(uri, version, since, {
          timeoutMs,
          settleMs: this.options.settleMs ?? 150,
        });
        state.warm = true;
        const shown = relative(this.options.rootDir, absolute);
        if (found instanceof Error) {
          failures.push({ source: `diagnostics (${spec.command})`, message: `${shown}: ${found.message}` });
          return;
        }
        files.push({ path: shown, errors: found.filter((d) => (d.severity ?? 1) === 1) });
      }),
    );
    return { files: files.sort((a, b) => a.path.localeCompare(b.path)), failures };
  }

  async close(): Promise<void> {
    const states = await Promise.all(this.servers.values());
    this.servers.clear();
    await Promise.all(states.map((state) => (state.kind === "ready" ? state.client.close() : undefined)));
  }

  /** Servers that are installed but failed to start, each noted once (not on every edit). */
  readonly unavailable: string[] = [];

  private server(spec: LanguageServerSpec): Promise<ServerState> {
    let state = this.servers.get(spec.id);
    if (!state) {
      state = this.startServer(spec);
      this.servers.set(spec.id, state);
    }
    return state;
  }

  private async startServer(spec: LanguageServerSpec): Promise<ServerState> {
    const executable = await findServerExecutable(spec, this.options.rootDir, this.options.env);
    // Not installed: no diagnostics for that language, and nothing to report.
    if (!executable) return { kind: "unavailable", why: `${spec.command} is not installed` };
    try {
      // The LSP client (vscode-jsonrpc) is loaded when the first language server starts.
      const { LspClient } = await import("./client.js");
      const client = await LspClient.start({
        executable,
        args: spec.args,
        rootDir: this.options.rootDir,
        env: this.options.env,
        ...(spec.settings && { settings: spec.settings }),
        ...(spec.initializationOptions && { initializationOptions: spec.initializationOptions }),
      });
      return { kind: "ready", client, warm: false };
    } catch (error) {
      const why = (error as Error).message;
      this.unavailable.push(why);
      return { kind: "unavailable", why };
    }
  }
}

/** The files a call may have changed: every `path`/`file_path` in its arguments, and the files a patch names. */
export function touchedPaths(call: ToolCall): string[] {
  let args: unknown;
  try {
    args = JSON.parse(call.argumentsJson);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const visit = (value: unknown, key?: string): void => {
    if (typeof value === "string") {
      if (key === "path" || key === "file_path") found.add(value);
      if (key === "patch") for (const path of patchPaths(value)) found.add(path);
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  visit(args);
  return [...found];
}

function patchPaths(patch: string): string[] {
  const paths: string[] = [];
  for (const line of patch.split("\n")) {
    const match = /^\+\+\+ (?:b\/)?(\S+)/.exec(line) ?? /^\*\*\* (?:Add|Update) File: (.+)$/.exec(line);
    if (match?.[1] && match[1] !== "/dev/null") paths.push(match[1].trim());
  }
  return paths;
}

/**
 * The PostToolUse hook that appends the touched files' errors to a
 * successful edit's result, so the model sees what its edit broke.
 * Only calls of `editTools` are checked (reads never change diagnostics).
 */
export function diagnosticsHook(
  service: DiagnosticsService,
  editTools: ReadonlySet<string>,
  maxPerFile = 20,
): AgentHooks {
  let reported = 0;
  return {
    async postToolUse(call, outcome) {
      if (!outcome.ok || !editTools.has(call.name)) return {};
      const paths = touchedPaths(call).filter((path) => isAbsolute(path) || !path.startsWith(".."));
      if (paths.length === 0) return {};
      const { files, failures } = await service.check(paths);
      // Servers that failed to start since the last call: say so once.
      const fresh = service.unavailable.slice(reported);
      reported = service.unavailable.length;
      failures.push(...fresh.map((message) => ({ source: "diagnostics", message })));
      const withErrors = files.filter((file) => file.errors.length > 0);
      if (withErrors.length === 0) return { failures };
      return { context: [formatDiagnostics(withErrors, maxPerFile)], failures };
    },
  };
}

export function formatDiagnostics(files: readonly FileDiagnostics[], maxPerFile: number): string {
  const lines = ["Errors reported by the language server after this edit:"];
  for (const file of files) {
    for (const error of file.errors.slice(0, maxPerFile)) {
      const { line, character } = error.range.start;
      lines.push(`${file.path}:${line + 1}:${character + 1} error${codeLabel(error)}: ${error.message}`);
    }
    if (file.errors.length > maxPerFile)
      lines.push(`${file.path}: … and ${file.errors.length - maxPerFile} more`);
  }
  return lines.join("\n");
}

/** ` TS2322` for TypeScript, ` E0308` or ` reportMissingImports` as other servers send them, else nothing. */
function codeLabel(error: LspDiagnostic): string {
  if (error.code === undefined) return "";
  return error.source === "typescript" && typeof error.code === "number"
    ? ` TS${error.code}`
    : ` ${error.code}`;
}
