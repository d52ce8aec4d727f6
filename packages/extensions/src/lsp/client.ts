import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-jsonrpc/node.js";
import type { Env } from "../shared/paths.js";

/** One LSP diagnostic, as the protocol sends it (0-based positions). */
export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** 1 error, 2 warning, 3 information, 4 hint. */
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
}

interface Published {
  version?: number;
  diagnostics: LspDiagnostic[];
  at: number;
}

export interface LspClientOptions {
  executable: string;
  args: readonly string[];
  rootDir: string;
  env: Env;
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
}

const SHUTDOWN_MS = 2_000;

/**
 * A language server over stdio (JSON-RPC via vscode-jsonrpc): the few
 * messages needed to open files, send their new text and collect the
 * diagnostics the server publishes.
 */
export class LspClient {
  private readonly published = new Map<string, Published>();
  private readonly waiters = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private exited: string | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly connection: MessageConnection,
  ) {}

  static async start(options: LspClientOptions): Promise<LspClient> {
    const child = spawn(options.executable, [...options.args], {
      cwd: options.rootDir,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stderr.resume(); // Servers log there; unread, the pipe would fill and stall them.
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new LspClient(child, connection);
    const spawnFailed = new Promise<never>((_, reject) => {
      child.once("error", (error) =>
        reject(new Error(`cannot start ${options.executable}: ${error.message}`)),
      );
      child.once("exit", (code) =>
        reject(new Error(`${options.executable} exited with code ${code} on start`)),
      );
    });
    child.on("exit", (code, signal) => {
      client.exited = `the language server exited (${signal ?? `code ${code}`})`;
      client.wake();
    });
    connection.onNotification("textDocument/publishDiagnostics", (params: unknown) =>
      client.onPublish(params),
    );
    connection.onRequest("workspace/configuration", (params: { items?: unknown[] }) =>
      (params.items ?? []).map(() => options.settings ?? null),
    );
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.listen();
    const rootUri = pathToFileURL(options.rootDir).href;
    await Promise.race([
      spawnFailed,
      connection.sendRequest("initialize", {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: "workspace" }],
        capabilities: {
          textDocument: {
            synchronization: { didSave: true, dynamicRegistration: false },
            publishDiagnostics: { versionSupport: true, relatedInformation: false },
          },
          workspace: { configuration: true, workspaceFolders: true },
        },
        initializationOptions: options.initializationOptions ?? {},
      }),
    ]);
    spawnFailed.catch(() => {}); // From here on, an exit is reported through `exited`.
    await connection.sendNotification("initialized", {});
    return client;
  }

  /** Sends the file's current text (open on first use, a full change after) and returns the document version. */
  async sync(path: string, languageId: string, text: string): Promise<{ uri: string; version: number }> {
    const uri = pathToFileURL(path).href;
    const previous = this.versions.get(uri);
    const version = (previous ?? 0) + 1;
    this.versions.set(uri, version);
    if (previous === undefined) {
      await this.connection.sendNotification("textDocument/didOpen", {
        textDocument: { uri, languageId, version, text },
      });
    } else {
      await this.connection.sendNotification("textDocument/didChange", {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
      await this.connection.sendNotification("textDocument/didSave", { textDocument: { uri } });
    }
    return { uri, version };
  }

  /**
   * The diagnostics of `uri` published after `since` (ms) and for at least
   * `version` when the server says which version it answers. Waits `settleMs`
   * more for a later publish (servers often send syntax, then semantic
   * results), and gives up after `timeoutMs`.
   */
  async diagnostics(
    uri: string,
    version: number,
    since: number,
    limits: { timeoutMs: number; settleMs: number },
  ): Promise<LspDiagnostic[] | Error> {
    const fresh = () => {
      const entry = this.published.get(uri);
      if (!entry || entry.at < since) return undefined;
      if (entry.version !== undefined && entry.version < version) return undefined;
      return entry;
    };
    const deadline = Date.now() + limits.timeoutMs;
    let found = fresh();
    while (!found) {
      if (this.exited) return new Error(this.exited);
      const left = deadline - Date.now();
      if (left <= 0) return new Error(`no diagnostics within ${limits.timeoutMs / 1000}s`);
      await this.nextPublish(left);
      found = fresh();
    }
    // Let a follow-up publish arrive; keep the newest.
    for (;;) {
      const seen = found.at;
      await this.nextPublish(limits.settleMs);
      const newer = fresh();
      if (!newer || newer.at === seen) break;
      found = newer;
    }
    return found.diagnostics;
  }

  async close(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([
          this.connection.sendRequest("shutdown"),
          new Promise((resolve) => setTimeout(resolve, SHUTDOWN_MS)),
        ]);
        await this.connection.sendNotification("exit");
      } catch {
        // The server is gone already; killing it below is all that is left.
      }
    }
    this.connection.dispose();
    this.child.kill("SIGKILL");
  }

  private onPublish(params: unknown): void {
    const { uri, version, diagnostics } = params as {
      uri: string;
      version?: number;
      diagnostics: LspDiagnostic[];
    };
    this.published.set(uri, { diagnostics, at: Date.now(), ...(typeof version === "number" && { version }) });
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }

  private nextPublish(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      this.waiters.add(done);
    });
  }
}
