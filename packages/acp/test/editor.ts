import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  type ClientConnection,
  client,
  methods,
  ndJsonStream,
  type RequestPermissionRequest,
  type RequestPermissionResponse,
  type SessionNotification,
} from "@agentclientprotocol/sdk";

const TOAD_BIN = fileURLToPath(new URL("../../../cli/bin/toad.js", import.meta.url));
const CLI_DIST = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: run npm run build first`);
}

/** A temp home and a git repository with the given files, as the CLI's e2e tests use. */
export async function makeWorkspace(files: Record<string, string>, llmUrl: string) {
  const root = await realpath(await mkdtemp(join(tmpdir(), "toad-acp-")));
  const repo = join(root, "repo");
  await mkdir(repo, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  execFileSync("git", ["init", "-q"], { cwd: repo });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(root, "home"),
    TOAD_DATA_DIR: join(root, "data"),
    TOAD_CONFIG_HOME: join(root, "config"),
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: llmUrl,
  };
  return { root, repo, env, cleanup: () => rm(root, { recursive: true, force: true }) };
}

interface Terminal {
  child: ChildProcess;
  output: string;
  exit: Promise<{ exitCode: number | null; signal: string | null }>;
}

export type PermissionAnswer = "allow-once" | "allow-always" | "reject-once" | "cancel";

/**
 * A scripted editor: the ACP SDK's client side driving `toad acp` as a
 * subprocess. It keeps unsaved buffers (what fs/read_text_file returns),
 * runs terminals as real processes, answers permission requests from a
 * queue and records everything it was sent.
 */
export class FakeEditor {
  readonly updates: SessionNotification[] = [];
  readonly permissions: RequestPermissionRequest[] = [];
  readonly reads: Array<{ path: string; line?: number | null; limit?: number | null }> = [];
  readonly writes: Array<{ path: string; content: string }> = [];
  readonly terminals: Array<{ command: string; args: string[] }> = [];
  /** Unsaved editor buffers by absolute path; other files are read from disk. */
  readonly buffers = new Map<string, string>();
  answers: PermissionAnswer[] = [];
  stderr = "";
  readonly process: ChildProcess;
  readonly connection: ClientConnection;
  private readonly running = new Map<string, Terminal>();

  constructor(cwd: string, env: NodeJS.ProcessEnv, args: string[] = []) {
    this.process = spawn(process.execPath, [TOAD_BIN, "acp", ...args], {
      cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.process.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    const { stdin, stdout } = this.process;
    if (!stdin || !stdout) throw new Error("no pipes to toad acp");
    const app = client({ name: "fake-editor" })
      .onNotification(methods.client.session.update, ({ params }) => {
        this.updates.push(params);
      })
      .onRequest(methods.client.session.requestPermission, ({ params }) => this.permission(params))
      .onRequest(methods.client.fs.readTextFile, async ({ params }) => {
        this.reads.push({ path: params.path, line: params.line, limit: params.limit });
        const text = this.buffers.get(params.path) ?? (await readFile(params.path, "utf8"));
        const start = (params.line ?? 1) - 1;
        const lines = text.split(/(?<=\n)/);
        return { content: lines.slice(start, params.limit ? start + params.limit : undefined).join("") };
      })
      .onRequest(methods.client.fs.writeTextFile, ({ params }) => {
        this.writes.push({ path: params.path, content: params.content });
        this.buffers.set(params.path, params.content);
        return {};
      })
      .onRequest(methods.client.terminal.create, ({ params }) => {
        this.terminals.push({ command: params.command, args: params.args ?? [] });
        const child = spawn(params.command, params.args ?? [], {
          cwd: params.cwd ?? cwd,
          env: { ...process.env, ...Object.fromEntries((params.env ?? []).map((v) => [v.name, v.value])) },
        });
        const terminal: Terminal = {
          child,
          output: "",
          exit: new Promise((resolve) =>
            child.on("close", (exitCode, signal) => resolve({ exitCode, signal })),
          ),
        };
        child.stdout?.on("data", (chunk: Buffer) => {
          terminal.output += chunk.toString();
        });
        child.stderr?.on("data", (chunk: Buffer) => {
          terminal.output += chunk.toString();
        });
        const terminalId = `term-${this.terminals.length}`;
        this.running.set(terminalId, terminal);
        return { terminalId };
      })
      .onRequest(
        methods.client.terminal.waitForExit,
        async ({ params }) => this.terminal(params.terminalId).exit,
      )
      .onRequest(methods.client.terminal.output, async ({ params }) => {
        const terminal = this.terminal(params.terminalId);
        const done = terminal.child.exitCode !== null || terminal.child.signalCode !== null;
        return {
          output: terminal.output,
          truncated: false,
          ...(done && { exitStatus: await terminal.exit }),
        };
      })
      .onRequest(methods.client.terminal.kill, ({ params }) => {
        this.terminal(params.terminalId).child.kill("SIGKILL");
        return {};
      })
      .onRequest(methods.client.terminal.release, ({ params }) => {
        this.terminal(params.terminalId).child.kill("SIGKILL");
        this.running.delete(params.terminalId);
        return {};
      });
    this.connection = app.connect(
      ndJsonStream(
        Writable.toWeb(stdin) as WritableStream<Uint8Array>,
        Readable.toWeb(stdout) as ReadableStream<Uint8Array>,
      ),
    );
  }

  get agent() {
    return this.connection.agent;
  }

  private terminal(id: string): Terminal {
    const terminal = this.running.get(id);
    if (!terminal) throw new Error(`no terminal ${id}`);
    return terminal;
  }

  private async permission(params: RequestPermissionRequest): Promise<RequestPermissionResponse> {
    this.permissions.push(params);
    const answer = this.answers.shift() ?? "reject-once";
    if (answer === "cancel") {
      // As an editor does when the user presses stop while a question is open.
      await this.agent.notify(methods.agent.session.cancel, { sessionId: params.sessionId });
      return { outcome: { outcome: "cancelled" } };
    }
    return { outcome: { outcome: "selected", optionId: answer } };
  }

  /** Updates of one kind, in arrival order. */
  of<K extends SessionNotification["update"]["sessionUpdate"]>(kind: K) {
    return this.updates
      .map((notification) => notification.update)
      .filter(
        (update): update is Extract<SessionNotification["update"], { sessionUpdate: K }> =>
          update.sessionUpdate === kind,
      );
  }

  /** Closes stdin the way an editor does and waits for toad to exit. */
  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.on("close", (code) => resolve(code)));
    this.connection.close();
    this.process.stdin?.end();
    const code = await exited;
    if (code !== 0) process.stderr.write(`toad acp exited ${code}:\n${this.stderr}\n`);
    return code;
  }
}
