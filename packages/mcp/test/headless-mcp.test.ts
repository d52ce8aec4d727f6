import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AgentEventOf, parseEvent } from "@toad/core";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { serverScript, tempDir } from "./helpers.js";

/**
 * The embedded runtime's wiring: `toad -p` (the built command) offers the
 * servers of mcp.json to the model next to the built-in tools, with the same
 * permission modes, and reports a broken mcp.json clearly.
 */
const TOAD_BIN = fileURLToPath(new URL("../../../cli/bin/toad.js", import.meta.url));
const CLI_DIST = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));

let llm: MockLlmServer | undefined;
let box: Awaited<ReturnType<typeof tempDir>> | undefined;
beforeAll(() => {
  if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: run npm run build first`);
});
afterEach(async () => {
  await llm?.close();
  await box?.cleanup();
});

async function workspace(mcpJson: string) {
  box = await tempDir("toad-headless-mcp-");
  const repo = join(box.path, "repo");
  await mkdir(join(repo, ".toad"), { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: repo });
  await writeFile(join(repo, ".toad", "mcp.json"), mcpJson);
  return repo;
}

function toad(args: string[], repo: string, llmUrl: string) {
  const root = join(repo, "..");
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [TOAD_BIN, ...args],
      {
        cwd: repo,
        env: {
          PATH: process.env.PATH,
          HOME: join(root, "home"),
          TOAD_DATA_DIR: join(root, "data"),
          TOAD_CONFIG_HOME: join(root, "config"),
          ANTHROPIC_API_KEY: "sk-ant-test",
          ANTHROPIC_BASE_URL: llmUrl,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("toad -p with MCP servers in .toad/mcp.json", () => {
  it("the model calls MCP tools; read-only ones run, others need approval like built-in tools", async () => {
    const repo = await workspace(
      JSON.stringify({
        mcpServers: {
          everything: { command: process.execPath, args: [serverScript("server-everything"), "stdio"] },
        },
      }),
    );
    llm = await startMockLlm({
      script: {
        turns: [
          {
            content: [
              { type: "tool_call", name: "mcp__everything__echo", arguments: { message: "from the model" } },
              { type: "tool_call", name: "mcp__everything__toggle-simulated-logging", arguments: {} },
            ],
          },
          { match: { toolResult: "Echo: from the model" }, content: [{ type: "text", text: "Done." }] },
        ],
      },
    });
    const run = await toad(
      ["-p", "use the MCP tools", "--model", "claude-sonnet-4-5", "--output-format", "stream-json"],
      repo,
      llm.url,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split("\n")
      .map((line) => parseEvent(line))
      .filter((event): event is AgentEventOf<"tool_result"> => event.type === "tool_result");
    expect(events.map((event) => [event.name, event.isError, event.errorKind])).toEqual([
      ["mcp__everything__echo", false, undefined],
      ["mcp__everything__toggle-simulated-logging", true, "denied"],
    ]);
    const body = (llm.requests[0]?.body ?? {}) as { tools?: Array<{ name: string }> };
    const tools = body.tools ?? [];
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(["read_file", "mcp__everything__echo"]),
    );
  });

  it("a broken mcp.json stops toad with a message that names the file and the key", async () => {
    const repo = await workspace(JSON.stringify({ mcpServers: { fs: { command: "x", arg: ["typo"] } } }));
    llm = await startMockLlm({ script: { turns: [] } });
    const run = await toad(["-p", "hi", "--model", "claude-sonnet-4-5"], repo, llm.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the MCP config has problems");
    expect(run.stderr).toContain(".toad/mcp.json: mcpServers.fs.arg: unknown key for a stdio server");
    expect(llm.requests).toHaveLength(0);
  });
});
