import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { McpHub, mcpAgentTools } from "@toad/mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  everythingServer,
  filesystemServer,
  runTool,
  serverScript,
  tempDir,
  writeMisbehavingServer,
} from "./helpers.js";

describe("MCP client with server-filesystem over stdio", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: McpHub;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir.path, "notes.md"), "# Notes\nfirst line\n");
    hub = new McpHub({ servers: [filesystemServer(dir.path)], env: process.env, cwd: dir.path });
  });
  afterAll(async () => {
    await hub.close();
    await dir.cleanup();
  });

  it("reads, writes and edits files through the server, and its refusals are tool errors", async () => {
    const tools = await hub.tools();
    const names = tools.specs().map((spec) => spec.name);
    expect(names).toEqual(expect.arrayContaining(["mcp__fs__read_text_file", "mcp__fs__write_file"]));

    const read = await runTool(tools, "mcp__fs__read_text_file", { path: join(dir.path, "notes.md") });
    expect(read).toEqual({ ok: true, output: "# Notes\nfirst line\n" });

    const written = await runTool(tools, "mcp__fs__write_file", {
      path: join(dir.path, "new.txt"),
      content: "from the MCP server\n",
    });
    expect(written.ok).toBe(true);
    expect(await readFile(join(dir.path, "new.txt"), "utf8")).toBe("from the MCP server\n");

    const edited = await runTool(tools, "mcp__fs__edit_file", {
      path: join(dir.path, "notes.md"),
      edits: [{ oldText: "first line", newText: "edited line" }],
    });
    expect(edited.ok && edited.output).toContain("+edited line");
    expect(await readFile(join(dir.path, "notes.md"), "utf8")).toBe("# Notes\nedited line\n");

    const outside = await runTool(tools, "mcp__fs__read_text_file", { path: "/etc/hostname" });
    expect(outside).toMatchObject({ ok: false, errorKind: "mcp_tool_error" });
    expect(!outside.ok && outside.message).toMatch(/denied|outside/i);
  });
});

describe("MCP client with a misbehaving server", () => {
  it("an invalid result and junk on stdout are clear tool errors; the server is restarted", async () => {
    const dir = await tempDir();
    const script = await writeMisbehavingServer(dir.path);
    const hub = new McpHub({
      servers: [
        { name: "bad", type: "stdio", command: process.execPath, args: [script], env: {}, timeoutMs: 400 },
      ],
      env: process.env,
      cwd: dir.path,
    });
    try {
      const tools = await hub.tools();
      const first = await runTool(tools, "mcp__bad__ok", {});
      expect(first.ok && first.output).toMatch(/^fine, pid \d+$/);

      const bad = await runTool(tools, "mcp__bad__bad-result", {});
      expect(bad).toMatchObject({ ok: false, errorKind: "mcp_invalid_response" });
      expect(!bad.ok && bad.message).toMatch(
        /MCP server "bad" returned an invalid answer to tool "bad-result"/,
      );

      const second = await runTool(tools, "mcp__bad__ok", {});
      expect(second.ok && second.output).not.toBe(first.ok && first.output);

      const junk = await runTool(tools, "mcp__bad__junk", {});
      expect(junk).toMatchObject({ ok: false, errorKind: "mcp_timeout" });
      expect(!junk.ok && junk.message).toContain("It also wrote non-MCP output");
      expect(await runTool(tools, "mcp__bad__ok", {})).toMatchObject({ ok: true });
      expect(hub.connection("bad")?.starts).toBe(3);
    } finally {
      await hub.close();
      await dir.cleanup();
    }
  });
});

/** `${NAME}` as written in mcp.json. */
const placeholder = (name: string) => `$\{${name}}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

describe("MCP client over Streamable HTTP", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill("SIGKILL");
  });

  it("connects to server-everything's Streamable HTTP endpoint", async () => {
    const port = await freePort();
    child = spawn(process.execPath, [serverScript("server-everything"), "streamableHttp"], {
      env: { ...process.env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const started = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the HTTP server did not start")), 10_000);
      const onData = (chunk: Buffer) => {
        if (/listening on port/i.test(chunk.toString())) {
          clearTimeout(timer);
          resolve();
        }
      };
      // It reports on stderr, as stdio servers must; accept either stream.
      started.stdout?.on("data", onData);
      started.stderr?.on("data", onData);
    });
    const hub = new McpHub({
      servers: [
        {
          name: "remote",
          type: "http",
          url: `http://127.0.0.1:${port}/mcp`,
          headers: {},
        },
      ],
      env: {},
      cwd: process.cwd(),
    });
    try {
      const tools = await hub.tools();
      const echo = tools.prepare(
        { callId: "c", name: "mcp__remote__echo", argumentsJson: '{"message":"over http"}' },
        new AbortController().signal,
      );
      expect(echo.ok && echo.call.effect).toBe("read");
      expect(await runTool(tools, "mcp__remote__echo", { message: "over http" })).toEqual({
        ok: true,
        output: "Echo: over http",
      });
      const toggle = mcpAgentTools(hub).prepare(
        { callId: "d", name: "mcp__remote__toggle-simulated-logging", argumentsJson: "{}" },
        new AbortController().signal,
      );
      expect(toggle.ok && toggle.call.effect).toBe("network");
    } finally {
      await hub.close();
    }
  });
});

describe("MCP HTTP servers' headers", () => {
  it("sends the configured headers with placeholders expanded; a failing endpoint is a clear start error", async () => {
    const seen: Array<string | undefined> = [];
    const server = createHttpServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const hub = new McpHub({
      servers: [
        {
          name: "remote",
          type: "http",
          url: `http://127.0.0.1:${port}/mcp`,
          headers: { Authorization: `Bearer ${placeholder("TOKEN")}` },
        },
      ],
      env: { TOKEN: "t0ken" },
      cwd: process.cwd(),
    });
    try {
      const started = await hub.connection("remote")?.ensure();
      expect(started?.ok === false && started.error).toMatchObject({ kind: "start_failed" });
      expect(started?.ok === false && started.error.message).toMatch(/MCP server "remote" could not start/);
      expect(seen[0]).toBe("Bearer t0ken");
    } finally {
      await hub.close();
      server.close();
    }
  });
});

describe("MCP stdio servers' environment", () => {
  it("gets the configured env with placeholders expanded, and not TOAD's own secrets", async () => {
    process.env.TOAD_TEST_SECRET_KEY = "sk-secret";
    const hub = new McpHub({
      servers: [everythingServer({ env: { GREETING: `hi ${placeholder("WHO")}` } })],
      env: { WHO: "toad" },
      cwd: process.cwd(),
    });
    try {
      const env = await runTool(await hub.tools(), "mcp__everything__get-env", {});
      expect(env.ok && env.output).toContain('"GREETING": "hi toad"');
      expect(env.ok && env.output).not.toContain("sk-secret");
    } finally {
      delete process.env.TOAD_TEST_SECRET_KEY;
      await hub.close();
    }
  });
});
