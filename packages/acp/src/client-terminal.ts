import type { AgentContext, TerminalHandle } from "@agentclientprotocol/sdk";
import {
  DEFAULT_LIMITS,
  type ExecRequest,
  type ExecResult,
  resolveCwd,
  type SandboxDescription,
  type SandboxDriver,
} from "@toad/sandbox";

export interface ClientTerminalOptions {
  client: AgentContext;
  sessionId: string;
  workspaceRoot: string;
  /** Runs what a client terminal cannot: commands that need standard input. */
  fallback: SandboxDriver;
  /** Told each terminal the client opened, so the running tool call can show it. */
  onTerminal?: (terminalId: string) => void;
}

const EMPTY: Omit<ExecResult, "durationMs"> = {
  exitCode: null,
  signal: null,
  stdout: "",
  stderr: "",
  timedOut: false,
  aborted: false,
  truncated: false,
};

type Ending = "exited" | "timeout" | "aborted";

/**
 * Commands in the editor's terminal (ACP `terminal/*`), so the user watches
 * them run where they work. The editor runs them as it runs its own
 * terminals: TOAD's sandbox isolation does not apply there.
 */
export class ClientTerminalDriver implements SandboxDriver {
  constructor(private readonly options: ClientTerminalOptions) {}

  describe(): SandboxDescription {
    return {
      driver: "acp-terminal",
      workspaceRoot: this.options.workspaceRoot,
      filesystemIsolated: false,
      networkIsolated: false,
      summary: "commands run in the editor's terminal (ACP): no filesystem or network isolation",
    };
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    if (request.stdin !== undefined) return this.options.fallback.exec(request);
    const started = Date.now();
    const done = (result: Partial<ExecResult>): ExecResult => ({
      ...EMPTY,
      ...result,
      durationMs: Date.now() - started,
    });
    const cwd = await resolveCwd(this.options.workspaceRoot, request.cwd);
    if (!cwd.ok) return done({ error: cwd.error });
    const [command, args] =
      typeof request.command === "string"
        ? ["bash", ["-c", request.command]]
        : [request.command[0] ?? "", request.command.slice(1)];
    let terminal: TerminalHandle;
    try {
      terminal = await this.options.client.createTerminal({
        sessionId: this.options.sessionId,
        command,
        args: [...args],
        cwd: cwd.cwd,
        env: Object.entries(request.env ?? {}).map(([name, value]) => ({ name, value })),
        // stdout and stderr arrive as one stream here, so they share both caps.
        outputByteLimit: 2 * (request.maxOutputBytes ?? DEFAULT_LIMITS.maxOutputBytes),
      });
    } catch (error) {
      const message = `the editor could not open a terminal: ${error instanceof Error ? error.message : String(error)}`;
      return done({ error: { kind: "spawn_failed", message } });
    }
    this.options.onTerminal?.(terminal.id);
    try {
      const ending = await this.waitForEnd(terminal, request);
      if (ending !== "exited") await terminal.kill().catch(() => {});
      const output = await terminal.currentOutput();
      return done({
        exitCode: output.exitStatus?.exitCode ?? null,
        signal: output.exitStatus?.signal ?? (ending === "exited" ? null : "SIGKILL"),
        stdout: output.output,
        truncated: output.truncated,
        timedOut: ending === "timeout",
        aborted: ending === "aborted",
      });
    } catch (error) {
      const message = `the editor's terminal failed: ${error instanceof Error ? error.message : String(error)}`;
      return done({ error: { kind: "spawn_failed", message } });
    } finally {
      await terminal.release().catch(() => {});
    }
  }

  private waitForEnd(terminal: TerminalHandle, request: ExecRequest): Promise<Ending> {
    const timeoutMs = request.timeoutMs ?? DEFAULT_LIMITS.defaultTimeoutMs;
    return new Promise<Ending>((resolve, reject) => {
      const timer = setTimeout(() => finish("timeout"), timeoutMs);
      const onAbort = () => finish("aborted");
      const finish = (ending: Ending) => {
        clearTimeout(timer);
        request.signal?.removeEventListener("abort", onAbort);
        resolve(ending);
      };
      if (request.signal?.aborted) return finish("aborted");
      request.signal?.addEventListener("abort", onAbort, { once: true });
      terminal.waitForExit().then(
        () => finish("exited"),
        (error: unknown) => {
          clearTimeout(timer);
          request.signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }
}
