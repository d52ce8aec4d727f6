import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type {
  CallToolResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ServerCapabilities,
  Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { McpServerConfig } from "./config.js";
import { errorText, failure, type McpFailureKind, type McpResult } from "./errors.js";
import { loadSdk, type Sdk } from "./sdk-loader.js";
import { type OpenedTransport, openTransport, type TransportOptions } from "./transport.js";

export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
export const DEFAULT_STARTUP_TIMEOUT_MS = 15_000;

export type ConnectionState = "idle" | "starting" | "ready" | "failed";

export interface ConnectionOptions extends TransportOptions {
  clientInfo: { name: string; version: string };
  /** Called after the server's tool list changed (list_changed notification, restart). */
  onToolsChanged?: () => void;
}

interface Live {
  sdk: Sdk;
  client: Client;
  opened: OpenedTransport;
  /** Set once the connection is gone, so late events of an old process are ignored. */
  closed: boolean;
  /** Lines on stdout that were not MCP messages (a misbehaving server). */
  garbage: string[];
}

/**
 * One configured MCP server. Started on first use; a server that crashes,
 * hangs past its timeout or answers garbage is dropped (its process killed)
 * and started again on the next use, so one bad server never takes the
 * session down. Every method returns a result; nothing throws.
 */
export class McpConnection {
  private live: Live | undefined;
  private starting: Promise<McpResult<Live>> | undefined;
  private cachedTools: Tool[] = [];
  private cachedCapabilities: ServerCapabilities | undefined;
  private closing: Promise<void>[] = [];
  private lastFailure: string | undefined;
  /** How many times the server was started. */
  starts = 0;
  /** When the last start failed (epoch ms), for the hub's retry pause. */
  failedStartAt: number | undefined;

  constructor(
    readonly config: McpServerConfig,
    private readonly options: ConnectionOptions,
  ) {}

  get name(): string {
    return this.config.name;
  }

  get state(): ConnectionState {
    if (this.live) return "ready";
    if (this.starting) return "starting";
    return this.lastFailure === undefined ? "idle" : "failed";
  }

  /** Why the last start or call failed, if it did. */
  get lastError(): string | undefined {
    return this.lastFailure;
  }

  /**
   * The server's tools as last listed. They stay offered while the server is
   * down, so that calling one restarts it.
   */
  get tools(): readonly Tool[] {
    return this.cachedTools;
  }

  /** What the server offered when it last started. */
  get capabilities(): ServerCapabilities | undefined {
    return this.cachedCapabilities;
  }

  get instructions(): string | undefined {
    return this.live?.client.getInstructions();
  }

  /** The server's process id (stdio servers that are running). */
  get pid(): number | null {
    return this.live?.opened.pid() ?? null;
  }

  /** Starts the server if it is not running and lists its tools. */
  async ensure(): Promise<McpResult<void>> {
    const live = await this.connected();
    return live.ok ? { ok: true, value: undefined } : live;
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<McpResult<CallToolResult>> {
    return this.request(`tool "${name}"`, signal, (client, options) =>
      client.callTool({ name, arguments: args }, undefined, options),
    ) as Promise<McpResult<CallToolResult>>;
  }

  async listResources(signal: AbortSignal): Promise<McpResult<Resource[]>> {
    const live = await this.connected();
    if (!live.ok) return live;
    if (!live.value.client.getServerCapabilities()?.resources) return { ok: true, value: [] };
    return this.paginate(signal, "resources/list", async (client, cursor, options) => {
      const page = await client.listResources(cursor ? { cursor } : {}, options);
      return { items: page.resources, next: page.nextCursor };
    });
  }

  async readResource(uri: string, signal: AbortSignal): Promise<McpResult<ReadResourceResult>> {
    return this.request(`resource ${uri}`, signal, (client, options) =>
      client.readResource({ uri }, options),
    );
  }

  async listPrompts(signal: AbortSignal): Promise<McpResult<Prompt[]>> {
    const live = await this.connected();
    if (!live.ok) return live;
    if (!live.value.client.getServerCapabilities()?.prompts) return { ok: true, value: [] };
    return this.paginate(signal, "prompts/list", async (client, cursor, options) => {
      const page = await client.listPrompts(cursor ? { cursor } : {}, options);
      return { items: page.prompts, next: page.nextCursor };
    });
  }

  async getPrompt(
    name: string,
    args: Record<string, string>,
    signal: AbortSignal,
  ): Promise<McpResult<GetPromptResult>> {
    return this.request(`prompt "${name}"`, signal, (client, options) =>
      client.getPrompt({ name, arguments: args }, options),
    );
  }

  /** Stops the server (and waits for every process this connection started to be gone). */
  async close(): Promise<void> {
    const starting = this.starting;
    if (starting) await starting;
    if (this.live) this.drop(this.live);
    await Promise.all(this.closing);
  }

  private requestOptions(signal: AbortSignal, timeout: number) {
    return { signal, timeout, resetTimeoutOnProgress: true };
  }

  private async request<T>(
    what: string,
    signal: AbortSignal,
    run: (client: Client, options: ReturnType<McpConnection["requestOptions"]>) => Promise<T>,
  ): Promise<McpResult<T>> {
    const live = await this.connected();
    if (!live.ok) return live;
    const timeout = this.config.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    try {
      return { ok: true, value: await run(live.value.client, this.requestOptions(signal, timeout)) };
    } catch (error) {
      return this.classify(live.value, what, error, signal, timeout);
    }
  }

  private async paginate<T>(
    signal: AbortSignal,
    what: string,
    page: (
      client: Client,
      cursor: string | undefined,
      options: ReturnType<McpConnection["requestOptions"]>,
    ) => Promise<{ items: T[]; next: string | undefined }>,
  ): Promise<McpResult<T[]>> {
    const live = await this.connected();
    if (!live.ok) return live;
    const timeout = this.config.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const items: T[] = [];
    let cursor: string | undefined;
    try {
      // A server that keeps returning cursors must not loop forever.
      for (let pages = 0; pages < 100; pages++) {
        const next = await page(live.value.client, cursor, this.requestOptions(signal, timeout));
        items.push(...next.items);
        if (!next.next) break;
        cursor = next.next;
      }
      return { ok: true, value: items };
    } catch (error) {
      return this.classify(live.value, what, error, signal, timeout);
    }
  }

  /** Turns a thrown error into a failure; drops the server when it can no longer be trusted. */
  private classify<T>(
    live: Live,
    what: string,
    error: unknown,
    signal: AbortSignal,
    timeoutMs: number,
  ): McpResult<T> {
    const server = `MCP server "${this.name}"`;
    const { ErrorCode, McpError } = live.sdk;
    if (signal.aborted) return failure("cancelled", `${what} on ${server} was cancelled`);
    let kind: McpFailureKind;
    let message: string;
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      kind = "timeout";
      const garbage = live.garbage.length > 0 ? ` It also wrote non-MCP output: ${live.garbage[0]}` : "";
      message = `${server} did not answer ${what} within ${timeoutMs} ms.${garbage}`;
    } else if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
      kind = "crashed";
      message = `${server} exited while running ${what}.${this.stderrNote(live)}`;
    } else if (error instanceof McpError) {
      // The server is alive and said no: keep it.
      return failure("protocol_error", `${server} refused ${what}: ${error.message}`);
    } else if (live.closed) {
      kind = "crashed";
      message = `${server} is not running (${errorText(error)}).${this.stderrNote(live)}`;
    } else {
      kind = "invalid_response";
      message = `${server} returned an invalid answer to ${what}: ${oneLine(errorText(error))}`;
    }
    this.drop(live, { kill: true });
    this.lastFailure = message;
    return failure(kind, `${message} It will be restarted on the next call.`);
  }

  private stderrNote(live: Live): string {
    const tail = live.opened.stderr.text();
    return tail === "" ? "" : ` Its last output on stderr:\n${tail}`;
  }

  private connected(): Promise<McpResult<Live>> {
    if (this.live) return Promise.resolve({ ok: true, value: this.live });
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<McpResult<Live>> {
    this.starts++;
    const sdk = await loadSdk();
    const opened = openTransport(sdk, this.config, this.options);
    const client = new sdk.Client(this.options.clientInfo, { capabilities: {} });
    const live: Live = { sdk, client, opened, closed: false, garbage: [] };
    client.onclose = () => {
      live.closed = true;
      if (this.live === live) {
        this.live = undefined;
        this.lastFailure = `MCP server "${this.name}" exited.${this.stderrNote(live)}`;
        this.options.onToolsChanged?.();
      }
    };
    client.onerror = (error) => {
      // A line on stdout that is not JSON-RPC: tolerated (some servers log there) but remembered.
      if (live.garbage.length < 5) live.garbage.push(oneLine(errorText(error)));
    };
    const timeout = this.config.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    try {
      await client.connect(opened.transport, { timeout, signal: controller.signal });
      this.cachedTools = await this.fetchTools(client, timeout, controller.signal);
    } catch (error) {
      const why = controller.signal.aborted ? `did not start within ${timeout} ms` : errorText(error);
      this.drop(live);
      this.lastFailure = `MCP server "${this.name}" could not start: ${oneLine(why)}.${this.stderrNote(live)}`;
      this.failedStartAt = Date.now();
      return failure("start_failed", this.lastFailure);
    } finally {
      clearTimeout(timer);
    }
    if (live.closed) {
      this.lastFailure = `MCP server "${this.name}" exited right after starting.${this.stderrNote(live)}`;
      this.failedStartAt = Date.now();
      return failure("start_failed", this.lastFailure);
    }
    client.setNotificationHandler(sdk.ToolListChangedNotificationSchema, async () => {
      try {
        const tools = await this.fetchTools(client, timeout, AbortSignal.timeout(timeout));
        if (this.live === live) {
          this.cachedTools = tools;
          this.options.onToolsChanged?.();
        }
      } catch {
        // Keep the previous list; the next restart lists again.
      }
    });
    this.live = live;
    this.cachedCapabilities = client.getServerCapabilities();
    this.lastFailure = undefined;
    this.failedStartAt = undefined;
    this.options.onToolsChanged?.();
    return { ok: true, value: live };
  }

  private async fetchTools(client: Client, timeout: number, signal: AbortSignal): Promise<Tool[]> {
    if (!client.getServerCapabilities()?.tools) return [];
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await client.listTools(cursor ? { cursor } : {}, { timeout, signal });
      tools.push(...page.tools);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return tools;
  }

  /**
   * Forgets the connection and stops its process in the background (close
   * waits for it). `kill` skips the polite stdin-close wait: a server that
   * hung or answered garbage gets SIGTERM at once.
   */
  private drop(live: Live, options: { kill?: boolean } = {}): void {
    live.closed = true;
    if (this.live === live) this.live = undefined;
    const pid = live.opened.pid();
    if (options.kill && pid !== null) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
    const closing = live.client
      .close()
      .catch(() => {})
      .finally(() => {
        this.closing = this.closing.filter((item) => item !== closing);
      });
    this.closing.push(closing);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
