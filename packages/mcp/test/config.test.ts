import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentTools } from "@toad/agent";
import {
  addServer,
  combineTools,
  loadMcpConfig,
  parseMcpConfig,
  projectMcpFile,
  qualifiedToolName,
  removeServer,
  serverOfToolName,
  userMcpFile,
} from "@toad/mcp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

describe("mcp.json parsing", () => {
  it("reads stdio and HTTP servers in the common mcpServers shape", () => {
    const parsed = parseMcpConfig(
      {
        mcpServers: {
          fs: { command: "npx", args: ["-y", "server-filesystem", "."], env: { A: "1" } },
          remote: { type: "http", url: "https://mcp.example.com/mcp", headers: { Authorization: "x" } },
          legacy: { type: "sse", url: "http://localhost:3001/sse", timeoutMs: 5000 },
          guessed: { url: "http://localhost:9/mcp" },
        },
      },
      "mcp.json",
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.servers).toEqual([
      { name: "fs", type: "stdio", command: "npx", args: ["-y", "server-filesystem", "."], env: { A: "1" } },
      { name: "remote", type: "http", url: "https://mcp.example.com/mcp", headers: { Authorization: "x" } },
      { name: "legacy", type: "sse", url: "http://localhost:3001/sse", headers: {}, timeoutMs: 5000 },
      { name: "guessed", type: "http", url: "http://localhost:9/mcp", headers: {} },
    ]);
  });

  it("reports every problem with its path and keeps the good entries", () => {
    const parsed = parseMcpConfig(
      {
        mcpServers: {
          ok: { command: "srv" },
          "bad name": { command: "x" },
          a__b: { command: "x" },
          typo: { command: "x", arg: ["y"] },
          noCommand: { args: [] },
          badUrl: { type: "http", url: "ftp://x" },
          badTimeout: { command: "x", timeoutMs: -1 },
          badEnv: { command: "x", env: { A: 1 } },
        },
        extra: true,
      },
      "f.json",
    );
    expect(parsed.servers.map((server) => server.name)).toEqual(["ok"]);
    expect(parsed.problems.map((problem) => problem.path)).toEqual([
      "extra",
      "mcpServers.bad name",
      "mcpServers.a__b",
      "mcpServers.typo.arg",
      "mcpServers.noCommand.command",
      "mcpServers.badUrl.url",
      "mcpServers.badTimeout.timeoutMs",
      "mcpServers.badEnv.env",
    ]);
    expect(parsed.problems.every((problem) => problem.file === "f.json")).toBe(true);
  });
});

describe("mcp.json files", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let location: { env: Record<string, string>; homeDir: string; projectDir: string };
  beforeEach(async () => {
    dir = await tempDir();
    location = {
      env: { TOAD_CONFIG_HOME: join(dir.path, "config") },
      homeDir: join(dir.path, "home"),
      projectDir: join(dir.path, "repo"),
    };
  });
  afterEach(() => dir.cleanup());

  it("finds the user file like config.json does", () => {
    expect(userMcpFile({ TOAD_CONFIG_HOME: "/c" }, "/h")).toBe("/c/mcp.json");
    expect(userMcpFile({ XDG_CONFIG_HOME: "/x" }, "/h")).toBe("/x/toad/mcp.json");
    expect(userMcpFile({}, "/h")).toBe("/h/.config/toad/mcp.json");
    expect(projectMcpFile("/r")).toBe("/r/.toad/mcp.json");
  });

  it("merges user and project servers: the project wins by name and can disable one", async () => {
    const user = userMcpFile(location.env, location.homeDir);
    await addServer(user, { name: "a", type: "stdio", command: "user-a", args: [], env: {} });
    await addServer(user, { name: "b", type: "stdio", command: "user-b", args: [], env: {} });
    await addServer(user, { name: "c", type: "stdio", command: "user-c", args: [], env: {} });
    const project = projectMcpFile(location.projectDir);
    await addServer(project, { name: "a", type: "http", url: "http://127.0.0.1:1/mcp", headers: {} });
    await addServer(project, { name: "c", type: "stdio", command: "x", args: [], env: {}, disabled: true });
    const loaded = await loadMcpConfig(location);
    if (!loaded.ok) throw new Error("unexpected problems");
    expect(loaded.servers.map((server) => [server.name, server.scope, server.type])).toEqual([
      ["a", "project", "http"],
      ["b", "user", "stdio"],
    ]);
    expect(loaded.all).toHaveLength(5);
    expect(loaded.files).toEqual([user, project]);
  });

  it("adds and removes servers without losing what it does not understand", async () => {
    const file = userMcpFile(location.env, location.homeDir);
    await mkdir(join(dir.path, "config"));
    await writeFile(file, JSON.stringify({ mcpServers: { keep: { command: "k" } }, $comment: "mine" }));
    expect(
      await addServer(file, { name: "new", type: "stdio", command: "n", args: ["1"], env: { K: "v" } }),
    ).toEqual({ ok: true, file });
    const again = await addServer(file, { name: "new", type: "stdio", command: "n", args: [], env: {} });
    expect(again).toMatchObject({ ok: false, message: expect.stringContaining("already") });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      mcpServers: { keep: { command: "k" }, new: { command: "n", args: ["1"], env: { K: "v" } } },
      $comment: "mine",
    });
    expect(await removeServer(file, "keep")).toEqual({ ok: true, file });
    expect(await removeServer(file, "keep")).toMatchObject({ ok: false });
    expect(Object.keys(JSON.parse(await readFile(file, "utf8")).mcpServers)).toEqual(["new"]);
  });

  it("refuses to rewrite a broken file and reports it on load", async () => {
    const file = userMcpFile(location.env, location.homeDir);
    await mkdir(join(dir.path, "config"));
    await writeFile(file, "{ not json");
    const added = await addServer(file, { name: "x", type: "stdio", command: "x", args: [], env: {} });
    expect(added).toMatchObject({ ok: false, message: expect.stringContaining("not valid JSON") });
    expect(await readFile(file, "utf8")).toBe("{ not json");
    const loaded = await loadMcpConfig(location);
    expect(loaded.ok === false && loaded.problems[0]?.message).toMatch(/not valid JSON/);
  });
});

describe("tool names and toolsets", () => {
  it("qualifies names within provider limits and finds the server again", () => {
    expect(qualifiedToolName("fs", "read_text_file")).toBe("mcp__fs__read_text_file");
    expect(qualifiedToolName("s", "weird.name/with spaces")).toBe("mcp__s__weird_name_with_spaces");
    const long = qualifiedToolName("server", "x".repeat(100));
    const other = qualifiedToolName("server", `${"x".repeat(99)}y`);
    expect(long).toHaveLength(64);
    expect(long).not.toBe(other);
    expect(serverOfToolName(long)).toBe("server");
    expect(serverOfToolName("read_file")).toBeUndefined();
  });

  it("combineTools routes each call to the toolset that offers it; the first wins a clash", async () => {
    const toolset = (label: string, names: string[]): AgentTools => ({
      specs: () => names.map((name) => ({ name, description: label, inputSchema: { type: "object" } })),
      prepare: (call) => ({
        ok: true,
        call: {
          effect: "read",
          preview: async () => ({ ok: true, preview: { summary: label } }),
          execute: async () => ({ ok: true, output: `${label}:${call.name}` }),
        },
      }),
    });
    const tools = combineTools(toolset("builtin", ["read_file", "x"]), toolset("mcp", ["x", "mcp__s__y"]));
    expect(tools.specs().map((spec) => `${spec.description}:${spec.name}`)).toEqual([
      "builtin:read_file",
      "builtin:x",
      "mcp:mcp__s__y",
    ]);
    const run = async (name: string) => {
      const prepared = tools.prepare(
        { callId: "c", name, argumentsJson: "{}" },
        new AbortController().signal,
      );
      return prepared.ok ? prepared.call.execute() : prepared.outcome;
    };
    expect(await run("x")).toEqual({ ok: true, output: "builtin:x" });
    expect(await run("mcp__s__y")).toEqual({ ok: true, output: "mcp:mcp__s__y" });
    expect(await run("nope")).toMatchObject({ ok: false, errorKind: "unknown_tool" });
  });
});
